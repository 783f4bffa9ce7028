/**
 * Start-up check that the postgres.js driver carries our patch (src/db/patches, applied by
 * patch-package on every npm install/ci). Unpatched 3.4.9 kills the process on a Postgres restart
 * under load (porsager/postgres #1066, #1154, #1208), so we refuse to run without it.
 */
import fs from 'node:fs';
import path from 'node:path';

export const PATCHED_DRIVER_VERSION = '3.4.9';
const MARKER = 'prompt-service patch';

export type DriverPatchState = { version: string; patched: boolean; file: string };

export function postgresDriverPatchState(): DriverPatchState {
  // The package exports no ./package.json; its CommonJS entry is <root>/cjs/src/index.js.
  const root = path.resolve(path.dirname(require.resolve('postgres')), '../..');
  const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  // Both builds Node can load (require → cjs/, import → src/) must carry the fix.
  const files = ['cjs/src/connection.js', 'src/connection.js'].map((f) => path.join(root, f));
  const unpatched = files.find((f) => !fs.readFileSync(f, 'utf8').includes(MARKER));
  return { version, patched: unpatched === undefined, file: unpatched ?? files[0]! };
}

/** Throws when the installed driver is not the patched 3.4.9 (a version bump must revisit the patch). */
export function assertPostgresDriverPatched(state: DriverPatchState = postgresDriverPatchState()): void {
  if (state.version !== PATCHED_DRIVER_VERSION) {
    throw new Error(
      `postgres driver is ${state.version}, but src/db/patches holds the fix for ${PATCHED_DRIVER_VERSION} only: ` +
        'check upstream for the nextWrite null-socket fix, then update or drop the patch and this check',
    );
  }
  if (!state.patched) {
    throw new Error(`postgres driver ${state.version} is not patched (${state.file}): run npm install (its postinstall applies src/db/patches)`);
  }
}
