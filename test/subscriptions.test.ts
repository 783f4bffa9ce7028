/**
 * promptChanged over graphql-ws: events carry the new revision and load through the subscriber's
 * own workspace; other workspaces see nothing; WebSocket accepts only subscriptions and valid keys;
 * with Redis, a change on one instance reaches subscribers and caches of another.
 */
import { ok } from './helpers/graphql';
import { createTestDatabase, type TestDatabase } from './helpers/postgres';
import { addVersion, createPromptWith, newTenant } from './helpers/seed';
import { ADMIN_KEY, REDIS_URL, spawnServer, startServer, type ServerProcess, type TestServer } from './helpers/server';
import { collect, wsClient } from './helpers/ws';

const SUB =
  'subscription($n: String) { promptChanged(name: $n) { kind promptName revision label actor { name } prompt { name revision } version { number } } }';

async function connected(client: ReturnType<typeof wsClient>) {
  await new Promise<void>((resolve) => {
    const off = client.on('connected', () => {
      off();
      resolve();
    });
  });
}

describe('embedded mode (in-process pub/sub)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => server?.stop());

  test('a change reaches a subscriber with its kind and the new revision, in order', async () => {
    const t = await newTenant(server.url, ADMIN_KEY);
    await createPromptWith(server.url, t.key, 'live', 'v1');
    const client = wsClient(server.url, t.key);
    const sub = collect(client, SUB, { n: 'live' });
    await connected(client);
    await new Promise((r) => setTimeout(r, 50)); // the in-memory engine subscribes on the first next()
    const v2 = await addVersion(server.url, t.key, 'live', 'v2');
    await ok(server.url, t.key, 'mutation($v: ID!) { setLabel(promptName: "live", label: "production", versionId: $v) { revision } }', { v: v2.id });
    const events = await sub.waitFor(2);
    expect(events.map((e: any) => e.promptChanged)).toEqual([
      {
        kind: 'VERSION_CREATED',
        promptName: 'live',
        revision: 3,
        label: null,
        actor: { name: expect.any(String) },
        prompt: { name: 'live', revision: expect.any(Number) },
        version: { number: 2 },
      },
      {
        kind: 'LABEL_MOVED',
        promptName: 'live',
        revision: 4,
        label: 'production',
        actor: { name: expect.any(String) },
        prompt: { name: 'live', revision: expect.any(Number) },
        version: { number: 2 },
      },
    ]);
    sub.dispose();
    await client.dispose();
  });

  test("another workspace's changes are never delivered to a wildcard subscriber", async () => {
    const a = await newTenant(server.url, ADMIN_KEY);
    const b = await newTenant(server.url, ADMIN_KEY);
    const client = wsClient(server.url, a.key);
    const sub = collect(client, SUB, {});
    await connected(client);
    await new Promise((r) => setTimeout(r, 50));
    await createPromptWith(server.url, b.key, 'theirs', 'x');
    await createPromptWith(server.url, a.key, 'mine', 'y');
    const events = await sub.waitFor(2);
    await new Promise((r) => setTimeout(r, 100));
    expect(sub.events.map((e: any) => e.promptChanged.promptName)).toEqual(['mine', 'mine']);
    expect(events[0].promptChanged.kind).toBe('PROMPT_CREATED');
    sub.dispose();
    await client.dispose();
  });

  test('over WebSocket only subscriptions run; a bad key closes the socket with 4403', async () => {
    const client = wsClient(server.url, ADMIN_KEY);
    const q = collect(client, 'mutation { createPrompt(input: { name: "via-ws" }) { id } }');
    await q.waitFor(1).catch(() => undefined);
    expect(JSON.stringify(q.errors)).toMatch(/Only subscriptions/);
    expect((await ok(server.url, ADMIN_KEY, '{ prompt(name: "via-ws") { id } }')).prompt).toBeNull();
    await client.dispose();

    let code = 0;
    const bad = wsClient(server.url, 'pm_live_0000000000000000_abcdefghijklmnopqrstuvwxyzABCDEF_00000000', { onClose: (c) => (code = c) });
    const s = collect(bad, SUB, {});
    await s.waitFor(1, 3000).catch(() => undefined);
    expect(code).toBe(4403);
    await bad.dispose();
  });
});

describe('two instances on Postgres and Redis', () => {
  let db: TestDatabase;
  let one: ServerProcess;
  let two: ServerProcess;
  beforeAll(async () => {
    db = await createTestDatabase();
    [one, two] = await Promise.all([spawnServer({ DATABASE_URL: db.url, REDIS_URL }), spawnServer({ DATABASE_URL: db.url, REDIS_URL })]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([one?.kill(), two?.kill()]);
    await db?.drop();
  });

  test('a change on one instance reaches a subscriber on the other, and its resolvePrompt at once', async () => {
    const t = await newTenant(one.url, ADMIN_KEY);
    await createPromptWith(one.url, t.key, 'shared', 'old');
    // Warm instance two's cache with the old version.
    expect((await ok(two.url, t.key, '{ resolvePrompt(name: "shared") { text } }')).resolvePrompt.text).toBe('old');
    const client = wsClient(two.url, t.key);
    const sub = collect(client, SUB, { n: 'shared' });
    await connected(client);
    // Redis SUBSCRIBE completes after the socket's subscribe: keep changing until the first event lands.
    let n = 0;
    while (sub.events.length === 0 && n < 20) {
      await addVersion(one.url, t.key, 'shared', `new ${++n}`, { labels: ['production'] });
      await new Promise((r) => setTimeout(r, 100));
    }
    const events = await sub.waitFor(1);
    expect(events[0].promptChanged).toMatchObject({ kind: 'VERSION_CREATED', promptName: 'shared' });
    const last = await addVersion(one.url, t.key, 'shared', 'newest', { labels: ['production'] });
    const r = await ok(two.url, t.key, '{ resolvePrompt(name: "shared") { text versionId } }');
    // Read-your-writes across instances: the event evicted instance two's cache (or it was already fresh).
    let text = r.resolvePrompt.text;
    for (let i = 0; i < 20 && text !== 'newest'; i++) {
      await new Promise((res) => setTimeout(res, 25));
      text = (await ok(two.url, t.key, '{ resolvePrompt(name: "shared") { text } }')).resolvePrompt.text;
    }
    expect(text).toBe('newest');
    expect(last.number).toBeGreaterThan(1);
    const revisions = sub.events.map((e: any) => e.promptChanged.revision);
    expect([...revisions].sort((a, b) => a - b)).toEqual(revisions);
    sub.dispose();
    await client.dispose();
  });
});
