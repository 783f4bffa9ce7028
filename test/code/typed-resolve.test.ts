/**
 * `client.resolve` typed by the generated types, checked by the TypeScript compiler: `prompt-service typegen` (the
 * real CLI) writes the `PromptVariables` map from test/fixtures/typed-client/prompts, and tsc compiles
 * test/fixtures/typed-client/usage.ts, whose `@ts-expect-error` lines (a missing variable, a wrong ENUM value, wrong
 * types, a misspelt name) must each fail to compile. Two controls keep the check honest: with the directives removed
 * every one of those lines (and only those) is an error, and with the map left out (loose types) tsc reports every
 * directive as unused.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURE = path.join(ROOT, 'test/fixtures/typed-client');
const USAGE = path.join(FIXTURE, 'usage.ts');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');
const FLAGS = [
  '--ignoreConfig',
  '--noEmit',
  '--pretty',
  'false',
  '--strict',
  '--noUncheckedIndexedAccess',
  '--target',
  'ES2023',
  '--module',
  'NodeNext',
  '--moduleResolution',
  'NodeNext',
  '--types',
  'node',
  '--skipLibCheck',
  '--esModuleInterop',
];

type Run = { code: number; stdout: string; stderr: string };
const run = (args: string[], cwd = ROOT): Promise<Run> =>
  new Promise((resolve) =>
    execFile(process.execPath, args, { cwd, timeout: 120_000, env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir() } }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof (err as any).code === 'number' ? (err as any).code : 99) : 0, stdout, stderr }),
    ),
  );
const tsc = (file: string) => run([TSC, ...FLAGS, file]);

/** 1-based line numbers of the lines right after each `@ts-expect-error` directive. */
function expectedErrorLines(source: string): number[] {
  return source
    .split('\n')
    .map((l, i) => (/^\s*\/\/ @ts-expect-error/.test(l) ? i + 2 : 0))
    .filter(Boolean);
}

/** `file(line,col): error TSxxxx` lines of tsc's output → line numbers (with repeats). */
const errorLines = (out: string, file: string) =>
  [...out.matchAll(new RegExp(`${path.basename(file).replace('.', '\\.')}\\((\\d+),\\d+\\): error (TS\\d+)`, 'g'))].map((m) => ({
    line: Number(m[1]),
    code: m[2],
  }));

/** A variant of usage.ts beside it (so its relative imports hold), removed afterwards. */
async function withVariant<T>(name: string, text: string, fn: (file: string) => Promise<T>): Promise<T> {
  const file = path.join(FIXTURE, name);
  await writeFile(file, text);
  try {
    return await fn(file);
  } finally {
    await rm(file, { force: true });
  }
}

test('typegen writes the committed map from the fixture prompts (undeclared variables inferred, includes merged)', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'typed-client-'));
  try {
    await cp(path.join(FIXTURE, 'prompts'), path.join(dir, 'prompts'), { recursive: true });
    const r = await run(['--import', 'tsx', 'src/cli/main.ts', 'typegen', '--out', 'prompts.generated.ts', '--dir', dir]);
    expect(r).toMatchObject({ code: 0 });
    const generated = await readFile(path.join(dir, 'prompts.generated.ts'), 'utf8');
    expect(generated).toBe(await readFile(path.join(FIXTURE, 'prompts.generated.ts'), 'utf8'));
    // greet declares nothing: its variable is inferred from the template, as the server infers it.
    expect(generated).toMatch(/"greet": \{\n {4}name: string;\n {2}\};/);
    // support/triage includes shared/signature, whose required variable it must pass too.
    expect(generated).toMatch(/"support\/triage": \{[^}]*\n {4}agent: string;\n {2}\};/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 120_000);

test('tsc accepts every typed call and every @ts-expect-error line fails to compile', async () => {
  const source = await readFile(USAGE, 'utf8');
  const expected = expectedErrorLines(source);
  expect(expected.length).toBeGreaterThanOrEqual(10);
  const r = await tsc(USAGE);
  expect(r.stdout + r.stderr).toBe('');
  expect(r.code).toBe(0);
}, 120_000);

test('control: without the directives exactly those lines are errors', async () => {
  const source = await readFile(USAGE, 'utf8');
  const expected = expectedErrorLines(source);
  const r = await withVariant('usage.strict.tmp.ts', source.replace(/\/\/ @ts-expect-error/g, '// (expected error)'), tsc);
  expect(r.code).not.toBe(0);
  const lines = [...new Set(errorLines(r.stdout, 'usage.strict.tmp.ts').map((e) => e.line))].sort((a, b) => a - b);
  expect(lines).toEqual(expected);
}, 120_000);

test('control: with loose types (no PromptVariables) every directive is reported unused', async () => {
  const source = await readFile(USAGE, 'utf8');
  const expected = expectedErrorLines(source);
  expect(source).toContain('createPromptClient<PromptVariables>(');
  const r = await withVariant('usage.loose.tmp.ts', source.replace('createPromptClient<PromptVariables>(', 'createPromptClient('), tsc);
  const errors = errorLines(r.stdout, 'usage.loose.tmp.ts');
  expect(errors.every((e) => e.code === 'TS2578')).toBe(true); // "Unused '@ts-expect-error' directive"
  expect(errors.map((e) => e.line + 1)).toEqual(expected);
}, 120_000);
