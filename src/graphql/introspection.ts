/**
 * GRAPHQL_INTROSPECTION: who may load the schema by introspection (`authenticated`, the default: any caller with a
 * key or session; `always`; `never`). Apollo's own switch stays on so that its refusal (which points at an
 * ApolloServer option) never reaches users; this check refuses instead, and every refusal names the setting.
 */
import { GraphQLError, visit, type DocumentNode } from 'graphql';
import type { Config } from '../config';

export type IntrospectionMode = Config['introspection'];

/** Does the document select `__schema` or `__type` anywhere (`__typename` is not introspection of the schema)? */
export function usesIntrospection(document: DocumentNode): boolean {
  // Apollo hands the same parsed document to every request with the same text: walk it once (hot path).
  let found = introspectionOf.get(document);
  if (found === undefined) introspectionOf.set(document, (found = selectsSchema(document)));
  return found;
}

const introspectionOf = new WeakMap<DocumentNode, boolean>();

function selectsSchema(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') {
        found = true;
        return false;
      }
      return undefined;
    },
  });
  return found;
}

/** The refusal for an introspecting request, or null when the setting allows it. */
export function introspectionRefusal(mode: IntrospectionMode, authenticated: boolean): GraphQLError | null {
  if (mode === 'always' || (mode === 'authenticated' && authenticated)) return null;
  if (mode === 'never') {
    return new GraphQLError(
      'Introspection is off on this server (GRAPHQL_INTROSPECTION=never). Load the schema from schema.graphql, or set GRAPHQL_INTROSPECTION=authenticated.',
      { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', setting: 'GRAPHQL_INTROSPECTION', http: { status: 400 } } },
    );
  }
  return new GraphQLError(
    'Introspection needs an API key on this server (GRAPHQL_INTROSPECTION=authenticated): send Authorization: Bearer <key>, or set GRAPHQL_INTROSPECTION=always.',
    { extensions: { code: 'UNAUTHENTICATED', setting: 'GRAPHQL_INTROSPECTION', http: { status: 401 } } },
  );
}
