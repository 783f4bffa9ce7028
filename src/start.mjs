/* global process, console */
// `npm start`: builds only what is out of date, then runs dist/main.js in this process.
// Plain JavaScript (not compiled) because it runs before the build. The server is built by tsc with
// a tsbuildinfo in dist/ (only changed files are re-checked and re-emitted) and skipped entirely when
// no input is newer than dist/.build-stamp; the dashboard's Vite build is skipped when
// dashboard/dist/index.html is newer than every dashboard source and its config.
// `node src/start.mjs --build-only` builds (the same checks) and exits.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (...parts) => path.join(ROOT, ...parts);
const SERVER_STAMP = at('dist/.build-stamp');
const DASHBOARD_INDEX = at('dashboard/dist/index.html');

/** Newest mtime (ms) among the files and folders (walked) given; 0 when none exist. */
function newestMtime(paths) {
  let newest = 0;
  for (const p of paths) {
    let stat;
    try {
      stat = fs.statSync(p);
    } catch {
      continue;
    }
    newest = Math.max(newest, stat.mtimeMs);
    if (stat.isDirectory()) newest = Math.max(newest, newestMtime(fs.readdirSync(p).map((name) => path.join(p, name))));
  }
  return newest;
}

function mtimeOf(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

function run(label, bin, args, env = process.env) {
  const started = Date.now();
  console.log(`[start] ${label}`);
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: ROOT, stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`[start] ${label} failed${result.status === null ? ` (${result.signal})` : ''}`);
    process.exit(result.status ?? 1);
  }
  console.log(`[start] ${label}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const require = createRequire(import.meta.url);
const TSC = at('node_modules/typescript/bin/tsc');
const VITE = at('node_modules/vite/bin/vite.js');

// Folders count too: a deleted or renamed file changes its folder's mtime.
const serverInputs = [at('src'), at('schema.graphql'), at('tsconfig.json'), at('tsconfig.build.json')];
const dashboardInputs = [at('dashboard/src'), at('dashboard/index.html'), at('dashboard/vite.config.mts'), at('dashboard/tsconfig.json')];

const serverStale = !fs.existsSync(at('dist/main.js')) || newestMtime(serverInputs) >= mtimeOf(SERVER_STAMP);
const dashboardStale = newestMtime(dashboardInputs) >= mtimeOf(DASHBOARD_INDEX);

if (serverStale) {
  // The stamp gets the time the build began: a file saved during the build counts as newer.
  const began = new Date();
  run('building server (tsc, incremental)', TSC, ['-p', 'tsconfig.build.json']);
  fs.writeFileSync(SERVER_STAMP, 'inputs older than this file are built into dist/ (src/start.mjs)\n');
  fs.utimesSync(SERVER_STAMP, began, began);
}
if (dashboardStale) {
  const began = new Date();
  // NODE_ENV=production: a development NODE_ENV would make Vite bundle React's development build.
  run('building dashboard (vite)', VITE, ['build', 'dashboard', '--logLevel', 'warn'], {
    ...process.env,
    NODE_ENV: 'production',
  });
  fs.utimesSync(DASHBOARD_INDEX, began, began);
}
if (!serverStale && !dashboardStale) console.log('[start] build up to date');

if (!process.argv.includes('--build-only')) require(at('dist/main.js'));
