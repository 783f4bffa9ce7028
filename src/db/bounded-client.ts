/**
 * Bounded waits for postgres.js (issue 17 item 2). The driver queues a query without bound while no
 * connection is free or reachable, so during an outage a request waited for Postgres to come back.
 * This wrapper, the client Drizzle is given, bounds each operation (a statement, or a whole
 * transaction): waiting for a connection up to `acquireTimeoutMs`, everything up to `requestTimeoutMs`;
 * past either it fails UNAVAILABLE. While the pool knows the database is down (DbHealth), nothing is
 * queued at all: UNAVAILABLE at once, until a probe reaches the database again.
 *
 * What a client told UNAVAILABLE can rely on: a transaction that timed out did not commit (its callback is
 * refused if BEGIN waited past the deadline, and one that ran past it is rolled back instead of committed), unless
 * the deadline fell while its COMMIT was already on the wire. A single statement outside a transaction that timed
 * out may still run: 3.4.9 cannot withdraw a queued statement safely (cancelling one strands a pool slot), so it
 * stays queued and runs if a connection frees up while it is there. In both cases the outcome is unknown, which is
 * why every write API is safe to retry (recordCalls is idempotent by callId). During an outage the breaker keeps
 * new statements out of that queue, and the driver empties it with connection errors within a reconnect delay.
 */
import type postgres from 'postgres';
import { DomainError } from '../errors';
import { classifyDbFailure, stampUpAtFailure } from './failures';
import type { DbHealth } from './health';

/** The reasons a bounded operation fails (`extensions.reason`; the driver code in the failure log). */
export type DbWaitReason = 'DB_DOWN' | 'DB_ACQUIRE_TIMEOUT' | 'DB_REQUEST_TIMEOUT';

/** UNAVAILABLE from the bounded client; `cause.code` lets the failure monitor classify it. */
export class DbUnavailableError extends DomainError {
  constructor(
    readonly reason: DbWaitReason,
    message: string,
  ) {
    super('UNAVAILABLE', message, { reason });
    Object.defineProperty(this, 'cause', { value: { code: reason }, enumerable: false });
  }
}

export type BoundedClientOptions = { acquireTimeoutMs: number; requestTimeoutMs: number; health: DbHealth };

/** The driver's query object: a promise with the fields we read (postgres.js 3.4.9, pinned by driver-patch.ts). */
type DriverQuery = Promise<unknown> & { state: unknown; reject(err: unknown): void; values(): DriverQuery };
type TxCallback = (sql: postgres.TransactionSql) => unknown;

const down = () => new DbUnavailableError('DB_DOWN', 'The database is unreachable; retry shortly.');
const acquireTimeout = (ms: number) => new DbUnavailableError('DB_ACQUIRE_TIMEOUT', `No database connection became free within ${ms} ms; retry shortly.`);
const requestTimeout = (ms: number) => new DbUnavailableError('DB_REQUEST_TIMEOUT', `The database did not answer within ${ms} ms; retry shortly.`);

/** A failed operation that could not settle itself: rejected like the driver would, with a `values()` for Drizzle. */
function refused(err: Error): DriverQuery {
  const p = Promise.reject(err) as DriverQuery;
  p.values = () => p;
  return p;
}

/**
 * Fails `q` with `err` without touching the driver's queues: cancelling an unsent query strands a pool slot in 3.4.9,
 * and a cancel request for a running one needs a new connection (none during an outage; statement_timeout bounds the
 * statement on the server anyway).
 */
function abandon(q: DriverQuery, err: Error): void {
  q.reject(err);
}

/** A connection that failed or went away (not our own refusals): the breaker's business. */
function isConnectionFailure(err: unknown): boolean {
  if (err instanceof DbUnavailableError) return false;
  const f = classifyDbFailure(err);
  return f !== null && (f.class === 'connection' || f.driverCode === 'CONNECT_TIMEOUT');
}

export function boundPostgresClient(sql: postgres.Sql, options: BoundedClientOptions): postgres.Sql {
  const { acquireTimeoutMs, requestTimeoutMs, health } = options;
  const remainder = Math.max(0, requestTimeoutMs - acquireTimeoutMs);

  /** A connection failure seen by any operation opens the breaker at once (not only when a request reports it). */
  function noteFailure(err: unknown): void {
    stampUpAtFailure(err, health.up());
    if (isConnectionFailure(err)) health.suspect();
  }

  type Pending = { q: DriverQuery; t: NodeJS.Timeout | null };
  const expireRequest = (p: Pending) => abandon(p.q, requestTimeout(requestTimeoutMs));
  /** Not sent by the acquire deadline (the driver sets `state` when it writes a query): refused; else bounded by the rest. */
  function onAcquireDeadline(p: Pending): void {
    if (p.q.state == null) return abandon(p.q, acquireTimeout(acquireTimeoutMs));
    p.t = setTimeout(expireRequest, remainder, p);
  }

  function unsafe(query: string, args?: unknown[], queryOptions?: postgres.UnsafeQueryOptions): DriverQuery {
    if (!health.up()) return refused(down());
    const q = sql.unsafe(query, args as postgres.ParameterOrJSON<never>[], queryOptions) as unknown as DriverQuery;
    const p: Pending = { q, t: null };
    p.t = setTimeout(onAcquireDeadline, acquireTimeoutMs, p);
    q.then(
      () => {
        clearTimeout(p.t!);
        health.noteSuccess();
      },
      (err: unknown) => {
        clearTimeout(p.t!);
        noteFailure(err);
      },
    );
    return q;
  }

  /** A transaction's statements, bounded by the transaction's deadline (tracked so an expired one unwinds its callback). */
  function boundTx(tx: postgres.TransactionSql, state: TxState): postgres.TransactionSql {
    const bound = Object.create(tx) as postgres.TransactionSql;
    bound.unsafe = ((query: string, args?: unknown[], queryOptions?: postgres.UnsafeQueryOptions) => {
      if (state.expired) return refused(state.expired);
      const q = tx.unsafe(query, args as postgres.ParameterOrJSON<never>[], queryOptions) as unknown as DriverQuery;
      state.running.add(q);
      q.then(
        () => state.running.delete(q),
        (err: unknown) => {
          state.running.delete(q);
          noteFailure(err);
        },
      );
      return q;
    }) as unknown as postgres.TransactionSql['unsafe'];
    bound.savepoint = ((fn: TxCallback) => tx.savepoint((inner) => fn(boundTx(inner, state)))) as postgres.TransactionSql['savepoint'];
    return bound;
  }

  type TxState = { entered: boolean; expired: Error | null; running: Set<DriverQuery> };

  function begin(...params: [TxCallback] | [string, TxCallback]): Promise<unknown> {
    if (!health.up()) return Promise.reject(down());
    const fn = params.length === 1 ? params[0] : params[1];
    const state: TxState = { entered: false, expired: null, running: new Set() };
    let fail!: (err: Error) => void;
    const deadline = new Promise<never>((_, reject) => (fail = reject));
    const expire = (err: Error) => {
      state.expired = err;
      for (const q of state.running) abandon(q, err);
      fail(err);
    };
    let timer = setTimeout(() => {
      if (!state.entered) return expire(acquireTimeout(acquireTimeoutMs));
      timer = setTimeout(expire, remainder, requestTimeout(requestTimeoutMs));
    }, acquireTimeoutMs);
    const body = async (tx: postgres.TransactionSql) => {
      // Started after its deadline (BEGIN waited in the driver's queue): the caller was told it failed, so it must not run.
      if (state.expired) throw state.expired;
      state.entered = true;
      const result = await fn(boundTx(tx, state));
      // Finished after its deadline: throwing here rolls it back instead of committing what the caller was told failed.
      if (state.expired) throw state.expired;
      return result;
    };
    const attempt = () => (params.length === 1 ? sql.begin(body) : sql.begin(params[0], body)) as Promise<unknown>;
    const run = attempt().catch((err: unknown) => {
      noteFailure(err);
      // BEGIN itself failed on a connection the server had closed (found after a restart): nothing ran, so once more on
      // another connection, within the same deadline.
      if (!state.entered && !state.expired && health.up() && isConnectionFailure(err)) return attempt();
      throw err;
    });
    run.catch(noteFailure);
    return Promise.race([run, deadline]).finally(() => clearTimeout(timer));
  }

  // Drizzle uses `options` (its type parsers), `unsafe` and `begin`; everything else is the driver's own.
  const bounded = Object.create(sql) as postgres.Sql;
  Object.assign(bounded, { unsafe, begin, options: sql.options });
  return bounded;
}
