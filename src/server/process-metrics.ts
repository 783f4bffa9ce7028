/**
 * Process gauges for GET /metrics (Prometheus names of prom-client's defaults, so dashboards built for
 * those work): resident memory, V8 heap, and event-loop delay. The delay histogram is windowed per
 * scrape (read, then reset), so its p99 is "since the previous scrape": with one scraper that is the
 * scrape interval; several scrapers each see a shorter window. Cheap: one sampling timer (20 ms
 * resolution, libuv-side) and a few reads per scrape.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export type ProcessMetrics = { lines(): string[]; stop(): void };

const NS_PER_S = 1e9;

export function createProcessMetrics(): ProcessMetrics {
  let delay: IntervalHistogram | null = monitorEventLoopDelay({ resolution: 20 });
  delay.enable();
  return {
    lines() {
      const mem = process.memoryUsage();
      // An empty window (a scrape right after the previous one) has no samples: report 0, not NaN.
      const seconds = (ns: number) => (delay && delay.count > 0 && Number.isFinite(ns) ? ns / NS_PER_S : 0).toFixed(6);
      const out = [
        `process_resident_memory_bytes ${mem.rss}`,
        `nodejs_heap_used_bytes ${mem.heapUsed}`,
        `nodejs_heap_total_bytes ${mem.heapTotal}`,
        `nodejs_external_memory_bytes ${mem.external}`,
        `nodejs_eventloop_delay_p99_seconds ${seconds(delay?.percentile(99) ?? 0)}`,
        `nodejs_eventloop_delay_max_seconds ${seconds(delay?.max ?? 0)}`,
      ];
      delay?.reset();
      return out;
    },
    stop() {
      delay?.disable();
      delay = null;
    },
  };
}
