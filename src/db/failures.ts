/**
 * Database failures an operator can read: each is classified (connection, timeout, resources,
 * constraint, data, conflict, query, other) from the driver's error code or the SQLSTATE, logged with
 * both and with whether the pool thought the database was up at that moment, and counted per class
 * for /metrics. A connection failure marks the database down until a probe (or /readyz) reaches it
 * again, so a failure logged with `up: true` after an outage points at a stale pool slot, not the
 * outage.
 */
import { domainErrorBehind, UnavailableError, type DomainError } from '../errors';
import type { Logger } from '../logger';
import { createDbHealth, type DbHealth, type PingOutcome } from './health';

export const DB_FAILURE_CLASSES = ['connection', 'timeout', 'resources', 'constraint', 'data', 'conflict', 'query', 'other'] as const;
export type DbFailureClass = (typeof DB_FAILURE_CLASSES)[number];
export type DbFailure = { class: DbFailureClass; sqlstate: string | null; driverCode: string | null };

/** Codes postgres.js and Node's sockets give a connection that failed or went away. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'CONNECTION_ENDED',
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'DB_DOWN', // the bounded client's breaker: refused without trying while the database is known to be down
]);
const TIMEOUT_CODES = new Set(['CONNECT_TIMEOUT', 'ETIMEDOUT', 'DB_ACQUIRE_TIMEOUT', 'DB_REQUEST_TIMEOUT']);

type Coded = { code?: unknown; severity?: unknown; name?: unknown; cause?: unknown; originalError?: unknown };

/** The driver error behind `err` (through DrizzleQueryError causes and GraphQL wrappers), classified; null when it is not one. */
export function classifyDbFailure(err: unknown): DbFailure | null {
  for (let e = err as Coded | undefined, depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
    const code = typeof e.code === 'string' ? e.code : null;
    // postgres.js PostgresError and PGlite's DatabaseError carry the server's SQLSTATE (and a severity).
    if (code && /^[0-9A-Z]{5}$/.test(code) && (typeof e.severity === 'string' || e.name === 'PostgresError' || e.name === 'DatabaseError'))
      return { class: classOfSqlstate(code), sqlstate: code, driverCode: null };
    if (code && CONNECTION_CODES.has(code)) return { class: 'connection', sqlstate: null, driverCode: code };
    if (code && TIMEOUT_CODES.has(code)) return { class: 'timeout', sqlstate: null, driverCode: code };
    e = (e.originalError ?? e.cause) as Coded | undefined;
  }
  return null;
}

const UP_AT_FAILURE = Symbol('dbUpAtFailure');

/** Stamps a failure with whether the pool thought the database was up when it happened (before the failure changes that). */
export function stampUpAtFailure(err: unknown, up: boolean): void {
  if (err && typeof err === 'object' && !(UP_AT_FAILURE in err)) Object.defineProperty(err, UP_AT_FAILURE, { value: up });
}

/** The stamp of `err` or of an error behind it; undefined when none was stamped. */
function upAtFailure(err: unknown): boolean | undefined {
  for (let e = err as Coded | undefined, depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
    if (UP_AT_FAILURE in e) return (e as { [UP_AT_FAILURE]: boolean })[UP_AT_FAILURE];
    e = (e.originalError ?? e.cause) as Coded | undefined;
  }
  return undefined;
}

/** A failure that says "the database cannot answer now" (retry, or serve what is cached), not "this query is wrong". */
export function isDbUnavailable(err: unknown): boolean {
  const c = classifyDbFailure(err)?.class;
  return c === 'connection' || c === 'timeout' || c === 'resources';
}

/**
 * What a route outside GraphQL answers for `err`: the domain error behind it (a DbUnavailableError wrapped by Drizzle
 * included), else UNAVAILABLE for a database that cannot answer now; null for anything else (a bug: 500).
 */
export function domainErrorOf(err: unknown): DomainError | null {
  return domainErrorBehind(err) ?? (isDbUnavailable(err) ? new UnavailableError('The database is unavailable; retry shortly.') : null);
}

export function classOfSqlstate(sqlstate: string): DbFailureClass {
  if (sqlstate.startsWith('08') || sqlstate === '57P01' || sqlstate === '57P02' || sqlstate === '57P03') return 'connection';
  if (sqlstate === '57014' || sqlstate === '55P03') return 'timeout'; // statement timeout / lock not available
  const prefix = sqlstate.slice(0, 2);
  if (prefix === '53') return 'resources';
  if (prefix === '23') return 'constraint';
  if (prefix === '22') return 'data';
  if (prefix === '40') return 'conflict';
  if (prefix === '42') return 'query';
  return 'other';
}

export type DbFailureMonitor = {
  /** Logs and counts `err` when it is a database failure; returns its classification (null: not one). */
  report(err: unknown, logger: Logger, fields?: Record<string, unknown>): DbFailure | null;
  /** Pings with a deadline and records the outcome (readiness). */
  check(timeoutMs?: number): Promise<boolean>;
  up(): boolean;
  /** Prometheus lines: `db_up`, `db_failures_total{class}`, `db_refused_total` (failed fast while down). */
  metrics(): string[];
  stop(): void;
};

/** `health` is the database's own (Database.health); a bare `ping` builds one (tests). */
export function createDbFailureMonitor(
  deps: { health: DbHealth } | { ping: (timeoutMs?: number) => Promise<PingOutcome>; probeMs?: number },
): DbFailureMonitor {
  const health = 'health' in deps ? deps.health : createDbHealth({ ping: deps.ping, probeMs: deps.probeMs });
  const counts = Object.fromEntries(DB_FAILURE_CLASSES.map((c) => [c, 0])) as Record<DbFailureClass, number>;
  let refused = 0;

  return {
    report(err, logger, fields = {}) {
      const failure = classifyDbFailure(err);
      if (!failure) return null;
      // Refused by the breaker while the database is known to be down: not a new failure (the one that opened it was
      // counted); counted apart, and not logged one line per request at warn during an outage.
      if (failure.driverCode === 'DB_DOWN') {
        refused++;
        logger.debug({ ...fields, db: { ...failure, up: false } }, 'database refused: known to be down');
        return failure;
      }
      counts[failure.class]++;
      const wasUp = upAtFailure(err) ?? health.up();
      const level = failure.class === 'connection' || failure.class === 'timeout' || failure.class === 'resources' ? 'warn' : 'error';
      logger[level]({ ...fields, db: { ...failure, up: wasUp }, err: err instanceof Error ? err.message : String(err) }, `database failure (${failure.class})`);
      // Seen by the bounded client already (stamped): it probed before opening the breaker. Else (a bare driver) mark down.
      if ((failure.class === 'connection' || failure.driverCode === 'CONNECT_TIMEOUT') && upAtFailure(err) === undefined) health.markDown();
      return failure;
    },
    check: (timeoutMs) => health.check(timeoutMs),
    up: () => health.up(),
    metrics: () => [
      `db_up ${health.up() ? 1 : 0}`,
      ...DB_FAILURE_CLASSES.map((c) => `db_failures_total{class="${c}"} ${counts[c]}`),
      `db_refused_total ${refused}`,
    ],
    stop: () => health.stop(),
  };
}
