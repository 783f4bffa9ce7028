/**
 * graphql-ws on the HTTP server's port and path. The same parse limits, validation rules,
 * authentication, authorization and error formatting as HTTP; only subscriptions are accepted
 * (queries and mutations belong to POST /graphql). Hardening: caps on connections per key and per
 * workspace and on subscriptions per connection, slow consumers disconnected, keys re-checked while
 * connected, retriable close codes for transient failures. Close codes are listed in the README.
 * The subscribe check (ws-subscribe-check.ts) is pure; the watchdogs live in ws-watchdogs.ts; this
 * file wires them to graphql-ws.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, type ExecutionResult, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { refuseServerOnlyFrames } from './ws-frame-guard';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Principal } from '../auth/principal';
import type { DbFailureMonitor } from '../db/failures';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import type { Credentials } from '../people/credentials';
import type { GraphQLContext } from '../graphql/context';
import { countingFormatError } from '../graphql/format-error';
import type { CodeCounter } from '../shared/code-counter';
import type { Logger } from '../logger';
import type { EventBus } from '../pubsub/event-bus';
import { requestIdFrom } from './request-id';
import { createConnectionRegistry, type LiveConnection } from './ws-connections';
import { checkSubscribe } from './ws-subscribe-check';
import { startWatchdogs } from './ws-watchdogs';

export const WS_MAX_PAYLOAD = 64 * 1024;
export const WS_LIMITS = {
  keepAliveMs: 12_000,
  // Defaults of WS_MAX_SUBSCRIPTIONS_PER_CONNECTION, WS_MAX_CONNECTIONS_PER_KEY, WS_MAX_CONNECTIONS_PER_WORKSPACE (config.ts).
  maxSubscriptionsPerConnection: 100,
  maxConnectionsPerKey: 1_000,
  maxConnectionsPerWorkspace: 10_000,
  /**
   * Slow consumers: a socket holding more than this unsent, or unable to drain what it holds for
   * maxStallMs, is closed (graphql-ws waits for each send, so a stalled socket would otherwise make
   * its subscriptions' event queues grow for as long as it stays open).
   */
  maxBufferedBytes: 1024 * 1024,
  maxStallMs: 5_000,
  /** How often open connections re-check their key (revocation, expiry, role change). */
  revalidateMs: 5_000,
};

/** Close codes beyond graphql-ws's own (4400 bad request, 4401 unauthorized, 4403 forbidden, 4406 subprotocol, 4408 init timeout, 4409, 4429 double init). */
export const WS_CLOSE = {
  goingAway: 1001, // shutdown
  serviceRestart: 1012, // events may have been lost (Redis re-subscribed): reconnect and re-check revisions
  tryAgainLater: 1013, // a dependency is down, or this client read too slowly
  forbidden: CloseCode.Forbidden, // bad, revoked or expired key, or its rights changed
  tooMany: 4429, // the key or workspace is at its connection cap
} as const;

export type WsDeps = {
  schema: GraphQLSchema;
  logger: Logger;
  bus: EventBus;
  /** A key from connectionParams `authorization`, else the session cookie of the upgrade request. */
  authenticate: (credentials: Credentials) => Promise<Principal>;
  /** The session token in the upgrade request's cookies, if any. */
  sessionTokenOf?: (headers: http.IncomingHttpHeaders) => string | null;
  /** Is the upgrade request's Origin allowed? A cookie-authenticated upgrade from elsewhere is refused (CSWSH). */
  originAllowed?: (headers: http.IncomingHttpHeaders) => boolean;
  contextFor: (principal: Principal, requestId: string, host?: string) => GraphQLContext;
  /** Per-subscribe admission (the shared per-key rate limit): an error refuses the subscription. */
  admit?: (principal: Principal) => Error | null;
  limits?: Partial<typeof WS_LIMITS>;
  /** Logs and counts database failures with their class and codes. */
  dbFailures?: DbFailureMonitor;
  /** Every error answered over the socket, by code (graphql_errors_total, shared with HTTP). */
  errorCodes?: CodeCounter;
};

/**
 * `authorization` from connectionParams, its name matched case-insensitively (`Authorization` is what HTTP habits
 * send), also inside a `headers` object (Apollo Client and Hasura examples nest it there). Null when absent.
 */
export function authorizationParam(params: Readonly<Record<string, unknown>> | undefined): string | null {
  const find = (o: unknown): unknown => {
    if (!o || typeof o !== 'object') return undefined;
    const key = Object.keys(o).find((k) => k.toLowerCase() === 'authorization');
    return key === undefined ? undefined : (o as Record<string, unknown>)[key];
  };
  const value = find(params) ?? find(params?.headers);
  return typeof value === 'string' ? value : null;
}

/** A close reason holds at most 123 bytes. */
function closeReason(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length <= 123
    ? text
    : `${bytes
        .subarray(0, 120)
        .toString('utf8')
        .replace(/\uFFFD+$/, '')}...`;
}

/** The close reason of a refused connection: the HTTP error's words; a missing key says where a socket sends it. */
export function authFailureReason(err: Error): string {
  if (err instanceof UnauthenticatedError && err.details.reason === 'MISSING_KEY')
    return 'Missing key: send connectionParams { authorization: "Bearer <key>" }.';
  return closeReason(err.message);
}

export function createWsServer(httpServer: http.Server, deps: WsDeps) {
  const format = countingFormatError(deps.errorCodes);
  const answered = (e: GraphQLError): GraphQLFormattedError => format(e.toJSON(), e);
  const limits = { ...WS_LIMITS, ...deps.limits };
  // Upgrades are handed over here rather than with `server:`: ws would re-emit the HTTP server's errors (a busy
  // port) on the WebSocket server, where graphql-ws prints them with a stack; app.ts reports them in one line.
  const wss = new WebSocketServer({ noServer: true, path: '/graphql', maxPayload: WS_MAX_PAYLOAD });
  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) =>
    // A path other than /graphql is refused with 400 by ws itself (the `path` option), as before.
    wss.handleUpgrade(req, socket, head, (client) => {
      refuseServerOnlyFrames(client, (type) => close(client, CloseCode.BadRequest, `Invalid message: ${type} is sent by the server, never by a client`));
      wss.emit('connection', client, req);
    });
  httpServer.on('upgrade', onUpgrade);
  const live = new WeakMap<WebSocket, LiveConnection<WebSocket>>();
  const registry = createConnectionRegistry<WebSocket>({ perKey: limits.maxConnectionsPerKey, perWorkspace: limits.maxConnectionsPerWorkspace });
  const subscriptionCounts = new Map<WebSocket, () => number>();
  const log = deps.logger.child({ module: 'ws' });
  const closeCounts: Record<string, number> = {};

  function dropSlowConsumer(socket: WebSocket): void {
    log.warn({ buffered: socket.bufferedAmount }, 'ws slow consumer disconnected');
    close(socket, WS_CLOSE.tryAgainLater, 'Slow consumer');
    // The close frame queues behind the unsent data: do not wait for a peer that does not read.
    setTimeout(() => socket.terminate(), 1_000).unref();
  }

  function close(socket: WebSocket, code: number, reason: string): void {
    if (socket.readyState !== socket.OPEN && socket.readyState !== socket.CONNECTING) return;
    closeCounts[code] = (closeCounts[code] ?? 0) + 1;
    socket.close(code, reason);
  }

  const server = useServer(
    {
      schema: deps.schema,
      // Never put error messages into close reasons, whatever NODE_ENV says.
      isProd: true,
      connectionInitWaitTimeout: 3_000,
      onConnect: async (ctx) => {
        const socket = ctx.extra.socket;
        const headers = ctx.extra.request.headers;
        const authorization = authorizationParam(ctx.connectionParams);
        const sessionToken = authorization ? null : (deps.sessionTokenOf?.(headers) ?? null);
        // A browser sends its cookies to any site's WebSocket: without the Origin check a foreign page could subscribe as its visitor.
        if (sessionToken && !deps.originAllowed?.(headers)) {
          close(socket, WS_CLOSE.forbidden, 'Cookie-authenticated requests from this origin are not allowed.');
          return false;
        }
        const workspaceId = ctx.connectionParams?.workspaceId;
        const credentials: Credentials = { authorization, sessionToken, workspaceId: typeof workspaceId === 'string' ? workspaceId : null };
        let principal: Principal;
        try {
          principal = await deps.authenticate(credentials);
        } catch (err) {
          if (err instanceof UnauthenticatedError || err instanceof ForbiddenError) {
            // 4403 with what is wrong, in the words HTTP uses (graphql-ws's own close would say only "Forbidden").
            close(socket, WS_CLOSE.forbidden, authFailureReason(err));
            return false;
          }
          // A dependency is down: a retriable close code, so stock clients reconnect by themselves.
          if (!deps.dbFailures?.report(err, log, { phase: 'ws connect' }))
            log.warn({ err: err instanceof Error ? err.message : String(err) }, 'ws authentication failed: dependency unavailable');
          close(socket, WS_CLOSE.tryAgainLater, 'Try again later');
          return false;
        }
        const conn = { socket, principal, credentials, host: headers.host };
        const admitted = registry.admit(conn);
        if (admitted !== 'ok') {
          // The reason names the cap and its value, so an operator knows which setting to raise.
          close(
            socket,
            WS_CLOSE.tooMany,
            admitted === 'key-cap'
              ? `Too many connections for this key (WS_MAX_CONNECTIONS_PER_KEY=${limits.maxConnectionsPerKey})`
              : `Too many connections for this workspace (WS_MAX_CONNECTIONS_PER_WORKSPACE=${limits.maxConnectionsPerWorkspace})`,
          );
          return false;
        }
        live.set(socket, conn);
        subscriptionCounts.set(socket, () => Object.keys(ctx.subscriptions).length);
        return true;
      },
      onClose: (ctx) => {
        const conn = live.get(ctx.extra.socket);
        if (conn) registry.remove(conn);
        subscriptionCounts.delete(ctx.extra.socket);
      },
      onSubscribe: (ctx, _id, payload) => {
        const principal = live.get(ctx.extra.socket)?.principal;
        if (!principal) return [new GraphQLError('Unauthorized', { extensions: { code: 'UNAUTHENTICATED' } })];
        // ctx.subscriptions already holds this one.
        if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerConnection) {
          return [
            new GraphQLError(
              `At most ${limits.maxSubscriptionsPerConnection} subscriptions per connection (WS_MAX_SUBSCRIPTIONS_PER_CONNECTION=${limits.maxSubscriptionsPerConnection}); complete one or open another connection.`,
              { extensions: { code: 'RATE_LIMITED' } },
            ),
          ];
        }
        const checked = checkSubscribe(deps.schema, payload);
        if (!checked.ok) return [...checked.errors];
        const refused = deps.admit?.(principal);
        if (refused) return [refused instanceof GraphQLError ? refused : new GraphQLError(refused.message, { originalError: refused })];
        const requestId = requestIdFrom(undefined);
        return {
          schema: deps.schema,
          document: checked.document,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? null,
          contextValue: deps.contextFor(principal, requestId, ctx.extra.request.headers.host),
        };
      },
      onNext: (ctx, _id, _payload, args, result: ExecutionResult) => {
        const socket = ctx.extra.socket;
        if (socket.bufferedAmount > limits.maxBufferedBytes) {
          // The client does not read: drop it rather than queue without bound (it reconnects and re-syncs).
          dropSlowConsumer(socket);
          return undefined;
        }
        if (!result.errors?.length) return undefined;
        const requestId = (args.contextValue as GraphQLContext).requestId;
        for (const e of result.errors) deps.dbFailures?.report(e, (args.contextValue as GraphQLContext).logger, { path: e.path });
        const errors: GraphQLFormattedError[] = result.errors.map((e) => {
          const f = answered(e);
          return { ...f, extensions: { ...f.extensions, requestId } };
        });
        // The database went away mid-stream: a retriable close, so the client comes back and re-syncs.
        if (errors.some((e) => e.extensions?.code === 'UNAVAILABLE')) close(socket, WS_CLOSE.tryAgainLater, 'Try again later');
        return { ...result, errors };
      },
      onError: (_ctx, _id, _payload, errors) => errors.map(answered),
    },
    wss,
    limits.keepAliveMs,
  );

  const watchdogs = startWatchdogs({
    registry,
    bus: deps.bus,
    authenticate: deps.authenticate,
    limits,
    close,
    dropSlowConsumer,
    reasonOf: authFailureReason,
    closeCodes: WS_CLOSE,
    log,
  });

  /** Closes (4403) the sockets of ended sessions: all of a person's when sessionIds is null. */
  function closeSessions(userId: string, sessionIds: string[] | null): void {
    for (const conn of registry.all()) {
      const p = conn.principal;
      if (p.sessionId && p.user?.id === userId && (!sessionIds || sessionIds.includes(p.sessionId)))
        close(conn.socket, WS_CLOSE.forbidden, 'Your session has ended; sign in again.');
    }
  }

  return {
    wss,
    revalidate: watchdogs.revalidate,
    closeSessions,
    stats: () => ({
      connections: wss.clients.size,
      authenticated: registry.size(),
      subscriptions: [...subscriptionCounts.values()].reduce((n, count) => n + count(), 0),
      closes: { ...closeCounts },
    }),
    /** Closes every socket with 1001 (going away) and stops accepting. */
    async dispose() {
      httpServer.off('upgrade', onUpgrade);
      await watchdogs.stop();
      await server.dispose();
    },
  };
}

export { CloseCode };
