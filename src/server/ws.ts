/**
 * graphql-ws on the HTTP server's port and path. The same parse limits, validation rules,
 * authentication, authorization and error formatting as HTTP; only subscriptions are accepted
 * (queries and mutations belong to POST /graphql). Keep-alive pings drop dead peers.
 */
import type http from 'node:http';
import { GraphQLError, Kind, parse, validate, type ExecutionResult, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Principal } from '../auth/principal';
import { UnauthenticatedError } from '../errors';
import type { GraphQLContext } from '../graphql/context';
import { formatError } from '../graphql/format-error';
import { allValidationRules, parseOptions } from '../graphql/limits';
import type { Logger } from '../logger';
import { requestIdFrom } from './request-id';

export const WS_MAX_PAYLOAD = 64 * 1024;
const KEEP_ALIVE_MS = 12_000;

export type WsDeps = {
  schema: GraphQLSchema;
  logger: Logger;
  authenticate: (authorization: string | undefined) => Promise<Principal>;
  contextFor: (principal: Principal, requestId: string) => GraphQLContext;
};

const badRequest = (message: string) => [new GraphQLError(message, { extensions: { code: 'BAD_REQUEST' } })];

export function createWsServer(httpServer: http.Server, deps: WsDeps) {
  const wss = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: WS_MAX_PAYLOAD });
  const principals = new WeakMap<WebSocket, Principal>();
  const log = deps.logger.child({ module: 'ws' });

  const server = useServer(
    {
      schema: deps.schema,
      connectionInitWaitTimeout: 3_000,
      onConnect: async (ctx) => {
        const raw = ctx.connectionParams?.authorization;
        try {
          principals.set(ctx.extra.socket, await deps.authenticate(typeof raw === 'string' ? raw : undefined));
          return true;
        } catch (err) {
          if (err instanceof UnauthenticatedError) return false; // 4403 Forbidden
          // A dependency is down: a retriable close code, so stock clients reconnect by themselves.
          log.warn({ err: err instanceof Error ? err.message : String(err) }, 'ws authentication failed: dependency unavailable');
          ctx.extra.socket.close(1013, 'Try again later');
          return false;
        }
      },
      onSubscribe: (ctx, _id, payload) => {
        const principal = principals.get(ctx.extra.socket);
        if (!principal) return [new GraphQLError('Unauthorized', { extensions: { code: 'UNAUTHENTICATED' } })];
        let document;
        try {
          document = parse(payload.query, parseOptions);
        } catch (err) {
          return [err instanceof GraphQLError ? new GraphQLError(err.message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } }) : badRequest('Invalid query')[0]!];
        }
        const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
        const operation = payload.operationName ? operations.find((o) => o.name?.value === payload.operationName) : operations.length === 1 ? operations[0] : undefined;
        if (!operation) return badRequest('Give exactly one operation, or an operationName that exists.');
        if (operation.operation !== 'subscription') return badRequest('Only subscriptions run over WebSocket; send queries and mutations to POST /graphql.');
        const errors = validate(deps.schema, document, allValidationRules);
        if (errors.length > 0) return errors.map((e) => new GraphQLError(e.message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
        const requestId = requestIdFrom(undefined);
        return {
          schema: deps.schema,
          document,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? null,
          contextValue: deps.contextFor(principal, requestId),
        };
      },
      onNext: (_ctx, _id, _payload, args, result: ExecutionResult) => {
        if (!result.errors?.length) return undefined;
        const requestId = (args.contextValue as GraphQLContext).requestId;
        return { ...result, errors: result.errors.map((e) => { const f = formatError(e.toJSON(), e); return { ...f, extensions: { ...f.extensions, requestId } }; }) };
      },
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatError(e.toJSON(), e)),
    },
    wss,
    KEEP_ALIVE_MS,
  );

  return {
    wss,
    /** Closes every socket with 1001 (going away) and stops accepting. */
    async dispose() {
      await server.dispose();
    },
  };
}

export { CloseCode };
