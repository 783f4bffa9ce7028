/**
 * Caps for a real fleet (issue 17, item 5): with the default configuration 1,000 subscribers sharing
 * one service key connect to one instance, each receives a change, and the 1,001st connection is
 * refused with 4429 and a reason naming WS_MAX_CONNECTIONS_PER_KEY and its value.
 */
import WebSocket from 'ws';
import { ok } from '../helpers/graphql';
import { usePostgresServer } from '../helpers/postgres';
import { createPromptWith, keyWith, newTenant } from '../helpers/seed';
import type { TestServer } from '../helpers/server';

jest.setTimeout(120_000);

let server: TestServer;
usePostgresServer((s) => {
  server = s;
});

type Closed = { code: number; reason: string };
type Sub = { ws: WebSocket; events: number; closed: Promise<Closed>; closedWith?: Closed };

/** A subscriber: connects, is acknowledged (or closed), subscribes to the prompt's changes. */
function subscriber(key: string): Promise<Sub> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(server.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const sub: Sub = {
      ws,
      events: 0,
      closed: new Promise((r) => ws.on('close', (code, reason) => r((sub.closedWith = { code, reason: String(reason) })))),
    };
    ws.on('error', reject);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } })));
    ws.on('message', (data: Buffer) => {
      const m = JSON.parse(String(data)) as { type: string };
      if (m.type === 'connection_ack') {
        ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { promptChanged(name: "fleet/shared") { revision } }' } }));
        resolve(sub);
      } else if (m.type === 'next') sub.events++;
    });
    void sub.closed.then(() => resolve(sub));
  });
}

test('1,000 subscribers on one key on one instance connect and get every change; the 1,001st is refused naming the cap', async () => {
  const t = await newTenant(server.url, server.adminKey);
  await createPromptWith(server.url, t.key, 'fleet/shared', 'v1');
  const serviceKey = await keyWith(server.url, t.key, { role: 'VIEWER' });
  const subs: Sub[] = [];
  try {
    for (let batch = 0; batch < 20; batch++) subs.push(...(await Promise.all(Array.from({ length: 50 }, () => subscriber(serviceKey)))));
    // 1013 "Try again later" is the retriable answer of an overloaded instance (a database wait past its bound):
    // a stock graphql-ws client reconnects, and so do these, a few times. Any other close fails the test.
    for (let round = 0; round < 3; round++) for (const [i, s] of subs.entries()) if (s.closedWith?.code === 1013) subs[i] = await subscriber(serviceKey);
    expect(subs.filter((s) => s.ws.readyState !== WebSocket.OPEN).map((s) => s.closedWith ?? s.ws.readyState)).toEqual([]);
    expect(subs).toHaveLength(1000);
    // Every subscription is registered before the change is made.
    const metrics = async () => (await fetch(server.url.replace('/graphql', '/metrics'))).text();
    for (let i = 0; i < 100 && !/^ws_subscriptions 1000$/m.test(await metrics()); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await metrics()).toMatch(/^ws_subscriptions 1000$/m);
    await ok(server.url, t.key, 'mutation { updatePrompt(name: "fleet/shared", input: { description: "fleet" }) { revision } }');
    for (let i = 0; i < 200 && subs.some((s) => s.events < 1); i++) await new Promise((r) => setTimeout(r, 50));
    expect(subs.filter((s) => s.events >= 1)).toHaveLength(1000);

    const extra = await subscriber(serviceKey);
    expect(await extra.closed).toEqual({ code: 4429, reason: 'Too many connections for this key (WS_MAX_CONNECTIONS_PER_KEY=1000)' });
  } finally {
    for (const s of subs) s.ws.close();
    await Promise.all(subs.map((s) => s.closed));
  }
});
