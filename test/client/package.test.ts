/**
 * The client as published: built with the project's build config (tsconfig.build.json) from
 * src/client/index.ts alone, its import graph never reaches server code or server-only packages, and
 * `require('<package>/client')` and `import('<package>/client')` both work through package.json `exports`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; exports: Record<string, string> };
const ALLOWED_PACKAGES = new Set(['graphql-ws', 'ws']);
const FORBIDDEN_DIRS = ['db', 'server', 'graphql', 'prompts', 'pubsub', 'auth', 'metrics'];

let out: string;

beforeAll(() => {
  out = mkdtempSync(path.join(os.tmpdir(), 'pm-client-build-'));
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(ROOT, 'tsconfig.build.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(String(d.messageText));
      },
    },
  )!;
  const program = ts.createProgram([path.join(ROOT, 'src/client/index.ts')], {
    ...config.options,
    outDir: path.join(out, 'dist'),
    sourceMap: false,
    declaration: false,
  });
  const emitted = program.emit();
  expect(emitted.emitSkipped).toBe(false);
  // A copy of the package's manifest (name + exports) around the build, so self-references resolve as for a user.
  writeFileSync(path.join(out, 'package.json'), JSON.stringify({ name: pkg.name, exports: pkg.exports }));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(out, 'node_modules'));
}, 60_000);

/** Every module reachable from dist/client/index.js: local files and bare package names. */
function importGraph(entry: string): { files: string[]; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/require\("([^"]+)"\)/g)) {
      if (spec!.startsWith('.')) {
        visit(require.resolve(path.resolve(path.dirname(file), spec!)));
      } else if (!spec!.startsWith('node:')) packages.add(spec!.startsWith('@') ? spec!.split('/').slice(0, 2).join('/') : spec!.split('/')[0]!);
    }
  };
  visit(entry);
  return { files: [...files].map((f) => path.relative(path.join(out, 'dist'), f)), packages };
}

describe('the published client', () => {
  it('reaches no server code and no server-only package', () => {
    const { files, packages } = importGraph(path.join(out, 'dist/client/index.js'));
    expect(files.filter((f) => FORBIDDEN_DIRS.some((d) => f.startsWith(`${d}/`)))).toEqual([]);
    expect([...packages].filter((p) => !ALLOWED_PACKAGES.has(p))).toEqual([]);
    expect(files).toContain('client/client.js');
    expect(files.some((f) => f.startsWith('templates/'))).toBe(true);
  });

  it('loads with require() and with import() through the package exports', () => {
    const name = `${pkg.name}/client`;
    const cjs = execFileSync(process.execPath, ['-e', `const m = require(${JSON.stringify(name)}); console.log(typeof m.createPromptClient)`], { cwd: out })
      .toString()
      .trim();
    expect(cjs).toBe('function');
    const esm = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(name)}); console.log(typeof m.createPromptClient, typeof m.default?.createPromptClient)`,
      ],
      { cwd: out },
    )
      .toString()
      .trim();
    expect(esm).toBe('function function');
  });
});
