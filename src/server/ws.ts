/**
 * graphql-ws on the HTTP server's port and path. The same parse limits, validation rules,
 * authentication, authorization and error formatting as HTTP; only subscriptions are accepted
 * (queries and mutations belong to POST /graphql). Hardening: caps on connections per key and per
 * workspace and on subscriptions per connection, slow consumers disconnected, keys re-checked while
 * connected, retriable close codes for transient failures. Close codes are listed in the README.
 */
import type http from 'node:http';
import { GraphQLError, Kind, parse, type ExecutionResult, type GraphQLFormattedError, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Principal } from '../auth/principal';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import type { Credentials } from '../people/credentials';
import type { GraphQLContext } from '../graphql/context';
import { formatError } from '../graphql/format-error';
import { assertCostWithinBudget, parseOptions, validateDocument } from '../graphql/limits';
import type { Logger } from '../logger';
import type { EventBus } from '../pubsub/event-bus';
import { requestIdFrom } from './request-id';
import { createConnectionRegistry, type LiveConnection } from './ws-connections';

export const WS_MAX_PAYLOAD = 64 * 1024;
export const WS_LIMITS = {
  keepAliveMs: 12_000,
  maxSubscriptionsPerConnection: 20,
  maxConnectionsPerKey: 50,
  maxConnectionsPerWorkspace: 500,
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
};

const badRequest = (message: string) => [new GraphQLError(message, { extensions: { code: 'BAD_REQUEST' } })];
const sameRights = (a: Principal, b: Principal) => a.workspaceId === b.workspaceId && a.role === b.role && a.scopes.join() === b.scopes.join();

export function createWsServer(httpServer: http.Server, deps: WsDeps) {
  const limits = { ...WS_LIMITS, ...deps.limits };
  const wss = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: WS_MAX_PAYLOAD });
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
        const raw = ctx.connectionParams?.authorization;
        const socket = ctx.extra.socket;
        const headers = ctx.extra.request.headers;
        const authorization = typeof raw === 'string' ? raw : null;
        const sessionToken = authorization ? null : (deps.sessionTokenOf?.(headers) ?? null);
        // A browser sends its cookies to any site's WebSocket: without the Origin check a foreign page could subscribe as its visitor.
        if (sessionToken && !deps.originAllowed?.(headers)) return false; // 4403 Forbidden
        const workspaceId = ctx.connectionParams?.workspaceId;
        const credentials: Credentials = { authorization, sessionToken, workspaceId: typeof workspaceId === 'string' ? workspaceId : null };
        let principal: Principal;
        try {
          principal = await deps.authenticate(credentials);
        } catch (err) {
          if (err instanceof UnauthenticatedError || err instanceof ForbiddenError) return false; // 4403 Forbidden
          // A dependency is down: a retriable close code, so stock clients reconnect by themselves.
          log.warn({ err: err instanceof Error ? err.message : String(err) }, 'ws authentication failed: dependency unavailable');
          close(socket, WS_CLOSE.tryAgainLater, 'Try again later');
          return false;
        }
        const conn = { socket, principal, credentials, host: headers.host };
        const admitted = registry.admit(conn);
        if (admitted !== 'ok') {
          close(socket, WS_CLOSE.tooMany, admitted === 'key-cap' ? 'Too many connections for this key' : 'Too many connections for this workspace');
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
            new GraphQLError(`At most ${limits.maxSubscriptionsPerConnection} subscriptions per connection; complete one or open another connection.`, {
              extensions: { code: 'RATE_LIMITED' },
            }),
          ];
        }
        let document;
        try {
          document = parse(payload.query, parseOptions);
        } catch (err) {
          return [
            err instanceof GraphQLError ? new GraphQLError(err.message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } }) : badRequest('Invalid query')[0]!,
          ];
        }
        const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
        const operation = payload.operationName
          ? operations.find((o) => o.name?.value === payload.operationName)
          : operations.length === 1
            ? operations[0]
            : undefined;
        if (!operation) return badRequest('Give exactly one operation, or an operationName that exists.');
        if (operation.operation !== 'subscription') return badRequest('Only subscriptions run over WebSocket; send queries and mutations to POST /graphql.');
        const errors = validateDocument(deps.schema, document);
        if (errors.length > 0) return errors;
        try {
          assertCostWithinBudget(deps.schema, document, operation, payload.variables);
        } catch (err) {
          if (err instanceof GraphQLError) return [err];
          throw err;
        }
        const refused = deps.admit?.(principal);
        if (refused) return [refused instanceof GraphQLError ? refused : new GraphQLError(refused.message, { originalError: refused })];
        const requestId = requestIdFrom(undefined);
        return {
          schema: deps.schema,
          document,
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
        const errors: GraphQLFormattedError[] = result.errors.map((e) => {
          const f = formatError(e.toJSON(), e);
          return { ...f, extensions: { ...f.extensions, requestId } };
        });
        // The database went away mid-stream: a retriable close, so the client comes back and re-syncs.
        if (errors.some((e) => e.extensions?.code === 'UNAVAILABLE')) close(socket, WS_CLOSE.tryAgainLater, 'Try again later');
        return { ...result, errors };
      },
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatError(e.toJSON(), e)),
    },
    wss,
    limits.keepAliveMs,
  );

  function closeKey(keyId: string, reason: string): void {
    for (const conn of registry.ofKey(keyId)) close(conn.socket, WS_CLOSE.forbidden, reason);
  }

  /** Re-checks every open connection's key; closes with 4403 those revoked, expired or changed. */
  async function revalidateAll(): Promise<void> {
    await Promise.all(
      registry.all().map(async (conn) => {
        try {
          const now = await deps.authenticate(conn.credentials);
          if (!sameRights(now, conn.principal)) close(conn.socket, WS_CLOSE.forbidden, 'Forbidden');
        } catch (err) {
          if (err instanceof UnauthenticatedError || err instanceof ForbiddenError) close(conn.socket, WS_CLOSE.forbidden, 'Forbidden');
          // Anything else is a dependency hiccup: keep the connection, check again next time.
        }
      }),
    );
  }

  // Revocation from any instance closes this key's sockets at once; the periodic re-check covers a
  // lost event, an expiry and a role change (within revalidateMs plus the key cache's TTL).
  const unlisten = deps.bus
    .listen('KEY_REVOKED', (e) => closeKey(e.keyId, 'Forbidden'))
    .catch((err: unknown) => {
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not listen for key revocations');
      return () => undefined;
    });
  let revalidating = false;
  const revalidate = setInterval(() => {
    if (revalidating || registry.size() === 0) return;
    revalidating = true;
    void revalidateAll().finally(() => (revalidating = false));
  }, limits.revalidateMs);
  revalidate.unref();

  // A socket whose send buffer has not emptied for maxStallMs is not reading.
  const stalledSince = new WeakMap<WebSocket, number>();
  const stallCheck = setInterval(
    () => {
      const now = Date.now();
      for (const { socket } of registry.all()) {
        if (socket.bufferedAmount === 0) stalledSince.delete(socket);
        else if (!stalledSince.has(socket)) stalledSince.set(socket, now);
        else if (now - stalledSince.get(socket)! >= limits.maxStallMs) dropSlowConsumer(socket);
      }
    },
    Math.max(100, Math.floor(limits.maxStallMs / 5)),
  );
  stallCheck.unref();

  // Redis re-subscribed after a drop: events were possibly lost, so every subscriber reconnects
  // (1012 is retriable for graphql-ws clients) and re-checks the revisions it holds.
  deps.bus.onResync(() => {
    const conns = registry.all();
    if (conns.length > 0) log.warn({ connections: conns.length }, 'closing subscriptions with 1012 so clients re-sync');
    for (const conn of conns) close(conn.socket, WS_CLOSE.serviceRestart, 'Re-sync: events may have been lost');
  });

  /** Closes (4403) the sockets of ended sessions: all of a person's when sessionIds is null. */
  function closeSessions(userId: string, sessionIds: string[] | null): void {
    for (const conn of registry.all()) {
      const p = conn.principal;
      if (p.sessionId && p.user?.id === userId && (!sessionIds || sessionIds.includes(p.sessionId))) close(conn.socket, WS_CLOSE.forbidden, 'Forbidden');
    }
  }

  return {
    wss,
    revalidate: revalidateAll,
    closeSessions,
    stats: () => ({
      connections: wss.clients.size,
      authenticated: registry.size(),
      subscriptions: [...subscriptionCounts.values()].reduce((n, count) => n + count(), 0),
      closes: { ...closeCounts },
    }),
    /** Closes every socket with 1001 (going away) and stops accepting. */
    async dispose() {
      clearInterval(revalidate);
      clearInterval(stallCheck);
      (await unlisten)();
      await server.dispose();
    },
  };
}

export { CloseCode };
