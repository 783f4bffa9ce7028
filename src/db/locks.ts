/**
 * Transaction-scoped advisory locks: work that must run on one instance at a time (start-up
 * bootstrap, the first person, an alert evaluation round) takes one inside its transaction.
 */
import { sql } from 'drizzle-orm';
import type { Executor } from './client';
import { rowsOf } from './rows';

/** Waits for the lock; it is released when the transaction ends. `tag` names the caller in slow-query logs. */
export async function lockForTransaction(tx: Executor, key: number, tag: string): Promise<void> {
  await tx.execute(sql`/* ${sql.raw(tag)} */ select pg_advisory_xact_lock(${key})`);
}

/** Takes the lock if free; false when another transaction holds it. */
export async function tryLockForTransaction(tx: Executor, key: number, tag: string): Promise<boolean> {
  const [row] = rowsOf<{ locked: boolean }>(await tx.execute(sql`/* ${sql.raw(tag)} */ select pg_try_advisory_xact_lock(${key}) AS locked`));
  return row?.locked === true;
}
