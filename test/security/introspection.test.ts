/**
 * GRAPHQL_INTROSPECTION (authenticated by default, always, never): the standard introspection query of
 * `getIntrospectionQuery()` — what GraphiQL, Apollo Sandbox, Postman and codegen's URL loader send — passes the
 * depth, alias and cost limits where allowed and builds the very schema of schema.graphql; the allowance is bounded
 * (deeper or list-heavier introspection is still refused); every refusal names the setting.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildClientSchema, buildSchema, getIntrospectionQuery, printSchema, type IntrospectionQuery } from 'graphql';
import { gql } from '../helpers/graphql';
import { ADMIN_KEY, startServer, type TestServer } from '../helpers/server';

const FULL = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  oneOf: true,
});
const SDL = readFileSync(path.resolve(__dirname, '../../schema.graphql'), 'utf8');

let byDefault: TestServer;
let always: TestServer;
let never: TestServer;
beforeAll(async () => {
  [byDefault, always, never] = await Promise.all([
    startServer(),
    startServer({ env: { GRAPHQL_INTROSPECTION: 'always' } }),
    startServer({ env: { GRAPHQL_INTROSPECTION: 'never' } }),
  ]);
});
afterAll(async () => Promise.all([byDefault?.stop(), always?.stop(), never?.stop()]));

describe('default (authenticated)', () => {
  test.each([
    ['getIntrospectionQuery()', getIntrospectionQuery()],
    ['getIntrospectionQuery(every option)', FULL],
  ])('%s with a key passes every limit and yields the schema of schema.graphql', async (_name, query) => {
    const r = await gql<IntrospectionQuery>(byDefault.url, ADMIN_KEY, query);
    expect(r.errors).toBeUndefined();
    expect(r.status).toBe(200);
    const served = buildClientSchema(r.data!);
    const committed = buildSchema(SDL);
    // Every option on: the very schema, descriptions included; the default options: the same types and fields.
    if (query === FULL) expect(printSchema(served)).toBe(printSchema(committed));
    const shape = (s: typeof committed) =>
      Object.values(s.getTypeMap())
        .filter((t) => !t.name.startsWith('__'))
        .map((t) => `${t.name}(${'getFields' in t ? Object.keys(t.getFields()).sort().join(',') : ''})`)
        .sort();
    expect(shape(served)).toEqual(shape(committed));
    expect(shape(served).length).toBeGreaterThan(50);
  });

  test('without a key, or with a bad one, it is refused naming the setting', async () => {
    for (const key of [null, 'pm_live_not-a-key']) {
      const r = await gql(byDefault.url, key, getIntrospectionQuery());
      expect(r.status).toBe(401);
      expect(r.data).toBeUndefined();
      expect(r.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
      expect(r.errors![0]!.message).toContain('GRAPHQL_INTROSPECTION=authenticated');
      expect(r.errors![0]!.message).not.toMatch(/ApolloServer/);
    }
  });

  test('bounded: deeper than the standard query, or lists nested deeper than it nests them, is still refused', async () => {
    // 17 levels of ofType: one more than the introspection depth limit.
    const deep = `{ __type(name: "Prompt") { ${'ofType { '.repeat(15)}name${' }'.repeat(15)} } }`;
    const tooDeep = await gql(byDefault.url, ADMIN_KEY, deep);
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.errors![0]!.message).toMatch(/nested 17 levels deep; the limit is 16/);
    // types → fields → type → fields → type → fields → args: within the depth limit, refused (graphql-js's own
    // introspection-depth rule, and our cost limit behind it).
    const wide = '{ __schema { types { fields { type { fields { type { fields { args { name } } } } } } } } }';
    const tooWide = await gql(byDefault.url, ADMIN_KEY, wide);
    expect(tooWide.status).toBe(400);
    expect(tooWide.data).toBeUndefined();
    expect(tooWide.errors![0]!.message).toMatch(/too expensive|Maximum introspection depth/);
    // Under graphql-js's rule (fields nested three times), the cost limit refuses a list-heavy one.
    const heavy = '{ __schema { types { fields { args { type { fields { args { name } } } } } } } }';
    const tooHeavy = await gql(byDefault.url, ADMIN_KEY, heavy);
    expect(tooHeavy.status).toBe(400);
    expect(tooHeavy.errors![0]!.message).toMatch(/too expensive/);
    // A normal operation keeps the normal depth limit, also when it asks for __typename at its root.
    const nested = `{ __typename prompts { edges { node { labels { version { prompt { labels { version { number } } } } } } } } }`;
    const r = await gql(byDefault.url, ADMIN_KEY, nested);
    expect(r.errors![0]!.message).toMatch(/the limit is 8/);
  });
});

test('always: no key needed', async () => {
  const r = await gql<IntrospectionQuery>(always.url, null, getIntrospectionQuery());
  expect(r.errors).toBeUndefined();
  expect(r.data!.__schema.queryType.name).toBe('Query');
});

test('never: refused even with a key, naming the setting (not an ApolloServer option)', async () => {
  for (const query of [getIntrospectionQuery(), '{ __type(name: "Prompt") { name } }']) {
    const r = await gql(never.url, ADMIN_KEY, query);
    expect(r.status).toBe(400);
    expect(r.data).toBeUndefined();
    expect(r.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(r.errors![0]!.message).toContain('GRAPHQL_INTROSPECTION=never');
    expect(r.errors![0]!.message).not.toMatch(/ApolloServer|introspection: true/);
  }
  // __typename is not introspection of the schema: still answered.
  expect((await gql(never.url, ADMIN_KEY, '{ __typename }')).data).toEqual({ __typename: 'Query' });
});
