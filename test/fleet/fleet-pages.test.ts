/**
 * The fleet view a page at a time (Postgres): `instancePage` walks every instance by service and
 * instance id with cursors and an uncapped totalCount, the per-service counts cover the whole fleet
 * while the older `instances` list keeps its cap of 1,000, and bad arguments answer BAD_USER_INPUT.
 */
import { fails, ok } from '../helpers/graphql';
import { usePostgresServer, withSql, type TestDatabase } from '../helpers/postgres';
import { createPromptWith, newTenant, type Tenant } from '../helpers/seed';
import type { TestServer } from '../helpers/server';

jest.setTimeout(90_000);

let server: TestServer;
let db: TestDatabase;
// An hour of lag allowance: an older revision stays STALE (not LAGGING) however slow the machine.
usePostgresServer(
  (s, d) => {
    server = s;
    db = d;
  },
  { env: { FLEET_LAG_MS: '3600000' } },
);

const PAGE = `query($p: String!, $first: Int, $after: String) { fleet(promptName: $p) {
  instancePage(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { service instanceId status } } }
} }`;

type Page = {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: { service: string; instanceId: string; status: string } }[];
};
const page = async (key: string, p: string, first?: number, after?: string | null): Promise<Page> =>
  (await ok(server.url, key, PAGE, { p, first, after })).fleet.instancePage;

/** `n` instances of `service` holding the prompt at `revision`, straight into the tables (a large fleet without n reports). */
const seedInstances = (tenant: Tenant, promptId: string, service: string, n: number, revision: number) =>
  withSql(
    db.url,
    (sql) => sql`WITH i AS (
      INSERT INTO client_instances (workspace_id, service, instance_id, client_version, interval_ms, first_seen_at, last_report_at)
      SELECT ${tenant.workspaceId}, ${service}, 'i-' || lpad(g::text, 5, '0'), '1.0.0', 3600000, now(), now() FROM generate_series(1, ${n}) g
      RETURNING id)
    INSERT INTO client_instance_prompts (client_instance_id, prompt_id, revision, revision_since, labels)
    SELECT id, ${promptId}, ${revision}, now(), '[]'::jsonb FROM i`,
  );

async function walk(key: string, p: string, first: number): Promise<{ pages: Page[]; ids: string[] }> {
  const pages: Page[] = [];
  let after: string | null = null;
  do {
    const pg = await page(key, p, first, after);
    pages.push(pg);
    after = pg.pageInfo.hasNextPage ? pg.pageInfo.endCursor : null;
    if (pages.length > 100) throw new Error('the pages do not end');
  } while (after);
  return { pages, ids: pages.flatMap((pg) => pg.edges.map((e) => `${e.node.service}/${e.node.instanceId}`)) };
}

test('pages walk every instance once, in order, with cursors and totalCount', async () => {
  const tenant = await newTenant(server.url, server.adminKey);
  const created = await createPromptWith(server.url, tenant.key, 'paged', 'v1');
  const { id, revision } = created.createPrompt;
  await seedInstances(tenant, id, 'beta', 4, revision);
  await seedInstances(tenant, id, 'alpha', 3, revision);

  const { pages, ids } = await walk(tenant.key, 'paged', 3);
  expect(pages.map((pg) => pg.edges.length)).toEqual([3, 3, 1]);
  expect(pages.map((pg) => pg.pageInfo.hasNextPage)).toEqual([true, true, false]);
  expect(pages.every((pg) => pg.totalCount === 7)).toBe(true);
  expect(ids).toEqual(['alpha/i-00001', 'alpha/i-00002', 'alpha/i-00003', 'beta/i-00001', 'beta/i-00002', 'beta/i-00003', 'beta/i-00004']);
  expect(pages[0]!.pageInfo.endCursor).toBe(pages[0]!.edges[2]!.cursor);
  // Without arguments: the default page size (100) holds them all.
  const all = await page(tenant.key, 'paged');
  expect(all.edges.map((e) => `${e.node.service}/${e.node.instanceId}`)).toEqual(ids);
  expect(all.pageInfo).toEqual({ hasNextPage: false, endCursor: all.edges[6]!.cursor });
});

test('a fleet over 1,000: counts and totalCount uncapped, `instances` capped, pages reach the rest', async () => {
  const tenant = await newTenant(server.url, server.adminKey);
  const created = await createPromptWith(server.url, tenant.key, 'big', 'v1');
  const { id, revision } = created.createPrompt;
  await seedInstances(tenant, id, 'web', 1_005, revision);
  await seedInstances(tenant, id, 'old', 2, revision - 1);

  const { fleet } = await ok(
    server.url,
    tenant.key,
    'query { fleet(promptName: "big") { services { service instances current stale lagging silent } instances { instanceId } instancePage(first: 1) { totalCount } } }',
  );
  expect(fleet.instances).toHaveLength(1_000);
  expect(fleet.instancePage.totalCount).toBe(1_007);
  expect(fleet.services).toEqual([
    { service: 'old', instances: 2, current: 0, stale: 2, lagging: 0, silent: 0 },
    { service: 'web', instances: 1_005, current: 1_005, stale: 0, lagging: 0, silent: 0 },
  ]);
  const { ids } = await walk(tenant.key, 'big', 500);
  expect(ids).toHaveLength(1_007);
  expect(new Set(ids).size).toBe(1_007);
  expect(ids.at(-1)).toBe('web/i-01005');
});

test('bad page arguments: BAD_USER_INPUT naming the argument', async () => {
  const tenant = await newTenant(server.url, server.adminKey);
  await createPromptWith(server.url, tenant.key, 'args', 'v1');
  const { prompts } = await ok(server.url, tenant.key, '{ prompts(first: 1) { pageInfo { endCursor } } }');
  for (const [variables, field] of [
    [{ first: 0 }, 'first'],
    [{ first: 501 }, 'first'],
    [{ after: 'not-a-cursor' }, 'after'],
    [{ after: prompts.pageInfo.endCursor }, 'after'], // another connection's cursor
  ] as const) {
    const err = await fails(server.url, tenant.key, PAGE, { p: 'args', ...variables }, 'BAD_USER_INPUT');
    expect(err.extensions?.field).toBe(field);
  }
});
