/**
 * Field-level reads: the role × field table of the nested types that carry prompt data
 * (permissions-table.ts NESTED_EXPECTED), checked through `promptChanged { … }` for every key that may
 * subscribe. A key that may only resolve sees what `clientPrompts` gives it: the fields it may not
 * read answer FORBIDDEN (at the field or at the edge leading to it) and carry no data.
 */
import { getNamedType, isObjectType, type GraphQLSchema } from 'graphql';
import type { Client } from 'graphql-ws';
import { buildSchema } from '../../src/graphql/schema';
import { ok } from '../helpers/graphql';
import { addVersion, createPromptWith, keyWith, newTenant, type Tenant } from '../helpers/seed';
import { ADMIN_KEY, startServer, type TestServer } from '../helpers/server';
import { wsClient } from '../helpers/ws';
import { NESTED_ARGS, NESTED_EXPECTED, NESTED_PATHS, NESTED_TYPES, PRINCIPALS, READ, type PrincipalName } from './permissions-table';

const SUBSCRIBERS: PrincipalName[] = [...READ, 'prompts:resolve'];
const PROMPT = 'fields';

let server: TestServer;
let tenant: Tenant;
const keys = {} as Record<PrincipalName, string>;
let schema: GraphQLSchema;

beforeAll(async () => {
  server = await startServer();
  schema = buildSchema();
  tenant = await newTenant(server.url, ADMIN_KEY);
  for (const p of PRINCIPALS) keys[p] = await keyWith(server.url, tenant.key, p === p.toUpperCase() ? { role: p } : { scopes: [p] });
  // Every nested field has data to show: versions, a label history, a running test with a call.
  const created = await createPromptWith(server.url, tenant.key, PROMPT, 'hi {{x}}', { message: 'first' });
  const v2 = await addVersion(server.url, tenant.key, PROMPT, 'hello {{x}}', { labels: ['staging'] });
  await ok(server.url, tenant.key, 'mutation($a: ID!, $b: ID!) { startABTest(input: { promptName: "fields", versionA: $a, versionB: $b }) { id } }', {
    a: created.createPrompt.activeVersion.id,
    b: v2.id,
  });
  await ok(server.url, tenant.key, 'mutation($v: ID!) { recordCall(input: { versionId: $v, latencyMs: 5, success: true }) { callId } }', { v: v2.id });
});
afterAll(async () => server?.stop());

const typeAndField = (row: string) => row.split('.') as [(typeof NESTED_TYPES)[number], string];

/** A selection of `fields` of `type`, object-typed ones with `{ __typename }`. */
function selectionOf(type: string, fields: string[]): string {
  const t = schema.getType(type);
  if (!isObjectType(t)) throw new Error(`${type} is not an object type`);
  return fields.map((f) => `${f}${NESTED_ARGS[`${type}.${f}`] ?? ''}${isObjectType(getNamedType(t.getFields()[f]!.type)) ? ' { __typename }' : ''}`).join(' ');
}

/** `subscription { promptChanged(name) { path… { fields } } }` for fields of one type. */
function documentFor(type: (typeof NESTED_TYPES)[number], fields: string[]): string {
  const path = NESTED_PATHS[type];
  return `subscription { promptChanged(name: "${PROMPT}") { ${path.map((p) => `${p} { `).join('')}${selectionOf(type, fields)}${' }'.repeat(path.length)} } }`;
}

/** The response path of a field of `type` (list indices left out). */
const pathOf = (type: (typeof NESTED_TYPES)[number], field: string) => ['promptChanged', ...NESTED_PATHS[type].map((p) => p.replace(/\(.*$/, '')), field];

/** The values at `path` in a response (through lists), for "no data there". */
function valuesAt(data: unknown, path: string[]): unknown[] {
  let level: unknown[] = [data];
  for (const key of path) {
    level = level.flatMap((v) => (Array.isArray(v) ? v : [v])).map((v) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined));
  }
  return level.flatMap((v) => (Array.isArray(v) ? v : [v]));
}

type Frame = { data?: unknown; errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[] };
type Probe = { principal: PrincipalName; type: (typeof NESTED_TYPES)[number]; fields: string[]; allowed: boolean; frames: Frame[] };

test('every field of the nested types has a row in the table, and no row is stale', () => {
  const fields = NESTED_TYPES.flatMap((type) => {
    const t = schema.getType(type);
    return isObjectType(t) ? Object.keys(t.getFields()).map((f) => `${type}.${f}`) : [`${type} (not an object type)`];
  });
  expect(fields.filter((f) => !(f in NESTED_EXPECTED))).toEqual([]);
  expect(Object.keys(NESTED_EXPECTED).filter((f) => !fields.includes(f))).toEqual([]);
});

test('through promptChanged, each key reads exactly the nested fields the table allows', async () => {
  // Per key: the fields it may read in one subscription per type (no FORBIDDEN anywhere); each field
  // it may not read in a subscription of its own (a denied non-null field nulls its parent, so one
  // document would show only the first denial).
  const probes: Probe[] = [];
  for (const principal of SUBSCRIBERS) {
    for (const type of NESTED_TYPES) {
      const rowsOfType = Object.entries(NESTED_EXPECTED).filter(([row]) => typeAndField(row)[0] === type);
      const allowed = rowsOfType.filter(([, who]) => who.includes(principal)).map(([row]) => typeAndField(row)[1]);
      if (allowed.length) probes.push({ principal, type, fields: allowed, allowed: true, frames: [] });
      for (const [row, who] of rowsOfType)
        if (!who.includes(principal)) probes.push({ principal, type, fields: [typeAndField(row)[1]], allowed: false, frames: [] });
    }
  }
  // At most 20 subscriptions per connection.
  const clients: Client[] = [];
  const disposers: (() => void)[] = [];
  for (const principal of SUBSCRIBERS) {
    const mine = probes.filter((p) => p.principal === principal);
    for (let i = 0; i < mine.length; i += 20) {
      const client = wsClient(server.url, keys[principal]);
      clients.push(client);
      for (const probe of mine.slice(i, i + 20)) {
        disposers.push(
          client.subscribe<unknown>(
            { query: documentFor(probe.type, probe.fields) },
            {
              next: (frame) => void probe.frames.push(frame as Frame),
              error: (err) =>
                void probe.frames.push({ errors: [{ message: String((err as Error).message ?? err), extensions: { code: 'SUBSCRIBE_FAILED' } }] }),
              complete: () => undefined,
            },
          ),
        );
      }
    }
  }
  try {
    // Changes until every subscription has had an event (the in-memory engine subscribes on the first next()).
    for (let i = 0; i < 40 && probes.some((p) => p.frames.length === 0); i++) {
      await new Promise((r) => setTimeout(r, 250));
      await ok(server.url, tenant.key, 'mutation($d: String) { updatePrompt(name: "fields", input: { description: $d }) { revision } }', { d: `change ${i}` });
    }
    await new Promise((r) => setTimeout(r, 250));
    const wrong: string[] = [];
    for (const probe of probes) {
      const label = `${probe.type}.{${probe.fields.join(',')}} as ${probe.principal}`;
      const frame = probe.frames[0];
      if (!frame) {
        wrong.push(`${label}: no event`);
        continue;
      }
      const forbidden = (frame.errors ?? []).filter((e) => e.extensions?.code === 'FORBIDDEN');
      const other = (frame.errors ?? []).filter((e) => e.extensions?.code !== 'FORBIDDEN');
      if (other.length) wrong.push(`${label}: ${JSON.stringify(other)}`);
      if (probe.allowed) {
        if (forbidden.length) wrong.push(`${label}: FORBIDDEN at ${forbidden.map((e) => e.path?.join('.')).join(', ')}`);
        continue;
      }
      // Denied: FORBIDDEN at the field itself or at an edge on the way to it, and no value there.
      const target = pathOf(probe.type, probe.fields[0]!);
      const at = forbidden.map((e) => (e.path ?? []).filter((s) => typeof s === 'string'));
      const covers = at.some((p) => p.length <= target.length && p.every((s, i) => s === target[i]));
      if (!covers) wrong.push(`${label}: expected FORBIDDEN on ${target.join('.')}, got ${JSON.stringify(frame)}`);
      const values = valuesAt(frame.data, target);
      if (values.some((v) => v != null)) wrong.push(`${label}: data present ${JSON.stringify(frame.data)}`);
    }
    expect(wrong).toEqual([]);
  } finally {
    for (const d of disposers) d();
    await Promise.all(clients.map((c) => c.dispose()));
  }
});

test('a resolve-only key sees through promptChanged what clientPrompts gives it', async () => {
  const client = wsClient(server.url, keys['prompts:resolve']);
  const frames: Frame[] = [];
  const dispose = client.subscribe<unknown>(
    {
      query: `subscription { promptChanged(name: "${PROMPT}") { promptName revision prompt { name revision labels { name version { id template } } latestVersion { id number template } } } }`,
    },
    { next: (f) => void frames.push(f as Frame), error: () => undefined, complete: () => undefined },
  );
  try {
    for (let i = 0; i < 40 && frames.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 250));
      await ok(server.url, tenant.key, 'mutation($d: String) { updatePrompt(name: "fields", input: { description: $d }) { revision } }', { d: `again ${i}` });
    }
    const [frame] = frames;
    expect(frame?.errors).toBeUndefined();
    const seen = (frame!.data as any).promptChanged;
    const [bundle] = (
      await ok(
        server.url,
        keys['prompts:resolve'],
        'query($n: [String!]!) { clientPrompts(names: $n) { name revision labels { name versionId } latestVersionId versions { id number template } } }',
        { n: [PROMPT] },
      )
    ).clientPrompts;
    expect(seen.prompt.name).toBe(bundle.name);
    expect(seen.prompt.revision).toBeLessThanOrEqual(bundle.revision);
    const byId = new Map(bundle.versions.map((v: any) => [v.id, v]));
    expect(seen.prompt.labels.map((l: any) => ({ name: l.name, versionId: l.version.id }))).toEqual(
      [...bundle.labels].sort((a: any, b: any) => a.name.localeCompare(b.name)),
    );
    for (const l of seen.prompt.labels) expect(l.version.template).toBe((byId.get(l.version.id) as any).template);
    expect(seen.prompt.latestVersion).toEqual(byId.get(bundle.latestVersionId));
  } finally {
    dispose();
    await client.dispose();
  }
});
