/**
 * Live updates across two real server processes sharing one Postgres database and a private Redis:
 * events in revision order, read-your-writes on the other instance right after a mutation answers,
 * workspace isolation, key revocation, and a Redis outage (stop, run mutations, restart) after which
 * subscriptions resume, caches were dropped and no stale prompt remains. Deadlines, no fixed sleeps.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { ok } from './helpers/graphql';
import { createTestDatabase, type TestDatabase } from './helpers/postgres';
import { startPrivateRedis, type PrivateRedis } from './helpers/redis-server';
import { addVersion, createPromptWith, keyWith, newTenant } from './helpers/seed';
import { ADMIN_KEY, spawnServer, type ServerProcess } from './helpers/server';
import { collect } from './helpers/ws';

const SUB = 'subscription($n: String) { promptChanged(name: $n) { kind promptName revision label version { number template } } }';
const RESOLVE = 'query($n: String!) { resolvePrompt(name: $n) { text versionNumber } }';

/** A stock graphql-ws client that retries quickly (as services configure it), recording close codes and connects. */
function retryingClient(url: string, key: string) {
  const closes: number[] = [];
  let connects = 0;
  const client: Client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${key}` },
    lazy: true,
    retryAttempts: 20,
    retryWait: () => new Promise((r) => setTimeout(r, 100)),
    shouldRetry: () => true,
    on: { closed: (e) => closes.push((e as { code: number }).code), connected: () => connects++ },
  });
  return { client, closes, connects: () => connects };
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Changes `probe` until the subscription delivers an event for it: the subscription is live end to end. */
async function untilLive(url: string, key: string, sub: { events: any[] }, probe: string) {
  let n = 0;
  const seen = sub.events.length;
  await until('the subscription to go live', async () => {
    await ok(url, key, 'mutation($n: String!, $d: String!) { updatePrompt(name: $n, input: { description: $d }) { revision } }', {
      n: probe,
      d: `probe ${++n}`,
    });
    return until('a probe event', () => sub.events.slice(seen).some((e) => e.promptChanged.promptName === probe), 300).catch(() => false);
  });
}

const resolveText = async (url: string, key: string, name: string) => (await ok(url, key, RESOLVE, { n: name })).resolvePrompt.text as string;
const metric = async (url: string, name: string) => {
  const text = await (await fetch(url.replace('/graphql', '/metrics'))).text();
  const m = new RegExp(`^${name.replace(/[{}"]/g, (c) => `\\${c}`)} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
};

describe('two instances, one Postgres, a private Redis', () => {
  let db: TestDatabase;
  let redis: PrivateRedis;
  let one: ServerProcess;
  let two: ServerProcess;
  beforeAll(async () => {
    [db, redis] = await Promise.all([createTestDatabase(), startPrivateRedis()]);
    [one, two] = await Promise.all([spawnServer({ DATABASE_URL: db.url, REDIS_URL: redis.url }), spawnServer({ DATABASE_URL: db.url, REDIS_URL: redis.url })]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([one?.kill(), two?.kill()]);
    await Promise.all([db?.drop(), redis?.stop()]);
  });

  test('changes made alternately on both instances reach a subscriber in revision order, and each is readable on the other instance as soon as the mutation answers', async () => {
    const t = await newTenant(one.url, ADMIN_KEY);
    await createPromptWith(one.url, t.key, 'probe', 'p');
    await createPromptWith(one.url, t.key, 'ordered', 'v1');
    expect(await resolveText(two.url, t.key, 'ordered')).toBe('v1'); // both caches warm
    expect(await resolveText(one.url, t.key, 'ordered')).toBe('v1');
    const client = createClient({
      url: two.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${t.key}` },
      retryAttempts: 0,
    });
    const sub = collect(client, SUB, {});
    await untilLive(two.url, t.key, sub, 'probe');

    const instances = [one, two];
    for (let i = 2; i <= 11; i++) {
      const writer = instances[i % 2]!;
      const reader = instances[(i + 1) % 2]!;
      await addVersion(writer.url, t.key, 'ordered', `v${i}`, { labels: ['production'] });
      // No retry: the publish reached Redis before the mutation answered, so the reader's cache is already evicted.
      expect(await resolveText(reader.url, t.key, 'ordered')).toBe(`v${i}`);
    }
    const events = (await until('10 events', () => (sub.events.filter((e) => e.promptChanged.promptName === 'ordered').length >= 10 ? sub.events : false)))
      .map((e) => e.promptChanged)
      .filter((e) => e.promptName === 'ordered');
    expect(events.map((e) => e.version.template)).toEqual(Array.from({ length: 10 }, (_, k) => `v${k + 2}`));
    const revisions = events.map((e) => e.revision);
    expect(revisions).toEqual(Array.from({ length: 10 }, (_, k) => revisions[0] + k));
    expect(sub.errors).toEqual([]);
    sub.dispose();
    await client.dispose();
  });

  test("another workspace's changes on the other instance never reach a wildcard subscriber", async () => {
    const a = await newTenant(one.url, ADMIN_KEY);
    const b = await newTenant(one.url, ADMIN_KEY);
    await createPromptWith(one.url, a.key, 'probe', 'p');
    await createPromptWith(one.url, b.key, 'probe', 'theirs');
    const client = createClient({
      url: two.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${a.key}` },
      retryAttempts: 0,
    });
    const sub = collect(client, SUB, {});
    const named = collect(client, SUB, { n: 'probe' });
    await untilLive(two.url, a.key, sub, 'probe');
    const seen = sub.events.length;
    for (let i = 0; i < 5; i++) await addVersion(one.url, b.key, 'probe', `b${i}`, { labels: ['production'] });
    // A's own change, published after B's by the same instance, is the barrier: B's would have arrived first.
    await addVersion(one.url, a.key, 'probe', 'mine');
    await until("A's own event", () => sub.events.some((e) => e.promptChanged.version?.template === 'mine'));
    await until("A's own event on the named subscription", () => named.events.some((e) => e.promptChanged.version?.template === 'mine'));
    expect(sub.events.slice(seen).map((e) => e.promptChanged.version?.template)).toEqual(['mine']);
    expect(named.events.map((e) => e.promptChanged.version?.template)).not.toContain('theirs');
    expect(JSON.stringify([...sub.events, ...named.events])).not.toMatch(/"b\d"/);
    await client.dispose();
  });

  test('revoking a key on one instance closes its subscriptions on the other with 4403, and it cannot reconnect', async () => {
    const t = await newTenant(one.url, ADMIN_KEY);
    await createPromptWith(one.url, t.key, 'probe', 'p');
    const viewer = await keyWith(one.url, t.key, { role: 'VIEWER' });
    const closes: number[] = [];
    const client = createClient({
      url: two.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${viewer}` },
      retryAttempts: 0,
      on: { closed: (e) => closes.push((e as { code: number }).code) },
    });
    const sub = collect(client, SUB, {});
    await untilLive(two.url, t.key, sub, 'probe');
    const keys = await ok(one.url, t.key, '{ apiKeys { id name role } }');
    const id = keys.apiKeys.find((k: any) => k.role === 'VIEWER').id;
    await ok(one.url, t.key, 'mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id });
    await until('the socket to close with 4403', () => closes.includes(4403), 15_000);
    const again: number[] = [];
    const retry = createClient({
      url: two.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${viewer}` },
      retryAttempts: 0,
      on: { closed: (e) => again.push((e as { code: number }).code) },
    });
    collect(retry, SUB, {});
    await until('the reconnect to be refused', () => again.includes(4403));
    await client.dispose();
    await retry.dispose();
  });

  test('Redis stopped: mutations and resolves keep working from Postgres; restarted: subscribers are told to re-sync (1012), resume, and no stale prompt remains', async () => {
    const t = await newTenant(one.url, ADMIN_KEY);
    await createPromptWith(one.url, t.key, 'probe', 'p');
    await createPromptWith(one.url, t.key, 'outage', 'before');
    expect(await resolveText(two.url, t.key, 'outage')).toBe('before');
    const s = retryingClient(two.url, t.key);
    const sub = collect(s.client, SUB, {});
    await untilLive(two.url, t.key, sub, 'probe');
    expect(await metric(two.url, 'pubsub_connected{kind="redis"}')).toBe(1);

    await redis.stop();
    await until('instance two to notice', async () => (await metric(two.url, 'pubsub_connected{kind="redis"}')) === 0);
    // Writes do not depend on Redis: every mutation commits and answers, without a retry stall.
    for (let i = 1; i <= 10; i++) {
      const started = Date.now();
      const v = await addVersion(one.url, t.key, 'outage', `during ${i}`, { labels: ['production'] });
      expect(v.number).toBe(i + 1);
      expect(Date.now() - started).toBeLessThan(2_000); // a hang detector, not a benchmark
    }
    // Instance two cannot hear instance one, yet serves the new version within its short degraded TTL.
    await until('instance two to serve the change made during the outage', async () => (await resolveText(two.url, t.key, 'outage')) === 'during 10');
    expect(await resolveText(one.url, t.key, 'outage')).toBe('during 10');

    const resyncsBefore = (await metric(two.url, 'pubsub_resyncs_total')) ?? 0;
    await redis.start();
    await until('instance two to re-subscribe', async () => ((await metric(two.url, 'pubsub_resyncs_total')) ?? 0) > resyncsBefore);
    await until('the subscriber to be told to re-sync', () => s.closes.includes(1012));
    await until('the subscriber to reconnect', () => s.connects() >= 2);
    // After the re-sync: the other instance's cache holds nothing older than Postgres.
    expect(await resolveText(two.url, t.key, 'outage')).toBe('during 10');
    // And live events flow again through the re-established subscription.
    await untilLive(one.url, t.key, sub, 'probe');
    await addVersion(one.url, t.key, 'outage', 'after', { labels: ['production'] });
    await until('the post-outage event', () => sub.events.some((e) => e.promptChanged.version?.template === 'after'));
    expect(await resolveText(two.url, t.key, 'outage')).toBe('after');
    const revisions = sub.events.filter((e) => e.promptChanged.promptName === 'outage').map((e) => e.promptChanged.revision);
    expect([...revisions].sort((x, y) => x - y)).toEqual(revisions);
    expect(await metric(one.url, 'pubsub_publish_failures_total')).toBeGreaterThanOrEqual(10);
    await s.client.dispose();
  }, 60_000);

  test('CLIENT KILL TYPE pubsub: the instance re-subscribes, drops its cache and sends subscribers to re-sync', async () => {
    const t = await newTenant(one.url, ADMIN_KEY);
    await createPromptWith(one.url, t.key, 'probe', 'p');
    const s = retryingClient(two.url, t.key);
    const sub = collect(s.client, SUB, {});
    await untilLive(two.url, t.key, sub, 'probe');
    const before = await metric(two.url, 'pubsub_resyncs_total');
    await redis.cli('CLIENT', 'KILL', 'TYPE', 'pubsub');
    await until('both instances to re-subscribe', async () => (await metric(two.url, 'pubsub_resyncs_total'))! > before!);
    await until('the subscriber to be told to re-sync', () => s.closes.includes(1012));
    await until('the subscriber to reconnect', () => s.connects() >= 2);
    const seen = sub.events.length;
    await untilLive(one.url, t.key, sub, 'probe');
    expect(sub.events.length).toBeGreaterThan(seen);
    await s.client.dispose();
  }, 30_000);
});
