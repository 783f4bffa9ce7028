/**
 * The README cannot drift: every fenced block marked `<!-- runnable -->` (the line before the fence) runs against a
 * fresh server process (embedded database, nothing seeded) with only `PROMPT_SERVICE_URL` and `PROMPT_SERVICE_KEY`
 * set, as a reader would copy it. `sh` blocks run in README order in one bash (`set -euo pipefail`, so a failing
 * command or a variable never set fails the test), with every curl response kept: each must be JSON without
 * `errors`. `ts` blocks are written to a temp file each and run with `npx tsx`. Then the server's state is checked
 * against what the blocks claim to have done. A block importing `@prompt-service/client` runs from the packed client
 * installed in an empty project instead (test/client/package.test.ts).
 */
import { execFile } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ok } from './helpers/graphql';
import { runnableBlocks, usesClientPackage, type Block } from './helpers/readme';
import { ADMIN_KEY, spawnServer, type ServerProcess } from './helpers/server';

jest.setTimeout(240_000);
const ROOT = path.resolve(__dirname, '..');

type Run = { code: number; stdout: string; stderr: string };
function run(cmd: string, args: string[], cwd: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) =>
    execFile(cmd, args, { cwd, env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), ...env }, timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof (err as any).code === 'number' ? (err as any).code : 99) : 0, stdout, stderr }),
    ),
  );
}

let server: ServerProcess;
let dir: string;
let env: Record<string, string>;
let blocks: Block[];
let recorder: { url: string; seen: string[]; server: Server };

/** A forwarding HTTP hop that notes each request's method and operation, to see what a client really sends. */
async function startRecorder(target: string): Promise<typeof recorder> {
  const seen: string[] = [];
  const to = new URL(target);
  const hop = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const text = decodeURIComponent((req.url ?? '').replaceAll('+', ' ')) + ' ' + body.toString();
      seen.push(`${req.method} ${/(?:query|mutation) (\w+)/.exec(text)?.[1] ?? '-'}`);
      const out = request({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      out.on('error', () => res.destroy());
      out.end(body);
    });
  });
  await new Promise<void>((resolve) => hop.listen(0, '127.0.0.1', resolve));
  const port = (hop.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}${to.pathname}`, seen, server: hop };
}

beforeAll(async () => {
  // The client package's example runs from its packed tarball (test/client/package.test.ts), not from this checkout.
  blocks = runnableBlocks(await readFile(path.join(ROOT, 'README.md'), 'utf8')).filter((b) => !usesClientPackage(b));
  server = await spawnServer({ DATABASE_URL: 'memory:' }, 120_000);
  env = { PROMPT_SERVICE_URL: server.url, PROMPT_SERVICE_KEY: ADMIN_KEY };
  recorder = await startRecorder(server.url);
  dir = await mkdtemp(path.join(os.tmpdir(), 'readme-examples-'));
  // The snippets import the clients as a reader's project would: from its node_modules.
  await symlink(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
});

afterAll(async () => {
  await server?.kill();
  await new Promise((resolve) => (recorder ? recorder.server.close(resolve) : resolve(undefined)));
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('the README marks its examples runnable: curl blocks and one TypeScript block per GraphQL client', () => {
  expect(blocks.every((b) => b.lang === 'sh' || b.lang === 'ts')).toBe(true);
  expect(blocks.filter((b) => b.lang === 'ts')).toHaveLength(3);
  const ts = blocks.filter((b) => b.lang === 'ts').map((b) => b.code);
  for (const pkg of ['@apollo/client/core', '@urql/core', 'graphql-request']) expect(ts.some((c) => c.includes(`from '${pkg}'`))).toBe(true);
  const sh = blocks
    .filter((b) => b.lang === 'sh')
    .map((b) => b.code)
    .join('\n');
  for (const op of ['createPrompt', 'createVersion', 'resolvePrompt', 'versionDiff', 'setLabel', 'rollback', 'createApiKey', 'recordCall'])
    expect(sh).toContain(op);
});

test('every runnable sh block runs in one shell against a fresh server, and every response is free of errors', async () => {
  const responses = path.join(dir, 'responses.jsonl');
  const script = [
    'set -euo pipefail',
    // Every response on a line of its own in a file the test reads, still piped on as the reader sees it.
    `curl() { command curl -w '\\n' "$@" | tee -a ${JSON.stringify(responses)}; }`,
    ...blocks.filter((b) => b.lang === 'sh').map((b) => `# README line ${b.line}\n${b.code}`),
  ].join('\n');
  const r = await run('bash', ['-c', script], dir, env);
  expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
  const bodies = (await readFile(responses, 'utf8'))
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { data?: unknown; errors?: unknown });
  const curls = blocks.filter((b) => b.lang === 'sh').reduce((n, b) => n + (b.code.match(/^\s*(?:\w+=\$\()?curl /gm) ?? []).length, 0);
  expect(bodies).toHaveLength(curls);
  for (const body of bodies) expect(body).toEqual({ data: expect.anything() });

  // What the blocks say they did: v2 promoted then rolled back, a key created, a call recorded.
  const d = await ok(
    server.url,
    ADMIN_KEY,
    '{ prompt(name: "support/classifier") { labels { name version { number } } labelHistory(first: 5) { label reason toVersion { number } } metrics { totalCalls } } apiKeys { name } }',
  );
  expect(d.prompt.labels).toEqual(
    expect.arrayContaining([
      { name: 'production', version: { number: 1 } },
      { name: 'staging', version: { number: 2 } },
    ]),
  );
  expect(d.prompt.labelHistory.map((h: any) => h.reason)).toEqual(expect.arrayContaining(['rollback', 'better classes']));
  expect(d.prompt.metrics.totalCalls).toBe(1);
  expect(d.apiKeys.map((k: any) => k.name)).toContain('checkout-service');
});

test('every runnable TypeScript block runs with npx tsx against the same server and does what it says', async () => {
  const ts = blocks.filter((b) => b.lang === 'ts');
  for (const [i, b] of ts.entries()) {
    const file = path.join(dir, `example-${i}.mts`);
    await writeFile(file, b.code);
    recorder.seen.length = 0;
    const r = await run('npx', ['tsx', file], dir, { ...env, PROMPT_SERVICE_URL: recorder.url });
    expect({ line: b.line, code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ line: b.line, code: 0, stderr: '' });
    expect(r.stdout).toContain('Classify this ticket');
    // urql as configured in the README (its defaults) sends queries as GET; Apollo and graphql-request POST.
    if (b.code.includes("from '@urql/core'")) expect(recorder.seen).toEqual(expect.arrayContaining(['GET Resolve', 'POST NewVersion']));
    else expect(recorder.seen).toContain('POST Resolve');
  }
  // They are TypeScript as written, too: tsc checks them (strict) against the clients' own types.
  const tsc = await run(
    path.join(ROOT, 'node_modules/.bin/tsc'),
    ['--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--target', 'es2022', '--types', 'node', ...ts.map((_, i) => `example-${i}.mts`)],
    dir,
    {},
  );
  expect({ code: tsc.code, out: tsc.stdout }).toEqual({ code: 0, out: '' });
  const d = await ok(server.url, ADMIN_KEY, '{ prompt(name: "support/classifier") { versions(first: 50) { message } } }');
  const messages = d.prompt.versions.map((v: any) => v.message);
  expect(messages).toEqual(expect.arrayContaining(['from Apollo Client', 'from urql', 'from graphql-request']));
});
