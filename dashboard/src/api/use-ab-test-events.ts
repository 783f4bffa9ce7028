/**
 * Live A/B test views: `onChange` runs when a test of the prompt starts, ramps, stops or concludes
 * (abTestUpdated), when fresh calls of its versions arrive (metricsUpdated, when `withMetrics`: the
 * results moved), and when the socket reconnects (events may have been missed). Calls are coalesced
 * to one per `spacingMs`, trailing, so a burst of events costs one refetch.
 */
import { useEffect, useRef } from 'react';
import { useClient } from 'urql';
import { ABMetricsUpdatedSubscription, ABTestUpdatedSubscription } from './ab-tests';
import { useResync } from './use-prompt-events';

export function useABTestEvents(promptName: string | null, onChange: () => void, options: { withMetrics?: boolean; spacingMs?: number } = {}): void {
  const client = useClient();
  const handler = useRef(onChange);
  handler.current = onChange;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const spacing = options.spacingMs ?? 400;
  const withMetrics = options.withMetrics ?? false;

  useEffect(() => {
    if (!promptName) return;
    const fire = () => {
      if (timer.current) return;
      timer.current = setTimeout(() => {
        timer.current = null;
        handler.current();
      }, spacing);
    };
    const subs = [client.subscription(ABTestUpdatedSubscription, { promptName }).subscribe((r) => r.data && fire())];
    if (withMetrics) subs.push(client.subscription(ABMetricsUpdatedSubscription, { promptName }).subscribe((r) => r.data && fire()));
    return () => {
      subs.forEach((s) => s.unsubscribe());
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
    };
  }, [client, promptName, withMetrics, spacing]);

  // A reconnect after a lost socket: what happened meanwhile was not delivered.
  useResync(() => handler.current());
}
