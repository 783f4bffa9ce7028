/**
 * A migrated PGlite data directory cached in the OS temp dir, keyed by a hash of drizzle/: loading it
 * takes ~1.5 s instead of ~6 s for initdb + migrations. Written via tmp + rename so parallel jest
 * workers are safe.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { MIGRATIONS_FOLDER } from '../../src/db/client';

function migrationsHash(): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const f of fs.readdirSync(dir).sort()) {
      const p = path.join(dir, f);
      if (fs.statSync(p).isDirectory()) walk(p);
      else h.update(f).update(fs.readFileSync(p));
    }
  };
  walk(MIGRATIONS_FOLDER);
  return h.digest('hex').slice(0, 16);
}

export async function migratedPgliteTemplate(): Promise<Blob> {
  const file = path.join(os.tmpdir(), `prompt-service-pglite-${migrationsHash()}.tar.gz`);
  if (fs.existsSync(file)) return new Blob([fs.readFileSync(file)]);
  const pg = await PGlite.create();
  await migrate(drizzle({ client: pg }), { migrationsFolder: MIGRATIONS_FOLDER });
  const dump = await pg.dumpDataDir('gzip');
  await pg.close();
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  fs.renameSync(tmp, file);
  return dump;
}
