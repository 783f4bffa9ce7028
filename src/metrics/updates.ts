/**
 * metricsUpdated events: published after commit, at most once per version per second from this
 * instance (the first change at once, later ones folded into one trailing event a second after the
 * last), so a busy version costs subscribers one event a second whatever the call rate.
 */
import type { EventBus } from '../pubsub/event-bus';
import type { MetricsUpdatedPayload } from '../pubsub/topics';

export const UPDATE_INTERVAL_MS = 1000;

export type VersionTouched = { workspaceId: string; promptId: string; promptName: string; versionId: string };

export type MetricsUpdates = { changed(v: VersionTouched): void; close(): void };

export function createMetricsUpdates(bus: EventBus): MetricsUpdates {
  const lastSent = new Map<string, number>();
  const trailing = new Map<string, NodeJS.Timeout>();

  const send = (v: VersionTouched) => {
    lastSent.set(v.versionId, Date.now());
    const payload: MetricsUpdatedPayload = { ...v, at: new Date().toISOString() };
    void bus.publish('METRICS_UPDATED', payload);
  };

  return {
    changed(v) {
      if (trailing.has(v.versionId)) return; // an event is already due: it will carry this change too
      const since = Date.now() - (lastSent.get(v.versionId) ?? 0);
      if (since >= UPDATE_INTERVAL_MS) {
        if (lastSent.size > 10_000) for (const [k, t] of lastSent) if (Date.now() - t >= UPDATE_INTERVAL_MS) lastSent.delete(k);
        send(v);
        return;
      }
      const timer = setTimeout(() => {
        trailing.delete(v.versionId);
        send(v);
      }, UPDATE_INTERVAL_MS - since);
      timer.unref();
      trailing.set(v.versionId, timer);
    },
    close() {
      for (const t of trailing.values()) clearTimeout(t);
      trailing.clear();
    },
  };
}
