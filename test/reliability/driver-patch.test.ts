/**
 * The postgres.js null-socket crash (porsager/postgres #1066, #1154, #1208): a real Postgres kills
 * the backends of busy connections; the unpatched driver dies, the patched one settles every query
 * with a connection error and serves again. Also: the patch is pinned and applied at install.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertPostgresDriverPatched, postgresDriverPatchState, PATCHED_DRIVER_VERSION } from '../../src/db/driver-patch';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';

const ROOT = path.resolve(__dirname, '../..');
const SCENARIO = path.join(ROOT, 'test/fixtures/driver-fault-scenario.cjs');
const PATCH_DIR = path.join(ROOT, 'src/db/patches');
const INSTALLED = path.join(ROOT, 'node_modules/postgres');

function runScenario(driverDir: string, url: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SCENARIO, driverDir, url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

let db: TestDatabase;
let unpatchedRoot: string;
beforeAll(async () => {
  db = await createTestDatabase();
  // A pristine copy of the installed driver: the patch reversed.
  unpatchedRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-unpatched-'));
  fs.mkdirSync(path.join(unpatchedRoot, 'node_modules'));
  fs.cpSync(INSTALLED, path.join(unpatchedRoot, 'node_modules/postgres'), { recursive: true });
  execFileSync('patch', ['-R', '-p1', '-s', '-i', path.join(PATCH_DIR, `postgres+${PATCHED_DRIVER_VERSION}.patch`)], { cwd: unpatchedRoot });
});
afterAll(async () => {
  await db?.drop();
  if (unpatchedRoot) fs.rmSync(unpatchedRoot, { recursive: true, force: true });
});

test('unpatched postgres@3.4.9 dies when a busy connection loses its backend (the defect, reproduced)', async () => {
  const r = await runScenario(path.join(unpatchedRoot, 'node_modules/postgres'), db.url);
  // Usually the process dies from the immediate; when a stale write timer wins the race instead,
  // the query is never written and never settles (breeze#3225). Either is the defect.
  const crashed = r.code !== 0 && /Cannot read properties of null \(reading 'write'\)[\s\S]*nextWrite/.test(r.out);
  const hung = r.code === 0 && /"unsettled"/.test(r.out);
  expect({ crashed, hung, out: r.out.slice(0, 2000) }).toEqual(expect.objectContaining(crashed ? { crashed: true } : { hung: true }));
});

test('the installed (patched) driver survives: every query settles, the pool serves again', async () => {
  const r = await runScenario(INSTALLED, db.url);
  expect({ code: r.code, out: r.code === 0 ? '' : r.out }).toEqual({ code: 0, out: '' });
  const outcome = JSON.parse(r.out.trim().split('\n').pop()!) as Record<string, Record<string, number>>;
  // Killed transactions fail with a catchable connection error; none is left hanging.
  expect(Object.keys(outcome.transactions!)).toEqual(['CONNECTION_CLOSED']);
  expect(outcome.pooled!.unsettled ?? 0).toBe(0);
  expect(outcome.pooled!.ok).toBeGreaterThan(100);
  // No poisoned pool slot: every query after the kills succeeds.
  expect(outcome.after).toEqual({ ok: 20 });
});

test('the patch is pinned to the exact driver version and applied on every install, failing loudly otherwise', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  expect(pkg.dependencies.postgres).toBe(PATCHED_DRIVER_VERSION);
  expect(pkg.scripts.postinstall).toBe('patch-package --patch-dir src/db/patches --error-on-fail --error-on-warn');
  expect(fs.readdirSync(PATCH_DIR)).toEqual([`postgres+${PATCHED_DRIVER_VERSION}.patch`]);
  expect(postgresDriverPatchState()).toMatchObject({ version: PATCHED_DRIVER_VERSION, patched: true });
  // The server refuses to start on an unpatched driver or another version.
  expect(() => assertPostgresDriverPatched({ version: PATCHED_DRIVER_VERSION, patched: false, file: 'x' })).toThrow(/not patched/);
  expect(() => assertPostgresDriverPatched({ version: '3.4.10', patched: true, file: 'x' })).toThrow(/3\.4\.10.*3\.4\.9 only/);
});
