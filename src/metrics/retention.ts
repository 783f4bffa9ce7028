/**
 * Retention: raw calls older than METRICS_RETENTION_DAYS are deleted in the background (hourly, in
 * bounded chunks); the rollups, and so every aggregate, stay. Safe on any number of instances.
 */
import type { Db } from '../db/client';
import type { Logger } from '../logger';
import { pruneCallsBefore } from './call-store';

const FIRST_RUN_MS = 60_000;
const INTERVAL_MS = 3600_000;

export type Retention = { pruneNow(): Promise<number>; stop(): void };

export function startRetention(db: Db, retentionDays: number, logger: Logger): Retention {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<number> | null = null;
  const pruneNow = () =>
    (running ??= pruneCallsBefore(db, new Date(Date.now() - retentionDays * 86_400_000))
      .then((n) => {
        if (n > 0) logger.info({ deleted: n, retentionDays }, 'pruned raw calls past retention');
        return n;
      })
      .finally(() => (running = null)));
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      pruneNow()
        .catch((err: unknown) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'pruning raw calls failed; retrying later'))
        .finally(() => schedule(INTERVAL_MS));
    }, ms);
    timer.unref();
  };
  schedule(FIRST_RUN_MS);
  return {
    pruneNow,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
