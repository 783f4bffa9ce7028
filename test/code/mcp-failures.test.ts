/**
 * MCP failures for operators (src/mcp/mcp-failures.ts), with a real pino logger at debug and the real database-failure
 * monitor: each failure is counted under its code; the caller's own is logged at debug with the request id, method, tool
 * and code; an unexpected one at error with its stack, as INTERNAL_SERVER_ERROR; a database failure through the monitor
 * (logged and counted by class, as GraphQL's are). The counter at GET /metrics is in mcp.test.ts.
 */
import { Writable } from 'node:stream';
import { createDbFailureMonitor, type DbFailureMonitor } from '../../src/db/failures';
import { NotFoundError } from '../../src/errors';
import { createLogger } from '../../src/logger';
import { createMcpFailures } from '../../src/mcp/mcp-failures';

let dbFailures: DbFailureMonitor;
let logs: Record<string, any>[];
let failures: ReturnType<typeof createMcpFailures>;

beforeEach(() => {
  logs = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(
        ...String(chunk)
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, any>),
      );
      cb();
    },
  });
  dbFailures = createDbFailureMonitor({ ping: async () => true });
  failures = createMcpFailures({ logger: createLogger('debug', sink), dbFailures });
});
afterEach(() => dbFailures.stop());

const settled = () => new Promise((r) => setImmediate(r));

test("the caller's failure: counted under its code, logged at debug with the request id, method and tool", async () => {
  const call = { requestId: 'req-1', method: 'tools/call', tool: 'get_prompt_version' };
  const e = failures.record(new NotFoundError('No prompt named "x".'), call);
  failures.record(new NotFoundError('again'), call);
  expect(e?.code).toBe('NOT_FOUND');
  expect(failures.lines()).toEqual(['mcp_errors_total{code="NOT_FOUND"} 2']);
  await settled();
  expect(logs[0]).toMatchObject({ level: 20, msg: 'mcp error', ...call, code: 'NOT_FOUND', message: 'No prompt named "x".' });
});

test('an unexpected error: INTERNAL_SERVER_ERROR, logged at error with its stack', async () => {
  expect(failures.record(new Error('boom'), { requestId: 'req-2', method: 'prompts/get' })).toBeNull();
  expect(failures.lines()).toEqual(['mcp_errors_total{code="INTERNAL_SERVER_ERROR"} 1']);
  await settled();
  expect(logs[0]).toMatchObject({ level: 50, msg: 'unexpected error', requestId: 'req-2', method: 'prompts/get', code: 'INTERNAL_SERVER_ERROR' });
  expect(logs[0]!.err.stack).toContain('boom');
});

test('a database that cannot answer: UNAVAILABLE, logged and counted by the failure monitor', async () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  expect(failures.record(refused, { requestId: 'req-3', method: 'prompts/list' })?.code).toBe('UNAVAILABLE');
  expect(failures.lines()).toEqual(['mcp_errors_total{code="UNAVAILABLE"} 1']);
  expect(dbFailures.metrics()).toContain('db_failures_total{class="connection"} 1');
  await settled();
  expect(logs).toHaveLength(1);
  expect(logs[0]).toMatchObject({ level: 40, msg: 'database failure (connection)', requestId: 'req-3', method: 'prompts/list' });
});
