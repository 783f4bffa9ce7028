/**
 * Relations of a list load in one statement per kind (DataLoaders over batched store reads), not one
 * per row: a page of prompts asking for labels, activeABTest and abTests sends the same number of
 * statements to those tables for 3 prompts as for 9. Statements are counted at the driver (Drizzle's
 * query logger, on embedded Postgres), filtered to the tables these fields read.
 */
import { randomBytes } from 'node:crypto';
import { ok } from './helpers/graphql';
import { createPromptWith, addVersion, newTenant, type Tenant } from './helpers/seed';
import { ADMIN_KEY, startServer, type TestServer } from './helpers/server';

jest.setTimeout(120_000);

const statements: string[] = [];
let server: TestServer;
let t: Tenant;
const prefix = `batch-${randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  server = await startServer({ onQuery: (sql) => void statements.push(sql) });
  t = await newTenant(server.url, ADMIN_KEY);
});
afterAll(() => server?.stop());

const LIST = `query($f: String!) { prompts(first: 50, filter: { folder: $f }) { edges { node {
  name labels { name protected version { number } } activeABTest { id label } abTests { id status }
} } } }`;

/** The statements one listing sends to each table of interest (by the quoted names Drizzle writes). */
async function listing(): Promise<{ nodes: any[]; perTable: Record<string, number> }> {
  statements.length = 0;
  const d = await ok(server.url, t.key, LIST, { f: prefix });
  const sent = [...statements];
  const count = (table: string) => sent.filter((s) => s.includes(`from "${table}"`)).length;
  return {
    nodes: d.prompts.edges.map((e: any) => e.node),
    perTable: { labels: count('labels'), ab_tests: count('ab_tests'), workspaces: count('workspaces') },
  };
}

async function addPrompts(n: number, from: number): Promise<void> {
  for (let i = from; i < from + n; i++) {
    const name = `${prefix}/p${String(i).padStart(2, '0')}`;
    await createPromptWith(server.url, t.key, name, `prompt ${i}`);
    const v2 = await addVersion(server.url, t.key, name, `prompt ${i} v2`, { labels: ['staging'] });
    // Every third prompt runs a test on production, so activeABTest and abTests have rows to find.
    if (i % 3 === 0) {
      const versionA = (await ok(server.url, t.key, 'query($n: String!) { prompt(name: $n) { version(number: 1) { id } } }', { n: name })).prompt.version.id;
      await ok(server.url, t.key, 'mutation($i: StartABTestInput!) { startABTest(input: $i) { id } }', { i: { promptName: name, versionA, versionB: v2.id } });
    }
  }
}

test('a page of prompts with labels, activeABTest and abTests: one statement per kind, for 3 prompts as for 9', async () => {
  await addPrompts(3, 0);
  const small = await listing();
  expect(small.nodes).toHaveLength(3);
  await addPrompts(6, 3);
  const large = await listing();
  expect(large.nodes).toHaveLength(9);

  // The answers are right: each prompt has production (protected) and staging; every third runs a test.
  for (const [i, node] of large.nodes.entries()) {
    expect(node.labels).toEqual([
      { name: 'production', protected: true, version: { number: 1 } },
      { name: 'staging', protected: false, version: { number: 2 } },
    ]);
    if (i % 3 === 0) {
      expect(node.activeABTest).toEqual({ id: expect.any(String), label: 'production' });
      expect(node.abTests).toEqual([{ id: node.activeABTest.id, status: 'RUNNING' }]);
    } else {
      expect(node.activeABTest).toBeNull();
      expect(node.abTests).toEqual([]);
    }
  }

  // Batched: labels in one statement, tests in two (the running one on production, and all of them),
  // the workspace's protected labels in one; without DataLoaders these grow with the page.
  const expected = { labels: 1, ab_tests: 2, workspaces: 1 };
  expect(small.perTable).toEqual(expected);
  expect(large.perTable).toEqual(expected);
});
