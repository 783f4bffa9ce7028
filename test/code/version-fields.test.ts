/** Version fields that code needs (`tools`, `responseFormat`) and `deletePrompt`, on real Postgres. */
import { contentHashOf } from '../../src/prompts/version-service';
import { fails, ok } from '../helpers/graphql';
import { usePostgresServer, withSql, type TestDatabase } from '../helpers/postgres';
import { keyWith, newTenant, type Tenant } from '../helpers/seed';
import type { TestServer } from '../helpers/server';
import { collect, wsClient } from '../helpers/ws';

let server: TestServer;
let db: TestDatabase;
let t: Tenant;
usePostgresServer((s, d) => {
  server = s;
  db = d;
});
beforeAll(async () => {
  t = await newTenant(server.url, server.adminKey);
});

const search = {
  name: 'search_docs',
  description: 'Search the docs',
  parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
};
const answer = { type: 'object', properties: { label: { enum: ['bug', 'question'] }, confidence: { type: 'number' } }, required: ['label'] };
const VERSION_FIELDS = 'id number tools responseFormat contractChanges contentHash';

async function create(name: string, version: Record<string, unknown>) {
  return ok(server.url, t.key, `mutation($i: CreatePromptInput!) { createPrompt(input: $i) { id name latestVersion { ${VERSION_FIELDS} } } }`, {
    i: { name, version },
  });
}

test('tools and responseFormat are stored, returned by the version, resolvePrompt, renderVersion and clientPrompts', async () => {
  const d = await create('code/classify', { template: 'Classify: {{ticket}}', tools: [search], responseFormat: answer });
  const v = d.createPrompt.latestVersion;
  expect(v.tools).toEqual([search]);
  expect(v.responseFormat).toEqual(answer);
  const r = await ok(server.url, t.key, '{ resolvePrompt(name: "code/classify", variables: { ticket: "x" }) { text tools responseFormat } }');
  expect(r.resolvePrompt).toEqual({ text: 'Classify: x', tools: [search], responseFormat: answer });
  const rv = await ok(server.url, t.key, 'query($v: ID!) { renderVersion(versionId: $v, variables: { ticket: "y" }) { tools responseFormat } }', { v: v.id });
  expect(rv.renderVersion).toEqual({ tools: [search], responseFormat: answer });
  const c = await ok(server.url, t.key, '{ clientPrompts(names: ["code/classify"]) { versions { tools responseFormat } } }');
  expect(c.clientPrompts[0].versions[0]).toEqual({ tools: [search], responseFormat: answer });
});

test('a version without tools keeps nulls and the same content hash as before the fields existed', async () => {
  const a = await create('code/plain-a', { template: 'Hello {{who}}' });
  const b = await create('code/plain-b', { template: 'Hello {{who}}', tools: [search] });
  expect(a.createPrompt.latestVersion.tools).toBeNull();
  expect(a.createPrompt.latestVersion.responseFormat).toBeNull();
  // Hash of the same content computed the old way (no tools key): a stored hash must not change meaning.
  const base = {
    type: 'TEXT' as const,
    template: 'Hello {{who}}',
    systemMessage: null,
    messages: null,
    variables: [{ name: 'who', type: 'STRING' as const, values: null, required: true, description: null }],
    model: 'claude-sonnet-4-20250514',
    temperature: 0.7,
    maxTokens: 1000,
    config: null,
  };
  expect(a.createPrompt.latestVersion.contentHash).toBe(contentHashOf(base));
  expect(b.createPrompt.latestVersion.contentHash).not.toBe(a.createPrompt.latestVersion.contentHash);
});

test.each([
  ['parameters of a wrong type', [{ name: 'f', parameters: { type: 'strin' } }], 'input.version.tools.0.parameters'],
  ['parameters that are not an object schema', [{ name: 'f', parameters: { type: 'string' } }], 'input.version.tools.0.parameters.type'],
  [
    'a bad regex pattern',
    [{ name: 'f', parameters: { type: 'object', properties: { a: { type: 'string', pattern: '(' } } } }],
    'input.version.tools.0.parameters',
  ],
  ['an unresolvable $ref', [{ name: 'f', parameters: { type: 'object', properties: { a: { $ref: '#/$defs/missing' } } } }], 'input.version.tools.0.parameters'],
  ['a bad tool name', [{ name: 'no spaces', parameters: { type: 'object' } }], 'input.version.tools.0.name'],
  ['two tools of one name', [search, search], 'input.version.tools.1.name'],
  ['an unknown key', [{ ...search, strict: true }], 'input.version.tools.0.strict'],
  ['not a list', { name: 'f' }, 'input.version.tools'],
])('tools with %s are refused with BAD_USER_INPUT naming the field', async (_what, tools, field) => {
  const err = await fails(
    server.url,
    t.key,
    'mutation($i: CreatePromptInput!) { createPrompt(input: $i) { id } }',
    { i: { name: `code/bad-${Math.random().toString(36).slice(2, 8)}`, version: { template: 'x', tools } } },
    'BAD_USER_INPUT',
  );
  expect(err.extensions!.field).toBe(field);
});

test('a responseFormat that is not a JSON Schema is refused; a draft-07 schema is accepted', async () => {
  await create('code/rf', { template: 'x' });
  const e1 = await fails(
    server.url,
    t.key,
    'mutation($i: CreateVersionInput!) { createVersion(input: $i) { id } }',
    { i: { promptName: 'code/rf', template: 'x', responseFormat: { type: 'object', required: 'label' } } },
    'BAD_USER_INPUT',
  );
  expect(e1.extensions!.field).toBe('input.responseFormat');
  expect(e1.message).toMatch(/not a valid JSON Schema/);
  const e2 = await fails(
    server.url,
    t.key,
    'mutation($i: CreateVersionInput!) { createVersion(input: $i) { id } }',
    { i: { promptName: 'code/rf', template: 'x', responseFormat: [1] } },
    'BAD_USER_INPUT',
  );
  expect(e2.extensions!.field).toBe('input.responseFormat');
  const draft7 = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    definitions: { a: { type: 'string' } },
    properties: { a: { $ref: '#/definitions/a' } },
  };
  const v = await ok(server.url, t.key, 'mutation($i: CreateVersionInput!) { createVersion(input: $i) { responseFormat } }', {
    i: { promptName: 'code/rf', template: 'x', responseFormat: draft7 },
  });
  expect(v.createVersion.responseFormat).toEqual(draft7);
});

test('changes of tools and responseFormat are counted in contractChanges and shown in versionDiff', async () => {
  const d = await create('code/evolve', { template: 'Q: {{q}}', tools: [search], responseFormat: answer });
  const v1 = d.createPrompt.latestVersion;
  const lookup = { name: 'lookup', parameters: { type: 'object', properties: { id: { type: 'integer' } } } };
  const changedSearch = {
    ...search,
    parameters: { type: 'object', properties: { query: { type: 'string' }, limit: { type: 'integer' } }, required: ['query'] },
  };
  const v2 = (
    await ok(server.url, t.key, `mutation($i: CreateVersionInput!) { createVersion(input: $i) { ${VERSION_FIELDS} } }`, {
      i: { promptName: 'code/evolve', template: 'Q: {{q}}', tools: [changedSearch, lookup] },
    })
  ).createVersion;
  expect(v2.contractChanges).toEqual(['changed parameters of tool "search_docs"', 'added tool "lookup"', 'removed response format']);
  const v3 = (
    await ok(server.url, t.key, `mutation($i: CreateVersionInput!) { createVersion(input: $i) { ${VERSION_FIELDS} } }`, {
      i: { promptName: 'code/evolve', template: 'Q: {{q}}', tools: [lookup], responseFormat: answer },
    })
  ).createVersion;
  expect(v3.contractChanges).toEqual(['removed tool "search_docs"', 'added response format']);
  const diff = await ok(server.url, t.key, 'query($a: ID!, $b: ID!) { versionDiff(fromVersionId: $a, toVersionId: $b) { changes { field from to } } }', {
    a: v1.id,
    b: v2.id,
  });
  expect(diff.versionDiff.changes).toEqual([
    { field: 'tools', from: [search], to: [changedSearch, lookup] },
    { field: 'responseFormat', from: answer, to: null },
  ]);
  // Unchanged tools: no contract line.
  const v4 = (
    await ok(server.url, t.key, `mutation($i: CreateVersionInput!) { createVersion(input: $i) { ${VERSION_FIELDS} } }`, {
      i: { promptName: 'code/evolve', template: 'Q2: {{q}}', tools: [lookup], responseFormat: answer },
    })
  ).createVersion;
  expect(v4.contractChanges).toEqual([]);
});

describe('deletePrompt', () => {
  const del = 'mutation($n: String!, $c: String!) { deletePrompt(name: $n, confirmName: $c) }';

  test('needs ADMIN: EDITOR and PUBLISHER are FORBIDDEN and the prompt stays', async () => {
    await create('code/keep', { template: 'x' });
    for (const role of ['EDITOR', 'PUBLISHER']) {
      const key = await keyWith(server.url, t.key, { role });
      await fails(server.url, key, del, { n: 'code/keep', c: 'code/keep' }, 'FORBIDDEN');
    }
    expect((await ok(server.url, t.key, '{ prompt(name: "code/keep") { name } }')).prompt).toEqual({ name: 'code/keep' });
  });

  test('a wrong confirmName is BAD_USER_INPUT on confirmName; a missing prompt is NOT_FOUND', async () => {
    await create('code/confirm', { template: 'x' });
    const err = await fails(server.url, t.key, del, { n: 'code/confirm', c: 'code/confirm ' }, 'BAD_USER_INPUT');
    expect(err.extensions!.field).toBe('confirmName');
    await fails(server.url, t.key, del, { n: 'code/none', c: 'code/none' }, 'NOT_FOUND');
    expect((await ok(server.url, t.key, '{ prompt(name: "code/confirm") { name } }')).prompt).not.toBeNull();
  });

  test('removes the prompt, its versions, labels and history; the audit log keeps the record; the name is free again; subscribers hear PROMPT_DELETED', async () => {
    const d = await create('code/gone', { template: 'v1 {{a}}', tools: [search] });
    const v1 = d.createPrompt.latestVersion.id;
    await ok(server.url, t.key, 'mutation($i: CreateVersionInput!) { createVersion(input: $i) { id } }', {
      i: { promptName: 'code/gone', template: 'v2 {{a}}', labels: ['staging'] },
    });
    const client = wsClient(server.url, t.key);
    const sub = collect(client, 'subscription { promptChanged(name: "code/gone") { kind promptName revision prompt { id } } }');
    try {
      // The subscription is live once an event arrives (see STACK gotcha 7): poke with a metadata change.
      for (let i = 0; sub.events.length === 0 && i < 50; i++) {
        await ok(server.url, t.key, 'mutation { updatePrompt(name: "code/gone", input: { description: "poke" }) { revision } }');
        await new Promise((r) => setTimeout(r, 100));
      }
      const revisionBefore = (await ok(server.url, t.key, '{ prompt(name: "code/gone") { revision } }')).prompt.revision;
      expect((await ok(server.url, t.key, del, { n: 'code/gone', c: 'code/gone' })).deletePrompt).toBe(true);
      const n = sub.events.length;
      const events = await sub.waitFor(n + 1, 5000);
      expect((events[n] as any).promptChanged).toEqual({ kind: 'PROMPT_DELETED', promptName: 'code/gone', revision: revisionBefore + 1, prompt: null });
    } finally {
      sub.dispose();
      await client.dispose();
    }
    expect((await ok(server.url, t.key, '{ prompt(name: "code/gone") { id } }')).prompt).toBeNull();
    expect((await ok(server.url, t.key, 'query($v: ID!) { version(id: $v) { id } }', { v: v1 })).version).toBeNull();
    await fails(server.url, t.key, '{ resolvePrompt(name: "code/gone", variables: { a: "1" }) { text } }', undefined, 'NOT_FOUND');
    const left = await withSql(db.url, async (sql) => {
      const id = d.createPrompt.id as string;
      const count = async (table: string) => (await sql.unsafe(`select count(*)::int as n from ${table} where prompt_id = $1`, [id]))[0]!.n as number;
      return {
        versions: await count('prompt_versions'),
        labels: await count('labels'),
        history: await count('label_history'),
        prompts: (await sql`select count(*)::int as n from prompts where id = ${id}`)[0]!.n,
      };
    });
    expect(left).toEqual({ versions: 0, labels: 0, history: 0, prompts: 0 });
    const audit = await ok(server.url, t.key, '{ auditLog(filter: { action: "prompt.delete" }) { edges { node { action target before after } } } }');
    const entry = audit.auditLog.edges.find((e: any) => e.node.target === 'code/gone')!.node;
    expect(entry).toMatchObject({ action: 'prompt.delete', target: 'code/gone', after: null });
    expect(entry.before).toMatchObject({ name: 'code/gone', versions: 2 });
    // The audit trail of the prompt's life is still there too.
    const created = await ok(server.url, t.key, '{ auditLog(filter: { action: "version.create" }) { edges { node { target } } } }');
    expect(created.auditLog.edges.map((e: any) => e.node.target)).toEqual(expect.arrayContaining(['code/gone#1', 'code/gone#2']));
    // The name is free: a new prompt starts at version 1.
    const again = await create('code/gone', { template: 'fresh' });
    expect(again.createPrompt.latestVersion.number).toBe(1);
  });

  test('outside deletePrompt, versions and label history stay immutable in the database', async () => {
    await create('code/immutable', { template: 'x' });
    await withSql(db.url, async (sql) => {
      await expect(sql`delete from prompt_versions where prompt_id = (select id from prompts where name = 'code/immutable')`).rejects.toThrow(/immutable/);
      await expect(sql`delete from label_history where prompt_id = (select id from prompts where name = 'code/immutable')`).rejects.toThrow(/immutable/);
      // Even naming another prompt in the purge setting does not open this one.
      await expect(
        sql.begin(async (tx) => {
          await tx`select set_config('prompt_service.purging_prompt', '00000000-0000-0000-0000-000000000000', true)`;
          await tx`delete from prompt_versions where prompt_id = (select id from prompts where name = 'code/immutable')`;
        }),
      ).rejects.toThrow(/immutable/);
    });
  });
});
