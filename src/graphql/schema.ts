/** The executable schema: schema.graphql (the one source of the API) joined with the resolvers. */
import fs from 'node:fs';
import path from 'node:path';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import type { GraphQLContext } from './context';
import { guardFieldReads } from './field-access';
import { resolvers } from './resolvers';

// Same relative depth from src/graphql and dist/graphql.
export const SCHEMA_PATH = path.resolve(__dirname, '../../schema.graphql');

let cached: GraphQLSchema | undefined;

export function buildSchema(): GraphQLSchema {
  cached ??= guardFieldReads(makeExecutableSchema<GraphQLContext>({ typeDefs: fs.readFileSync(SCHEMA_PATH, 'utf8'), resolvers }));
  return cached;
}
