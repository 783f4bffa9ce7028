/**
 * Configuration: the environment parsed once with zod, every error reported at once, into a typed
 * nested object. The only reader of process.env.
 */
import path from 'node:path';
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const envSchema = z.object({
  PORT: int(0, 65535).default(4000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z.string().regex(/^(postgres(ql)?:\/\/|file:|memory:)/, 'must be a postgres:// URL, file:<dir> or memory:').optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').optional(),
  ADMIN_API_KEY: z.string().min(1).optional(),
  DEFAULT_MODEL: z.string().min(1).max(200).default('claude-sonnet-4-20250514'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Key environment tag embedded in new keys (`pm_<env>_…`). */
  KEY_ENV: z.string().regex(/^[a-z]{2,8}$/).default('live'),
  DB_POOL_MAX: int(1, 200).default(10),
  DB_STATEMENT_TIMEOUT_MS: int(100, 600_000).default(5000),
  /** Upper bound of a resolution-cache entry's life, in case an invalidation event is lost. */
  CACHE_TTL_MS: int(0, 30_000).default(30_000),
  /** graphql-ws keep-alive ping interval; a peer that misses a pong for this long is dropped. */
  WS_KEEPALIVE_MS: int(500, 60_000).default(12_000),
  SHUTDOWN_TIMEOUT_MS: int(100, 60_000).default(10_000),
  /** Introspection is off unless asked for (production posture does not depend on NODE_ENV). */
  GRAPHQL_INTROSPECTION: bool.default(false),
  METRICS_RETENTION_DAYS: int(1, 3650).default(90),
  /** Requests per API key per window, over all instances (through Redis when set); 0 turns it off. */
  RATE_LIMIT_MAX: int(0, 10_000_000).default(20_000),
  RATE_LIMIT_WINDOW_MS: int(1000, 3_600_000).default(10_000),
  /** Failed authentications per client IP per minute before further attempts are refused; 0: off. */
  AUTH_FAILURE_LIMIT: int(0, 1_000_000).default(300),
});

export type Config = {
  port: number;
  host: string;
  database: { kind: 'postgres'; url: string; poolMax: number; statementTimeoutMs: number } | { kind: 'pglite'; dataDir: string | null };
  redisUrl: string | null;
  adminApiKey: string | null;
  defaultModel: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  keyEnv: string;
  cacheTtlMs: number;
  wsKeepAliveMs: number;
  shutdownTimeoutMs: number;
  introspection: boolean;
  metricsRetentionDays: number;
  rateLimit: { max: number; windowMs: number; authFailuresPerMinute: number };
};

/** Parse an environment (default: process.env). Throws one error listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  let database: Config['database'];
  if (!e.DATABASE_URL) database = { kind: 'pglite', dataDir: path.resolve(e.DATA_DIR) };
  else if (e.DATABASE_URL.startsWith('memory:')) database = { kind: 'pglite', dataDir: null };
  else if (e.DATABASE_URL.startsWith('file:')) database = { kind: 'pglite', dataDir: path.resolve(e.DATABASE_URL.slice('file:'.length)) };
  else database = { kind: 'postgres', url: e.DATABASE_URL, poolMax: e.DB_POOL_MAX, statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS };
  return {
    port: e.PORT,
    host: e.HOST,
    database,
    redisUrl: e.REDIS_URL ?? null,
    adminApiKey: e.ADMIN_API_KEY ?? null,
    defaultModel: e.DEFAULT_MODEL,
    logLevel: e.LOG_LEVEL,
    keyEnv: e.KEY_ENV,
    cacheTtlMs: e.CACHE_TTL_MS,
    wsKeepAliveMs: e.WS_KEEPALIVE_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    introspection: e.GRAPHQL_INTROSPECTION,
    metricsRetentionDays: e.METRICS_RETENTION_DAYS,
    rateLimit: { max: e.RATE_LIMIT_MAX, windowMs: e.RATE_LIMIT_WINDOW_MS, authFailuresPerMinute: e.AUTH_FAILURE_LIMIT },
  };
}
