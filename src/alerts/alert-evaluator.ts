/**
 * Evaluates every alert from the hourly rollups (never raw calls) on a schedule. Each instance runs
 * the timer; a transaction-scoped advisory lock lets one instance at a time evaluate. A state change,
 * its history row and its `alert.fired` / `alert.resolved` outbox event commit together; after commit
 * `alertUpdated` is published and the dispatcher woken.
 */
import type { Db } from '../db/client';
import type { DbFailureMonitor } from '../db/failures';
import type { AlertRow } from '../db/schema';
import type { Logger } from '../logger';
import { totalMetrics, type RollupFilter } from '../metrics/rollup-store';
import { ADVISORY_LOCKS, tryLockForTransaction } from '../db/locks';
import type { EventBus } from '../pubsub/event-bus';
import { insertEvents } from '../webhooks/outbox-store';
import { breaches, transition, valueOf } from './alert-rules';
import { lockAllAlerts, promptIdsInFolder, saveEvaluation } from './alert-store';

export type AlertEvaluator = { start(): void; evaluateNow(): Promise<number>; stop(): Promise<void> };

export function alertEventData(a: AlertRow) {
  return {
    workspaceId: a.workspaceId,
    alertId: a.id,
    name: a.name,
    promptName: a.promptName,
    folder: a.folder,
    metric: a.metric,
    threshold: a.threshold,
    windowMinutes: a.windowMinutes,
    value: a.lastValue,
    state: a.state,
    at: (a.lastChangedAt ?? new Date()).toISOString(),
  };
}

export function createAlertEvaluator(deps: {
  db: Db;
  bus: EventBus;
  logger: Logger;
  intervalMs: number;
  minIntervalMs: number;
  onEvents: () => void;
  dbFailures?: Pick<DbFailureMonitor, 'report'>;
}): AlertEvaluator {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;

  async function evaluate(): Promise<number> {
    const changed: AlertRow[] = [];
    await deps.db.transaction(async (tx) => {
      if (!(await tryLockForTransaction(tx, ADVISORY_LOCKS.alertEvaluation, 'alertLock'))) return; // another instance is evaluating
      const now = Date.now();
      for (const alert of await lockAllAlerts(tx)) {
        const filter: RollupFilter = { workspaceId: alert.workspaceId, from: new Date(now - alert.windowMinutes * 60_000) };
        if (alert.promptName) filter.promptName = alert.promptName;
        if (alert.folder) filter.promptIds = await promptIdsInFolder(tx, alert.workspaceId, alert.folder);
        const value = filter.promptIds?.length === 0 ? null : valueOf(alert.metric, await totalMetrics(tx, filter));
        const step = transition(alert.state, breaches(alert.metric, value, alert.threshold), alert.lastChangedAt, now, deps.minIntervalMs);
        const after = await saveEvaluation(tx, alert.id, value, step === 'fire' ? 'FIRING' : step === 'resolve' ? 'OK' : null);
        if (!step) continue;
        await insertEvents(tx, [
          {
            workspaceId: after.workspaceId,
            type: step === 'fire' ? 'alert.fired' : 'alert.resolved',
            source: { alertId: after.id },
            data: alertEventData(after),
          },
        ]);
        changed.push(after);
      }
    });
    for (const a of changed) await deps.bus.publish('ALERT_UPDATED', { workspaceId: a.workspaceId, alertId: a.id, at: new Date().toISOString() });
    if (changed.length) deps.onEvents();
    return changed.length;
  }

  const evaluateNow = () => {
    running ??= evaluate().finally(() => (running = null));
    return running;
  };

  return {
    start() {
      timer ??= setInterval(() => {
        evaluateNow().catch((err) => {
          if (!deps.dbFailures?.report(err, deps.logger, { phase: 'alert evaluation' }))
            deps.logger.warn({ err: (err as Error).message }, 'alert evaluation failed');
        });
      }, deps.intervalMs);
      timer.unref();
    },
    evaluateNow,
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running?.catch(() => {});
    },
  };
}
