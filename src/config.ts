/**
 * Configuration: the environment parsed once with zod, every error reported at once, into a typed
 * nested object. The only reader of process.env.
 */
import path from 'node:path';
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const envSchema = z
  .object({
    PORT: int(0, 65535).default(4000),
    /** Unset: loopback for the embedded database (a trial on a laptop), every interface with Postgres (a deployment). */
    HOST: z.string().min(1).optional(),
    DATABASE_URL: z
      .string()
      .regex(/^(postgres(ql)?:\/\/|file:|memory:)/, 'must be a postgres:// URL, file:<dir> or memory:')
      .optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// URL')
      .optional(),
    ADMIN_API_KEY: z.string().min(1).optional(),
    DEFAULT_MODEL: z.string().min(1).max(200).default('claude-sonnet-4-20250514'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Key environment tag embedded in new keys (`pm_<env>_…`). */
    KEY_ENV: z
      .string()
      .regex(/^[a-z]{2,8}$/)
      .default('live'),
    DB_POOL_MAX: int(1, 200).default(10),
    DB_STATEMENT_TIMEOUT_MS: int(100, 600_000).default(5000),
    /** Longest wait for a new Postgres connection (TCP + start-up); a black-holed host fails at this bound. */
    DB_CONNECT_TIMEOUT_MS: int(100, 120_000).default(5000),
    /** Longest wait for a free connection before a statement or transaction is sent; past it: UNAVAILABLE, never sent. */
    DB_ACQUIRE_TIMEOUT_MS: int(50, 120_000).default(2000),
    /** Bound of one database operation (a statement, or a whole transaction) including the acquire wait: UNAVAILABLE past it. */
    DB_REQUEST_TIMEOUT_MS: int(100, 600_000).default(10_000),
    /** Bound of a whole GraphQL request over HTTP (every statement, hook and outbound call it waits on): UNAVAILABLE past it. */
    GRAPHQL_REQUEST_TIMEOUT_MS: int(500, 600_000).default(15_000),
    /** Upper bound of a resolution-cache entry's life, in case an invalidation event is lost. */
    CACHE_TTL_MS: int(0, 30_000).default(30_000),
    /** graphql-ws keep-alive ping interval; a peer that misses a pong for this long is dropped. */
    WS_KEEPALIVE_MS: int(500, 60_000).default(12_000),
    /** WebSocket caps per instance: sized for a fleet of pods sharing one service key. */
    WS_MAX_CONNECTIONS_PER_KEY: int(1, 1_000_000).default(1_000),
    WS_MAX_CONNECTIONS_PER_WORKSPACE: int(1, 10_000_000).default(10_000),
    WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: int(1, 10_000).default(100),
    SHUTDOWN_TIMEOUT_MS: int(100, 60_000).default(10_000),
    /**
     * How long an idle keep-alive connection stays open. Longer than a load balancer's idle timeout (60 s on most) and
     * than clients' own, so a client never sends on a socket the server is closing (ECONNRESET).
     */
    HTTP_KEEPALIVE_TIMEOUT_MS: int(1_000, 600_000).default(65_000),
    /**
     * Who may load the schema by introspection: callers with a key or session (default), everyone, or no one. The
     * production posture does not depend on NODE_ENV. `true`/`false` (the setting's first form) mean always/never.
     */
    GRAPHQL_INTROSPECTION: z
      .enum(['authenticated', 'always', 'never', 'true', 'false'])
      .default('authenticated')
      .transform((v) => (v === 'true' ? 'always' : v === 'false' ? 'never' : v)),
    METRICS_RETENTION_DAYS: int(1, 3650).default(90),
    /** Requests per API key per window, over all instances (through Redis when set); 0 turns it off. */
    RATE_LIMIT_MAX: int(0, 10_000_000).default(20_000),
    RATE_LIMIT_WINDOW_MS: int(1000, 3_600_000).default(10_000),
    /** Failed authentications per client IP per minute before further attempts are refused; 0: off. */
    AUTH_FAILURE_LIMIT: int(0, 1_000_000).default(300),
    /** Lets webhooks target loopback, private and link-local addresses over plain HTTP (tests, local receivers). */
    WEBHOOK_ALLOW_PRIVATE_TARGETS: bool.default(false),
    /** Delays between attempts, comma-separated ms; default the Standard Webhooks schedule (5 s … 24 h). */
    WEBHOOK_RETRY_SCHEDULE_MS: z
      .string()
      .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, 'must be comma-separated milliseconds')
      .optional(),
    /** Server key that encrypts webhook secrets at rest (32 bytes, base64 or hex; any other text is hashed to 32 bytes). Unset: a key file under DATA_DIR. */
    WEBHOOK_SECRET_KEY: z.string().min(16).optional(),
    WEBHOOK_TIMEOUT_MS: int(100, 60_000).default(15_000),
    /** How often each instance looks for due work when nothing woke it (a local commit wakes it at once). */
    WEBHOOK_POLL_MS: int(10, 60_000).default(1_000),
    /** An endpoint failing for this long is disabled (default 5 days). */
    WEBHOOK_DISABLE_AFTER_MS: int(1_000, 365 * 86_400_000).default(5 * 86_400_000),
    WEBHOOK_RETENTION_DAYS: int(1, 3650).default(30),
    /** How often each instance prunes the delivery log of what is older than WEBHOOK_RETENTION_DAYS. */
    WEBHOOK_PRUNE_INTERVAL_MS: int(100, 86_400_000).default(3_600_000),
    /** Set false to run an instance that serves the API but sends no webhooks. */
    WEBHOOK_DISPATCHER: bool.default(true),
    /** How often alerts are evaluated (by one instance at a time). */
    ALERT_INTERVAL_MS: int(50, 3_600_000).default(60_000),
    /** An alert changes state at most once per this interval (no flapping storm). */
    ALERT_MIN_INTERVAL_MS: int(0, 86_400_000).default(300_000),
    /** The fleet view calls an instance lagging when it still holds an older revision this long after the change. */
    FLEET_LAG_MS: int(100, 3_600_000).default(5_000),
    /** Client instances silent this long leave the fleet view and their rows are deleted (until then they show as silent). */
    FLEET_RETENTION_HOURS: int(1, 8760).default(24),
    /** How often an instance deletes fleet rows past FLEET_RETENTION_HOURS (one instance at a time, under an advisory lock). */
    FLEET_PRUNE_INTERVAL_MS: int(100, 86_400_000).default(3_600_000),
    // ------------------------------------------------------------ people (src/people/)
    /** The address people use (`https://prompts.example.com`); links and the allowed Origin derive from it. */
    PUBLIC_URL: z
      .string()
      .url()
      .regex(/^https?:\/\//, 'must be an http(s) URL')
      .optional(),
    /** More browser origins allowed to send cookie-authenticated requests, comma-separated. */
    ALLOWED_ORIGINS: z.string().optional(),
    /** The first person, created at first start as an instance admin of the default workspace. */
    ADMIN_EMAIL: z.string().email().optional(),
    ADMIN_PASSWORD: z.string().min(1).optional(),
    /** A session ends after this long without a request, and after SESSION_MAX_AGE_MS whatever happens. */
    SESSION_IDLE_TIMEOUT_MS: int(1000, 90 * 86_400_000).default(7 * 86_400_000),
    SESSION_MAX_AGE_MS: int(1000, 365 * 86_400_000).default(30 * 86_400_000),
    /** Failed sign-ins per account and per client address within SIGN_IN_WINDOW_MS before "try again later". */
    SIGN_IN_ACCOUNT_LIMIT: int(1, 1_000_000).default(10),
    SIGN_IN_ADDRESS_LIMIT: int(1, 1_000_000).default(100),
    SIGN_IN_WINDOW_MS: int(1000, 86_400_000).default(15 * 60_000),
    INVITATION_TTL_HOURS: int(1, 24 * 90).default(7 * 24),
    PASSWORD_RESET_TTL_MINUTES: int(1, 7 * 24 * 60).default(60),
    /** When set, invitation and password-reset links are e-mailed (`smtp://user:pass@host:port`). */
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .optional(),
    SMTP_FROM: z.string().min(3).default('Prompt service <no-reply@localhost>'),
    OIDC_ISSUER_URL: z.string().url().optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    OIDC_DEFAULT_ROLE: z.enum(['VIEWER', 'EDITOR', 'PUBLISHER', 'ADMIN']).default('VIEWER'),
    /** Email domains whose people may be created at their first SSO sign-in, comma-separated. */
    OIDC_ALLOWED_DOMAINS: z.string().optional(),
  })
  .superRefine((e, ctx) => {
    if (e.DB_ACQUIRE_TIMEOUT_MS > e.DB_REQUEST_TIMEOUT_MS)
      ctx.addIssue({ code: 'custom', path: ['DB_ACQUIRE_TIMEOUT_MS'], message: `must not exceed DB_REQUEST_TIMEOUT_MS (${e.DB_REQUEST_TIMEOUT_MS})` });
    if (!!e.ADMIN_EMAIL !== !!e.ADMIN_PASSWORD)
      ctx.addIssue({ code: 'custom', path: ['ADMIN_PASSWORD'], message: 'set ADMIN_EMAIL and ADMIN_PASSWORD together' });
    const oidc = [e.OIDC_ISSUER_URL, e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET].filter(Boolean).length;
    if (oidc > 0 && oidc < 3)
      ctx.addIssue({ code: 'custom', path: ['OIDC_ISSUER_URL'], message: 'set OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together' });
    // openid-client refuses plain http; a provider on this machine (development, tests) is the exception we allow.
    if (
      e.OIDC_ISSUER_URL &&
      !/^https:\/\//i.test(e.OIDC_ISSUER_URL) &&
      !/^http:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?(\/|$)/i.test(e.OIDC_ISSUER_URL)
    )
      ctx.addIssue({ code: 'custom', path: ['OIDC_ISSUER_URL'], message: 'must be an https URL (plain http only for localhost)' });
    for (const domain of list(e.OIDC_ALLOWED_DOMAINS)) {
      if (!/^@?[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(domain))
        ctx.addIssue({ code: 'custom', path: ['OIDC_ALLOWED_DOMAINS'], message: `"${domain}" is not a domain (comma-separated, e.g. acme.com,acme.co.uk)` });
    }
  });

/** Standard Webhooks' example schedule: immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h. */
export const STANDARD_RETRY_SCHEDULE_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 50_400_000, 72_000_000, 86_400_000];

const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export type Config = {
  port: number;
  host: string;
  database:
    | {
        kind: 'postgres';
        url: string;
        poolMax: number;
        statementTimeoutMs: number;
        connectTimeoutMs: number;
        acquireTimeoutMs: number;
        requestTimeoutMs: number;
      }
    | { kind: 'pglite'; dataDir: string | null };
  redisUrl: string | null;
  adminApiKey: string | null;
  defaultModel: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  keyEnv: string;
  cacheTtlMs: number;
  wsKeepAliveMs: number;
  ws: { maxConnectionsPerKey: number; maxConnectionsPerWorkspace: number; maxSubscriptionsPerConnection: number };
  shutdownTimeoutMs: number;
  httpKeepAliveTimeoutMs: number;
  graphqlRequestTimeoutMs: number;
  introspection: 'authenticated' | 'always' | 'never';
  metricsRetentionDays: number;
  rateLimit: { max: number; windowMs: number; authFailuresPerMinute: number };
  webhooks: {
    allowPrivateTargets: boolean;
    retryScheduleMs: number[];
    secretKey: string | null;
    /** Where the generated server key lives when WEBHOOK_SECRET_KEY is unset. */
    dataDir: string;
    timeoutMs: number;
    pollMs: number;
    disableAfterMs: number;
    retentionDays: number;
    pruneIntervalMs: number;
    dispatcher: boolean;
  };
  alerts: { intervalMs: number; minIntervalMs: number };
  fleet: { lagMs: number; retentionHours: number; pruneIntervalMs: number };
  people: PeopleConfig;
};

export type PeopleConfig = {
  publicUrl: string | null;
  allowedOrigins: string[];
  admin: { email: string; password: string } | null;
  sessionIdleMs: number;
  sessionMaxAgeMs: number;
  signIn: { accountLimit: number; addressLimit: number; windowMs: number };
  invitationTtlMs: number;
  passwordResetTtlMs: number;
  smtp: { url: string; from: string } | null;
  oidc: {
    issuerUrl: string;
    clientId: string;
    clientSecret: string;
    defaultRole: 'VIEWER' | 'EDITOR' | 'PUBLISHER' | 'ADMIN';
    allowedDomains: string[];
  } | null;
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
  else
    database = {
      kind: 'postgres',
      url: e.DATABASE_URL,
      poolMax: e.DB_POOL_MAX,
      statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
      connectTimeoutMs: e.DB_CONNECT_TIMEOUT_MS,
      acquireTimeoutMs: e.DB_ACQUIRE_TIMEOUT_MS,
      requestTimeoutMs: e.DB_REQUEST_TIMEOUT_MS,
    };
  return {
    port: e.PORT,
    host: e.HOST ?? (database.kind === 'pglite' ? '127.0.0.1' : '0.0.0.0'),
    database,
    redisUrl: e.REDIS_URL ?? null,
    adminApiKey: e.ADMIN_API_KEY ?? null,
    defaultModel: e.DEFAULT_MODEL,
    logLevel: e.LOG_LEVEL,
    keyEnv: e.KEY_ENV,
    cacheTtlMs: e.CACHE_TTL_MS,
    wsKeepAliveMs: e.WS_KEEPALIVE_MS,
    ws: {
      maxConnectionsPerKey: e.WS_MAX_CONNECTIONS_PER_KEY,
      maxConnectionsPerWorkspace: e.WS_MAX_CONNECTIONS_PER_WORKSPACE,
      maxSubscriptionsPerConnection: e.WS_MAX_SUBSCRIPTIONS_PER_CONNECTION,
    },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    httpKeepAliveTimeoutMs: e.HTTP_KEEPALIVE_TIMEOUT_MS,
    graphqlRequestTimeoutMs: e.GRAPHQL_REQUEST_TIMEOUT_MS,
    introspection: e.GRAPHQL_INTROSPECTION,
    metricsRetentionDays: e.METRICS_RETENTION_DAYS,
    rateLimit: { max: e.RATE_LIMIT_MAX, windowMs: e.RATE_LIMIT_WINDOW_MS, authFailuresPerMinute: e.AUTH_FAILURE_LIMIT },
    webhooks: {
      allowPrivateTargets: e.WEBHOOK_ALLOW_PRIVATE_TARGETS,
      retryScheduleMs: e.WEBHOOK_RETRY_SCHEDULE_MS ? e.WEBHOOK_RETRY_SCHEDULE_MS.split(',').map((x) => Number(x.trim())) : STANDARD_RETRY_SCHEDULE_MS,
      secretKey: e.WEBHOOK_SECRET_KEY ?? null,
      dataDir: path.resolve(e.DATA_DIR),
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      pollMs: e.WEBHOOK_POLL_MS,
      disableAfterMs: e.WEBHOOK_DISABLE_AFTER_MS,
      retentionDays: e.WEBHOOK_RETENTION_DAYS,
      pruneIntervalMs: e.WEBHOOK_PRUNE_INTERVAL_MS,
      dispatcher: e.WEBHOOK_DISPATCHER,
    },
    alerts: { intervalMs: e.ALERT_INTERVAL_MS, minIntervalMs: e.ALERT_MIN_INTERVAL_MS },
    fleet: { lagMs: e.FLEET_LAG_MS, retentionHours: e.FLEET_RETENTION_HOURS, pruneIntervalMs: e.FLEET_PRUNE_INTERVAL_MS },
    people: {
      publicUrl: e.PUBLIC_URL ?? null,
      allowedOrigins: list(e.ALLOWED_ORIGINS).map((o) => o.replace(/\/+$/, '')),
      admin: e.ADMIN_EMAIL && e.ADMIN_PASSWORD ? { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD } : null,
      sessionIdleMs: e.SESSION_IDLE_TIMEOUT_MS,
      sessionMaxAgeMs: e.SESSION_MAX_AGE_MS,
      signIn: { accountLimit: e.SIGN_IN_ACCOUNT_LIMIT, addressLimit: e.SIGN_IN_ADDRESS_LIMIT, windowMs: e.SIGN_IN_WINDOW_MS },
      invitationTtlMs: e.INVITATION_TTL_HOURS * 3_600_000,
      passwordResetTtlMs: e.PASSWORD_RESET_TTL_MINUTES * 60_000,
      smtp: e.SMTP_URL ? { url: e.SMTP_URL, from: e.SMTP_FROM } : null,
      oidc:
        e.OIDC_ISSUER_URL && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET
          ? {
              issuerUrl: e.OIDC_ISSUER_URL,
              clientId: e.OIDC_CLIENT_ID,
              clientSecret: e.OIDC_CLIENT_SECRET,
              defaultRole: e.OIDC_DEFAULT_ROLE,
              allowedDomains: list(e.OIDC_ALLOWED_DOMAINS).map((d) => d.replace(/^@/, '').toLowerCase()),
            }
          : null,
    },
  };
}

/** The `prompt-service` CLI's environment: the server's base URL and an API key (read here, never written to disk). */
export type CliEnvironment = { PROMPT_SERVICE_URL?: string; PROMPT_SERVICE_KEY?: string };
export function loadCliEnvironment(env: Record<string, string | undefined> = process.env): CliEnvironment {
  return { PROMPT_SERVICE_URL: env.PROMPT_SERVICE_URL, PROMPT_SERVICE_KEY: env.PROMPT_SERVICE_KEY };
}
