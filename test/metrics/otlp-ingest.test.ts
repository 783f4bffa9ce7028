/**
 * OTLP/HTTP ingestion against a real server on Postgres: an instrumented app (test/fixtures/otel-genai-app.ts,
 * a child process using the real OTLP exporters, JSON and protobuf) sends GenAI spans carrying
 * prompt_service.version_id; they become recorded calls (model, tokens, latency, failure), once even when
 * exported twice, other spans are ignored, an unknown version is rejected in partialSuccess. Plus the
 * HTTP contract: auth, scopes, content types, bad bodies, limits.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { ok } from '../helpers/graphql';
import { createTestDatabase, withSql, type TestDatabase } from '../helpers/postgres';
import { createPromptWith, keyWith, newTenant, type Tenant } from '../helpers/seed';
import { startServer, type TestServer } from '../helpers/server';

jest.setTimeout(90_000);

const ROOT = path.resolve(__dirname, '../..');
let db: TestDatabase;
let server: TestServer;
let tenant: Tenant;
let ingestKey: string;
let endpoint: string;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startServer({ databaseUrl: db.url });
  tenant = await newTenant(server.url, server.adminKey);
  ingestKey = await keyWith(server.url, tenant.key, { scopes: ['metrics:write'] });
  endpoint = server.url.replace(/\/graphql$/, '/v1/traces');
});

afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

type AppResult = { ok: string; failed: string; unknown: string; spans: number; results: number[] };

async function runApp(protocol: 'json' | 'protobuf', versionId: string): Promise<AppResult> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/fixtures/otel-genai-app.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      ENDPOINT: endpoint,
      KEY: ingestKey,
      VERSION_ID: versionId,
      PROTOCOL: protocol,
      UNKNOWN_VERSION_ID: randomUUID(),
    },
    timeout: 60_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as AppResult;
}

type CallRow = {
  call_id: string;
  model: string;
  latency_ms: number;
  input_tokens: number | null;
  output_tokens: number | null;
  success: boolean;
  error_code: string | null;
  request_id: string | null;
};
const callsOf = (versionId: string) =>
  withSql(
    db.url,
    (sql) =>
      sql<
        CallRow[]
      >`SELECT call_id, model, latency_ms::float8 AS latency_ms, input_tokens::int AS input_tokens, output_tokens::int AS output_tokens, success, error_code, request_id FROM metric_calls WHERE version_id = ${versionId} ORDER BY latency_ms DESC`,
  );

test.each(['json', 'protobuf'] as const)('spans from the real OTLP exporter (%s) become calls, once', async (protocol) => {
  const version = (await createPromptWith(server.url, tenant.key, `otel/${protocol}`, 'Hi')).createPrompt.activeVersion;
  const result = await runApp(protocol, version.id);
  expect(result.spans).toBe(4);
  expect(result.results).toEqual([0, 0]); // ExportResultCode.SUCCESS both times (the second is a retry of the same spans)

  const calls = await callsOf(version.id);
  expect(calls).toHaveLength(2); // the re-export counted once; the non-GenAI span and the unknown version are not calls
  expect(calls[0]).toMatchObject({
    model: 'claude-sonnet-resp',
    input_tokens: 120,
    output_tokens: 30,
    success: true,
    error_code: null,
    request_id: 'req-otel-1',
  });
  expect(calls[0]!.call_id).toMatch(new RegExp(`^otel:[0-9a-f]{32}:${result.ok}$`));
  expect(Number(calls[0]!.latency_ms)).toBeCloseTo(250, 0);
  expect(calls[1]).toMatchObject({ model: 'claude-sonnet-req', input_tokens: 80, success: false, error_code: 'rate_limit' });
  expect(calls[1]!.call_id).toMatch(new RegExp(`:${result.failed}$`));
  expect(Number(calls[1]!.latency_ms)).toBeCloseTo(40, 0);

  const m = await ok(server.url, tenant.key, 'query($n: String) { metrics(filter: { promptName: $n }) { totalCalls successRate inputTokens outputTokens } }', {
    n: `otel/${protocol}`,
  });
  expect(m.metrics).toEqual([{ totalCalls: 2, successRate: 0.5, inputTokens: 200, outputTokens: 30 }]);
});

const span = (over: Record<string, unknown> = {}, attributes: { key: string; value: Record<string, unknown> }[] = []) => ({
  traceId: randomUUID().replace(/-/g, ''),
  spanId: randomUUID().replace(/-/g, '').slice(0, 16),
  name: 'chat',
  startTimeUnixNano: String(BigInt(Date.now() - 100) * 1_000_000n),
  endTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
  attributes,
  ...over,
});
const body = (...spans: unknown[]) => JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 't' }, spans }] }] });
const post = (payload: string | Buffer, headers: Record<string, string> = {}) =>
  fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ingestKey}`, ...headers }, body: payload });

test('a span the service refuses is reported in partialSuccess; the rest is stored', async () => {
  const version = (await createPromptWith(server.url, tenant.key, 'otel/partial', 'Hi')).createPrompt.activeVersion;
  const attr = (v: string) => [{ key: 'prompt_service.version_id', value: { stringValue: v } }];
  const good = span({}, [...attr(version.id), { key: 'gen_ai.usage.input_tokens', value: { intValue: '7' } }]);
  const negative = span({ endTimeUnixNano: '1' }, attr(version.id)); // ends before it starts
  const missing = span({}, attr(randomUUID()));
  const res = await post(body(good, negative, missing));
  expect(res.status).toBe(200);
  const answer = (await res.json()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
  expect(answer.partialSuccess.rejectedSpans).toBe('2');
  expect(answer.partialSuccess.errorMessage).toContain(`span ${negative.spanId}: span.latencyMs`);
  expect(answer.partialSuccess.errorMessage).toContain(`span ${missing.spanId}: versionId`);
  expect((await callsOf(version.id)).map((c) => [c.call_id, c.input_tokens])).toEqual([[`otel:${good.traceId}:${good.spanId}`, 7]]);
  // Same span id, other values: a conflict, rejected; the stored call is unchanged.
  const changed = { ...good, attributes: [...attr(version.id), { key: 'gen_ai.usage.input_tokens', value: { intValue: 8 } }] };
  const again = (await (await post(body(changed))).json()) as { partialSuccess: { errorMessage: string } };
  expect(again.partialSuccess.errorMessage).toContain('callId');
  expect((await callsOf(version.id)).map((c) => c.input_tokens)).toEqual([7]);
});

test('auth, scopes, content types, bad bodies and limits answer JSON errors with a code', async () => {
  const codeOf = async (res: Response) => ({ status: res.status, code: ((await res.json()) as { error: { code: string } }).error.code });
  expect(await codeOf(await post(body(), { authorization: '' }))).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
  expect(await codeOf(await post(body(), { authorization: 'Bearer pm_live_nope' }))).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
  const readKey = await keyWith(server.url, tenant.key, { scopes: ['prompts:read'] });
  const version = (await createPromptWith(server.url, tenant.key, 'otel/auth', 'Hi')).createPrompt.activeVersion;
  const one = body(span({}, [{ key: 'prompt_service.version_id', value: { stringValue: version.id } }]));
  expect(await codeOf(await post(one, { authorization: `Bearer ${readKey}` }))).toEqual({ status: 403, code: 'FORBIDDEN' });
  expect(await codeOf(await post(body(), { 'content-type': 'text/plain' }))).toEqual({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
  expect(await codeOf(await fetch(endpoint, { headers: { authorization: `Bearer ${ingestKey}` } }))).toEqual({ status: 405, code: 'METHOD_NOT_ALLOWED' });
  expect(await codeOf(await post('{"resourceSpans": ['))).toEqual({ status: 400, code: 'BAD_REQUEST' });
  expect(await codeOf(await post(Buffer.from([0x0a, 0xff, 0xff]), { 'content-type': 'application/x-protobuf' }))).toEqual({ status: 400, code: 'BAD_REQUEST' });
  expect(await codeOf(await post(Buffer.alloc(3 * 1024 * 1024, 0x20)))).toEqual({ status: 413, code: 'BAD_REQUEST' });
  // gzip, as exporters with compression: 'gzip' send it.
  const gz = await post(gzipSync(Buffer.from(one)), { 'content-encoding': 'gzip' });
  expect(gz.status).toBe(200);
  expect(await gz.json()).toEqual({});
  expect(await callsOf(version.id)).toHaveLength(1);
  // Spans of other kinds only: nothing to store, success.
  const plain = await post(body(span(), span()));
  expect([plain.status, await plain.json()]).toEqual([200, {}]);
});
