/**
 * Two-workspace replay (R24): every operation of the schema (the samples of the role matrix, so a new
 * field is covered once it has a sample) is replayed with workspace A's ADMIN key and workspace B's
 * harvested ids and names, over HTTP and, for subscriptions, WebSocket. Each answer must be exactly
 * the answer for ids that do not exist (after normalizing the ids), nothing of B may appear in any
 * answer, and no row of B may change (checksums before and after).
 */
import { randomUUID } from 'node:crypto';
import { workspaceChecksum } from '../helpers/checksum';
import { gql, ok } from '../helpers/graphql';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';
import { addVersion, createPromptWith, newTenant, type Tenant } from '../helpers/seed';
import { ADMIN_KEY, startServer, type TestServer } from '../helpers/server';
import { collect, wsClient } from '../helpers/ws';
import { SAMPLES, type Fixture, type Sample } from './permissions-table';

let db: TestDatabase;
let server: TestServer;
let a: Tenant;
let b: Tenant;
const secretsOfB: string[] = [];
let harvested: { promptName: string; promptId: string; v1: string; v2: string; abTestId: string; keyId: string; callId: string; auditIds: string[] };

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startServer({ databaseUrl: db.url });
  [a, b] = [await newTenant(server.url, ADMIN_KEY), await newTenant(server.url, ADMIN_KEY)];
  await createPromptWith(server.url, a.key, 'mine', 'A {{x}}');
  const p = await createPromptWith(server.url, b.key, 'team-b/secret', 'B-SECRET-TEMPLATE {{x}}', { message: 'B-SECRET-MESSAGE' });
  const v2 = await addVersion(server.url, b.key, 'team-b/secret', 'B-SECRET-V2 {{x}}', { labels: ['staging'] });
  const ab = await gql(
    server.url,
    b.key,
    'mutation($a: ID!, $b: ID!) { startABTest(input: { promptName: "team-b/secret", versionA: $a, versionB: $b }) { id } }',
    { a: p.createPrompt.activeVersion.id, b: v2.id },
  );
  await gql(server.url, b.key, 'mutation($v: ID!) { recordCall(input: { versionId: $v, callId: "b-call", latencyMs: 5, success: true }) { callId } }', {
    v: v2.id,
  });
  const keys = await ok(server.url, b.key, 'mutation { createApiKey(input: { name: "B-SECRET-KEYNAME", role: VIEWER }) { key apiKey { id prefix } } }');
  const audit = await ok(server.url, b.key, '{ auditLog(first: 50) { edges { node { id } } } }');
  harvested = {
    promptName: 'team-b/secret',
    promptId: p.createPrompt.id,
    v1: p.createPrompt.activeVersion.id,
    v2: v2.id,
    abTestId: ab.data?.startABTest?.id ?? randomUUID(),
    keyId: keys.createApiKey.apiKey.id,
    callId: 'b-call',
    auditIds: audit.auditLog.edges.map((e: any) => e.node.id),
  };
  secretsOfB.push(b.workspaceId, b.key, keys.createApiKey.key, keys.createApiKey.apiKey.prefix, 'B-SECRET', p.createPrompt.id, ...harvested.auditIds);
});
afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** The fixture of the role matrix, pointed at B's objects (`foreign`) or at ids that exist nowhere. */
let n = 0; // shared: names created by one run must not collide with the next run's
function fixtureFor(kind: 'foreign' | 'missing', promptName: string | null): Fixture {
  const missing = { v1: randomUUID(), v2: randomUUID(), ab: randomUUID(), key: randomUUID() };
  return {
    promptName: promptName ?? (kind === 'foreign' ? harvested.promptName : 'team-b/nothing-here'),
    v1: kind === 'foreign' ? harvested.v1 : missing.v1,
    v2: kind === 'foreign' ? harvested.v2 : missing.v2,
    abTestId: kind === 'foreign' ? harvested.abTestId : missing.ab,
    keyToRevoke: () => (kind === 'foreign' ? harvested.keyId : missing.key),
    callId: kind === 'foreign' ? harvested.callId : 'no-such-call',
    n: () => ++n,
  };
}

/** One answer with every id and generated name replaced, so a foreign and a missing run compare equal. */
function normalize(body: unknown): string {
  return JSON.stringify(body)
    .replace(/"requestId":"[^"]*"/g, '"requestId":"<id>"')
    .replaceAll(harvested.promptName, '<name>')
    .replaceAll('team-b/nothing-here', '<name>')
    .replaceAll(harvested.callId, '<call>')
    .replaceAll('no-such-call', '<call>')
    .replace(UUID, '<uuid>')
    .replace(/(made|call|model|key|ws)-\d+/g, '$1-<n>');
}

async function run(sample: Sample): Promise<unknown> {
  const r = await gql(server.url, a.key, sample.query, sample.variables);
  return {
    status: r.status,
    data: r.data ?? null,
    errors: r.errors?.map((e) => ({ message: e.message, code: e.extensions?.code, field: e.extensions?.field })) ?? null,
  };
}

async function runWs(sample: Sample, poke: () => Promise<void>): Promise<unknown> {
  const client = wsClient(server.url, a.key);
  const sub = collect(client, sample.query, sample.variables);
  await new Promise<void>((resolve) => client.on('connected', () => resolve()));
  await new Promise((r) => setTimeout(r, 100));
  await poke(); // B changes its prompt: nothing of it may reach A
  await sub.waitFor(1, 500).catch(() => undefined);
  sub.dispose();
  await client.dispose();
  return { events: sub.events, errors: sub.errors };
}

const pokeB = async () => {
  await ok(server.url, b.key, 'mutation { updatePrompt(name: "team-b/secret", input: { description: "changed by B" }) { revision } }');
};

const EXTRA: Record<string, (f: Fixture) => Sample> = {
  'Query.auditLog#target': (f) => ({
    query: 'query($id: ID) { auditLog(filter: { targetId: $id }) { totalCount edges { node { id } } } }',
    variables: { id: f.v1 },
  }),
  'Query.metrics#versions': (f) => ({ query: 'query($v: ID!) { metrics(filter: { versionIds: [$v] }) { totalCalls } }', variables: { v: f.v1 } }),
  'Query.prompts#search': () => ({ query: '{ prompts(filter: { search: "secret", includeArchived: true }) { totalCount edges { node { name } } } }' }),
  'Query.version#nested': (f) => ({ query: 'query($v: ID!) { version(id: $v) { id template prompt { name } } }', variables: { v: f.v2 } }),
};

test("every operation with B's ids and names, by A over HTTP: the same answer as for missing ids, nothing of B, no row of B changed", async () => {
  const before = await workspaceChecksum(db.url, b.workspaceId);
  const samples = Object.entries({ ...SAMPLES, ...EXTRA }).filter(([op]) => !op.startsWith('Subscription.'));
  const differences: string[] = [];
  const leaks: string[] = [];
  for (const [op, make] of samples) {
    // Once with B's prompt name, once with A's own prompt and B's ids (cross-workspace references).
    for (const promptName of [null, 'mine']) {
      const foreign = await run(make(fixtureFor('foreign', promptName)));
      const missing = await run(make(fixtureFor('missing', promptName)));
      if (normalize(foreign) !== normalize(missing))
        differences.push(`${op} (${promptName ?? 'B name'}):\n  foreign ${JSON.stringify(foreign)}\n  missing ${JSON.stringify(missing)}`);
      const text = JSON.stringify(foreign);
      for (const s of secretsOfB) if (text.includes(s)) leaks.push(`${op}: ${s}`);
    }
  }
  expect(differences).toEqual([]);
  expect(leaks).toEqual([]);
  expect(await workspaceChecksum(db.url, b.workspaceId)).toEqual(before);
});

test("every subscription with B's names, by A over WebSocket: the same as for a missing name, and none of B's events", async () => {
  const subs = Object.entries(SAMPLES).filter(([op]) => op.startsWith('Subscription.'));
  expect(subs.length).toBeGreaterThan(0);
  for (const [op, make] of subs) {
    const foreign = await runWs(make(fixtureFor('foreign', null)), pokeB);
    const missing = await runWs(make(fixtureFor('missing', null)), pokeB);
    expect({ op, answer: normalize(foreign) }).toEqual({ op, answer: normalize(missing) });
    for (const s of secretsOfB) expect(JSON.stringify(foreign)).not.toContain(s);
  }
  // A wildcard subscriber of A sees A's changes and never B's.
  const wildcard = await runWs({ query: 'subscription { promptChanged { promptName } }' }, async () => {
    await pokeB();
    await ok(server.url, a.key, 'mutation { updatePrompt(name: "mine", input: { description: "A" }) { revision } }');
  });
  expect(wildcard).toEqual({ events: [{ promptChanged: { promptName: 'mine' } }], errors: [] });
});
