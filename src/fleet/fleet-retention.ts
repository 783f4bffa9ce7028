/**
 * Fleet retention: every FLEET_PRUNE_INTERVAL_MS each instance tries to delete the client instances
 * silent past FLEET_RETENTION_HOURS; the prune lock lets one do it while the others skip the round.
 */
import type { Logger } from '../logger';
import type { FleetService } from './fleet-service';

export type FleetRetention = { stop(): void };

export function startFleetRetention(fleet: Pick<FleetService, 'prune'>, intervalMs: number, logger: Logger): FleetRetention {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      fleet
        .prune()
        .then((n) => {
          if (n) logger.info({ deleted: n }, 'pruned fleet instances silent past retention');
        })
        .catch((err: unknown) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'pruning fleet instances failed; retrying later'))
        .finally(schedule);
    }, intervalMs);
    timer.unref();
  };
  schedule();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
