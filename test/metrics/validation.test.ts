/**
 * Every bad call is rejected with BAD_USER_INPUT (or NOT_FOUND) naming the field, as variables AND as
 * inline literals, for recordCall and inside a recordCalls batch — and nothing is stored.
 */
import { fails, gql } from '../helpers/graphql';
import { createTestDatabase, withSql, type TestDatabase } from '../helpers/postgres';
import { newTenant, type Tenant } from '../helpers/seed';
import { startServer, type TestServer } from '../helpers/server';
import { RECORD, RECORD_MANY, seedVersion } from './helpers';

let db: TestDatabase;
let server: TestServer;
let t: Tenant;
let versionId: string;
let foreignVersionId: string;
beforeAll(async () => {
  db = await createTestDatabase();
  server = await startServer({ databaseUrl: db.url });
  t = await newTenant(server.url, server.adminKey);
  versionId = (await seedVersion(server.url, t.key)).versionId;
  const other = await newTenant(server.url, server.adminKey);
  foreignVersionId = (await seedVersion(server.url, other.key)).versionId;
});
afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

const DAY = 86_400_000;
/** [field, bad value as GraphQL literal text, code, whether the error names the field]. */
const cases = (): Array<[string, string, string, boolean]> => [
  ['latencyMs', '-1', 'BAD_USER_INPUT', true],
  ['latencyMs', '3600000.5', 'BAD_USER_INPUT', true],
  ['latencyMs', '1e400', 'BAD_USER_INPUT', true],
  ['latencyMs', '-1e400', 'BAD_USER_INPUT', true],
  ['inputTokens', '-1', 'BAD_USER_INPUT', false],
  ['inputTokens', '1.5', 'BAD_USER_INPUT', false],
  ['outputTokens', '1000000001', 'BAD_USER_INPUT', false],
  ['tokensUsed', '1e400', 'BAD_USER_INPUT', false],
  ['qualityScore', '1.0001', 'BAD_USER_INPUT', true],
  ['qualityScore', '-0.1', 'BAD_USER_INPUT', true],
  ['qualityScore', '1e400', 'BAD_USER_INPUT', true],
  ['costUsd', '-0.01', 'BAD_USER_INPUT', true],
  ['costUsd', '1e400', 'BAD_USER_INPUT', true],
  ['costUsd', '1e7', 'BAD_USER_INPUT', true],
  ['at', JSON.stringify(new Date(Date.now() - 8 * DAY).toISOString()), 'BAD_USER_INPUT', true],
  ['at', JSON.stringify(new Date(Date.now() + 10 * 60_000).toISOString()), 'BAD_USER_INPUT', true],
  ['at', '"yesterday"', 'BAD_USER_INPUT', false],
  ['versionId', '"not-a-uuid"', 'BAD_USER_INPUT', true],
  ['versionId', '"00000000-0000-4000-8000-000000000000"', 'NOT_FOUND', true],
  ['versionId', 'FOREIGN', 'NOT_FOUND', true],
  ['callId', '""', 'BAD_USER_INPUT', true],
  ['callId', JSON.stringify('x'.repeat(201)), 'BAD_USER_INPUT', true],
  ['callId', JSON.stringify('a\u0000b'), 'BAD_USER_INPUT', true],
  ['model', '""', 'BAD_USER_INPUT', true],
  ['requestId', JSON.stringify('r'.repeat(201)), 'BAD_USER_INPUT', true],
];

const good = () => ({ versionId, latencyMs: 12.5, inputTokens: 10, outputTokens: 2, success: true });
const literal = (v: string) => (v === 'FOREIGN' ? JSON.stringify(foreignVersionId) : v);
const inline = (o: Record<string, string>) =>
  `{ ${Object.entries(o)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ')} }`;
const goodInline = () => ({ versionId: JSON.stringify(versionId), latencyMs: '12.5', inputTokens: '10', outputTokens: '2', success: 'true' });

async function storedCount(): Promise<number> {
  const [r] = await withSql(db.url, (sql) => sql`SELECT count(*)::int AS n FROM metric_calls WHERE workspace_id = ${t.workspaceId}`);
  return r!.n;
}

/** Sends a variables body as raw text, so values like 1e400 travel as written. */
async function rawVariables(query: string, variablesJson: string) {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${t.key}` },
    body: `{"query": ${JSON.stringify(query)}, "variables": ${variablesJson}}`,
  });
  return (await res.json()) as { errors?: Array<{ extensions?: Record<string, unknown> }>; data?: unknown };
}

test.each(cases())('%s = %s is rejected (variables and inline, single and batch) and nothing is stored', async (field, value, code, named) => {
  // Variables (raw JSON text, so 1e400 is sent as such).
  const single = await rawVariables(RECORD, `{"i": ${JSON.stringify({ ...good(), [field]: 0 }).replace(`"${field}":0`, `"${field}":${literal(value)}`)}}`);
  expect([field, value, single.errors?.[0]?.extensions?.code]).toEqual([field, value, code]);
  // graphql-js itself refuses non-finite numbers in variables (before our code runs, so no field).
  const coercedByGraphql = value.includes('e400');
  if (named && !coercedByGraphql) expect(single.errors?.[0]?.extensions?.field).toBe(`input.${field}`);
  // Inline literals.
  const err = await fails(
    server.url,
    t.key,
    `mutation { recordCall(input: ${inline({ ...goodInline(), [field]: literal(value) })}) { callId } }`,
    undefined,
    code,
  );
  if (named) expect(err.extensions?.field).toBe(`input.${field}`);
  // One bad call among good ones: the whole batch fails, naming it.
  const batch = `[${JSON.stringify(good())}, ${JSON.stringify(good())}, ${JSON.stringify({ ...good(), [field]: 0 }).replace(`"${field}":0`, `"${field}":${literal(value)}`)}]`;
  const many = await rawVariables(RECORD_MANY, `{"i": ${batch}}`);
  expect(many.errors?.[0]?.extensions?.code).toBe(code);
  if (named && !coercedByGraphql) expect(many.errors?.[0]?.extensions?.field).toBe(`inputs.2.${field}`);
  const manyInline = await gql(
    server.url,
    t.key,
    `mutation { recordCalls(inputs: [${inline(goodInline())}, ${inline({ ...goodInline(), [field]: literal(value) })}]) { callId } }`,
  );
  expect(manyInline.errors?.[0]?.extensions?.code).toBe(code);
  if (named) expect(manyInline.errors?.[0]?.extensions?.field).toBe(`inputs.1.${field}`);
  expect(await storedCount()).toBe(0);
});

test('a call without a boolean success is refused before anything runs', async () => {
  const asVariable = await rawVariables(RECORD, `{"i": ${JSON.stringify({ ...good(), success: 'yes' })}}`);
  expect(asVariable.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  // A literal of the wrong built-in type is a malformed document (graphql-js validation).
  await fails(
    server.url,
    t.key,
    `mutation { recordCall(input: ${inline({ ...goodInline(), success: '"yes"' })}) { callId } }`,
    undefined,
    'GRAPHQL_VALIDATION_FAILED',
  );
  expect(await storedCount()).toBe(0);
});

test('batches: more than 5,000 calls is rejected, an empty batch stores nothing', async () => {
  const big = Array.from({ length: 5001 }, () => ({ versionId, latencyMs: 1, success: true }));
  expect((await fails(server.url, t.key, RECORD_MANY, { i: big }, 'BAD_USER_INPUT')).extensions?.field).toBe('inputs');
  const r = await gql(server.url, t.key, RECORD_MANY, { i: [] });
  expect(r.data?.recordCalls).toEqual([]);
  expect(await storedCount()).toBe(0);
});

test('filters of metrics are validated too', async () => {
  const q = 'query($f: MetricsFilter!) { metrics(filter: $f) { totalCalls } }';
  expect((await fails(server.url, t.key, q, { f: { versionIds: ['x'] } }, 'BAD_USER_INPUT')).extensions?.field).toBe('filter.versionIds.0');
  expect((await fails(server.url, t.key, q, { f: { promptName: 'Bad Name' } }, 'BAD_USER_INPUT')).extensions?.field).toBe('filter.promptName');
  expect((await fails(server.url, t.key, q, { f: { abTestId: 'nope' } }, 'BAD_USER_INPUT')).extensions?.field).toBe('filter.abTestId');
});
