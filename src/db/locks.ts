/**
 * Advisory locks: work that must run on one instance at a time (migrations, start-up bootstrap, the
 * first person, an alert evaluation round, a fleet prune). Every key lives here, so two purposes never share one
 * (the migration and the first person once did: a migrating instance stalled another's sign-up).
 */
import { sql } from 'drizzle-orm';
import type { Executor } from './client';
import { rowsOf } from './rows';

export const ADVISORY_LOCKS = {
  bootstrap: 7291001,
  /** A session lock on the migrator's own connection (DDL in one session), not a transaction lock. */
  migrate: 7291002,
  firstPerson: 7291003,
  alertEvaluation: 7291014,
  /** Deleting fleet instances silent past retention: one instance at a time, the others skip the round. */
  fleetPrune: 7291015,
} as const;

/**
 * Start-up work waits for another instance's start-up, and runs on a loaded machine before any
 * request does: the per-request statement timeout (DB_STATEMENT_TIMEOUT_MS, as low as 100 ms) is
 * the wrong bound for it, so its transaction gets a minute.
 */
export async function allowStartupTime(tx: Executor): Promise<void> {
  await tx.execute(sql`set local statement_timeout = 60000`);
}

/** Waits for the lock; it is released when the transaction ends. `tag` names the caller in slow-query logs. */
export async function lockForTransaction(tx: Executor, key: number, tag: string): Promise<void> {
  await tx.execute(sql`/* ${sql.raw(tag)} */ select pg_advisory_xact_lock(${key})`);
}

/** Takes the lock if free; false when another transaction holds it. */
export async function tryLockForTransaction(tx: Executor, key: number, tag: string): Promise<boolean> {
  const [row] = rowsOf<{ locked: boolean }>(await tx.execute(sql`/* ${sql.raw(tag)} */ select pg_try_advisory_xact_lock(${key}) AS locked`));
  return row?.locked === true;
}
