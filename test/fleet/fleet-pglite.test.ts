/** The fleet view on the embedded default (PGlite): a client's reports over its socket, a change picked up, then silence after close. */
import { sql } from 'drizzle-orm';
import { createPromptClient } from '../../src/client';
import { ok } from '../helpers/graphql';
import { addVersion, createPromptWith, keyWith, newTenant } from '../helpers/seed';
import { startServer, type TestServer } from '../helpers/server';

jest.setTimeout(60_000);

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { FLEET_LAG_MS: '1000' } });
});
afterAll(async () => {
  await server?.stop();
});

const FLEET = 'query($p: String!) { fleet(promptName: $p) { currentRevision instances { instanceId status revision labels { label versionNumber } } } }';

async function until<T>(read: () => Promise<T>, check: (v: T) => boolean, what: string): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await read();
    if (check(v)) return v;
    if (Date.now() - start > 20_000) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('reports, a picked-up label move, and silence after close', async () => {
  const tenant = await newTenant(server.url, server.adminKey);
  const key = await keyWith(server.url, tenant.key, { scopes: ['prompts:resolve'] });
  await createPromptWith(server.url, tenant.key, 'embedded', 'v1');
  const v2 = await addVersion(server.url, tenant.key, 'embedded', 'v2');
  const client = createPromptClient({ url: server.url, apiKey: key, retryBaseMs: 50, fleet: { service: 'svc', instanceId: 'pg-1', intervalMs: 300 } });
  const fleet = async () => (await ok(server.url, tenant.key, FLEET, { p: 'embedded' })).fleet;
  try {
    expect((await client.resolve('embedded')).versionNumber).toBe(1);
    await until(fleet, (f) => f.instances[0]?.labels[0]?.versionNumber === 1, 'the first report');
    await ok(server.url, tenant.key, 'mutation($v: ID!) { setLabel(promptName: "embedded", label: "production", versionId: $v) { revision } }', { v: v2.id });
    const f = await until(fleet, (x) => x.instances[0]?.revision === x.currentRevision, 'the move picked up');
    expect(f.instances).toEqual([{ instanceId: 'pg-1', status: 'CURRENT', revision: f.currentRevision, labels: [{ label: 'production', versionNumber: 2 }] }]);
  } finally {
    await client.close();
  }
  await until(fleet, (x) => x.instances[0]?.status === 'SILENT', 'silent after close');
});

test('the retention prune runs on the embedded database too: an instance silent past 24 h is deleted', async () => {
  const tenant = await newTenant(server.url, server.adminKey);
  const created = await createPromptWith(server.url, tenant.key, 'old-fleet', 'v1');
  const report = 'mutation($i: ClientStateInput!) { reportClientState(input: $i) { prompts } }';
  await ok(server.url, tenant.key, report, {
    i: {
      service: 'svc',
      instanceId: 'long-gone',
      clientVersion: '1.0.0',
      intervalMs: 1000,
      prompts: [{ name: 'old-fleet', revision: created.createPrompt.revision, labels: [] }],
    },
  });
  const db = server.app.services.db;
  await db.execute(sql`UPDATE client_instances SET last_report_at = now() - interval '25 hours' WHERE instance_id = 'long-gone'`);
  expect(await server.app.services.fleet.prune()).toBe(1);
  expect((await ok(server.url, tenant.key, FLEET, { p: 'old-fleet' })).fleet.instances).toEqual([]);
});
