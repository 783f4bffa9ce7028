/**
 * Apollo Server with the production posture set explicitly from config (not NODE_ENV): no stack
 * traces, no field suggestions, introspection as GRAPHQL_INTROSPECTION says, no batching, no APQ, no landing
 * page. Errors are mapped once (graphql/format-error.ts); unexpected ones are logged with the request id.
 */
import type http from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { DbFailureMonitor } from '../db/failures';
import { RateLimitedError, UnauthenticatedError, UnavailableError } from '../errors';
import type { GraphQLContext } from '../graphql/context';
import { countingFormatError, isUnexpected } from '../graphql/format-error';
import type { CodeCounter } from '../shared/code-counter';
import { introspectionRefusal, usesIntrospection, type IntrospectionMode } from '../graphql/introspection';
import { assertCostWithinBudget, parseOptions, validationRules } from '../graphql/limits';
import type { Logger } from '../logger';
import { UNAVAILABLE_RETRY_AFTER_S } from '../shared/http-errors';

function requestPlugin(schema: GraphQLSchema, introspection: IntrospectionMode, dbFailures?: DbFailureMonitor): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        // The cost depends on page sizes, which often come from variables: checked before execution.
        async didResolveOperation({ document, operation, request, contextValue: ctx }) {
          if (introspection !== 'always' && usesIntrospection(document)) {
            const refusal = introspectionRefusal(introspection, ctx.principal !== null);
            if (refusal) throw refusal;
          }
          // Apollo would try to execute it and fail with an internal error: subscriptions have their own transport.
          if (operation?.operation === 'subscription')
            throw new GraphQLError('Subscriptions run over WebSocket (graphql-transport-ws) at this same path; POST carries queries and mutations.', {
              extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
            });
          if (operation) assertCostWithinBudget(schema, document, operation, request.variables);
        },
        async didEncounterErrors({ errors, contextValue: ctx }) {
          for (const err of errors) {
            // A database failure is logged with its class, code and SQLSTATE (and counted), not as a bare "unexpected error".
            if (dbFailures?.report(err, ctx.logger, { path: err.path })) continue;
            if (isUnexpected(err))
              ctx.logger.error({ err: { message: err.message, stack: err.originalError?.stack ?? err.stack }, path: err.path }, 'unexpected error');
          }
        },
        async willSendResponse({ response, operationName }) {
          if (response.body.kind === 'single' && response.body.singleResult.errors) {
            // Every error carries the request id so a client report can be matched with the server log.
            response.body.singleResult.errors = response.body.singleResult.errors.map((e) => ({
              ...e,
              extensions: { ...e.extensions, requestId: contextValue.requestId },
            }));
            const { errors, data } = response.body.singleResult;
            const limited = errors.find((e) => e.extensions?.code === 'RATE_LIMITED');
            if (limited) response.http.headers.set('retry-after', String(limited.extensions?.retryAfter ?? 1));
            // Refused before any operation ran (nothing in data): load balancers and retry logic key on the status.
            const nothingRan = data == null || Object.values(data).every((v) => v === null);
            const refusal = contextValue.authError;
            if (nothingRan && (response.http.status ?? 200) === 200) {
              if (limited && refusal instanceof RateLimitedError) response.http.status = 429;
              else if (refusal instanceof UnavailableError && errors.some((e) => e.extensions?.code === 'UNAVAILABLE')) {
                // Authentication could not read the database (a session or key lookup during an outage).
                response.http.status = 503;
                response.http.headers.set('retry-after', String(UNAVAILABLE_RETRY_AFTER_S));
              } else if (refusal instanceof UnauthenticatedError && errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) {
                response.http.status = 401;
                response.http.headers.set('www-authenticate', 'Bearer');
              }
            }
          }
          contextValue.logger.debug({ operationName, ms: Math.round(performance.now() - started) }, 'graphql request');
        },
      };
    },
  };
}

export function createApollo(
  schema: GraphQLSchema,
  httpServer: http.Server,
  options: { introspection: IntrospectionMode; logger: Logger; dbFailures?: DbFailureMonitor; errorCodes?: CodeCounter },
) {
  return new ApolloServer<GraphQLContext>({
    schema,
    // Always on for Apollo: GRAPHQL_INTROSPECTION is enforced by requestPlugin, whose refusals name the setting.
    introspection: true,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: true,
    allowBatchedHttpRequests: false,
    persistedQueries: false,
    // A request carrying Authorization is never "simple": a browser preflights it, so a GET with a key is no CSRF
    // risk (urql's default sends queries as GET). Cookie-only requests still need a preflight header or JSON.
    csrfPrevention: { requestHeaders: ['x-apollo-operation-name', 'apollo-require-preflight', 'authorization'] },
    stopOnTerminationSignals: false,
    parseOptions,
    validationRules,
    formatError: countingFormatError(options.errorCodes),
    logger: {
      debug: (m) => options.logger.debug(m),
      info: (m) => options.logger.info(m),
      warn: (m) => options.logger.warn(m),
      error: (m) => options.logger.error(m),
    },
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // No HTTP cache hints are used; the default plugin costs a hook on every resolved field.
      ApolloServerPluginCacheControlDisabled(),
      requestPlugin(schema, options.introspection, options.dbFailures),
    ],
  });
}
