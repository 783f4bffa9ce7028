/** The WebSocket subscribe check, pure: parse → operation → subscription only → validation → cost. */
import { buildSchema } from '../../src/graphql/schema';
import { LIMITS } from '../../src/graphql/limits';
import { checkSubscribe, type SubscribeRequest } from '../../src/server/ws-subscribe-check';

const schema = buildSchema();

function refused(request: SubscribeRequest) {
  const r = checkSubscribe(schema, request);
  if (r.ok) throw new Error(`expected a refusal of ${request.query}`);
  return r.errors.map((e) => ({ code: e.extensions?.code, message: e.message }));
}

test('a valid subscription passes with its document and operation', () => {
  const r = checkSubscribe(schema, { query: 'subscription Live { promptChanged { revision } }' });
  expect(r.ok).toBe(true);
  if (r.ok) expect(r.operation.name?.value).toBe('Live');
});

test('syntax errors and oversized documents are GRAPHQL_PARSE_FAILED', () => {
  expect(refused({ query: 'subscription { promptChanged { ' })).toEqual([{ code: 'GRAPHQL_PARSE_FAILED', message: expect.stringContaining('Syntax Error') }]);
  const huge = `subscription { promptChanged { ${'revision '.repeat(LIMITS.maxTokens)} } }`;
  expect(refused({ query: huge })[0]!.code).toBe('GRAPHQL_PARSE_FAILED');
});

test('the operation: exactly one, or the named one; only subscriptions', () => {
  const two = 'subscription A { promptChanged { revision } } subscription B { promptChanged { kind } }';
  expect(refused({ query: two })).toEqual([{ code: 'BAD_REQUEST', message: 'Give exactly one operation, or an operationName that exists.' }]);
  expect(refused({ query: two, operationName: 'C' })[0]!.code).toBe('BAD_REQUEST');
  const picked = checkSubscribe(schema, { query: two, operationName: 'B' });
  expect(picked.ok && picked.operation.name?.value).toBe('B');
  expect(refused({ query: '{ me { id } }' })).toEqual([
    { code: 'BAD_REQUEST', message: 'Only subscriptions run over WebSocket; send queries and mutations to POST /graphql.' },
  ]);
  expect(refused({ query: 'mutation { revokeSession(id: "x") { id } }' })[0]!.code).toBe('BAD_REQUEST');
});

test("the client's own report is the one mutation allowed over the socket, alone", () => {
  const report = 'mutation($i: ClientStateInput!) { reportClientState(input: $i) { acceptedAt } }';
  expect(checkSubscribe(schema, { query: report }).ok).toBe(true);
  const mixed = 'mutation($i: ClientStateInput!) { reportClientState(input: $i) { acceptedAt } revokeSession(id: "x") { id } }';
  expect(refused({ query: mixed })[0]!.code).toBe('BAD_REQUEST');
  expect(refused({ query: 'mutation { ...F } fragment F on Mutation { revokeSession(id: "x") { id } }' })[0]!.code).toBe('BAD_REQUEST');
});

test('validation: unknown fields, depth and aliases over the limits', () => {
  expect(refused({ query: 'subscription { promptChanged { nope } }' })[0]!.code).toBe('GRAPHQL_VALIDATION_FAILED');
  const deep = 'subscription { promptChanged { prompt { labels { version { prompt { labels { version { prompt { labels { name } } } } } } } } } }';
  expect(refused({ query: deep })).toEqual([{ code: 'GRAPHQL_VALIDATION_FAILED', message: expect.stringContaining('levels deep') }]);
  const aliases = `subscription { promptChanged { ${Array.from({ length: LIMITS.maxAliases + 1 }, (_, i) => `a${i}: revision`).join(' ')} } }`;
  expect(refused({ query: aliases })).toEqual([{ code: 'GRAPHQL_VALIDATION_FAILED', message: expect.stringContaining('aliases') }]);
});

test('cost: over budget is refused, and page sizes from variables count', () => {
  const query = 'subscription($n: Int) { promptChanged { prompt { versions(first: $n) { prompt { versions(first: $n) { id } } } } } }';
  expect(checkSubscribe(schema, { query, variables: { n: 2 } }).ok).toBe(true);
  expect(refused({ query, variables: { n: 100 } })).toEqual([{ code: 'COST_LIMIT_EXCEEDED', message: expect.stringContaining('too expensive') }]);
});
