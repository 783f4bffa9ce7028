/**
 * `npm start` builds only what is out of date (src/start.mjs). In a scratch copy of the project (its own src/, dist/
 * and dashboard/; node_modules and drizzle/ linked): the first start builds the server, a second start compiles
 * nothing ("build up to date", dist/ untouched) and serves, touching a server source rebuilds the server only, and
 * touching a dashboard source rebuilds the dashboard only. Real processes on the embedded database.
 */
import fs from 'node:fs';
import path from 'node:path';
import { copyProject, npmStart as startIn } from './helpers/start-copy';

jest.setTimeout(300_000);
let copy: string;
const npmStart = (dataDir: string) => startIn(copy, dataDir);

function mtimes(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      const p = path.join(entry.parentPath, entry.name);
      out.set(p, fs.statSync(p).mtimeMs);
    }
  }
  return out;
}

/** Sets a file's mtime to now, content unchanged (what an editor's save does to the clock). */
function touch(file: string): void {
  const now = new Date();
  fs.utimesSync(file, now, now);
}

beforeAll(() => {
  copy = copyProject();
});
afterAll(() => {
  if (copy) fs.rmSync(copy, { recursive: true, force: true });
});

test('the second npm start compiles nothing and serves; touching a source rebuilds only its part', async () => {
  const data = fs.mkdtempSync(path.join(copy, 'data-'));

  const first = await npmStart(data);
  expect(first.output).toContain('[start] building server');
  expect(first.output).toContain('[start] building dashboard');
  expect(first.served).toBe(true);
  expect(fs.existsSync(path.join(copy, 'dashboard/dist/index.html'))).toBe(true);

  const before = mtimes(path.join(copy, 'dist'));
  const dashboardBefore = mtimes(path.join(copy, 'dashboard/dist'));
  const second = await npmStart(data);
  expect(second.output).toContain('[start] build up to date');
  expect(second.output).not.toContain('[start] building');
  expect(second.served).toBe(true);
  expect(mtimes(path.join(copy, 'dist'))).toEqual(before);
  expect(mtimes(path.join(copy, 'dashboard/dist'))).toEqual(dashboardBefore);

  touch(path.join(copy, 'src/config.ts'));
  const third = await npmStart(data);
  expect(third.output).toContain('[start] building server');
  expect(third.output).not.toContain('[start] building dashboard');
  expect(third.served).toBe(true);

  touch(path.join(copy, 'dashboard/src/main.tsx'));
  const fourth = await npmStart(data);
  expect(fourth.output).toContain('[start] building dashboard');
  expect(fourth.output).not.toContain('[start] building server');
  expect(fourth.served).toBe(true);

  const fifth = await npmStart(data);
  expect(fifth.output).toContain('[start] build up to date');
});
