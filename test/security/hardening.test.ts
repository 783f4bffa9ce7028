/**
 * Hardening, the same on HTTP and WebSocket: token, depth, alias, directive and cost limits (one
 * document just under and one just over each), the R2 bypasses (operations and fragments named
 * __schema, fragment cycles, a 30-level fragment diamond), introspection only with a key, suggestions off, and
 * the malformed requests of RELIABILITY.md §(c). Every answer is a clean 4xx or GraphQL error: never
 * a 500, never a stack trace or driver detail, and the server keeps serving.
 */
import net from 'node:net';
import WebSocket from 'ws';
import { gql, ok } from '../helpers/graphql';
import { newTenant, createPromptWith, type Tenant } from '../helpers/seed';
import { ADMIN_KEY, startServer, type TestServer } from '../helpers/server';
import { collect, wsClient } from '../helpers/ws';

let server: TestServer;
let t: Tenant;
beforeAll(async () => {
  server = await startServer();
  t = await newTenant(server.url, ADMIN_KEY);
  await createPromptWith(server.url, t.key, 'p', 'hi {{x}}');
});
afterAll(async () => server?.stop());

/** Nothing a client sees may carry a stack, a driver or network detail, or a JS error name. */
const BLOCKLIST = /postgres|pglite|ECONN|relation "|constraint|\bat \/|127\.0\.0\.1|[A-Za-z]+Error:|stacktrace|node_modules|Did you mean/i;

async function raw(init: { method?: string; headers?: Record<string, string>; body?: string | Buffer; search?: string; auth?: boolean }) {
  const res = await fetch(server.url + (init.search ?? ''), {
    method: init.method ?? 'POST',
    headers: { ...(init.auth === false ? {} : { authorization: `Bearer ${t.key}` }), ...init.headers },
    body: init.body,
  });
  const text = await res.text();
  expect(text).not.toMatch(BLOCKLIST);
  expect(res.status).toBeLessThan(500);
  return {
    status: res.status,
    text,
    json: (() => {
      try {
        return JSON.parse(text);
      } catch {
        return null;
      }
    })(),
  };
}

const post = (query: string, variables?: unknown, extra: Record<string, unknown> = {}) =>
  raw({ headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables, ...extra }) });

/** Runs one subscription document over graphql-ws; returns the first error code (or undefined when it subscribed). */
async function overWs(query: string, variables?: Record<string, unknown>, waitMs = 10_000): Promise<{ code?: string; message?: string }> {
  const client = wsClient(server.url, t.key);
  const sub = collect(client, query, variables);
  // Returns as soon as an error or event arrives; a subscription that is accepted sends nothing, so the cases that
  // expect one pass a short wait.
  await sub.waitFor(1, waitMs).catch(() => undefined);
  sub.dispose();
  await client.dispose();
  const first = sub.errors[0] as any;
  const e = Array.isArray(first) ? first[0] : first;
  expect(JSON.stringify(sub.errors)).not.toMatch(BLOCKLIST);
  return { code: e?.extensions?.code ?? (e ? 'CLOSED' : undefined), message: e?.message };
}

const nest = (levels: string[], leaf: string) => levels.reduceRight((inner, f) => `${f} { ${inner} }`, leaf);
const repeat = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(' ');

describe('limits, HTTP', () => {
  test('depth: 8 levels run, 9 are rejected before execution', async () => {
    const under8 = `{ ${nest(['prompts', 'edges', 'node', 'labels', 'version', 'prompt', 'labels'], 'name')} }`;
    const over9 = `{ ${nest(['prompts', 'edges', 'node', 'labels', 'version', 'prompt', 'labels', 'version'], 'number')} }`;
    expect((await post(under8)).json.errors).toBeUndefined();
    const r = await post(over9);
    expect(r.status).toBe(400);
    expect(r.json.data).toBeUndefined();
    expect(r.json.errors[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(r.json.errors[0].message).toMatch(/nested 9 levels/);
  });

  test('aliases: 15 run, 16 are rejected; directives: 10 run, 11 are rejected', async () => {
    expect((await post(`{ ${repeat(15, (i) => `a${i}: __typename`)} }`)).json.errors).toBeUndefined();
    expect((await post(`{ ${repeat(16, (i) => `a${i}: __typename`)} }`)).json.errors[0].message).toMatch(/16 aliases/);
    expect((await post(`{ ${repeat(10, () => '__typename @include(if: true)')} }`)).json.errors).toBeUndefined();
    expect((await post(`{ ${repeat(11, () => '__typename @include(if: true)')} }`)).json.errors[0].message).toMatch(/11 directives/);
  });

  test('cost: nested pages multiply, page sizes from variables count, metrics are expensive', async () => {
    const nested = 'query($n: Int) { prompts(first: $n) { edges { node { versions(first: $n) { id labels } } } } }';
    expect((await post(nested, { n: 5 })).json.errors).toBeUndefined();
    const big = await post(nested, { n: 500 });
    expect(big.status).toBe(400);
    // A code of its own, with the cost and the limit.
    expect(big.json.errors[0]).toMatchObject({ extensions: { code: 'COST_LIMIT_EXCEEDED', cost: expect.any(Number), limit: 10_000 } });
    expect(big.json.errors[0].extensions.cost).toBeGreaterThan(10_000);
    expect(big.json.errors[0].message).toMatch(/too expensive/);
    expect((await post('{ prompts(first: 500) { edges { node { versions(first: 500) { id } } } } }')).json.errors[0].message).toMatch(/too expensive/);
    // An omitted `first` counts as its default page (50), not as one item.
    expect((await post('{ prompts { edges { node { versions { metrics { totalCalls } } } } } }')).json.errors[0].message).toMatch(/too expensive/);
    const metricsBomb = `{ ${repeat(15, (i) => `m${i}: metrics(filter: {}) { totalCalls }`)} }`;
    expect((await post(metricsBomb)).json.errors[0].message).toMatch(/too expensive/);
  });

  test('tokens: a document over the token limit fails at parse; so do 2,000 duplicated fields', async () => {
    const r = await post(`{ ${repeat(4000, () => '__typename')} }`);
    expect(r.status).toBe(400);
    expect(r.json.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    expect((await post(`{ ${'a '.repeat(2000)}}`)).status).toBe(400);
  });

  test('R2 bypasses: operations and fragments named __schema, repeated deep spreads, cycles, a 30-level diamond', async () => {
    const deep = nest(['prompts', 'edges', 'node', 'labels', 'version', 'prompt', 'labels', 'version', 'prompt', 'labels'], 'name');
    for (const q of [
      `query __schema { ${deep} }`,
      `query { ...__schema ...__schema ...__schema } fragment __schema on Query { ${deep} }`,
      `query { ...__type } fragment __type on Query { ${deep} }`,
      'query { prompt(name: "p") { ...A } } fragment A on Prompt { ...B } fragment B on Prompt { ...A }',
      `query { ...F0 } ${repeat(30, (i) => `fragment F${i} on Query { ...F${i + 1} ...G${i + 1} } fragment G${i} on Query { ...F${i + 1} ...G${i + 1} }`)} fragment F30 on Query { __typename } fragment G30 on Query { __typename }`,
      `{ ${nest(
        Array.from({ length: 50 }, () => '__type(name: "Prompt") { fields { type { ofType'),
        'name',
      )} }`,
    ]) {
      const r = await post(q);
      expect([400, 413]).toContain(r.status);
      expect(r.json?.data).toBeUndefined();
    }
  });

  test('introspection needs a key by default (the refusal names GRAPHQL_INTROSPECTION), field suggestions are off', async () => {
    for (const q of ['{ __schema { types { name } } }', '{ __type(name: "Prompt") { fields { name } } }']) {
      const r = await raw({ headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: q }), auth: false });
      expect(r.status).toBe(401);
      expect(r.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(r.json.errors[0].message).toContain('GRAPHQL_INTROSPECTION');
      expect(r.json.data).toBeUndefined();
    }
    const typo = await post('{ promptz(name: "p") { id } }');
    expect(typo.json.errors[0].message).not.toMatch(/Did you mean/);
  });
});

describe('limits, WebSocket (the same rules on subscriptions)', () => {
  test('depth, aliases, directives, cost and tokens', async () => {
    const under = `subscription { ${nest(['promptChanged', 'prompt', 'labels', 'version', 'prompt', 'labels', 'version'], 'number')} }`;
    const over = `subscription { ${nest(['promptChanged', 'prompt', 'labels', 'version', 'prompt', 'labels', 'version', 'prompt'], 'name')} }`;
    expect(await overWs(under, undefined, 700)).toEqual({ code: undefined, message: undefined });
    expect(await overWs(over)).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', message: expect.stringMatching(/nested 9 levels/) });
    expect(await overWs(`subscription { promptChanged { ${repeat(16, (i) => `a${i}: revision`)} } }`)).toMatchObject({
      message: expect.stringMatching(/16 aliases/),
    });
    expect(await overWs(`subscription { promptChanged { ${repeat(11, () => 'revision @include(if: true)')} } }`)).toMatchObject({
      message: expect.stringMatching(/11 directives/),
    });
    const costly = 'subscription($n: Int) { promptChanged { prompt { versions(first: $n) { prompt { versions(first: $n) { id } } } } } }';
    expect(await overWs(costly, { n: 500 })).toMatchObject({ code: 'COST_LIMIT_EXCEEDED', message: expect.stringMatching(/too expensive/) });
    expect(await overWs(`subscription { promptChanged { ${repeat(4000, () => 'revision')} } }`)).toMatchObject({ code: 'GRAPHQL_PARSE_FAILED' });
  });

  test('bypasses, suggestions and malformed documents get clean errors; queries and mutations are refused', async () => {
    const results = await Promise.all(
      [
        'subscription __schema { promptChanged { prompt { labels { version { prompt { labels { version { prompt { labels { version { number } } } } } } } } } } }',
        'subscription { promptChanged { prompt { ...A } } } fragment A on Prompt { ...B } fragment B on Prompt { ...A }',
        'subscription { promptChangd { revision } }',
        '{',
        '}',
        'subscription {',
        '"""',
        '\\',
        '\ufeffsubscription { promptChanged { revision } }',
        'subscription { promptChanged(name: "a\u0000b") { revision } }',
        'subscription A { promptChanged { revision } } subscription B { promptChanged { revision } }',
        '{ __schema { types { name } } }',
        'mutation { createPrompt(input: { name: "via-ws" }) { id } }',
      ].map((q, i) => overWs(q, undefined, i === 8 ? 700 : 10_000)),
    );
    results.forEach(
      (r, i) =>
        i !== 8 &&
        expect({ i, code: r.code }).toEqual({ i, code: expect.stringMatching(/GRAPHQL_PARSE_FAILED|GRAPHQL_VALIDATION_FAILED|BAD_REQUEST|BAD_USER_INPUT/) }),
    );
    expect(results[8]!.code).toBeUndefined(); // a BOM is whitespace to GraphQL: the subscription is fine
    expect(results[2]).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(results[2]!.message).not.toMatch(/Did you mean/);
    expect((await ok(server.url, t.key, '{ prompt(name: "via-ws") { id } }')).prompt).toBeNull();
  });

  test("protocol abuse closes with the protocol's codes: a non-JSON message (4400), an oversized frame (1009)", async () => {
    const closeCode = (send: (ws: WebSocket) => void) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(server.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
        ws.on('open', () => {
          ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${t.key}` } }));
          ws.once('message', () => send(ws));
        });
        ws.on('close', (code) => resolve(code));
        ws.on('error', () => undefined);
      });
    expect(await closeCode((ws) => ws.send('{not json'))).toBe(4400);
    expect(await closeCode((ws) => ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'x'.repeat(70 * 1024) } })))).toBe(1009);
  });
});

describe('bad requests over HTTP (RELIABILITY.md §c)', () => {
  test('transport: CSRF, GET mutations, charsets, batches, bodies, envelopes', async () => {
    const json = { 'content-type': 'application/json' };
    const cases: Array<[string, Parameters<typeof raw>[0], number[]]> = [
      ['text/plain POST (CSRF)', { headers: { 'content-type': 'text/plain' }, body: '{"query":"{ me { id } }"}' }, [400]],
      ['form POST (CSRF)', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'query=%7B__typename%7D' }, [400]],
      ['multipart without preflight', { headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: '--x--' }, [400]],
      ['no content-type', { body: '{"query":"{ __typename }"}' }, [400]],
      [
        'GET with a mutation',
        {
          method: 'GET',
          headers: { 'apollo-require-preflight': '1' },
          search: `?query=${encodeURIComponent('mutation { createPrompt(input: { name: "by-get" }) { id } }')}`,
        },
        [400, 405],
      ],
      // Authorization makes a request non-simple (a browser preflights it): a GET query with a key runs.
      ['GET with a key, no preflight header', { method: 'GET', search: '?query=%7B__typename%7D' }, [200]],
      ['GET without a key or a preflight header', { method: 'GET', search: '?query=%7B__typename%7D', auth: false }, [400]],
      [
        'GET with a 100 KB query string',
        { method: 'GET', headers: { 'apollo-require-preflight': '1' }, search: `?query=${'%20'.repeat(33_000)}` },
        [400, 413, 414, 431],
      ],
      ['charset utf-7', { headers: { 'content-type': 'application/json; charset=utf-7' }, body: '{"query":"{ __typename }"}' }, [415]],
      ['charset ibm037', { headers: { 'content-type': 'application/json; charset=ibm037' }, body: '{"query":"{ __typename }"}' }, [415]],
      [
        'charset utf-16le',
        { headers: { 'content-type': 'application/json; charset=utf-16le' }, body: Buffer.from('{"query":"{ __typename }"}', 'utf16le') },
        [415],
      ],
      ['a JSON array (batch)', { headers: json, body: '[{"query":"{ __typename }"},{"query":"{ __typename }"}]' }, [400]],
      ['null body', { headers: json, body: 'null' }, [400]],
      ['empty body', { headers: json, body: '' }, [400]],
      ['[] body', { headers: json, body: '[]' }, [400]],
      ['{} body', { headers: json, body: '{}' }, [400]],
      ['not JSON', { headers: json, body: '{"query": "{ __typename }"' }, [400]],
      ['BOM-prefixed body', { headers: json, body: '\ufeff{"query":"{ __typename }"}' }, [200, 400]],
      ['variables as a string', { headers: json, body: '{"query":"{ __typename }","variables":"x"}' }, [400]],
      ['variables as an array', { headers: json, body: '{"query":"{ __typename }","variables":[1]}' }, [400]],
      ['variables as a number', { headers: json, body: '{"query":"{ __typename }","variables":3}' }, [400]],
      ['extensions as a string', { headers: json, body: '{"query":"{ __typename }","extensions":"x"}' }, [400]],
      ['operationName not a string', { headers: json, body: '{"query":"{ __typename }","operationName":5}' }, [400]],
      ['two operations, no operationName', { headers: json, body: JSON.stringify({ query: 'query A { __typename } query B { __typename }' }) }, [400]],
      ['an operationName that does not exist', { headers: json, body: JSON.stringify({ query: 'query A { __typename }', operationName: 'Z' }) }, [400]],
      ['NUL inside the query text', { headers: json, body: JSON.stringify({ query: '{ __typename \u0000 }' }) }, [400]],
      [
        'invalid UTF-8 bytes',
        {
          headers: json,
          body: Buffer.concat([
            Buffer.from('{"query":"{ __typename }","variables":{"a":"'),
            Buffer.from([0xc3, 0x28, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xe2, 0x82]),
            Buffer.from('"}}'),
          ]),
        },
        [200, 400],
      ],
      [
        'a body over 2 MB (10 MB string)',
        { headers: json, body: JSON.stringify({ query: '{ __typename }', variables: { s: 'x'.repeat(10 * 1024 * 1024) } }) },
        [413],
      ],
      [
        'JSON nested 1e6 deep',
        { headers: json, body: `{"query":"{ __typename }","variables":{"a":${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}}` },
        [400, 413],
      ],
      ['JSON nested 100 deep', { headers: json, body: `{"query":"{ __typename }","variables":{"a":${'['.repeat(100)}${']'.repeat(100)}}}` }, [400]],
      ['1 MB of whitespace', { headers: json, body: JSON.stringify({ query: `{ ${' '.repeat(1_000_000)} __typename }` }) }, [200]],
      ['100,000 commas', { headers: json, body: JSON.stringify({ query: `{ ${','.repeat(100_000)} __typename }` }) }, [200]],
      [
        '1,000 variables keys',
        {
          headers: json,
          body: JSON.stringify({ query: '{ __typename }', variables: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`v${i}`, i])) }),
        },
        [200],
      ],
    ];
    const wrong: string[] = [];
    for (const [name, init, statuses] of cases) {
      const r = await raw(init);
      if (!statuses.includes(r.status)) wrong.push(`${name}: ${r.status} ${r.text.slice(0, 200)}`);
    }
    expect(wrong).toEqual([]);
    expect((await ok(server.url, t.key, '{ prompt(name: "by-get") { id } }')).prompt).toBeNull();
  });

  test('arguments: NUL, lone surrogates, spoofed labels, page sizes, cursors and overflow are BAD_USER_INPUT (or a coercion error), never stored', async () => {
    const bad: Array<[string, Record<string, unknown>]> = [
      ['mutation($d: String) { updatePrompt(name: "p", input: { description: $d }) { id } }', { d: 'a\u0000b' }],
      ['mutation($d: String) { updatePrompt(name: "p", input: { description: $d }) { id } }', { d: 'a\ud800b' }],
      ['mutation($d: String) { updatePrompt(name: "p", input: { description: $d }) { id } }', { d: '\udc00' }],
      ['mutation($t: String) { createVersion(input: { promptName: "p", template: $t }) { id } }', { t: 'x\u0000' }],
      ['mutation($t: String) { createVersion(input: { promptName: "p", template: $t }) { id } }', { t: 'x'.repeat(300 * 1024) }],
      ['mutation($c: JSON) { createVersion(input: { promptName: "p", template: "x", config: $c }) { id } }', { c: { k: 'v\u0000' } }],
      [
        'mutation($c: JSON) { createVersion(input: { promptName: "p", template: "x", config: $c }) { id } }',
        { c: JSON.parse('{"a":'.repeat(30) + '1' + '}'.repeat(30)) },
      ],
      ...['prоduction', 'production\u200b', 'PRODUCTION', 'production ', '\u202eproduction', 'l'.repeat(10_000)].map((l): [string, Record<string, unknown>] => [
        'mutation($l: String!) { setProtectedLabels(labels: [$l]) { id } }',
        { l },
      ]),
      ['query($n: Int) { prompts(first: $n) { totalCount } }', { n: -1 }],
      ['query($n: Int) { prompts(first: $n) { totalCount } }', { n: 0 }],
      ['query($n: Int) { prompts(first: $n) { totalCount } }', { n: 1_000_000 }],
      ['query($n: Int) { prompts(first: $n) { totalCount } }', { n: 2147483648 }],
      ['query($a: String) { prompts(after: $a) { totalCount } }', { a: 'forged' }],
      ['query($a: String) { auditLog(after: $a) { totalCount } }', { a: Buffer.from('["prompt","x"]').toString('base64url') }],
      ['query($v: ID!) { renderVersion(versionId: $v) { text } }', { v: 'not-a-uuid' }],
      ['query($n: String!) { resolvePrompt(name: "p", label: $n) { text } }', { n: 'prоduction' }],
      ['query($a: ID) { auditLog(filter: { actorId: $a }) { totalCount } }', { a: 'not-a-uuid' }],
      ['query($a: String) { auditLog(filter: { action: $a }) { totalCount } }', { a: 'x\u0000' }],
      ['query($a: ID) { auditLog(filter: { targetId: $a }) { totalCount } }', { a: 'y'.repeat(5000) }],
      ['query($l: String) { prompt(name: "p") { labelHistory(label: $l) { label } } }', { l: 'a\u0000' }],
      ['query($r: String) { resolvePrompt(name: "p", variables: { x: "1" }, requestId: $r) { text } }', { r: 'r'.repeat(10_000) }],
      ['query($t: String) { validateTemplate(template: $t) { valid } }', { t: 'x'.repeat(300 * 1024) }],
      ['query($n: String!) { prompt(name: $n) { id } }', { n: 'p\u0000' }],
      ['query($s: String) { prompts(filter: { search: $s }) { totalCount } }', { s: 'x\u0000' }],
    ];
    const wrong: string[] = [];
    for (const [query, variables] of bad) {
      const r = await gql(server.url, t.key, query, variables);
      const code = r.errors?.[0]?.extensions?.code;
      if (r.status >= 500 || !['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED'].includes(code))
        wrong.push(`${query} ${JSON.stringify(variables).slice(0, 80)}: ${r.status} ${JSON.stringify(r.errors)}`);
      expect(JSON.stringify(r)).not.toMatch(BLOCKLIST);
    }
    expect(wrong).toEqual([]);
    const d = await ok(server.url, t.key, '{ prompt(name: "p") { revision description versions { number } } me { workspace { protectedLabels } } }');
    expect(d.prompt).toEqual({ revision: 2, description: null, versions: [{ number: 1 }] });
    expect(d.me.workspace.protectedLabels).toEqual(['production']);
  });

  test('content is data: template-injection strings are stored verbatim and never evaluated; prototype keys pollute nothing', async () => {
    const template = "{{constructor.constructor('return process')()}} <%= process.env %> ${7*7} #{7*7} {% raw %} '; DROP TABLE prompts;-- %_ \\";
    const create = await gql(server.url, t.key, 'mutation($t: String) { createVersion(input: { promptName: "p", template: $t }) { id template } }', {
      t: template,
    });
    // Either rejected as a malformed template (a clean BAD_USER_INPUT) or stored byte for byte.
    if (create.errors) expect(create.errors[0]!.extensions!.code).toBe('BAD_USER_INPUT');
    else expect(create.data.createVersion.template).toBe(template);
    const config = JSON.parse('{"__proto__":{"admin":true},"constructor":{"prototype":{"admin":true}}}');
    const v = await ok(server.url, t.key, 'mutation($c: JSON) { createVersion(input: { promptName: "p", template: "x", config: $c }) { config } }', {
      c: config,
    });
    expect(v.createVersion.config).toEqual(config);
    const inline = await gql(
      server.url,
      t.key,
      'mutation { createVersion(input: { promptName: "p", template: "y", config: { __proto__: { admin: true } } }) { config } }',
    );
    expect(inline.status).toBeLessThan(500);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).admin).toBeUndefined();
  });

  test('2,000 headers on a WebSocket upgrade or a POST are refused by the HTTP parser (431), not processed', async () => {
    const { port } = new URL(server.url);
    const status = (head: string) =>
      new Promise<string>((resolve) => {
        const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(head));
        let out = '';
        socket.on('data', (d) => (out += d.toString()));
        socket.on('close', () => resolve(out.split('\r\n')[0] ?? ''));
        socket.on('error', () => resolve(out.split('\r\n')[0] ?? ''));
      });
    const many = Array.from({ length: 2000 }, (_, i) => `x-h${i}: ${'v'.repeat(10)}`).join('\r\n');
    expect(
      await status(
        `GET /graphql HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${many}\r\n\r\n`,
      ),
    ).toMatch(/431/);
    expect(await status(`POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n${many}\r\n\r\n{}`)).toMatch(/431/);
  });

  test('after all of it the server still answers', async () => {
    expect((await ok(server.url, t.key, '{ me { name } }')).me.name).toBeTruthy();
  });
});

test('idle keep-alive connections outlive a load balancer idle timeout (60 s) and clients’ own, so no client sends on a closing socket', async () => {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${t.key}` },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  await res.text();
  // Node's default is 5 s: under load a client reused sockets the server was closing (ECONNRESET, "other side closed").
  expect(res.headers.get('keep-alive')).toBe('timeout=65');
});
