/**
 * GraphQL over HTTP GET: a query with an `Authorization` header runs (a browser preflights any request carrying
 * it, so there is no CSRF risk) — urql with its defaults (GET for queries) works; a mutation over GET does not
 * run; a cookie-authenticated GET keeps the preflight rule (refused without a preflight header).
 */
import { Client, fetchExchange } from '@urql/core';
import { ADMIN_PERSON, signIn, withAdminPerson, type Browser } from '../helpers/people';
import { ADMIN_KEY, startServer, type TestServer } from '../helpers/server';

let server: TestServer;
let person: Browser;
beforeAll(async () => {
  server = await startServer({ env: withAdminPerson() });
  person = await signIn(server, ADMIN_PERSON.email, ADMIN_PERSON.password);
});
afterAll(async () => server?.stop());

const getUrl = (query: string) => `${server.url}?${new URLSearchParams({ query })}`;

test('urql with its defaults sends the query as GET with the key, and it runs', async () => {
  const methods: string[] = [];
  const client = new Client({
    url: server.url,
    exchanges: [fetchExchange],
    fetchOptions: { headers: { authorization: `Bearer ${ADMIN_KEY}` } },
    // The real fetch, recording the method urql chose.
    fetch: (input, init) => {
      methods.push(init?.method ?? 'GET');
      return fetch(input, init);
    },
  });
  const r = await client.query('query Me { me { name role } }', {}).toPromise();
  expect(r.error).toBeUndefined();
  expect((r.data as any).me.role).toBe('ADMIN');
  expect(methods).toEqual(['GET']);
});

test('a GET with Authorization runs a query; a mutation over GET does not run', async () => {
  const q = await fetch(getUrl('{ prompts(first: 5) { totalCount } }'), { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
  expect(q.status).toBe(200);
  expect(((await q.json()) as any).data.prompts.totalCount).toEqual(expect.any(Number));
  const m = await fetch(getUrl('mutation { createApiKey(input: { name: "via-get", role: VIEWER }) { key } }'), {
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
  });
  expect(m.status).toBe(405);
  const keys = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
    body: JSON.stringify({ query: '{ apiKeys { name } }' }),
  });
  expect(JSON.stringify(await keys.json())).not.toContain('via-get');
});

test('a cookie-authenticated GET needs a preflight header, as before', async () => {
  const refused = await person.request(`/graphql?${new URLSearchParams({ query: '{ me { name } }' })}`);
  expect(refused.status).toBe(400);
  expect(JSON.stringify(refused.body)).toMatch(/CSRF/);
  const allowed = await person.request(`/graphql?${new URLSearchParams({ query: '{ me { name } }' })}`, { headers: { 'apollo-require-preflight': 'true' } });
  expect(allowed.status).toBe(200);
  expect(allowed.body.data.me.name).toEqual(expect.any(String));
});
