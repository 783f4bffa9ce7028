/**
 * The client as published (issue 16 item 4): `npm pack` of the packages/client workspace (its prepack builds dist/
 * from the server's own sources and checks the dependency graph), the tarball installed into a scratch project with
 * no dependencies of its own, within budget (≤ 3 packages, ≤ 2 MB); there the README's client example type-checks
 * against the installed types and runs against a real server process, rendering what the server renders and
 * recording its tracked call. Also: require() and the prompt-folder entry from the install, the global WebSocket
 * used when the runtime has one (ws removed), and verify.mjs refusing a bundle that carries server code.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { serializePromptFile } from '../../src/prompt-files/format';
import { CLIENT_DIR, installedFootprint, installInScratch, packClient, run, type Packed } from '../helpers/client-package';
import { ok } from '../helpers/graphql';
import { readmeBlocks, usesClientPackage } from '../helpers/readme';
import { ADMIN_KEY, spawnServer, type ServerProcess } from '../helpers/server';

jest.setTimeout(300_000);
const ROOT = path.resolve(__dirname, '../..');
const BUDGET = { packages: 3, bytes: 2_000_000 };
const TICKET = 'I was charged twice';

let tmp: string;
let packed: Packed;
let scratch: string;
let server: ServerProcess;
let env: Record<string, string>;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'pm-client-pack-'));
  server = await spawnServer({ DATABASE_URL: 'memory:' }, 120_000);
  packed = await packClient(tmp);
  scratch = await installInScratch(packed.tarball);
  env = { PROMPT_SERVICE_URL: server.url, PROMPT_SERVICE_KEY: ADMIN_KEY };
  // What the README's first curl block creates before the client section.
  await ok(
    server.url,
    ADMIN_KEY,
    'mutation { createPrompt(input: { name: "support/classifier", tags: ["support"], version: { template: "Classify this ticket: {{ticket}}", message: "first cut" } }) { name } }',
  );
});

afterAll(async () => {
  await server?.kill();
  for (const d of [tmp, scratch]) if (d) rmSync(d, { recursive: true, force: true });
});

/** `node <args>` in the scratch project, with only the README's two variables set. */
const node = (args: string[], extraEnv: Record<string, string> = {}) => run(process.execPath, args, scratch, { ...env, ...extraEnv }, 120_000);

test('the tarball holds the bundles, their types and the notices of the code bundled in: no sources, no build metadata', () => {
  expect(packed.name).toBe('@prompt-service/client');
  const files = packed.files;
  expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/index.js', 'dist/prompt-folder.js', 'dist/THIRD_PARTY_LICENSES.md']));
  expect(files).toContain('dist/types/client/index.d.ts');
  expect(files).toContain('dist/types/client/prompt-folder.d.ts');
  expect(files.filter((f) => !/^(package\.json|README\.md|dist\/(index\.js|prompt-folder\.js|THIRD_PARTY_LICENSES\.md|types\/.+\.d\.ts))$/.test(f))).toEqual(
    [],
  );
  const notices = readFileSync(path.join(CLIENT_DIR, 'dist/THIRD_PARTY_LICENSES.md'), 'utf8');
  expect(notices).toMatch(/## graphql-ws \S+ \(MIT\)/);
  expect(notices).toMatch(/## yaml \S+ \(ISC\)/);
});

test(`installs into an empty project as at most ${BUDGET.packages} packages and ${BUDGET.bytes / 1e6} MB, with ws its only dependency`, () => {
  const manifest = JSON.parse(readFileSync(path.join(scratch, 'node_modules/@prompt-service/client/package.json'), 'utf8'));
  expect(manifest.dependencies).toEqual({ ws: expect.any(String) });
  expect(manifest.peerDependencies).toBeUndefined();
  const { packages, bytes } = installedFootprint(scratch);
  expect(packages).toEqual(['@prompt-service/client', 'ws']);
  expect(packages.length).toBeLessThanOrEqual(BUDGET.packages);
  expect(bytes).toBeLessThanOrEqual(BUDGET.bytes);
});

test("the README's client example type-checks against the installed types and runs there against a real server", async () => {
  const blocks = readmeBlocks().filter(usesClientPackage);
  expect(blocks.length).toBeGreaterThanOrEqual(1);
  for (const [i, b] of blocks.entries()) {
    const file = `client-example-${i}.mts`;
    writeFileSync(path.join(scratch, file), b.code);
    // As the reader's compiler sees it: strict, NodeNext, the package's types from its exports (only @types/node lent).
    const tsc = await run(
      process.execPath,
      [
        path.join(ROOT, 'node_modules/typescript/bin/tsc'),
        '--noEmit',
        '--strict',
        '--module',
        'nodenext',
        '--target',
        'es2022',
        '--typeRoots',
        path.join(ROOT, 'node_modules/@types'),
        '--types',
        'node',
        '--pretty',
        'false',
        file,
      ],
      scratch,
    );
    expect({ line: b.line, code: tsc.code, out: tsc.stdout }).toEqual({ line: b.line, code: 0, out: '' });
    // Run as compiled JavaScript with plain node: the scratch project has nothing but the client installed.
    const js = ts.transpileModule(b.code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    writeFileSync(path.join(scratch, `client-example-${i}.mjs`), js);
    const r = await node([`client-example-${i}.mjs`]);
    expect({ line: b.line, code: r.code, stderr: r.stderr }).toEqual({ line: b.line, code: 0, stderr: '' });

    // It rendered locally what the server renders, and its tracked call reached the server (close() flushed it).
    const d = await ok(
      server.url,
      ADMIN_KEY,
      `query($v: JSON) { resolvePrompt(name: "support/classifier", variables: $v) { text versionNumber } prompt(name: "support/classifier") { metrics { totalCalls } } }`,
      { v: { ticket: TICKET } },
    );
    expect(r.stdout).toContain(`v${d.resolvePrompt.versionNumber}: ${d.resolvePrompt.text}\n`);
    expect(r.stdout).toContain('billing\n');
    expect(d.prompt.metrics.totalCalls).toBe(i + 1);
    // Its snapshotFile's folder did not exist: the client created it and wrote the copies it fetched.
    const snapshot = readFileSync(path.join(scratch, 'prompt-cache/prompts.json'), 'utf8');
    expect(snapshot).toContain('support/classifier');
    rmSync(path.join(scratch, 'prompt-cache'), { recursive: true });
  }
});

test('require() and the prompt-folder entry work from the install (CommonJS and ESM)', async () => {
  mkdirSync(path.join(scratch, 'prompts/support'), { recursive: true });
  writeFileSync(
    path.join(scratch, 'prompts/support/triage.prompt'),
    serializePromptFile({
      type: 'TEXT',
      template: 'Triage: {{ticket}}',
      systemMessage: null,
      messages: null,
      variables: [{ name: 'ticket', type: 'STRING', required: true }],
      model: null,
      temperature: 0.7,
      maxTokens: 256,
      config: null,
      tools: null,
      responseFormat: null,
      description: null,
      tags: [],
    }),
  );
  const cjs = await node([
    '-e',
    `const c = require('@prompt-service/client'); const f = require('@prompt-service/client/prompt-folder');
     console.log(typeof c.createPromptClient, typeof c.verifyWebhook, JSON.stringify(f.promptFolderFallbacks('prompts')['support/triage']));`,
  ]);
  expect(cjs.stderr).toBe('');
  expect(cjs.stdout).toContain('function function {"template":"Triage: {{ticket}}"');
  expect(cjs.stdout).toContain('"versionId":"file:support/triage"');
  const esm = await node([
    '--input-type=module',
    '-e',
    `import { createPromptClient } from '@prompt-service/client'; import { promptFolderFallbacks } from '@prompt-service/client/prompt-folder';
     console.log(typeof createPromptClient, Object.keys(promptFolderFallbacks('prompts')).join());`,
  ]);
  expect({ code: esm.code, stderr: esm.stderr, stdout: esm.stdout }).toEqual({ code: 0, stderr: '', stdout: 'function support/triage\n' });
});

test('with a global WebSocket the client goes live without ws; without either it says what to install', async () => {
  rmSync(path.join(scratch, 'node_modules/ws'), { recursive: true });
  const script = `const { createPromptClient } = require('@prompt-service/client');
    const c = createPromptClient({ url: process.env.PROMPT_SERVICE_URL, apiKey: process.env.PROMPT_SERVICE_KEY, fleet: false });
    const until = Date.now() + 60000;
    (async () => {
      while (c.stats().connection !== 'live' && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      console.log(c.stats().connection);
      await c.close();
    })();`;
  // Node 20 has a global WebSocket only behind this flag (Node 22 has it by default).
  const live = await node(['--experimental-websocket', '-e', script]);
  expect({ code: live.code, stdout: live.stdout }).toEqual({ code: 0, stdout: 'live\n' });
  const none = await node(['-e', script]);
  expect(none.code).not.toBe(0);
  expect(none.stderr).toContain('no global WebSocket (Node < 22) and the ws package cannot be loaded: npm install ws');
});

test('verify.mjs refuses a bundle that carries server code or requires a package it does not depend on', async () => {
  const copy = path.join(tmp, 'verify/packages/client');
  cpSync(CLIENT_DIR, copy, { recursive: true, filter: (f) => !f.includes('node_modules') });
  const metaFile = path.join(copy, 'dist/meta/build.json');
  const meta = JSON.parse(readFileSync(metaFile, 'utf8'));
  meta.outputs['dist/index.js'].inputs['../../src/db/schema.ts'] = { bytesInOutput: 1 };
  writeFileSync(metaFile, JSON.stringify(meta));
  writeFileSync(path.join(copy, 'dist/index.js'), readFileSync(path.join(copy, 'dist/index.js'), 'utf8') + '\nrequire("graphql");\n');
  const r = await run(process.execPath, [path.join(copy, 'verify.mjs')], copy);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('index.js carries src/db/schema.ts');
  expect(r.stderr).toContain('index.js requires graphql, not a dependency');
  // The real build passed the same check (prepack ran it).
  expect(existsSync(path.join(CLIENT_DIR, 'dist/meta/build.json'))).toBe(true);
});
