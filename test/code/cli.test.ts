/**
 * `prompt-service` end to end: the CLI as a real process against a real server process (Postgres), in a
 * temporary repository: init, pull, edit, status, diff, push, a concurrent change → CONFLICT, check failing on
 * drift, a breaking change and stale types, deploy, delete, exit codes, `--json` parsed.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ok } from '../helpers/graphql';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';
import { newTenant, type Tenant } from '../helpers/seed';
import { ADMIN_KEY, spawnServer, type ServerProcess } from '../helpers/server';

const ROOT = path.resolve(__dirname, '../..');
let db: TestDatabase;
let server: ServerProcess;
let t: Tenant;
let dir: string;
let baseUrl: string;

type Run = { code: number; stdout: string; stderr: string; json: any };

function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts'), ...args, '--dir', dir],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), PROMPT_SERVICE_URL: baseUrl, PROMPT_SERVICE_KEY: t.key, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as any).code === 'number' ? (err as any).code : 99) : 0;
        let json: any = null;
        if (args.includes('--json')) {
          try {
            json = JSON.parse(stdout);
          } catch {
            json = { unparsable: stdout, stderr };
          }
        }
        resolve({ code, stdout, stderr, json });
      },
    );
  });
}

const gqlUrl = () => `${baseUrl}/graphql`;
const file = (name: string) => path.join(dir, 'prompts', `${name}.prompt`);
const latest = async (name: string) =>
  (await ok(gqlUrl(), t.key, 'query($n: String!) { prompt(name: $n) { revision latestVersion { id number template } } }', { n: name })).prompt;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await spawnServer({ DATABASE_URL: db.url });
  baseUrl = `http://127.0.0.1:${server.port}`;
  t = await newTenant(gqlUrl(), ADMIN_KEY);
  dir = await mkdtemp(path.join(os.tmpdir(), 'prompts-repo-'));
  const create = (name: string, version: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    ok(gqlUrl(), t.key, 'mutation($i: CreatePromptInput!) { createPrompt(input: $i) { id } }', { i: { name, ...extra, version } });
  await create(
    'support/triage',
    {
      template: 'Classify this ticket:\n{{ticket}}\nTone: {{tone}}',
      variables: [
        { name: 'ticket', type: 'STRING', description: 'The ticket text' },
        { name: 'tone', type: 'ENUM', values: ['formal', 'casual'], default: 'formal' },
      ],
      tools: [{ name: 'lookup_order', description: 'Find an order', parameters: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } }],
      responseFormat: { type: 'object', properties: { label: { type: 'string' } }, required: ['label'] },
    },
    { description: 'Triage of support tickets', tags: ['support'] },
  );
  await create('greet', { template: 'Hello {{name}}!' });
  await create('chat/helper', {
    messages: [
      { role: 'SYSTEM', content: 'You help with {{topic}}.' },
      { role: 'PLACEHOLDER', content: 'history' },
      { role: 'USER', content: '{{question}}' },
    ],
    variables: [{ name: 'topic' }, { name: 'history', type: 'JSON', required: false }, { name: 'question' }],
  });
}, 120_000);

afterAll(async () => {
  await server?.kill();
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('exit codes: unknown command and bad arguments are 2, a missing URL or key is 2, a bad key or no server is 3', async () => {
  expect((await cli(['frobnicate'])).code).toBe(2);
  expect((await cli(['pull', '--bogus'])).code).toBe(2);
  const noUrl = await cli(['pull', 'greet', '--json'], { PROMPT_SERVICE_URL: undefined });
  expect(noUrl.code).toBe(2);
  expect(noUrl.json.error.code).toBe('MISSING_URL');
  const badKey = await cli(['pull', 'greet', '--json'], { PROMPT_SERVICE_KEY: 'pm_live_nope' });
  expect(badKey.code).toBe(3);
  expect(badKey.json.error.code).toBe('UNAUTHENTICATED');
  const down = await cli(['pull', 'greet', '--json'], { PROMPT_SERVICE_URL: 'http://127.0.0.1:9' });
  expect(down.code).toBe(3);
  expect(down.json.error.code).toBe('UNREACHABLE');
});

test('the whole flow: init, pull, edit, status, diff, push, conflict, check, typegen, deploy, delete', async () => {
  // init: folder and lockfile; idempotent.
  const i1 = await cli(['init', '--json']);
  expect(i1.code).toBe(0);
  expect(i1.json.created).toEqual(['prompts/', 'prompts.lock.json']);
  expect((await cli(['init', '--json'])).json.created).toEqual([]);

  // pull --all: one file per prompt (folders from slashes), the lock records version, number, revision and hash.
  const p1 = await cli(['pull', '--all', '--json']);
  expect(p1.code).toBe(0);
  expect(p1.json.prompts.map((p: any) => [p.name, p.status])).toEqual([
    ['chat/helper', 'pulled'],
    ['greet', 'pulled'],
    ['support/triage', 'pulled'],
  ]);
  expect(p1.stderr).toMatch(/\[3\/3\] pulled support\/triage/); // progress line
  const triage = await readFile(file('support/triage'), 'utf8');
  expect(triage).toContain('description: Triage of support tickets');
  expect(triage).toContain('lookup_order');
  expect(triage.endsWith('Tone: {{tone}}\n')).toBe(true);
  const lock = JSON.parse(await readFile(path.join(dir, 'prompts.lock.json'), 'utf8'));
  expect(lock.prompts.greet).toEqual({ hash: expect.stringMatching(/^[0-9a-f]{64}$/), number: 1, revision: expect.any(Number), versionId: expect.any(String) });

  // Pull then push is a no-op: byte-identical files, no version created.
  const before = await Promise.all(['greet', 'support/triage', 'chat/helper'].map((n) => readFile(file(n), 'utf8')));
  expect((await cli(['pull', '--all'])).code).toBe(0);
  expect(await Promise.all(['greet', 'support/triage', 'chat/helper'].map((n) => readFile(file(n), 'utf8')))).toEqual(before);
  const noop = await cli(['push', '--json']);
  expect(noop.code).toBe(0);
  expect(noop.json.plan.map((p: any) => p.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
  expect((await latest('greet')).latestVersion.number).toBe(1);

  // Edit: status shows it, diff shows the change, push creates version 2 with the message and updates the lock.
  await writeFile(file('support/triage'), triage.replace('Classify this ticket:', 'Classify this support ticket:'));
  const st = await cli(['status', '--json']);
  expect(st.json.prompts.find((p: any) => p.name === 'support/triage')).toMatchObject({ local: 'modified', server: 'in-sync' });
  expect(st.json.prompts.find((p: any) => p.name === 'greet')).toMatchObject({ local: 'unchanged', server: 'in-sync' });
  const df = await cli(['diff', 'support/triage', '--json']);
  expect(df.code).toBe(0);
  expect(df.json.prompts[0].diff).toContain('-Classify this ticket:');
  expect(df.json.prompts[0].diff).toContain('+Classify this support ticket:');
  expect(df.json.prompts[0].contractChanges).toEqual([]);
  const dfText = await cli(['diff', 'support/triage', '--against', 'v1']);
  expect(dfText.stdout).toContain('+Classify this support ticket:');
  const pushed = await cli(['push', '-m', 'wording', '--label', 'staging', '--json']);
  expect(pushed.code).toBe(0);
  expect(pushed.json.pushed).toEqual([{ name: 'support/triage', action: 'version', number: 2, contractChanges: [] }]);
  const v2 = await ok(gqlUrl(), t.key, '{ prompt(name: "support/triage") { latestVersion { number message labels template } } }');
  expect(v2.prompt.latestVersion).toEqual({
    number: 2,
    message: 'wording',
    labels: expect.arrayContaining(['staging', 'latest']),
    template: 'Classify this support ticket:\n{{ticket}}\nTone: {{tone}}',
  });
  expect((await cli(['status', '--json'])).json.prompts.every((p: any) => p.local === 'unchanged' && p.server === 'in-sync')).toBe(true);

  // A concurrent change on the server, then a local edit of the same prompt: push CONFLICTs with a three-way view.
  await ok(gqlUrl(), t.key, 'mutation { createVersion(input: { promptName: "greet", template: "Hello there, {{name}}!" }) { number } }');
  const greet = await readFile(file('greet'), 'utf8');
  await writeFile(file('greet'), greet.replace('Hello {{name}}!', 'Hi {{name}}!'));
  const conflict = await cli(['push', '--json']);
  expect(conflict.code).toBe(1);
  expect(conflict.json.ok).toBe(false);
  const c = conflict.json.conflicts[0];
  expect(c.name).toBe('greet');
  expect(c.base.number).toBe(1);
  expect(c.server.number).toBe(2);
  expect(c.serverDiff).toContain('+Hello there, {{name}}!');
  expect(c.localDiff).toContain('+Hi {{name}}!');
  expect(c.local.text).toContain('Hi {{name}}!');
  expect((await latest('greet')).latestVersion.number).toBe(2); // nothing overwritten
  const conflictText = await cli(['push']);
  expect(conflictText.code).toBe(1);
  expect(conflictText.stdout).toMatch(/CONFLICT greet/);

  // check: drift (the server's latest is not the lock's), exit 1, --json parsed.
  const drift = await cli(['check', '--json']);
  expect(drift.code).toBe(1);
  expect(drift.json.problems).toEqual([expect.objectContaining({ prompt: 'greet', kind: 'drift' })]);
  // Resolve by hand (keep mine, acknowledge the server's), then push succeeds.
  expect((await cli(['pull', 'greet', '--keep-local'])).code).toBe(0);
  expect(await readFile(file('greet'), 'utf8')).toContain('Hi {{name}}!');
  expect((await cli(['push', '--json'])).json.pushed).toEqual([{ name: 'greet', action: 'version', number: 3, contractChanges: [] }]);
  expect((await cli(['check'])).code).toBe(0);

  // A breaking contract change (a new required variable): check fails, push refuses without --allow-breaking.
  await writeFile(
    file('greet'),
    (await readFile(file('greet'), 'utf8'))
      .replace('variables:\n  - name: name\n', 'variables:\n  - name: name\n  - name: title\n')
      .replace('Hi {{name}}!', 'Hi {{title}} {{name}}!'),
  );
  const breaking = await cli(['check', '--json']);
  expect(breaking.code).toBe(1);
  expect(breaking.json.problems).toEqual([
    expect.objectContaining({ prompt: 'greet', kind: 'breaking', message: expect.stringContaining('added required variable "title" (STRING)') }),
  ]);
  const refused = await cli(['push', '--json']);
  expect(refused.code).toBe(1);
  expect(refused.json.error.code).toBe('BREAKING_CHANGE');
  expect((await latest('greet')).latestVersion.number).toBe(3);
  expect((await cli(['check', '--allow-breaking'])).code).toBe(0);
  const allowed = await cli(['push', '--allow-breaking', '--json']);
  expect(allowed.json.pushed[0]).toMatchObject({ name: 'greet', number: 4, contractChanges: ['added required variable "title" (STRING)'] });

  // Types: typegen writes them and records the path; check fails when they are stale.
  const tg = await cli(['typegen', '--out', 'src/prompts.generated.ts', '--json']);
  expect(tg.json).toMatchObject({ ok: true, out: 'src/prompts.generated.ts', prompts: 3 });
  const types = await readFile(path.join(dir, 'src/prompts.generated.ts'), 'utf8');
  expect(types).toContain('export interface PromptVariables');
  expect(types).toContain('tone?: "formal" | "casual";');
  expect((await cli(['check'])).code).toBe(0);
  await writeFile(file('greet'), (await readFile(file('greet'), 'utf8')).replace('  - name: title\n', '  - name: title\n    required: false\n'));
  const stale = await cli(['check', '--json', '--allow-breaking']);
  expect(stale.code).toBe(1);
  expect(stale.json.problems).toEqual([expect.objectContaining({ kind: 'stale-types' })]);
  expect((await cli(['typegen'])).code).toBe(0);
  expect((await cli(['push'])).code).toBe(0);
  expect((await cli(['check'])).code).toBe(0);

  // check --label: the files against what a label serves (production is still v1 of greet).
  const vsProd = await cli(['check', '--label', 'production', '--json', '--allow-breaking']);
  expect(vsProd.code).toBe(1);
  expect(vsProd.json.problems.map((p: any) => [p.prompt, p.kind])).toEqual([
    ['greet', 'drift'],
    ['support/triage', 'drift'],
  ]);

  // deploy moves the label (with a reason in the history).
  const dep = await cli(['deploy', 'greet', 'v5', '--label', 'production', '--reason', 'ship it', '--json']);
  expect(dep.code).toBe(0);
  const prod = await ok(gqlUrl(), t.key, '{ prompt(name: "greet") { activeVersion { number } labelHistory(label: "production", first: 1) { reason } } }');
  expect(prod.prompt).toEqual({ activeVersion: { number: 5 }, labelHistory: [{ reason: 'ship it' }] });
  expect((await cli(['deploy', 'greet', 'v99'])).code).toBe(1);

  // An invalid template fails check.
  await writeFile(file('support/triage'), (await readFile(file('support/triage'), 'utf8')).replace('{{ticket}}', '{{ticket'));
  const invalid = await cli(['check', '--json']);
  expect(invalid.code).toBe(1);
  expect(invalid.json.problems.some((p: any) => p.kind === 'invalid' && p.prompt === 'support/triage')).toBe(true);
  await writeFile(file('support/triage'), (await readFile(file('support/triage'), 'utf8')).replace('{{ticket\n', '{{ticket}}\n'));

  // A removed file deletes its prompt only with --yes (ADMIN key); the lock forgets it.
  await unlink(file('chat/helper'));
  const keep = await cli(['push', '--json']);
  expect(keep.json.plan.find((p: any) => p.name === 'chat/helper').action).toBe('delete');
  expect((await ok(gqlUrl(), t.key, '{ prompt(name: "chat/helper") { id } }')).prompt).not.toBeNull();
  const del = await cli(['push', '--yes', '--json']);
  expect(del.code).toBe(0);
  expect(del.json.pushed).toEqual(expect.arrayContaining([{ name: 'chat/helper', action: 'delete' }]));
  expect((await ok(gqlUrl(), t.key, '{ prompt(name: "chat/helper") { id } }')).prompt).toBeNull();
  expect(JSON.parse(await readFile(path.join(dir, 'prompts.lock.json'), 'utf8')).prompts['chat/helper']).toBeUndefined();
  expect(existsSync(path.join(dir, '.env'))).toBe(false);
  // The key is never written to disk.
  for (const f of ['prompts.lock.json', 'src/prompts.generated.ts']) expect(await readFile(path.join(dir, f), 'utf8')).not.toContain(t.key);
}, 300_000);
