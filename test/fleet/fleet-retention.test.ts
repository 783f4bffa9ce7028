/**
 * Fleet retention on Postgres: instances silent past FLEET_RETENTION_HOURS are deleted by the periodic
 * prune (what they held with them), those silent for less still show as SILENT, and while another
 * session holds the prune lock nothing is deleted (one instance at a time prunes).
 */
import { ADVISORY_LOCKS } from '../../src/db/locks';
import { ok } from '../helpers/graphql';
import { usePostgresServer, withSql, type TestDatabase } from '../helpers/postgres';
import { createPromptWith, newTenant, type Tenant } from '../helpers/seed';
import type { TestServer } from '../helpers/server';

jest.setTimeout(90_000);

let server: TestServer;
let db: TestDatabase;
usePostgresServer(
  (s, d) => {
    server = s;
    db = d;
  },
  { env: { FLEET_RETENTION_HOURS: '1', FLEET_PRUNE_INTERVAL_MS: '200' } },
);

const REPORT = 'mutation($i: ClientStateInput!) { reportClientState(input: $i) { prompts } }';
const FLEET = 'query($p: String!) { fleet(promptName: $p) { services { service instances silent current } instances { instanceId status } } }';

let tenant: Tenant;
let versionId: string;
beforeAll(async () => {
  tenant = await newTenant(server.url, server.adminKey);
  versionId = (await createPromptWith(server.url, tenant.key, 'kept', 'v1')).createPrompt.activeVersion.id;
});

async function report(instanceId: string) {
  const { prompt } = await ok(server.url, tenant.key, '{ prompt(name: "kept") { revision } }');
  await ok(server.url, tenant.key, REPORT, {
    i: {
      service: 'svc',
      instanceId,
      clientVersion: '1.0.0',
      intervalMs: 1000,
      prompts: [{ name: 'kept', revision: prompt.revision, labels: [{ label: 'production', versionId }] }],
    },
  });
}

/** Moves an instance's last report `minutes` into the past (what an instance that stopped reporting looks like). */
const backdate = (instanceId: string, minutes: number) =>
  withSql(db.url, (sql) => sql`UPDATE client_instances SET last_report_at = now() - make_interval(mins => ${minutes}) WHERE instance_id = ${instanceId}`);
const rowsOf = (instanceId: string) =>
  withSql(db.url, async (sql) => {
    const [r] =
      await sql`SELECT count(*)::int AS instances, (SELECT count(*)::int FROM client_instance_prompts p JOIN client_instances i ON i.id = p.client_instance_id WHERE i.instance_id = ${instanceId}) AS held
      FROM client_instances WHERE instance_id = ${instanceId}`;
    return r as { instances: number; held: number };
  });

async function until(check: () => Promise<boolean>, what: string) {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > 30_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('past retention: deleted with what it held; within it: still there, SILENT', async () => {
  for (const id of ['gone', 'quiet', 'live']) await report(id);
  // Before backdating: the prune runs every 200 ms, so after it the row may be gone already (a CI run saw that).
  expect(await rowsOf('gone')).toEqual({ instances: 1, held: 1 });
  await backdate('gone', 61);
  await backdate('quiet', 50);
  await until(async () => (await rowsOf('gone')).instances === 0, 'the prune to delete the instance past retention');
  expect(await rowsOf('gone')).toEqual({ instances: 0, held: 0 });
  expect(await rowsOf('quiet')).toEqual({ instances: 1, held: 1 });
  const { fleet } = await ok(server.url, tenant.key, FLEET, { p: 'kept' });
  expect(fleet.instances).toEqual([
    { instanceId: 'live', status: 'CURRENT' },
    { instanceId: 'quiet', status: 'SILENT' },
  ]);
  expect(fleet.services).toEqual([{ service: 'svc', instances: 2, silent: 1, current: 1 }]);
});

test('while another session holds the prune lock nothing is deleted; released, the prune goes on', async () => {
  await report('locked-out');
  await withSql(db.url, async (sql) => {
    await sql`SELECT pg_advisory_lock(${ADVISORY_LOCKS.fleetPrune})`;
    await backdate('locked-out', 120); // after the lock is taken: a prune round in between would delete it
    // Many prune rounds (every 200 ms) pass while the lock is held elsewhere; a direct call skips too.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await server.app.services.fleet.prune()).toBeNull();
    expect((await rowsOf('locked-out')).instances).toBe(1);
    await sql`SELECT pg_advisory_unlock(${ADVISORY_LOCKS.fleetPrune})`;
  });
  await until(async () => (await rowsOf('locked-out')).instances === 0, 'the prune after the lock is released');
});
