/* global process */
// Builds the published client into dist/ from the server's own sources (src/client, src/templates,
// src/experiments, ...): the package carries no copy of them in the repository, so client and server render
// and assign from one source. Run by `npm pack` (prepack); verify.mjs then checks what went in.
//
// Bundled, not depended on: graphql-ws's client (graphql-ws declares `graphql` a required peer, so depending on it
// installs graphql too: 4 packages, ~4 MB for a client that never loads graphql) and, in ./prompt-folder only, yaml.
// `ws` stays a dependency, required at run time only where there is no global WebSocket (Node 20).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const src = path.resolve(here, '../../src');
const dist = path.join(here, 'dist');
const require = createRequire(import.meta.url);

rmSync(dist, { recursive: true, force: true });
const result = await build({
  absWorkingDir: here,
  entryPoints: { index: path.join(src, 'client/index.ts'), 'prompt-folder': path.join(src, 'client/prompt-folder.ts') },
  outdir: dist,
  bundle: true,
  platform: 'node',
  target: 'node20.19',
  format: 'cjs',
  external: ['ws'],
  metafile: true,
  logLevel: 'warning',
});
mkdirSync(path.join(dist, 'meta'), { recursive: true });
writeFileSync(path.join(dist, 'meta/build.json'), JSON.stringify(result.metafile, null, 2));

// Type declarations of the same sources (tsconfig.json: rootDir ../../src).
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(here, 'tsconfig.json')], { stdio: 'inherit' });

// The licences of the packages bundled in, read from what the bundle actually contains.
const bundled = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (m) bundled.add(m[1]);
}
const notices = [...bundled].sort().map((name) => {
  const dir = path.dirname(require.resolve(`${name}/package.json`));
  const { version, license } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const file = ['LICENSE', 'LICENSE.md', 'LICENSE.txt']
    .map((f) => path.join(dir, f))
    .find((f) => {
      try {
        readFileSync(f);
        return true;
      } catch {
        return false;
      }
    });
  if (!file) throw new Error(`${name} has no LICENSE file to ship with its bundled code`);
  return `## ${name} ${version} (${license})\n\n${readFileSync(file, 'utf8').trim()}\n`;
});
writeFileSync(path.join(dist, 'THIRD_PARTY_LICENSES.md'), `# Code bundled into this package\n\n${notices.join('\n')}`);
