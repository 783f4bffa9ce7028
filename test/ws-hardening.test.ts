/**
 * graphql-ws hardening with raw sockets: only graphql-transport-ws, protocol violations closed with
 * graphql-ws's codes, bounded frames, caps from the configuration (here 20 subscriptions per connection,
 * 50 connections per key, 60 per workspace) named in their refusals, slow consumers and dead peers
 * dropped rather than buffered or kept.
 */
import WebSocket from 'ws';
import { ok } from './helpers/graphql';
import { addVersion, createPromptWith, newTenant } from './helpers/seed';
import { ADMIN_KEY, startServer, type TestServer } from './helpers/server';
import { startTcpProxy } from './helpers/tcp-proxy';

const PROTOCOL = 'graphql-transport-ws';

type Raw = { ws: WebSocket; messages: any[]; closed: Promise<number>; reason: () => string };

function open(url: string, protocol: string | string[] = PROTOCOL): Raw {
  const ws = new WebSocket(url.replace(/^http/, 'ws'), protocol);
  const messages: any[] = [];
  ws.on('message', (d) => messages.push(JSON.parse(String(d))));
  ws.on('error', () => undefined);
  let reason = '';
  const closed = new Promise<number>((resolve) =>
    ws.on('close', (code, why) => {
      reason = String(why);
      resolve(code);
    }),
  );
  return { ws, messages, closed, reason: () => reason };
}

async function until(what: string, probe: () => unknown | Promise<unknown>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function acked(url: string, key: string): Promise<Raw> {
  const raw = open(url);
  await new Promise((resolve) => raw.ws.once('open', resolve));
  raw.ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } }));
  await until('connection_ack', () => raw.messages.some((m) => m.type === 'connection_ack') || raw.ws.readyState !== WebSocket.OPEN);
  return raw;
}

const subscribe = (raw: Raw, id: string, query: string, variables?: unknown) =>
  raw.ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));

describe('graphql-ws hardening', () => {
  let server: TestServer;
  const metrics = async () => (await fetch(server.url.replace('/graphql', '/metrics'))).text();
  const metric = async (name: string) => Number(new RegExp(`^${name.replace(/[{}]/g, (c) => `\\${c}`)} (\\S+)$`, 'm').exec(await metrics())?.[1] ?? 0);
  beforeAll(async () => {
    server = await startServer({
      env: { WS_KEEPALIVE_MS: '500', WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: '20', WS_MAX_CONNECTIONS_PER_KEY: '50', WS_MAX_CONNECTIONS_PER_WORKSPACE: '60' },
    });
  });
  afterAll(async () => server?.stop());

  test('the legacy graphql-ws subprotocol is refused and nothing is delivered', async () => {
    const raw = open(server.url, 'graphql-ws');
    const outcome = await Promise.race([
      raw.closed.then((code) => `closed ${code}`),
      new Promise<string>((resolve) => raw.ws.once('error', (e) => resolve(`error ${e.message}`))),
    ]);
    expect(outcome).toMatch(/closed 4406|error .*subprotocol/i);
    expect(raw.messages).toEqual([]);
  });

  test('protocol violations: subscribe before the ack is 4401, a second init is 4429, a frame over 64 KiB is 1009', async () => {
    const early = open(server.url);
    await new Promise((r) => early.ws.once('open', r));
    subscribe(early, '1', 'subscription { promptChanged { kind } }');
    expect(await early.closed).toBe(4401);

    const twice = await acked(server.url, ADMIN_KEY);
    twice.ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${ADMIN_KEY}` } }));
    expect(await twice.closed).toBe(4429);

    const big = await acked(server.url, ADMIN_KEY);
    subscribe(big, '1', `subscription { promptChanged { kind } } # ${'x'.repeat(70 * 1024)}`);
    expect(await big.closed).toBe(1009);
  });

  test('at most 20 subscriptions per connection: the 21st and a flood after it get RATE_LIMITED, the 20 stay live', async () => {
    const t = await newTenant(server.url, ADMIN_KEY);
    const raw = await acked(server.url, t.key);
    for (let i = 1; i <= 20; i++) subscribe(raw, `s${i}`, 'subscription { promptChanged { revision } }');
    for (let i = 21; i <= 500; i++) subscribe(raw, `s${i}`, 'subscription { promptChanged { revision } }');
    await until('480 refusals', () => raw.messages.filter((m) => m.type === 'error').length >= 480);
    const refused = raw.messages.filter((m) => m.type === 'error');
    expect(refused.every((m) => m.payload[0].extensions.code === 'RATE_LIMITED')).toBe(true);
    expect(refused[0].payload[0].message).toContain('WS_MAX_SUBSCRIPTIONS_PER_CONNECTION=20');
    expect(new Set(refused.map((m) => m.id)).has('s20')).toBe(false);
    expect(raw.ws.readyState).toBe(WebSocket.OPEN);
    await createPromptWith(server.url, t.key, 'capped', 'x');
    await until('20 deliveries per event', () => new Set(raw.messages.filter((m) => m.type === 'next').map((m) => m.id)).size === 20);
    raw.ws.close();
    await raw.closed;
  });

  test('at most 50 connections per key (WS_MAX_CONNECTIONS_PER_KEY): the 51st is closed with 4429 naming the cap', async () => {
    const t = await newTenant(server.url, ADMIN_KEY);
    const conns: Raw[] = [];
    for (let i = 0; i < 50; i++) conns.push(await acked(server.url, t.key));
    expect(conns.every((c) => c.ws.readyState === WebSocket.OPEN)).toBe(true);
    const extra = await acked(server.url, t.key);
    expect(await extra.closed).toBe(4429);
    expect(extra.reason()).toBe('Too many connections for this key (WS_MAX_CONNECTIONS_PER_KEY=50)');
    conns[0]!.ws.close();
    await conns[0]!.closed;
    const replacement = await acked(server.url, t.key);
    expect(replacement.messages.some((m) => m.type === 'connection_ack')).toBe(true);
    for (const c of [...conns, replacement]) c.ws.close();
    await Promise.all([...conns, replacement].map((c) => c.closed));
  });

  test('at most 60 connections per workspace (WS_MAX_CONNECTIONS_PER_WORKSPACE), over all its keys: the 61st is closed with 4429 naming the cap', async () => {
    const t = await newTenant(server.url, ADMIN_KEY);
    const second = (await ok(server.url, t.key, 'mutation { createApiKey(input: { name: "second", role: VIEWER }) { key } }')).createApiKey.key as string;
    const conns: Raw[] = [];
    for (let i = 0; i < 60; i++) conns.push(await acked(server.url, i < 40 ? t.key : second));
    expect(conns.every((c) => c.ws.readyState === WebSocket.OPEN)).toBe(true);
    const extra = await acked(server.url, second);
    expect(await extra.closed).toBe(4429);
    expect(extra.reason()).toBe('Too many connections for this workspace (WS_MAX_CONNECTIONS_PER_WORKSPACE=60)');
    for (const c of conns) c.ws.close();
    await Promise.all(conns.map((c) => c.closed));
  });

  test('a client that stops reading is disconnected instead of being buffered without bound', async () => {
    // A server with the default 12 s keep-alive, so the slow-consumer check (not a missed pong) acts.
    const outer = server;
    server = await startServer();
    try {
      await slowConsumer();
    } finally {
      await server.stop();
      server = outer;
    }
  }, 60_000);

  async function slowConsumer() {
    const t = await newTenant(server.url, ADMIN_KEY);
    const big = 'y'.repeat(60 * 1024);
    await createPromptWith(server.url, t.key, 'big', big);
    const raw = await acked(server.url, t.key);
    for (let i = 1; i <= 20; i++) subscribe(raw, `s${i}`, 'subscription { promptChanged(name: "big") { version { template } } }');
    await until('subscriptions registered', async () => (await metric('ws_subscriptions')) >= 20);
    (raw.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const before = await metric('ws_server_closes_total{code="1013"}');
    // Each change sends 20 × 60 KB to a socket nobody reads: once the kernel buffers are full the
    // server's send buffer stops draining, and the socket is dropped (1013) after at most 5 s.
    let i = 0;
    await until(
      'the slow consumer to be dropped',
      async () => {
        if (i < 40) await addVersion(server.url, t.key, 'big', `${big}${i++}`);
        return (await metric('ws_server_closes_total{code="1013"}')) > before;
      },
      30_000,
    );
    await until('its connection to be gone', async () => (await metric('ws_authenticated_connections')) === 0);
    raw.ws.terminate();
  }

  test('a dead peer (a black-holed TCP path) is dropped by keep-alive pings', async () => {
    const proxy = await startTcpProxy(server.port);
    const t = await newTenant(server.url, ADMIN_KEY);
    const raw = await acked(`http://127.0.0.1:${proxy.port}/graphql`, t.key);
    subscribe(raw, 'dead', 'subscription { promptChanged { revision } }');
    await until('the subscription to register', async () => (await metric('ws_subscriptions')) >= 1);
    const before = await metric('ws_authenticated_connections');
    proxy.blackhole();
    // Pings every 500 ms in this server; a missing pong gets the socket terminated (no close frame can pass).
    await until('the server to drop the dead peer', async () => (await metric('ws_authenticated_connections')) < before, 10_000);
    raw.ws.terminate();
    await proxy.close();
  });

  test('queries and mutations never run over the socket (no row, same errors as HTTP)', async () => {
    const t = await newTenant(server.url, ADMIN_KEY);
    const raw = await acked(server.url, t.key);
    subscribe(raw, 'm', 'mutation { createPrompt(input: { name: "via-ws" }) { id } }');
    subscribe(raw, 'q', '{ prompts { totalCount } }');
    await until('two errors', () => raw.messages.filter((m) => m.type === 'error').length === 2);
    expect((await ok(server.url, t.key, '{ prompt(name: "via-ws") { id } }')).prompt).toBeNull();
    raw.ws.close();
  });
});
