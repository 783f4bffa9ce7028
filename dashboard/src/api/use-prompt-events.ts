/**
 * Every promptChanged event (of one prompt, or of the whole workspace with `name` null), delivered to
 * `onEvent` outside React's render (unlike useSubscription's reducer), none coalesced.
 */
import { useEffect, useRef } from 'react';
import { useClient } from 'urql';
import type { PromptChangedSubscription as Result } from '../gql/graphql';
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
