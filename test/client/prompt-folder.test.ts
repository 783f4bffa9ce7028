/**
 * The client's last resort from a pulled `prompts/` folder (`<package>/client/prompt-folder`): pulled with the real
 * CLI from a real server process, then the server is stopped and a client that never reached it (no snapshot)
 * serves the files — stale, with the lock's version id when the file is unchanged, includes from their files, the
 * file's variable contract enforced. While the server answers, or when a snapshot exists, the files are not used.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createPromptClient, type PromptClient } from '../../src/client';
import { promptFolderFallbacks } from '../../src/client/prompt-folder';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';
import { addVersion, createPromptWith, keyWith, newTenant } from '../helpers/seed';
import { ADMIN_KEY, spawnServer, type ServerProcess } from '../helpers/server';

jest.setTimeout(120_000);
const ROOT = path.resolve(__dirname, '../..');

let db: TestDatabase;
let server: ServerProcess;
let dir: string;
let serviceKey: string;
let v2Id: string;
let lock: { prompts: Record<string, { versionId: string; number: number }> };
const clients: PromptClient[] = [];

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts'), ...args, '--dir', dir],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), ...env }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof (err as any).code === 'number' ? (err as any).code : 99) : 0, stdout, stderr }),
    ),
  );
}

function client(options: Partial<Parameters<typeof createPromptClient>[0]>): PromptClient {
  const c = createPromptClient({
    url: server.url,
    apiKey: serviceKey,
    retryBaseMs: 20,
    retryMaxMs: 100,
    fetchAttempts: 2,
    requestTimeoutMs: 1_000,
    ...options,
  });
  clients.push(c);
  return c;
}

const triageVars = { ticket: 'My card was charged twice', agent: 'Ada' };

beforeAll(async () => {
  db = await createTestDatabase();
  server = await spawnServer({ DATABASE_URL: db.url });
  const t = await newTenant(server.url, ADMIN_KEY);
  serviceKey = await keyWith(server.url, t.key, { scopes: ['prompts:resolve', 'metrics:write'] });
  await createPromptWith(server.url, t.key, 'shared/signature', 'Signed, {{agent}}');
  await createPromptWith(server.url, t.key, 'support/triage', 'Triage v1 ({{tone}}): {{ticket}}\n{{> shared/signature}}', {
    variables: [
      { name: 'ticket', type: 'STRING' },
      { name: 'tone', type: 'ENUM', values: ['formal', 'casual'], default: 'formal' },
    ],
    tools: [{ name: 'lookup_order', description: 'Find an order', parameters: { type: 'object', properties: { id: { type: 'string' } } } }],
    responseFormat: { type: 'object', properties: { label: { type: 'string' } } },
  });
  await createPromptWith(server.url, t.key, 'greet', 'Hello {{name}}!');

  dir = await mkdtemp(path.join(os.tmpdir(), 'prompt-folder-'));
  const env = { PROMPT_SERVICE_URL: `http://127.0.0.1:${server.port}`, PROMPT_SERVICE_KEY: t.key };
  expect((await cli(['init'], env)).code).toBe(0);
  const pulled = await cli(['pull', '--all'], env);
  expect(pulled).toMatchObject({ code: 0 });
  lock = JSON.parse(await readFile(path.join(dir, 'prompts.lock.json'), 'utf8'));
  // Edited locally after the pull: no longer the locked version.
  const greet = path.join(dir, 'prompts/greet.prompt');
  await writeFile(greet, (await readFile(greet, 'utf8')).replace('Hello {{name}}!', 'Hi {{name}}, from the file!'));
  // The server moves on after the pull: v2 is production now.
  v2Id = (await addVersion(server.url, t.key, 'support/triage', 'Triage v2: {{ticket}}\n{{> shared/signature}}', { labels: ['production'] })).id;
});

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  await server?.kill();
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('while the server answers, its copy is served, not the file', async () => {
  const c = client({ fallbacks: promptFolderFallbacks(path.join(dir, 'prompts')), snapshotFile: path.join(dir, 'snapshot.json') });
  const r = await c.resolve('support/triage', triageVars);
  expect(r).toMatchObject({ versionId: v2Id, versionNumber: 2, stale: false, text: 'Triage v2: My card was charged twice\nSigned, Ada' });
  await c.close(); // the snapshot now holds v2 (and its include)
});

describe('with the server stopped', () => {
  beforeAll(async () => {
    await server.kill();
  });

  test('a client that never reached it serves the files: stale, the lock’s version, includes and contract from the files', async () => {
    const c = client({ fallbacks: promptFolderFallbacks(path.join(dir, 'prompts')) });
    const r = await c.resolve('support/triage', { ...triageVars, tone: 'casual' });
    expect(r).toMatchObject({
      stale: true,
      promptName: 'support/triage',
      versionId: lock.prompts['support/triage']!.versionId,
      versionNumber: 1,
      text: 'Triage v1 (casual): My card was charged twice\nSigned, Ada',
      tools: [{ name: 'lookup_order', description: 'Find an order', parameters: { type: 'object', properties: { id: { type: 'string' } } } }],
      responseFormat: { type: 'object', properties: { label: { type: 'string' } } },
    });
    expect(r.warnings.join('\n')).toContain('served prompts/support/triage.prompt for "support/triage"');
    // Edited since the pull: served as the file, never claimed to be the locked version.
    expect(await c.resolve('greet', { name: 'Ada' })).toMatchObject({ stale: true, versionId: 'file:greet', versionNumber: 0, text: 'Hi Ada, from the file!' });
    // The file's contract holds: a missing required variable (here the include's) is the caller's error.
    await expect(c.resolve('support/triage', { ticket: 'x' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(c.resolve('support/triage', { ...triageVars, tone: 'angry' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    // A prompt without a file still fails as unavailable.
    await expect(c.resolve('not/in/files', {})).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  test('a snapshot, when there is one, wins over the files', async () => {
    const c = client({ fallbacks: promptFolderFallbacks(path.join(dir, 'prompts')), snapshotFile: path.join(dir, 'snapshot.json') });
    expect(await c.resolve('support/triage', triageVars)).toMatchObject({
      stale: true,
      versionId: v2Id,
      text: 'Triage v2: My card was charged twice\nSigned, Ada',
    });
  });

  test('a missing folder or a malformed file fails at once, naming it', async () => {
    expect(() => promptFolderFallbacks(path.join(dir, 'nope'))).toThrow(/nope/);
    await writeFile(path.join(dir, 'prompts/broken.prompt'), 'no front matter\n');
    expect(() => promptFolderFallbacks(path.join(dir, 'prompts'))).toThrow(/prompts\/broken\.prompt/);
  });
});
