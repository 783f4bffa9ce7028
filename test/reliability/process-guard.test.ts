/** The last resort: an exception nothing caught is logged, the server stops in order and exits 70. */
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';
import { spawnServer } from '../helpers/server';
import { UNCAUGHT_EXIT_CODE } from '../../src/process-guard';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

test('an uncaught exception is logged with its cause, the server shuts down in order and exits for the supervisor', async () => {
  const server = await spawnServer({ DATABASE_URL: db.url }, 30_000, ['--require', path.resolve(__dirname, '../fixtures/throw-on-sigusr2.cjs')]);
  server.child.kill('SIGUSR2');
  const exit = await Promise.race([server.exited, new Promise((r) => setTimeout(() => r('still running'), 15_000).unref())]);
  expect(exit).toEqual({ code: UNCAUGHT_EXIT_CODE, signal: null });
  const lines = server
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, any>);
  const fatal = lines.find((l) => l.level === 60);
  expect(fatal?.msg).toMatch(/uncaught exception/);
  expect(fatal?.err?.message).toMatch(/reading 'write'/);
  // Stopped in order (readiness off, drain, flush, close) rather than dying mid-write.
  const steps = lines.map((l) => l.msg as string).filter((m) => m.startsWith('shutdown: '));
  expect(steps).toEqual(expect.arrayContaining(['shutdown: http drained', 'shutdown: metric ingestion flushed', 'shutdown: database closed']));
  expect(steps.indexOf('shutdown: database closed')).toBe(steps.length - 1);
});
