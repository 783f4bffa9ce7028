/**
 * Version numbers are race-free: concurrent createVersion calls on one prompt get the next numbers
 * with no gap or repeat, in one process and across two real server processes on one Postgres.
 */
import { ok, gql } from './helpers/graphql';
import { createTestDatabase, withSql, type TestDatabase } from './helpers/postgres';
import { createPromptWith, newTenant } from './helpers/seed';
import { ADMIN_KEY, spawnServer, startServer, type ServerProcess, type TestServer } from './helpers/server';

const CREATE = 'mutation($i: CreateVersionInput!) { createVersion(input: $i) { number } }';

let db: TestDatabase;
let inProcess: TestServer;
let procs: ServerProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  inProcess = await startServer({ databaseUrl: db.url });
  procs = await Promise.all([spawnServer({ DATABASE_URL: db.url }), spawnServer({ DATABASE_URL: db.url })]);
}, 90_000);
afterAll(async () => {
  await Promise.all(procs.map((p) => p.kill()));
  await inProcess?.stop();
  await db?.drop();
});

async function numbersInDb(promptName: string): Promise<number[]> {
  return withSql(db.url, async (sql) => {
    const rows = await sql`select v.number from prompt_versions v join prompts p on p.id = v.prompt_id where p.name = ${promptName} order by v.number`;
    return rows.map((r) => Number(r.number));
  });
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

test('30 concurrent createVersion calls in one process get 2..31 exactly', async () => {
  const t = await newTenant(inProcess.url, ADMIN_KEY);
  await createPromptWith(inProcess.url, t.key, 'race', 'v1');
  const results = await Promise.all(range(1, 30).map((i) => ok(inProcess.url, t.key, CREATE, { i: { promptName: 'race', template: `v${i}` } })));
  expect(results.map((r) => r.createVersion.number).sort((a, b) => a - b)).toEqual(range(2, 31));
  expect(await numbersInDb('race')).toEqual(range(1, 31));
});

test('30 concurrent createVersion calls spread over two server processes get 2..31 exactly', async () => {
  const t = await newTenant(procs[0]!.url, ADMIN_KEY);
  await createPromptWith(procs[0]!.url, t.key, 'race2', 'v1');
  const results = await Promise.all(range(1, 30).map((i) => ok(procs[i % 2]!.url, t.key, CREATE, { i: { promptName: 'race2', template: `v${i}` } })));
  expect(results.map((r) => r.createVersion.number).sort((a, b) => a - b)).toEqual(range(2, 31));
  expect(await numbersInDb('race2')).toEqual(range(1, 31));
  const revision = await ok(procs[1]!.url, t.key, '{ prompt(name: "race2") { revision } }');
  expect(revision.prompt.revision).toBe(32);
});

test('with the same expectedRevision on two processes, exactly one writer wins and the rest get CONFLICT', async () => {
  const t = await newTenant(procs[0]!.url, ADMIN_KEY);
  await createPromptWith(procs[0]!.url, t.key, 'occ-race', 'v1');
  const results = await Promise.all(
    range(1, 20).map((i) => gql(procs[i % 2]!.url, t.key, CREATE, { i: { promptName: 'occ-race', template: `v${i}`, expectedRevision: 2 } })),
  );
  const codes = results.map((r) => (r.errors ? r.errors[0]!.extensions!.code : 'OK'));
  expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
  expect(codes.filter((c) => c === 'CONFLICT')).toHaveLength(19);
  expect(await numbersInDb('occ-race')).toEqual([1, 2]);
});
