/**
 * A scratch copy of the project for `npm start` runs (test/fast-start, bench/start): its own src/, dist/ and dashboard/
 * (so builds there leave this checkout alone), node_modules and drizzle/ linked.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = path.resolve(__dirname, '../..');

export function copyProject(): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-start-copy-'));
  for (const f of ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'schema.graphql']) fs.copyFileSync(path.join(ROOT, f), path.join(copy, f));
  fs.cpSync(path.join(ROOT, 'src'), path.join(copy, 'src'), { recursive: true });
  fs.mkdirSync(path.join(copy, 'dashboard'));
  for (const f of ['src', 'index.html', 'vite.config.mts', 'tsconfig.json'])
    fs.cpSync(path.join(ROOT, 'dashboard', f), path.join(copy, 'dashboard', f), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));
  fs.symlinkSync(path.join(ROOT, 'drizzle'), path.join(copy, 'drizzle'));
  return copy;
}

export type StartRun = { output: string; served: boolean; /** ms from spawning `npm start` to its "serving" line */ ms: number };

/** `npm start` in `cwd` until it logs "serving" (then SIGTERM to its process group) or exits. */
export function npmStart(cwd: string, dataDir: string): Promise<StartRun> {
  return new Promise((resolve, reject) => {
    const began = performance.now();
    const child = spawn('npm', ['start', '--silent'], {
      cwd,
      detached: true,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', PORT: '0', DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let ms = NaN;
    const onData = (d: Buffer) => {
      output += d.toString();
      if (Number.isNaN(ms) && /"msg":"serving"/.test(output)) {
        ms = performance.now() - began;
        process.kill(-child.pid!, 'SIGTERM');
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', reject);
    child.once('exit', () => resolve({ output, served: !Number.isNaN(ms), ms }));
  });
}
