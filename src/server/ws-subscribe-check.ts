/**
 * The subscribe check of the WebSocket path, pure (no I/O, no socket): parse with the token limit →
 * pick the operation → only a subscription (or the client's own report, WS_MUTATIONS) → validate (the same rules as HTTP) → cost within budget.
 * Either the document and its operation, or the errors to answer with.
 */
import { GraphQLError, Kind, parse, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { assertCostWithinBudget, parseOptions, validateDocument } from '../graphql/limits';

export type SubscribeRequest = { query: string; operationName?: string | null; variables?: Record<string, unknown> | null };

export type SubscribeCheck = { ok: true; document: DocumentNode; operation: OperationDefinitionNode } | { ok: false; errors: readonly GraphQLError[] };

/**
 * Mutations a client may send over the socket it already holds: the client library reports what it
 * holds there (the fleet view), so a report always travels with the live connection it describes.
 */
export const WS_MUTATIONS: ReadonlySet<string> = new Set(['reportClientState']);

const onlyWsMutations = (operation: OperationDefinitionNode) =>
  operation.selectionSet.selections.every((s) => s.kind === Kind.FIELD && WS_MUTATIONS.has(s.name.value));

const badRequest = (message: string): SubscribeCheck => ({ ok: false, errors: [new GraphQLError(message, { extensions: { code: 'BAD_REQUEST' } })] });

export function checkSubscribe(schema: GraphQLSchema, request: SubscribeRequest): SubscribeCheck {
  let document: DocumentNode;
  try {
    document = parse(request.query, parseOptions);
  } catch (err) {
    if (err instanceof GraphQLError) return { ok: false, errors: [new GraphQLError(err.message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })] };
    return badRequest('Invalid query');
  }
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = request.operationName
    ? operations.find((o) => o.name?.value === request.operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  if (!operation) return badRequest('Give exactly one operation, or an operationName that exists.');
  const allowed = operation.operation === 'subscription' || (operation.operation === 'mutation' && onlyWsMutations(operation));
  if (!allowed) return badRequest('Only subscriptions run over WebSocket; send queries and mutations to POST /graphql.');
  const errors = validateDocument(schema, document);
  if (errors.length > 0) return { ok: false, errors };
  try {
    assertCostWithinBudget(schema, document, operation, request.variables);
  } catch (err) {
    if (err instanceof GraphQLError) return { ok: false, errors: [err] };
    throw err;
  }
  return { ok: true, document, operation };
}
