/**
 * Process gauges for GET /metrics (Prometheus names of prom-client's defaults, so dashboards built for
 * those work): resident memory, V8 heap, and event-loop delay. The delay histogram is windowed per
 * scrape (read, then reset), so its p99 is "since the previous scrape": with one scraper that is the
 * scrape interval; several scrapers each see a shorter window. Heap used swings with garbage between
 * collections; what is left after a full (major) collection is the figure a leak moves, so it is kept
 * too. Cheap: one sampling timer (20 ms resolution) and a GC observer that reads heap statistics only
 * after major collections.
 */
import { constants, monitorEventLoopDelay, PerformanceObserver, type IntervalHistogram, type PerformanceEntry } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';

export type ProcessMetrics = { lines(): string[]; stop(): void };

const NS_PER_S = 1e9;
// A gc entry's `detail.kind` (Node ≥ 16; the types here do not declare it).
const isMajorGc = (e: PerformanceEntry) => (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR;

export function createProcessMetrics(): ProcessMetrics {
  let delay: IntervalHistogram | null = monitorEventLoopDelay({ resolution: 20 });
  delay.enable();
  let majorGcs = 0;
  let heapAfterMajorGc: number | null = null;
  const gc = new PerformanceObserver((list) => {
    const majors = list.getEntries().filter(isMajorGc).length;
    if (majors === 0) return;
    majorGcs += majors;
    heapAfterMajorGc = getHeapStatistics().used_heap_size;
  });
  gc.observe({ entryTypes: ['gc'] });
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
        // Absent until the first major collection (a gauge with no value yet, rather than a made-up 0).
        ...(heapAfterMajorGc === null ? [] : [`nodejs_heap_used_after_major_gc_bytes ${heapAfterMajorGc}`]),
        `nodejs_gc_major_total ${majorGcs}`,
        `nodejs_eventloop_delay_p99_seconds ${seconds(delay?.percentile(99) ?? 0)}`,
        `nodejs_eventloop_delay_max_seconds ${seconds(delay?.max ?? 0)}`,
      ];
      delay?.reset();
      return out;
    },
    stop() {
      delay?.disable();
      delay = null;
      gc.disconnect();
    },
  };
}
