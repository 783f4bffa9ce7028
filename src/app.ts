/**
 * createApp(config): opens the database (migrating it), pub/sub, services and the HTTP + WebSocket
 * server; `stop()` shuts down in order: readiness off → drain HTTP → close sockets (1001) → Redis →
 * database. Used by main, tests and benches.
 */
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createKeyService } from './auth/key-service';
import { createWorkspaceService } from './auth/workspace-service';
import type { Config } from './config';
import { openDatabase, type Database, type OpenOptions } from './db/client';
import { createDbFailureMonitor } from './db/failures';
import { shownDir } from './db/data-dir-lock';
import { ForbiddenError, RateLimitedError, UnauthenticatedError, UnavailableError } from './errors';
import { createAuditReader } from './audit/audit-log';
import type { EdgeServices, GraphQLContext } from './graphql/context';
import { createLoaders } from './graphql/loaders';
import { buildSchema } from './graphql/schema';
import { createLogger, type Logger } from './logger';
import { createMetricsService } from './metrics/service';
import { createABRuntime } from './experiments/ab-runtime';
import { createEventObjects } from './prompts/event-objects';
import { createEventPublisher } from './prompts/events';
import { testLabelPolicy } from './experiments/label-policy';
import { createResolutionCache } from './prompts/resolution-cache';
import { createClientBundles } from './prompts/client-bundle';
import { createEventBus } from './pubsub/event-bus';
import { createRateLimiter } from './ratelimit/rate-limiter';
import { createApollo } from './server/apollo';
import { createHttpHandler } from './server/http';
import { createDashboardHandler } from './server/dashboard';
import { createMcpEndpoint } from './mcp/mcp-endpoint';
import { createMcpFailures } from './mcp/mcp-failures';
import { createOtlpRoute } from './server/otlp-route';
import { scopeOf } from './graphql/scope';
import { createWsServer } from './server/ws';
import { instanceMetricsText } from './server/instance-metrics';
import { createCodeCounter } from './shared/code-counter';
import { createProcessMetrics } from './server/process-metrics';
import type { Services } from './services';
import type { Principal } from './auth/principal';
import { createAlertEvaluator } from './alerts/alert-evaluator';
import { startFleetRetention } from './fleet/fleet-retention';
import { createFleetService } from './fleet/fleet-service';
import { createDispatcher } from './webhooks/dispatcher';
import { createOutboxSink } from './webhooks/outbox';
import { createSecretBox, loadServerKey } from './webhooks/secret-box';
import { createPeople } from './people/people';
import { createPersonLookup, type Credentials } from './people/credentials';
import { joinCreatedWorkspace } from './people/member-service';
import { sessionTokenFrom, type CookiePolicy } from './people/cookies';
import { isAllowedOrigin, publicBaseUrl, requestOrigin } from './people/origins';
import { createAuthRoutes, sendError } from './server/auth-routes';
import { createOidcRoutes } from './server/oidc-routes';

export type App = {
  httpServer: http.Server;
  url: string;
  port: number;
  services: Services;
  database: Database;
  stop(): Promise<void>;
};

/** Cache lifetime while pub/sub is down: read-your-writes across instances within about a second even then. */
const DEGRADED_CACHE_TTL_MS = 1_000;

/** What authenticates a request: a key, else the session cookie in the workspace the request names. */
function credentialsOf(headers: http.IncomingHttpHeaders, cookies: CookiePolicy): Credentials {
  const workspaceId = headers['x-workspace-id'];
  return {
    authorization: headers.authorization ?? null,
    sessionToken: sessionTokenFrom(headers.cookie, cookies),
    workspaceId: typeof workspaceId === 'string' ? workspaceId : null,
  };
}

/** What a person opens first: the dashboard at PUBLIC_URL, else on this host and port. */
function openUrlOf(config: Config, port = config.port): string | undefined {
  if (config.people.publicUrl) return `${config.people.publicUrl.replace(/\/+$/, '')}/ui/`;
  if (port === 0) return undefined; // any free port: known once listening (the "serving" line has it)
  const host = ['0.0.0.0', '::', '127.0.0.1', '::1'].includes(config.host) ? 'localhost' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}/ui/`;
}

function listenFailure(err: unknown, config: Config): Error {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    return new Error(`PORT ${config.port} is in use on ${config.host} (another server?): stop it, or set PORT to a free port, e.g. PORT=${config.port + 1}`);
  if (code === 'EACCES') return new Error(`PORT ${config.port} needs privileges on this machine: set PORT to 1024 or above`);
  if (code === 'EADDRNOTAVAIL') return new Error(`HOST ${config.host} is not an address of this machine: set HOST (e.g. 127.0.0.1 or 0.0.0.0)`);
  return err instanceof Error ? err : new Error(String(err));
}

export type AppOptions = { logger?: Logger; database?: OpenOptions };

export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const database = await openDatabase(config.database, options.database);
  if (database.tookOverLockFrom != null && config.database.kind === 'pglite' && config.database.dataDir)
    logger.warn(`took over the lock of ${shownDir(config.database.dataDir)} left by pid ${database.tookOverLockFrom}, which is no longer running`);
  await database.migrate();
  logger.info({ database: database.kind }, 'database ready (migrations applied)');
  const db = database.db;
  const dbFailures = createDbFailureMonitor({ health: database.health });
  const processMetrics = createProcessMetrics();
  const bus = createEventBus(config.redisUrl, logger);
  const persons = createPersonLookup(db);
  const keys = createKeyService({
    db,
    logger: logger.child({ module: 'auth' }),
    keyEnv: config.keyEnv,
    adminApiKey: config.adminApiKey,
    bus,
    personOf: persons.personOf,
  });
  await keys.bootstrap({ openUrl: openUrlOf(config) });
  const workspaces = createWorkspaceService({ db, keyEnv: config.keyEnv, joinCreator: joinCreatedWorkspace });
  const people = await createPeople({ db, logger, bus, config: config.people, redisUrl: config.redisUrl, persons }, keys);
  // A key revoked on any instance stops working here at once (and within the auth cache TTL if the event is lost).
  await bus.listen('KEY_REVOKED', (e) => keys.evictById(e.keyId));
  bus.onResync(() => keys.clearCache());
  const requestLimit = createRateLimiter({ name: 'key', max: config.rateLimit.max, windowMs: config.rateLimit.windowMs, redisUrl: config.redisUrl, logger });
  const authFailures = createRateLimiter({ name: 'auth-failures', max: config.rateLimit.authFailuresPerMinute, windowMs: 60_000, logger });

  // While the Redis subscriber is down, other instances' changes cannot evict: keep entries briefly.
  // Ports of the prompts domain that experiments implement: a running A/B test owns its label.
  const labelPolicy = testLabelPolicy;
  const resolution = createResolutionCache({
    db,
    labelPolicy,
    ttlMs: () => (bus.connected() ? config.cacheTtlMs : Math.min(config.cacheTtlMs, DEGRADED_CACHE_TTL_MS)),
  });
  const publish = createEventPublisher(bus, resolution.evict);
  // Changes made on other instances evict here too; while Redis is away some are lost: drop all
  // when it goes (entries cached before may go stale) and again once it is back and re-subscribed.
  await bus.listen('PROMPT_CHANGED', (e) => resolution.evict(e.workspaceId, e.promptName));
  bus.onDown(() => resolution.clear());
  bus.onResync(() => resolution.clear());

  // Webhooks: changes write their events to the outbox inside their transaction (the unit of work's DurableEventSink).
  const serverKey = loadServerKey(config.webhooks.secretKey, config.webhooks.dataDir);
  if (serverKey.source === 'file')
    logger.info({ file: serverKey.file }, 'webhook secrets encrypted with the key file (set WEBHOOK_SECRET_KEY when instances do not share it)');
  const box = createSecretBox(serverKey.key);
  const dispatcher = createDispatcher({
    db,
    logger: logger.child({ module: 'webhooks' }),
    box,
    allowPrivateTargets: config.webhooks.allowPrivateTargets,
    retryScheduleMs: config.webhooks.retryScheduleMs,
    timeoutMs: config.webhooks.timeoutMs,
    pollMs: config.webhooks.pollMs,
    disableAfterMs: config.webhooks.disableAfterMs,
    retentionDays: config.webhooks.retentionDays,
    pruneIntervalMs: config.webhooks.pruneIntervalMs,
    dbFailures,
  });
  // A change committed on any instance wakes this dispatcher at once (polling covers lost events).
  await bus.listen('PROMPT_CHANGED', () => dispatcher.wake());
  const alertEvaluator = createAlertEvaluator({
    db,
    bus,
    logger: logger.child({ module: 'alerts' }),
    intervalMs: config.alerts.intervalMs,
    minIntervalMs: config.alerts.minIntervalMs,
    onEvents: () => dispatcher.wake(),
    dbFailures,
  });

  // The unit of work's parts (src/shared/unit-of-work.ts): `durable` is the webhook outbox (written inside the change's transaction).
  const unitOfWork = { db, publish, durable: createOutboxSink() };
  const promptDeps = { ...unitOfWork, defaultModel: config.defaultModel, logger: logger.child({ module: 'prompts' }), labelPolicy };
  const experimentDeps = { ...unitOfWork, logger: logger.child({ module: 'experiments' }) };
  // A/B: which test covered a recorded call, automatic promotion, running tests for client bundles.
  const abRuntime = createABRuntime(experimentDeps);
  await bus.listen('PROMPT_CHANGED', (e) => abRuntime.evictPrompt(e.promptId));
  bus.onResync(() => abRuntime.clear());
  const clientBundles = createClientBundles({ db, compile: resolution.compile, runningTests: abRuntime.runningSnapshots });
  const metrics = createMetricsService({
    db,
    bus,
    logger: logger.child({ module: 'metrics' }),
    retentionDays: config.metricsRetentionDays,
    deriveVariant: abRuntime.deriveVariant,
  });
  const services: Services = {
    config,
    db,
    logger,
    bus,
    keys,
    workspaces,
    people,
    resolution,
    clientBundles,
    eventObjects: createEventObjects(db),
    metrics,
    prompts: promptDeps,
    experiments: experimentDeps,
    abRuntime,
    webhooks: { db, box, allowPrivateTargets: config.webhooks.allowPrivateTargets, wake: () => dispatcher.wake() },
    dispatcher,
    alerts: { db },
    alertEvaluator,
    fleet: createFleetService({ db, lagMs: config.fleet.lagMs, retentionHours: config.fleet.retentionHours }),
  };
  const fleetRetention = startFleetRetention(services.fleet, config.fleet.pruneIntervalMs, logger.child({ module: 'fleet' }));

  // Resolvers get the domain services: not the database, and of the bus only its typed subscribe.
  const { db: _db, bus: _bus, ...domainServices } = services;
  const edgeServices: EdgeServices = {
    ...domainServices,
    events: { subscribe: (topic, filter) => bus.subscribe(topic, filter) },
    audit: createAuditReader(db),
  };
  const contextFor = (
    principal: Principal | null,
    requestId: string,
    authError: Error | null = null,
    baseUrl = publicBaseUrl(people.origins, undefined),
  ): GraphQLContext => ({
    services: edgeServices,
    principal,
    authError,
    requestId,
    baseUrl,
    logger: logger.child({ requestId }),
    loaders: createLoaders(db, principal?.workspaceId ?? null),
    freshLoaders: () => createLoaders(db, principal?.workspaceId ?? null),
  });

  const buildContext = async (req: http.IncomingMessage, requestId: string, ip = 'unknown'): Promise<GraphQLContext> => {
    const baseUrl = publicBaseUrl(people.origins, req.headers.host);
    // Guessing keys from one address is slowed down before any database read.
    const blocked = authFailures.check(ip);
    if (blocked) return contextFor(null, requestId, new RateLimitedError(blocked), baseUrl);
    try {
      const principal = await people.authenticate(credentialsOf(req.headers, people.cookies));
      const retryAfter = requestLimit.hit(principal.id);
      return retryAfter ? contextFor(null, requestId, new RateLimitedError(retryAfter), baseUrl) : contextFor(principal, requestId, null, baseUrl);
    } catch (err) {
      if (err instanceof UnauthenticatedError) {
        authFailures.hit(ip);
        return contextFor(null, requestId, err, baseUrl);
      }
      if (err instanceof ForbiddenError) return contextFor(null, requestId, err, baseUrl);
      if (!dbFailures.report(err, logger, { requestId, phase: 'authentication' }))
        logger.warn({ requestId, err: err instanceof Error ? err.message : String(err) }, 'authentication failed: dependency unavailable');
      return contextFor(null, requestId, new UnavailableError());
    }
  };

  let stopping = false;
  const httpServer = http.createServer();
  httpServer.requestTimeout = 30_000;
  httpServer.headersTimeout = 10_000;
  httpServer.keepAliveTimeout = config.httpKeepAliveTimeoutMs;
  const schema = buildSchema();
  // Every GraphQL error answered, over HTTP and WebSocket alike, by code (graphql_errors_total at /metrics).
  const graphqlErrors = createCodeCounter('graphql_errors_total');
  const apollo = createApollo(schema, httpServer, {
    introspection: config.introspection,
    logger: logger.child({ module: 'apollo' }),
    dbFailures,
    errorCodes: graphqlErrors,
  });
  const ws = createWsServer(httpServer, {
    schema,
    logger,
    bus,
    limits: { keepAliveMs: config.wsKeepAliveMs, ...config.ws },
    dbFailures,
    errorCodes: graphqlErrors,
    authenticate: people.authenticate,
    sessionTokenOf: (headers) => sessionTokenFrom(headers.cookie, people.cookies),
    originAllowed: (headers) => isAllowedOrigin(people.origins, requestOrigin(headers), headers.host),
    contextFor: (p, id, host) => contextFor(p, id, null, publicBaseUrl(people.origins, host)),
    admit: (p) => {
      const retryAfter = requestLimit.hit(p.id);
      return retryAfter ? new RateLimitedError(retryAfter) : null;
    },
  });
  // Subscriptions of a key revoked on any instance end at once (and within REVALIDATE_MS if the event is lost).
  await bus.listen('KEY_REVOKED', () => void ws.revalidate());
  // Ended sessions close their sockets at once; a changed membership is re-checked (4403 when rights shrank).
  await bus.listen('SESSIONS_REVOKED', (e) => ws.closeSessions(e.userId, e.sessionIds));
  await bus.listen('MEMBERSHIP_CHANGED', () => void ws.revalidate());
  await apollo.start();
  const mcpLogger = logger.child({ module: 'mcp' });
  const mcpFailures = createMcpFailures({ logger: mcpLogger, dbFailures });
  const mcp = createMcpEndpoint({
    services: domainServices,
    logger: mcpLogger,
    failures: mcpFailures,
    authenticate: async (req, requestId, ip) => scopeOf(await buildContext(req, requestId, ip)),
  });
  await bus.listen('PROMPT_CHANGED', (e) => mcp.onPromptChanged(e.workspaceId));
  const authRouteDeps = {
    people,
    cookies: people.cookies,
    origins: people.origins,
    logger: logger.child({ module: 'auth-routes' }),
    sessionMaxAgeMs: config.people.sessionMaxAgeMs,
    dbFailures,
  };
  const authRoutes = createAuthRoutes(authRouteDeps, createOidcRoutes({ ...authRouteDeps, oidc: people.oidc }));
  // A cookie-authenticated POST from another origin is refused before it runs (CSRF); keys are unaffected.
  const refuseCrossSite = (req: http.IncomingMessage, res: http.ServerResponse): boolean => {
    if (req.headers.authorization || !sessionTokenFrom(req.headers.cookie, people.cookies)) return false;
    if (isAllowedOrigin(people.origins, requestOrigin(req.headers), req.headers.host)) return false;
    sendError(res, 403, 'FORBIDDEN', 'Cookie-authenticated requests from this origin are not allowed.');
    return true;
  };
  httpServer.on(
    'request',
    createHttpHandler({
      apollo,
      logger,
      buildContext,
      authRoutes,
      mcp,
      otlp: createOtlpRoute({
        metrics,
        authenticate: async (req, requestId, ip) => scopeOf(await buildContext(req, requestId, ip)),
        reportDbFailure: (err, requestId) => void dbFailures.report(err, logger, { requestId, route: 'POST /v1/traces' }),
      }),
      refuseCrossSite,
      // Built by `npm run build` (Vite); same place relative to src/app.ts and dist/app.js.
      dashboard: createDashboardHandler(path.resolve(__dirname, '../dashboard/dist')),
      ready: async () => !stopping && (await dbFailures.check()),
      requestDeadlineMs: config.graphqlRequestTimeoutMs,
      errorCodes: graphqlErrors,
      metrics: () =>
        instanceMetricsText(bus, ws, resolution, [...dbFailures.metrics(), ...graphqlErrors.lines(), ...mcpFailures.lines(), ...processMetrics.lines()]),
    }),
  );

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => resolve());
    });
  } catch (err) {
    // One line naming the setting, not a stack: the common mistake is a second server on the same port.
    fleetRetention.stop();
    await database.close().catch(() => undefined);
    throw listenFailure(err, config);
  }
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/graphql`;
  if (config.webhooks.dispatcher) {
    dispatcher.start();
    alertEvaluator.start();
  }
  await people.announceSetupLink(publicBaseUrl(people.origins, `localhost:${port}`));
  // Last: process supervisors and tests take "serving" to mean start-up is over (main.ts installs its signal handlers next).
  logger.info({ port, host: config.host, pubsub: bus.kind, open: openUrlOf(config, port) }, 'serving');

  let stopped: Promise<void> | undefined;
  async function stop(): Promise<void> {
    stopped ??= (async () => {
      stopping = true;
      const step = async (name: string, fn: () => Promise<unknown>) => {
        try {
          await fn();
          logger.info(`shutdown: ${name}`);
        } catch (err) {
          logger.warn({ err: err instanceof Error ? err.message : String(err) }, `shutdown: ${name} failed`);
        }
      };
      // Sockets first: Apollo's HTTP drain destroys upgraded sockets (clients would see 1006, not 1001).
      await step('websockets closed (1001)', () => ws.dispose());
      await step('mcp sessions closed', () => mcp.close());
      await step('http drained', () => apollo.stop());
      // Every acknowledged call is committed already; this flushes calls still queued for a commit.
      await step('metric ingestion flushed', () => metrics.close());
      // In-flight webhook attempts finish (bounded by their timeout); undelivered events stay in the outbox.
      await step('alerts and webhook dispatcher stopped', () => Promise.all([alertEvaluator.stop(), dispatcher.stop()]));
      abRuntime.stop();
      fleetRetention.stop();
      dbFailures.stop();
      processMetrics.stop();
      await step('pubsub closed', () => bus.close());
      await step('rate limiters closed', () => Promise.all([requestLimit.close(), authFailures.close(), people.close()]));
      await step('database closed', () => database.close());
    })();
    return stopped;
  }

  return { httpServer, url, port, services, database, stop };
}
