/**
 * The role × operation matrix, generated from the schema: every Query, Mutation and Subscription
 * field is called by a key of each role and each service scope. Where the table says no, the answer
 * is FORBIDDEN and the workspace's rows are unchanged; where it says yes, authorization lets the
 * call through (any other outcome, but never FORBIDDEN or a 500).
 * A field missing from the table fails the test. Prompt.viewerCan… agrees with the same table.
 */
import { randomUUID } from 'node:crypto';
import { buildSchema } from '../../src/graphql/schema';
import { workspaceChecksum } from '../helpers/checksum';
import { gql, ok } from '../helpers/graphql';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';
import { addVersion, createPromptWith, keyWith, newTenant, type Tenant } from '../helpers/seed';
import { ADMIN_KEY, startServer, type TestServer } from '../helpers/server';
import { collect, wsClient } from '../helpers/ws';
import { EXPECTED_ALLOWED, MOVE, PRINCIPALS, PUBLISH, PUBLISHER_UP, READ, SAMPLES, WRITE, type Fixture, type PrincipalName } from './permissions-table';

let db: TestDatabase;
let server: TestServer;
let tenant: Tenant;
const keys = {} as Record<PrincipalName, string>;
let fixture: Fixture;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startServer({ databaseUrl: db.url });
  tenant = await newTenant(server.url, ADMIN_KEY);
  for (const p of PRINCIPALS) keys[p] = await keyWith(server.url, tenant.key, p === p.toUpperCase() ? { role: p } : { scopes: [p] });
  const created = await createPromptWith(server.url, tenant.key, 'guarded', 'hi {{x}}');
  const v2 = await addVersion(server.url, tenant.key, 'guarded', 'hello {{x}}', { labels: ['staging'] });
  const ab = await gql(
    server.url,
    tenant.key,
    'mutation($a: ID!, $b: ID!) { startABTest(input: { promptName: "guarded", versionA: $a, versionB: $b }) { id } }',
    { a: created.createPrompt.activeVersion.id, b: v2.id },
  );
  await gql(
    server.url,
    tenant.key,
    'mutation($v: ID!) { recordCall(input: { versionId: $v, callId: "fixture-call", latencyMs: 5, success: true }) { callId } }',
    { v: v2.id },
  );
  const revocable = (await ok(server.url, tenant.key, 'mutation { createApiKey(input: { name: "to-revoke", role: VIEWER }) { apiKey { id } } }')).createApiKey
    .apiKey.id;
  let n = 0;
  fixture = {
    promptName: 'guarded',
    v1: created.createPrompt.activeVersion.id,
    v2: v2.id,
    abTestId: ab.data?.startABTest?.id ?? randomUUID(),
    keyToRevoke: () => revocable,
    callId: 'fixture-call',
    n: () => ++n,
  };
});
afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

const rootFields = () => {
  const schema = buildSchema();
  return [schema.getQueryType()!, schema.getMutationType()!, schema.getSubscriptionType()!].flatMap((t) =>
    Object.keys(t.getFields()).map((f) => `${t.name}.${f}`),
  );
};

const codeOf = (x: unknown): string | undefined => {
  const e = (Array.isArray(x) ? x[0] : x) as { extensions?: { code?: string } } | undefined;
  return e?.extensions?.code;
};

/** The error code of one call (undefined on success), over HTTP or, for subscriptions, graphql-ws. */
async function call(op: string, principal: PrincipalName, refusal: 'expected' | 'unexpected'): Promise<string | undefined> {
  const sample = SAMPLES[op]!(fixture);
  if (op.startsWith('Subscription.')) {
    const client = wsClient(server.url, keys[principal]);
    const sub = collect(client, sample.query, sample.variables);
    // A subscription that is not refused sends nothing: wait briefly. A refusal that is expected may take longer on a
    // loaded machine, and waitFor returns as soon as it arrives.
    await sub.waitFor(1, refusal === 'expected' ? 10_000 : 800).catch(() => undefined);
    sub.dispose();
    await client.dispose();
    return sub.errors.length ? (codeOf(sub.errors[0]) ?? 'UNKNOWN_ERROR') : undefined;
  }
  const r = await gql(server.url, keys[principal], sample.query, sample.variables);
  return r.errors?.length ? (r.errors[0]!.extensions?.code ?? 'UNKNOWN_ERROR') : undefined;
}

test('every root field of the schema has a row in the expected table and a sample call', () => {
  const missing = rootFields().filter((f) => !(f in EXPECTED_ALLOWED) || !(f in SAMPLES));
  expect(missing).toEqual([]);
  const stale = Object.keys(EXPECTED_ALLOWED).filter((k) => !rootFields().includes(k.split('#')[0]!));
  expect(stale).toEqual([]);
});

test('denied: FORBIDDEN for every operation the table does not allow, and no row of the workspace changes', async () => {
  const before = await workspaceChecksum(db.url, tenant.workspaceId);
  const wrong: string[] = [];
  for (const [op, allowed] of Object.entries(EXPECTED_ALLOWED)) {
    const denied = PRINCIPALS.filter((p) => !allowed.includes(p));
    const codes = await Promise.all(denied.map((p) => call(op, p, 'expected')));
    codes.forEach((code, i) => code !== 'FORBIDDEN' && wrong.push(`${op} as ${denied[i]}: ${code ?? 'succeeded'}`));
  }
  expect(wrong).toEqual([]);
  expect(await workspaceChecksum(db.url, tenant.workspaceId)).toEqual(before);
});

test('allowed: every operation the table allows gets past authorization for each allowed role and scope', async () => {
  const wrong: string[] = [];
  for (const [op, allowed] of Object.entries(EXPECTED_ALLOWED)) {
    for (const p of allowed) {
      const code = await call(op, p, 'unexpected');
      if (code === 'FORBIDDEN' || code === 'UNAUTHENTICATED' || code === 'INTERNAL_SERVER_ERROR' || code === 'UNKNOWN_ERROR')
        wrong.push(`${op} as ${p}: ${code}`);
    }
  }
  expect(wrong).toEqual([]);
});

test('Prompt.viewerCan… answers what the same table allows, for each role and scope that can read', async () => {
  const q =
    '{ prompt(name: "guarded") { viewerCanEdit viewerCanPublish viewerCanRollback viewerCanManageTests staging: viewerCanMoveLabel(label: "staging") production: viewerCanMoveLabel(label: "production") latest: viewerCanMoveLabel(label: "latest") } }';
  for (const p of READ) {
    const d = await ok(server.url, keys[p], q);
    expect({ p, ...d.prompt }).toEqual({
      p,
      viewerCanEdit: WRITE.includes(p),
      viewerCanPublish: PUBLISH.includes(p),
      viewerCanRollback: PUBLISHER_UP.includes(p),
      viewerCanManageTests: PUBLISHER_UP.includes(p),
      staging: MOVE.includes(p),
      production: PUBLISH.includes(p),
      latest: false,
    });
  }
  // Protecting a label changes the answer at once.
  await ok(server.url, tenant.key, 'mutation { setProtectedLabels(labels: ["production", "staging"]) { protectedLabels } }');
  expect((await ok(server.url, keys.EDITOR, q)).prompt.staging).toBe(false);
  await ok(server.url, tenant.key, 'mutation { setProtectedLabels(labels: ["production"]) { protectedLabels } }');
});
