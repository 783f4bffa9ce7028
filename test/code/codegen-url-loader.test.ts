/**
 * graphql-codegen's URL loader against a real server process (issue 16, Done when): `generate()` of
 * @graphql-codegen/cli with `schema: { '<url>': { headers: { Authorization: 'Bearer <key>' } } }` and the typescript
 * plugin introspects the running server (introspection is allowed for authenticated callers by default) and writes
 * our types; without the header the same run fails with the server's refusal, which names the setting.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ADMIN_KEY, spawnServer, type ServerProcess } from '../helpers/server';

jest.setTimeout(180_000);
const ROOT = path.resolve(__dirname, '../..');

let server: ServerProcess;
let dir: string;

beforeAll(async () => {
  [server, dir] = await Promise.all([spawnServer({ DATABASE_URL: 'memory:' }, 120_000), mkdtemp(path.join(os.tmpdir(), 'pm-codegen-url-'))]);
});
afterAll(async () => {
  await server?.kill();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Runs codegen's `generate()` in a node process of its own (as a build script would), from this checkout's node_modules. */
function generate(headers: Record<string, string>, out: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const config = {
    schema: { [server.url]: { headers } },
    generates: { [out]: { plugins: ['typescript'] } },
    silent: true,
  };
  const script = `require('@graphql-codegen/cli').generate(${JSON.stringify(config)}, true).then(() => console.log('generated'), (err) => { console.error(String(err && (err.details || err.message) || err)); process.exit(1); });`;
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      ['-e', script],
      { cwd: ROOT, timeout: 150_000, env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir() } },
      (err, stdout, stderr) => resolve({ code: err ? (typeof (err as any).code === 'number' ? (err as any).code : 99) : 0, stdout, stderr }),
    ),
  );
}

test('with the Authorization header, codegen loads the schema from the URL and generates our types', async () => {
  const out = path.join(dir, 'with-key.ts');
  const r = await generate({ Authorization: `Bearer ${ADMIN_KEY}` }, out);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  const types = await readFile(out, 'utf8');
  expect(types).toContain('export type ResolvedPrompt = {');
  expect(types).toContain('export type Query = {');
  expect(types).toMatch(/resolvePrompt\??: /);
  expect(types).toContain('export type PromptChangeEvent = {');
});

test('without a key the same run fails and says why', async () => {
  const r = await generate({}, path.join(dir, 'without-key.ts'));
  expect(r.code).not.toBe(0);
  // Codegen passes on the server's refusal, which names the setting and the header to send.
  expect(r.stderr).toContain('Introspection needs an API key on this server (GRAPHQL_INTROSPECTION=authenticated)');
});
