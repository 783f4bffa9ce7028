/**
 * Database failures an operator can read: each is classified (connection, timeout, resources,
 * constraint, data, conflict, query, other) from the driver's error code or the SQLSTATE, logged with
 * both and with whether the pool thought the database was up at that moment, and counted per class
 * for /metrics. A connection failure marks the database down until a probe (or /readyz) reaches it
 * again, so a failure logged with `up: true` after an outage points at a stale pool slot, not the
 * outage.
 */
import type { Logger } from '../logger';

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
]);
const TIMEOUT_CODES = new Set(['CONNECT_TIMEOUT', 'ETIMEDOUT']);

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
  /** Prometheus lines: `db_up`, `db_failures_total{class}`. */
  metrics(): string[];
  stop(): void;
};

export function createDbFailureMonitor(deps: { ping: (timeoutMs?: number) => Promise<boolean>; probeMs?: number }): DbFailureMonitor {
  let up = true;
  let probe: NodeJS.Timeout | null = null;
  const counts = Object.fromEntries(DB_FAILURE_CLASSES.map((c) => [c, 0])) as Record<DbFailureClass, number>;

  function markUp(): void {
    up = true;
    if (probe) clearInterval(probe);
    probe = null;
  }
  function markDown(): void {
    up = false;
    // Probe until it answers: the state must not stay "down" because no request happens to succeed.
    probe ??= setInterval(() => void check(1_000), deps.probeMs ?? 250);
    probe.unref();
  }
  async function check(timeoutMs?: number): Promise<boolean> {
    const reached = await deps.ping(timeoutMs);
    if (reached) markUp();
    else markDown();
    return reached;
  }

  return {
    report(err, logger, fields = {}) {
      const failure = classifyDbFailure(err);
      if (!failure) return null;
      counts[failure.class]++;
      const level = failure.class === 'connection' || failure.class === 'timeout' || failure.class === 'resources' ? 'warn' : 'error';
      logger[level]({ ...fields, db: { ...failure, up }, err: err instanceof Error ? err.message : String(err) }, `database failure (${failure.class})`);
      if (failure.class === 'connection' || failure.driverCode === 'CONNECT_TIMEOUT') markDown();
      return failure;
    },
    check,
    up: () => up,
    metrics: () => [`db_up ${up ? 1 : 0}`, ...DB_FAILURE_CLASSES.map((c) => `db_failures_total{class="${c}"} ${counts[c]}`)],
    stop() {
      if (probe) clearInterval(probe);
      probe = null;
    },
  };
}
