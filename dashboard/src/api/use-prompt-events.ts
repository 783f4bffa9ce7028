/**
 * Live views: every promptChanged event (of one prompt, or of the whole workspace with `name` null),
 * delivered to `onEvent` outside React's render (unlike useSubscription's reducer), none coalesced;
 * and `useResync`, called after the socket came back from being lost (events sent meanwhile are not
 * replayed, so a view refetches what it shows).
 */
import { useEffect, useRef } from 'react';
import { useClient } from 'urql';
import type { PromptChangedSubscription as Result } from '../gql/graphql';
import { useWorkspace } from '../workspace';
import { PromptChangedSubscription } from './documents';

export type PromptEvent = Result['promptChanged'];

export function usePromptEvents(name: string | null, onEvent: (e: PromptEvent) => void): void {
  const client = useClient();
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    const { unsubscribe } = client.subscription(PromptChangedSubscription, { name }).subscribe((r) => {
      if (r.data) handler.current(r.data.promptChanged);
    });
    return unsubscribe;
  }, [client, name]);
}

/** Calls `onResync` after each reconnect of the workspace's socket (not on mount). */
export function useResync(onResync: () => void): void {
  const { reconnects } = useWorkspace();
  const handler = useRef(onResync);
  handler.current = onResync;
  const seen = useRef(reconnects);
  useEffect(() => {
    if (reconnects === seen.current) return;
    seen.current = reconnects;
    handler.current();
  }, [reconnects]);
}
