/**
 * GET /metrics, the instance's own operational gauges (not the prompts' call metrics of src/metrics/):
 * for live updates (R12) whether this instance hears other instances' events
 * (`pubsub_connected`, `pubsub_last_event_age_seconds`), publish failures, re-syncs, sockets and
 * cache size (and the database's state and failures per class, GraphQL and MCP errors per code, and the process gauges of process-metrics.ts), so a dead subscriber is not hidden behind a green readiness check.
 */
import type { EventBus } from '../pubsub/event-bus';

type WsStats = { stats(): { connections: number; authenticated: number; subscriptions: number; closes: Record<string, number> } };

export function instanceMetricsText(bus: EventBus, ws: WsStats, resolution: { cachedPrompts(): number }, extra: string[] = []): string {
  const b = bus.stats();
  const w = ws.stats();
  const lines = [
    `pubsub_connected{kind="${b.kind}"} ${b.connected ? 1 : 0}`,
    `pubsub_last_event_age_seconds ${b.lastEventAt === null ? -1 : ((Date.now() - b.lastEventAt) / 1000).toFixed(3)}`,
    `pubsub_published_total ${b.published}`,
    `pubsub_publish_failures_total ${b.publishFailures}`,
    `pubsub_resyncs_total ${b.resyncs}`,
    `ws_connections ${w.connections}`,
    `ws_authenticated_connections ${w.authenticated}`,
    `ws_subscriptions ${w.subscriptions}`,
    ...Object.entries(w.closes).map(([code, n]) => `ws_server_closes_total{code="${code}"} ${n}`),
    `resolution_cache_prompts ${resolution.cachedPrompts()}`,
    ...extra,
  ];
  return `${lines.join('\n')}\n`;
}
