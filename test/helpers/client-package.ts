/**
 * The client package as a user gets it: `npm pack` of the packages/client workspace (its prepack builds and verifies
 * dist/), the tarball installed into a scratch project with no dependencies of its own, and what that install put in
 * node_modules. Used by test/client/package.test.ts and bench/client-size.ts.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
export const CLIENT_DIR = path.join(ROOT, 'packages/client');

export type Run = { code: number; stdout: string; stderr: string };

export function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}, timeoutMs = 180_000): Promise<Run> {
  return new Promise((resolve) =>
    execFile(
      cmd,
      args,
      { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...env }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof (err as any).code === 'number' ? (err as any).code : 99) : 0, stdout, stderr }),
    ),
  );
}

async function must(cmd: string, args: string[], cwd: string, env?: Record<string, string>): Promise<Run> {
  const r = await run(cmd, args, cwd, env);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.code}:\n${r.stderr}\n${r.stdout}`);
  return r;
}

export type Packed = { tarball: string; name: string; version: string; size: number; unpackedSize: number; files: string[] };

/** `npm pack` of the client workspace into `dest` (runs its prepack: build + dependency-graph check). */
export async function packClient(dest: string): Promise<Packed> {
  const r = await must('npm', ['pack', '--workspace', 'packages/client', '--pack-destination', dest, '--json'], ROOT);
  const [p] = JSON.parse(r.stdout) as { filename: string; name: string; version: string; size: number; unpackedSize: number; files: { path: string }[] }[];
  return {
    tarball: path.join(dest, p!.filename),
    name: p!.name,
    version: p!.version,
    size: p!.size,
    unpackedSize: p!.unpackedSize,
    files: p!.files.map((f) => f.path),
  };
}

/** A new project in a temp folder (`package.json` with no dependencies) with `tarball` installed by npm. */
export async function installInScratch(tarball: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-client-scratch-'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'scratch-service', version: '1.0.0', private: true }, null, 2));
  await must('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], dir);
  return dir;
}

export type Footprint = { packages: string[]; bytes: number };

function bytesUnder(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) n += bytesUnder(full);
    else if (e.isFile()) n += fs.statSync(full).size;
  }
  return n;
}

/** What an install put in `<project>/node_modules`: the packages (from npm's own record of it) and their bytes on disk (file sizes). */
export function installedFootprint(project: string): Footprint {
  const lock = JSON.parse(fs.readFileSync(path.join(project, 'node_modules/.package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
  const packages = Object.keys(lock.packages)
    .filter((k) => k.startsWith('node_modules/'))
    .map((k) => k.slice(k.lastIndexOf('node_modules/') + 'node_modules/'.length))
    .sort();
  return { packages, bytes: bytesUnder(path.join(project, 'node_modules')) };
}

/**
 * What installing the root package would bring: its production dependency tree as npm recorded it in this checkout's
 * package-lock.json (entries neither dev nor links), measured in node_modules here, with no download.
 */
export function rootProductionFootprint(): Footprint {
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; devOptional?: boolean; link?: boolean }>;
  };
  const paths = Object.entries(lock.packages)
    .filter(([k, v]) => k.startsWith('node_modules/') && !v.dev && !v.devOptional && !v.link)
    .map(([k]) => k);
  // A nested node_modules lies inside its parent package's folder: count each file once.
  const top = paths.filter((k) => !paths.some((o) => o !== k && k.startsWith(o + '/')));
  return {
    packages: paths.map((k) => k.slice(k.lastIndexOf('node_modules/') + 'node_modules/'.length)).sort(),
    bytes: top.reduce((n, k) => n + (fs.existsSync(path.join(ROOT, k)) ? bytesUnder(path.join(ROOT, k)) : 0), 0),
  };
}
