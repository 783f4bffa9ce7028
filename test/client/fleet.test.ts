/**
 * The fleet view with real client processes (test/fixtures/fleet-client.ts) against a real server on
 * Postgres: each instance's version, a label move picked up by both, a killed one turning silent, a
 * paused one turning lagging, opt-out, validation, and prompt deletion purging what instances held.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createPromptClient } from '../../src/client';
import { CLIENT_VERSION } from '../../src/client/fleet-report';
import { fails, gql, ok } from '../helpers/graphql';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';
import { addVersion, createPromptWith, keyWith, newTenant, type Tenant } from '../helpers/seed';
import { startServer, type TestServer } from '../helpers/server';

jest.setTimeout(90_000);

const ROOT = path.resolve(__dirname, '../..');
const INTERVAL_MS = 400;
const LAG_MS = 1_500;

let db: TestDatabase;
let server: TestServer;
let tenant: Tenant;
let resolveKey: string;
const children: ChildProcess[] = [];

type Instance = {
  service: string;
  instanceId: string;
  clientVersion: string;
  status: string;
  stale: boolean;
  lagging: boolean;
  silent: boolean;
  revision: number;
  since: string;
  labels: { label: string; versionNumber: number | null }[];
};
type FleetAnswer = {
  currentRevision: number;
  services: { service: string; instances: number; current: number; silent: number; lagging: number }[];
  instances: Instance[];
};

const FLEET = `query($p: String!) { fleet(promptName: $p) {
  currentRevision currentSince labels { label versionNumber since }
  services { service instances current stale lagging silent }
  instances { service instanceId clientVersion status stale lagging silent revision since intervalMs firstSeenAt lastReportAt labels { label versionId versionNumber since } } } }`;

const fleet = async (name: string): Promise<FleetAnswer> => (await ok(server.url, tenant.key, FLEET, { p: name })).fleet;

/** Polls until `check` holds on the fleet view; the failure prints the last answer. */
async function fleetUntil(name: string, check: (f: FleetAnswer) => boolean, what: string, timeoutMs = 20_000): Promise<FleetAnswer> {
  const start = Date.now();
  for (;;) {
    const last = await fleet(name);
    if (check(last)) return last;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for: ${what}\nlast fleet: ${JSON.stringify(last, null, 1)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const instance = (f: FleetAnswer, id: string) => f.instances.find((i) => i.instanceId === id);

type ClientProcess = { child: ChildProcess; send(line: string): Promise<void>; output: () => string };

/** Starts a client process and waits for its first resolve. */
async function startClient(env: Record<string, string>): Promise<ClientProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/fixtures/fleet-client.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', URL: server.url, KEY: resolveKey, INTERVAL_MS: String(INTERVAL_MS), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  const waiters: { match: RegExp; resolve(): void }[] = [];
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const w of [...waiters]) {
      if (!w.match.test(out)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const waitFor = (match: RegExp) =>
    new Promise<void>((resolve, reject) => {
      if (match.test(out)) return resolve();
      const timer = setTimeout(() => reject(new Error(`client did not print ${match}:\n${out}`)), 30_000);
      waiters.push({ match, resolve: () => (clearTimeout(timer), resolve()) });
    });
  await waitFor(/^ready \d+$/m);
  let n = 0;
  return {
    child,
    output: () => out,
    async send(line) {
      n++;
      child.stdin!.write(`${line}\n`);
      await waitFor(new RegExp(`(^ok [^\\n]*$[\\s\\S]*){${n}}`, 'm')); // its n-th acknowledgement
    },
  };
}

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startServer({ databaseUrl: db.url, env: { FLEET_LAG_MS: String(LAG_MS) } });
  tenant = await newTenant(server.url, server.adminKey);
  resolveKey = await keyWith(server.url, tenant.key, { scopes: ['prompts:resolve'] });
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await server?.stop();
  await db?.drop();
});

test('two client processes on different versions: each shown; a label move → both current; paused → lagging; killed → silent', async () => {
  await createPromptWith(server.url, tenant.key, 'support/greet', 'Hello v1');
  const v2 = await addVersion(server.url, tenant.key, 'support/greet', 'Hello v2');
  await ok(server.url, tenant.key, 'mutation($v: ID!) { setLabel(promptName: "support/greet", label: "staging", versionId: $v) { revision } }', { v: v2.id });

  const a = await startClient({ SERVICE: 'checkout', INSTANCE: 'checkout-1', PROMPT: 'support/greet', LABEL: 'production' });
  const b = await startClient({ SERVICE: 'search', INSTANCE: 'search-1', PROMPT: 'support/greet', LABEL: 'staging' });
  expect(a.output()).toMatch(/^ready 1$/m);
  expect(b.output()).toMatch(/^ready 2$/m);

  // Each instance with the version it serves, its service and the library's version.
  let f = await fleetUntil(
    'support/greet',
    (x) => x.instances.length === 2 && x.instances.every((i) => i.status === 'CURRENT' && i.labels.length > 0),
    'both reported',
  );
  expect(instance(f, 'checkout-1')).toMatchObject({
    service: 'checkout',
    clientVersion: CLIENT_VERSION,
    revision: f.currentRevision,
    labels: [{ label: 'production', versionNumber: 1 }],
  });
  expect(instance(f, 'search-1')).toMatchObject({ service: 'search', clientVersion: CLIENT_VERSION, labels: [{ label: 'staging', versionNumber: 2 }] });
  expect(f.services.map((s) => [s.service, s.instances, s.current])).toEqual([
    ['checkout', 1, 1],
    ['search', 1, 1],
  ]);
  const sinceBefore = instance(f, 'checkout-1')!.since;

  // A label move: both pick it up (push), report at once, and are current at the new revision.
  const moved = await ok(
    server.url,
    tenant.key,
    'mutation($v: ID!) { setLabel(promptName: "support/greet", label: "production", versionId: $v) { revision } }',
    {
      v: v2.id,
    },
  );
  f = await fleetUntil(
    'support/greet',
    (x) => x.currentRevision === moved.setLabel.revision && x.instances.every((i) => i.status === 'CURRENT'),
    'both current after the move',
    LAG_MS, // picked up and reported well within the lag threshold: never lagging
  );
  expect(instance(f, 'checkout-1')!.labels).toEqual([expect.objectContaining({ label: 'production', versionNumber: 2 })]);
  expect(new Date(instance(f, 'checkout-1')!.since).getTime()).toBeGreaterThan(new Date(sinceBefore).getTime());

  // An instance that does not pick a change up (updates paused) is stale, then lagging; the other stays current.
  await b.send('pause');
  const v3 = await addVersion(server.url, tenant.key, 'support/greet', 'Hello v3');
  const moved2 = await ok(server.url, tenant.key, 'mutation($v: ID!) { setLabel(promptName: "support/greet", label: "staging", versionId: $v) { revision } }', {
    v: v3.id,
  });
  f = await fleetUntil('support/greet', (x) => instance(x, 'search-1')?.status === 'LAGGING', 'the paused instance lagging');
  expect(f.currentRevision).toBe(moved2.setLabel.revision);
  expect(instance(f, 'search-1')).toMatchObject({ stale: true, lagging: true, silent: false, revision: moved.setLabel.revision });
  expect(instance(f, 'search-1')!.labels).toEqual([expect.objectContaining({ label: 'staging', versionNumber: 2 })]);
  expect(instance(f, 'checkout-1')).toMatchObject({ status: 'CURRENT', revision: moved2.setLabel.revision });
  expect(f.services.find((s) => s.service === 'search')).toMatchObject({ lagging: 1, current: 0 });
  await b.send('resume');
  f = await fleetUntil('support/greet', (x) => instance(x, 'search-1')?.status === 'CURRENT', 'the resumed instance current again');
  expect(instance(f, 'search-1')!.labels).toEqual([expect.objectContaining({ label: 'staging', versionNumber: 3 })]);

  // Killed: no more reports → silent after two intervals; the other stays current.
  a.child.kill('SIGKILL');
  f = await fleetUntil('support/greet', (x) => instance(x, 'checkout-1')?.status === 'SILENT', 'the killed instance silent');
  expect(instance(f, 'checkout-1')!.silent).toBe(true);
  expect(instance(f, 'search-1')!.status).toBe('CURRENT');
  expect(f.services.find((s) => s.service === 'checkout')).toMatchObject({ instances: 1, silent: 1 });
  b.child.kill('SIGKILL');
});

test('the reported client version is the client package version', () => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'packages/client/package.json'), 'utf8')) as { version: string };
  expect(CLIENT_VERSION).toBe(pkg.version);
});

test('fleet: false sends no reports; a default client reports', async () => {
  await createPromptWith(server.url, tenant.key, 'quiet', 'Quiet');
  const quiet = createPromptClient({ url: server.url, apiKey: resolveKey, fleet: false });
  const loud = createPromptClient({ url: server.url, apiKey: resolveKey, fleet: { service: 'loud', instanceId: 'loud-1', intervalMs: 200 } });
  try {
    await quiet.resolve('quiet');
    await loud.resolve('quiet');
    await fleetUntil('quiet', (x) => x.instances.some((i) => i.instanceId === 'loud-1'), 'the default client reported');
    await new Promise((r) => setTimeout(r, 600));
    expect((await fleet('quiet')).instances.map((i) => i.instanceId)).toEqual(['loud-1']);
  } finally {
    await Promise.all([quiet.close(), loud.close()]);
  }
});

const REPORT = 'mutation($i: ClientStateInput!) { reportClientState(input: $i) { acceptedAt prompts } }';
const report = (over: Record<string, unknown> = {}) => ({
  service: 'svc',
  instanceId: 'i-1',
  clientVersion: '9.9.9',
  intervalMs: 60_000,
  prompts: [],
  ...over,
});

test('reports are validated field by field, authorized, and a deleted prompt leaves no holdings behind', async () => {
  const created = (await createPromptWith(server.url, tenant.key, 'doomed', 'x')).createPrompt;
  for (const [input, field] of [
    [report({ service: '' }), 'input.service'],
    [report({ instanceId: 'x'.repeat(201) }), 'input.instanceId'],
    [report({ intervalMs: 5 }), 'input.intervalMs'],
    [report({ prompts: [{ name: 'Bad Name', revision: 1, labels: [] }] }), 'input.prompts.0.name'],
    [report({ prompts: [{ name: 'doomed', revision: 1, labels: [{ label: 'production', versionId: 'nope' }] }] }), 'input.prompts.0.labels.0.versionId'],
  ] as const) {
    const err = await fails(server.url, resolveKey, REPORT, { i: input }, 'BAD_USER_INPUT');
    expect(err.extensions?.field).toBe(field);
  }
  // Over HTTP too; unknown names are ignored.
  const d = await ok(server.url, resolveKey, REPORT, {
    i: report({
      prompts: [
        { name: 'doomed', revision: created.revision, labels: [{ label: 'production', versionId: created.activeVersion.id }] },
        { name: 'no-such', revision: 1, labels: [] },
      ],
    }),
  });
  expect(d.reportClientState.prompts).toBe(1);
  expect((await fleet('doomed')).instances).toEqual([expect.objectContaining({ service: 'svc', clientVersion: '9.9.9', status: 'CURRENT' })]);
  // A metrics-only key may not report; a resolve-only key may not read the fleet.
  const metricsKey = await keyWith(server.url, tenant.key, { scopes: ['metrics:write'] });
  await fails(server.url, metricsKey, REPORT, { i: report() }, 'FORBIDDEN');
  await fails(server.url, resolveKey, FLEET, { p: 'doomed' }, 'FORBIDDEN');
  await fails(server.url, tenant.key, FLEET, { p: 'no-such' }, 'NOT_FOUND');
  // Another workspace sees nothing of this one.
  const other = await newTenant(server.url, server.adminKey);
  await createPromptWith(server.url, other.key, 'doomed', 'y');
  expect((await ok(server.url, other.key, FLEET, { p: 'doomed' })).fleet.instances).toEqual([]);

  const r = await gql(server.url, tenant.key, 'mutation { deletePrompt(name: "doomed", confirmName: "doomed") }');
  expect(r.errors).toBeUndefined();
  expect(r.data.deletePrompt).toBe(true);
});
