/**
 * The snapshot file's folder is created when missing, and a snapshot that cannot be written is reported — to the
 * caller's onError, or as a process warning when there is none — never swallowed (the README's example pointed at a
 * folder that did not exist, and the write error vanished).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { createSnapshotWriter, readSnapshot } from '../../src/client/snapshot';
import type { WirePrompt } from '../../src/client/types';

const prompt = { name: 'p', revision: 3, versions: [] } as unknown as WirePrompt;
const scratch = () => mkdtempSync(path.join(os.tmpdir(), 'pm-snapshot-'));

test('a snapshot in a folder that does not exist yet is written, folders created', async () => {
  const file = path.join(scratch(), 'var', 'cache', 'prompts.json');
  const errors: Error[] = [];
  await createSnapshotWriter(
    file,
    () => [prompt],
    (e) => errors.push(e),
  ).save();
  expect(errors).toEqual([]);
  expect(JSON.parse(readFileSync(file, 'utf8')).prompts).toEqual([prompt]);
  expect(readSnapshot(file, (e) => errors.push(e))).toEqual([prompt]);
});

test('a snapshot that cannot be written is reported to onError', async () => {
  const dir = scratch();
  writeFileSync(path.join(dir, 'not-a-folder'), 'x');
  const errors: Error[] = [];
  await createSnapshotWriter(
    path.join(dir, 'not-a-folder', 'prompts.json'),
    () => [prompt],
    (e) => errors.push(e),
  ).save();
  expect(errors).toHaveLength(1);
  expect((errors[0] as NodeJS.ErrnoException).code).toMatch(/EEXIST|ENOTDIR/);
});

test('without an onError of the caller, a client problem is a process warning (printed by Node)', () => {
  const dir = scratch();
  const file = path.join(dir, 'prompts.json');
  writeFileSync(file, 'not json');
  const script = path.join(dir, 'service.ts');
  writeFileSync(
    script,
    `import { createPromptClient } from ${JSON.stringify(path.resolve(__dirname, '../../src/client'))};
const client = createPromptClient({ url: 'http://127.0.0.1:9/graphql', apiKey: 'pm_test_x', snapshotFile: ${JSON.stringify(file)}, fleet: false });
setTimeout(() => void client.close(), 50);
`,
  );
  const run = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: path.resolve(__dirname, '../..'), encoding: 'utf8', timeout: 30_000 });
  expect(run.stderr).toMatch(/PromptClientWarning: .*(JSON|format)/);
});
