/**
 * The README's "Prompts as code" section works as written: its `sh` block is extracted and run by bash, line by line
 * (`set -e`), with `prompt-service` on PATH (this repository's CLI) against a real server process, only the URL and
 * the key placeholder replaced; then its TypeScript example is compiled by tsc against the types that block's
 * `typegen` wrote, and the README's claim that a misspelt variable does not compile is checked too.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ok } from '../helpers/graphql';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';
import { addVersion, createPromptWith, newTenant, type Tenant } from '../helpers/seed';
import { ADMIN_KEY, spawnServer, type ServerProcess } from '../helpers/server';

jest.setTimeout(180_000);
const ROOT = path.resolve(__dirname, '../..');

let db: TestDatabase;
let server: ServerProcess;
let t: Tenant;
let dir: string;

/** The fenced blocks of one README section (`## <title>` up to the next `## `). */
async function sectionBlocks(title: string, lang: string): Promise<string[]> {
  const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n## ${title}\n`);
  expect(start).toBeGreaterThan(0);
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
}

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(
      cmd,
      args,
      { cwd: dir, env: { PATH: `${path.join(dir, '.bin')}:${process.env.PATH ?? ''}`, HOME: os.tmpdir(), ...env }, timeout: 150_000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof (err as any).code === 'number' ? (err as any).code : 99) : 0, stdout, stderr }),
    ),
  );
}

beforeAll(async () => {
  db = await createTestDatabase();
  server = await spawnServer({ DATABASE_URL: db.url });
  t = await newTenant(server.url, ADMIN_KEY);
  // What the README's commands name: support/triage with a v4 to deploy.
  await createPromptWith(server.url, t.key, 'support/triage', 'Classify this ticket: {{ticket}}');
  for (const n of [2, 3, 4]) await addVersion(server.url, t.key, 'support/triage', `Classify this ticket (v${n}): {{ticket}}`);
  dir = await mkdtemp(path.join(os.tmpdir(), 'readme-prompts-'));
  await mkdir(path.join(dir, '.bin'));
  const bin = path.join(dir, '.bin/prompt-service');
  await writeFile(
    bin,
    `#!/bin/sh\nexec ${JSON.stringify(path.join(ROOT, 'node_modules/.bin/tsx'))} ${JSON.stringify(path.join(ROOT, 'src/cli/main.ts'))} "$@"\n`,
  );
  await chmod(bin, 0o755);
});

afterAll(async () => {
  await server?.kill();
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('every command of the "Prompts as code" block runs and exits 0, and deploy moves production', async () => {
  const [block] = await sectionBlocks('Prompts as code', 'sh');
  expect(block).toContain('prompt-service init');
  const script = block!.replaceAll('http://localhost:4000', `http://127.0.0.1:${server.port}`).replace('<an API key>', t.key);
  const r = await run('bash', ['-euxc', script]);
  expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
  const d = await ok(server.url, t.key, '{ prompt(name: "support/triage") { labels { name version { number } } } }');
  expect(d.prompt.labels).toContainEqual({ name: 'production', version: { number: 4 } });
  expect(await readFile(path.join(dir, 'prompts/support/triage.prompt'), 'utf8')).toContain('{{ticket}}');
  expect(await readFile(path.join(dir, 'src/prompts.generated.ts'), 'utf8')).toContain('"support/triage": {\n    ticket: string;');
});

test('the typed-resolve example compiles against those types, and a misspelt variable does not', async () => {
  const ts = (await sectionBlocks('Prompts as code', 'ts'))[0]!;
  expect(ts).toContain('createPromptClient<PromptVariables>');
  await writeFile(path.join(dir, 'src/example.ts'), ts);
  await writeFile(path.join(dir, 'src/misspelt.ts'), ts.replace("resolve('support/triage', { ticket })", "resolve('support/triage', { tikcet: ticket })"));
  const tsconfig = (files: string[]) => ({
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: 'ES2023',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      skipLibCheck: true,
      typeRoots: [path.join(ROOT, 'node_modules/@types')],
      types: ['node'],
      // The package's exports, pointed at its sources (a user's project resolves them from node_modules).
      paths: {
        '@prompt-service/client': [path.join(ROOT, 'src/client/index.ts')],
        '@prompt-service/client/prompt-folder': [path.join(ROOT, 'src/client/prompt-folder.ts')],
      },
    },
    files,
  });
  await writeFile(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig(['src/example.ts'])));
  await writeFile(path.join(dir, 'tsconfig.misspelt.json'), JSON.stringify(tsconfig(['src/misspelt.ts'])));
  const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
  const good = await run(process.execPath, [tsc, '-p', 'tsconfig.json', '--pretty', 'false']);
  expect(good.stdout).toBe('');
  expect(good.code).toBe(0);
  const bad = await run(process.execPath, [tsc, '-p', 'tsconfig.misspelt.json', '--pretty', 'false']);
  expect(bad.code).not.toBe(0);
  expect(bad.stdout).toMatch(/misspelt\.ts\(\d+,\d+\): error TS2561: .*'tikcet' does not exist/);
});
