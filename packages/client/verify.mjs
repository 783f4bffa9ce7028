/* global process, console */
// Checks the built package's dependency graph (run after build.mjs; a violation fails `npm pack`):
// - only client code and the pure modules it shares with the server went in, never server code or server-only
//   packages (graphql, drizzle, pino, ajv, ...); yaml only into ./prompt-folder;
// - at run time the bundles require nothing but node: built-ins and `ws`, which is a declared dependency;
// - the type declarations import nothing but each other.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, 'dist');
const pkg = JSON.parse(readFileSync(path.join(here, 'package.json'), 'utf8'));
const meta = JSON.parse(readFileSync(path.join(dist, 'meta/build.json'), 'utf8'));

/** Source folders (under src/) the client may carry: itself and the pure code it shares with the server. */
const SHARED_SOURCES = [
  'client/',
  'templates/',
  'experiments/assignment.ts',
  'experiments/hash.ts',
  'experiments/allocation.ts',
  'shared/',
  'prompt-files/',
  'errors.ts',
];
/** Packages bundled in, and into which entry. */
const BUNDLED = { 'graphql-ws': ['index.js'], yaml: ['prompt-folder.js'] };

const problems = [];
const packageOf = (input) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];

for (const [out, o] of Object.entries(meta.outputs)) {
  const entry = path.basename(out);
  if (!entry.endsWith('.js')) continue;
  for (const input of Object.keys(o.inputs)) {
    const name = packageOf(input);
    if (name) {
      if (!BUNDLED[name]?.includes(entry)) problems.push(`${entry} bundles ${name} (${input})`);
    } else {
      const rel = path.relative(path.resolve(here, '../../src'), path.resolve(here, input)).split(path.sep).join('/');
      if (!SHARED_SOURCES.some((s) => rel === s || (s.endsWith('/') && rel.startsWith(s)))) problems.push(`${entry} carries src/${rel}`);
    }
  }
  if (entry === 'index.js' && Object.keys(o.inputs).some((i) => i.includes('/prompt-files/')))
    problems.push('index.js carries prompt-files (YAML belongs to ./prompt-folder)');
}

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const dependencies = new Set(Object.keys(pkg.dependencies ?? {}));
for (const file of ['index.js', 'prompt-folder.js']) {
  const code = readFileSync(path.join(dist, file), 'utf8');
  for (const [, spec] of code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)) {
    if (builtins.has(spec)) continue;
    if (spec.startsWith('.')) problems.push(`${file} requires a relative file ${spec} (bundles are self-contained)`);
    else if (!dependencies.has(spec)) problems.push(`${file} requires ${spec}, not a dependency`);
  }
  if (/\bimport\(\s*["'](?!node:)[^."']/.test(code)) problems.push(`${file} has a dynamic import of a package`);
}
if ([...dependencies].some((d) => d !== 'ws')) problems.push(`dependencies must be ws only, are: ${[...dependencies].join(', ')}`);

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
for (const file of walk(path.join(dist, 'types'))) {
  const text = readFileSync(file, 'utf8');
  for (const [, spec] of text.matchAll(/(?:from\s+|import\()["']([^"']+)["']/g))
    if (!spec.startsWith('.') && !builtins.has(spec)) problems.push(`${path.relative(dist, file)} imports types from ${spec}`);
}

if (problems.length) {
  console.error(`@prompt-service/client: the built package's dependency graph is wrong:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
const files = Object.values(meta.outputs).reduce((n, o) => n + Object.keys(o.inputs).length, 0);
// stderr: stdout of `npm pack --json` must stay JSON.
console.error(`@prompt-service/client: dependency graph ok (${files} inputs bundled; runtime requires: node built-ins, ${[...dependencies].join(', ')})`);
