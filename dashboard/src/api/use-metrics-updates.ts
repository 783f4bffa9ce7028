/**
 * Calls `onUpdate` when fresh metrics of any of the named prompts arrive (metricsUpdated, at most one
 * event per version per second from the server), at most once per `everyMs` so a burst of recorded
 * calls refetches a chart once, not once per version.
 */
import { useEffect, useRef } from 'react';
import { useClient } from 'urql';
import { MetricsUpdatedSubscription } from './metrics';

export function useMetricsUpdates(promptNames: string[], onUpdate: () => void, everyMs = 1000): void {
  const client = useClient();
  const handler = useRef(onUpdate);
  handler.current = onUpdate;
  const key = promptNames.join('\n');
  useEffect(() => {
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const fire = () => {
      timer = null;
      last = Date.now();
      handler.current();
    };
    const subscriptions = (key ? key.split('\n') : []).map((promptName) =>
      client.subscription(MetricsUpdatedSubscription, { promptName }).subscribe((r) => {
        if (!r.data || timer) return;
        timer = setTimeout(fire, Math.max(0, last + everyMs - Date.now()));
      }),
    );
    return () => {
      if (timer) clearTimeout(timer);
      for (const s of subscriptions) s.unsubscribe();
    };
  }, [client, key, everyMs]);
}
