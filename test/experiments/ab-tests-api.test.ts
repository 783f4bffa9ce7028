/**
 * A/B tests end to end through GraphQL on real Postgres: assignment agrees with the pure module (and
 * so with the golden vectors), stickiness, shares, receipts, ramps, promotion, stop, rollback, conflicts,
 * bad splits and the SRM guard. Each test its own tenant.
 */
import { randomBytes } from 'node:crypto';
import golden from '../fixtures/ab-golden-vectors.json';
import { assignVariant, bucketOf, sampleRatioMismatch, type Allocation } from '../../src/experiments/pure';
import { fails, gql, ok } from '../helpers/graphql';
import { usePostgresServer } from '../helpers/postgres';
import { addVersion, createPromptWith, keyWith, newTenant, type Tenant } from '../helpers/seed';
import { ADMIN_KEY, type TestServer } from '../helpers/server';
import { collect, wsClient } from '../helpers/ws';

let server: TestServer;
usePostgresServer((s) => {
  server = s;
});

const START = `mutation($i: StartABTestInput!) { startABTest(input: $i) { id status label salt allocation metric minSampleSize autoPromote variants { key weight version { id number } } prompt { revision } } }`;
const RESOLVE = `query($n: String!, $r: String, $l: String) { resolvePrompt(name: $n, requestId: $r, label: $l) { text versionId abTestId variant } }`;
const TEST = `query($id: ID!) { abTest(id: $id) { id status winner { key } endedAt variants { key weight } results { decision srmPValue method variants { key isControl weight difference confidenceInterval pValue alwaysValidPValue metrics { totalCalls qualityScore successRate } } } } }`;
const RECORD = `mutation($c: [CallInput!]!) { recordCalls(inputs: $c) { callId versionId abTestId variant } }`;

type Setup = { t: Tenant; name: string; v1: string; v2: string; v3: string };

/** A prompt with three versions (production on v1) in a fresh tenant. */
async function setup(): Promise<Setup> {
  const t = await newTenant(server.url, ADMIN_KEY);
  const name = `ab-${randomBytes(3).toString('hex')}`;
  const created = await createPromptWith(server.url, t.key, name, 'version one');
  const v2 = await addVersion(server.url, t.key, name, 'version two');
  const v3 = await addVersion(server.url, t.key, name, 'version three');
  return { t, name, v1: created.createPrompt.activeVersion.id, v2: v2.id, v3: v3.id };
}

async function start(s: Setup, input: Record<string, unknown>) {
  return (await ok(server.url, s.t.key, START, { i: { promptName: s.name, ...input } })).startABTest;
}

const resolveVariant = async (key: string, name: string, requestId: string | null) =>
  (await ok(server.url, key, RESOLVE, { n: name, r: requestId })).resolvePrompt as {
    text: string;
    versionId: string;
    abTestId: string | null;
    variant: string | null;
  };

const ids = (n: number, prefix = 'req') => Array.from({ length: n }, (_, i) => `${prefix}-${i}-${randomBytes(2).toString('hex')}`);

describe('assignment through the server', () => {
  test("the server assigns exactly as the pure module with the test's salt and allocation (readable with prompts:resolve through clientPrompts); sticky over 200 ids", async () => {
    const s = await setup();
    const test = await start(s, {
      variants: [
        { versionId: s.v1, weight: 30 },
        { versionId: s.v2, weight: 70 },
      ],
    });
    expect(test.salt).toMatch(/^[0-9a-f]{32}$/);
    // A service key that can only resolve reads what it needs to assign locally.
    const service = await keyWith(server.url, s.t.key, { scopes: ['prompts:resolve'] });
    const [bundle] = (
      await ok(server.url, service, 'query($n: [String!]!) { clientPrompts(names: $n) { abTests { id label salt allocation } } }', { n: [s.name] })
    ).clientPrompts;
    const seen = bundle.abTests[0];
    expect(seen).toEqual({ id: test.id, label: 'production', salt: test.salt, allocation: test.allocation });
    const allocation = seen.allocation as Allocation;
    // The golden vectors' ids (odd ones included: empty, spaces, Unicode) plus random ones.
    // (Ids with a NUL or a lone surrogate, or over 200 characters, are refused at the edge as BAD_USER_INPUT: left out here.)
    const clean = (golden.cases as { requestId: string }[]).map((c) => c.requestId).filter((r) => r.length <= 200 && !/\u0000|[\ud800-\udfff]/.test(r));
    const requestIds = [...new Set(clean)].slice(0, 100).concat(ids(100));
    for (const r of requestIds) {
      const first = await resolveVariant(service, s.name, r);
      const again = await resolveVariant(service, s.name, r);
      const expected = assignVariant(allocation, seen.salt, r);
      expect({ r, variant: first.variant }).toEqual({ r, variant: expected });
      expect(again).toEqual(first);
      expect(first.abTestId).toBe(test.id);
      expect(first.versionId).toBe(expected === 'A' ? s.v1 : s.v2);
    }
  });

  test('the golden vectors hold for the bucket hash the server uses (fixture ↔ pure module ↔ server above)', () => {
    for (const c of golden.cases as { salt: string; requestId: string; bucket: number }[]) expect(bucketOf(c.salt, c.requestId)).toBe(c.bucket);
  });

  test('shares follow the weights over 1,000 ids (chi-square); without a request id assignment is random but in the test', async () => {
    const s = await setup();
    const test = await start(s, { versionA: s.v1, versionB: s.v2, trafficSplit: 80 });
    expect(test.variants.map((v: { weight: number }) => v.weight)).toEqual([20, 80]);
    const counts = { A: 0, B: 0 };
    for (const r of ids(1000)) counts[(await resolveVariant(s.t.key, s.name, r)).variant as 'A' | 'B']++;
    const p = sampleRatioMismatch([counts.A, counts.B], [20, 80]);
    // The salt is random per test, so a fixed 0.001 bar would fail one run in a thousand by chance; the exact
    // p > 0.001 bar over 100,000 ids with fixed salts is in the pure tests. A broken split gives p ≈ 0.
    expect({ counts, ok: p > 1e-6 }).toEqual({ counts, ok: true });
    const anonymous = await Promise.all(Array.from({ length: 40 }, () => resolveVariant(s.t.key, s.name, null)));
    expect(new Set(anonymous.map((a) => a.abTestId))).toEqual(new Set([test.id]));
    expect(new Set(anonymous.map((a) => a.variant))).toEqual(new Set(['A', 'B']));
  });

  test('50 parallel first requests for one id get one variant', async () => {
    const s = await setup();
    await start(s, { versionA: s.v1, versionB: s.v2 });
    const r = `first-${randomBytes(4).toString('hex')}`;
    const answers = await Promise.all(Array.from({ length: 50 }, () => resolveVariant(s.t.key, s.name, r)));
    expect(new Set(answers.map((a) => a.variant)).size).toBe(1);
    expect(new Set(answers.map((a) => a.versionId)).size).toBe(1);
  });

  test('ramping 50/50 → 20/80 keeps every B subject in B; only A subjects move; the revision rises', async () => {
    const s = await setup();
    const test = await start(s, { versionA: s.v1, versionB: s.v2 });
    const subjects = ids(300);
    const before = new Map<string, string>();
    for (const r of subjects) before.set(r, (await resolveVariant(s.t.key, s.name, r)).variant!);
    const ramped = (
      await ok(
        server.url,
        s.t.key,
        'mutation($id: ID!, $v: [ABVariantInput!]!) { updateABTest(id: $id, variants: $v) { variants { key weight } allocation prompt { revision } } }',
        {
          id: test.id,
          v: [
            { versionId: s.v2, weight: 80 },
            { versionId: s.v1, weight: 20 },
          ],
        },
      )
    ).updateABTest;
    expect(ramped.variants).toEqual([
      { key: 'A', weight: 20 },
      { key: 'B', weight: 80 },
    ]);
    expect(ramped.prompt.revision).toBe(test.prompt.revision + 1);
    let moved = 0;
    for (const r of subjects) {
      const after = (await resolveVariant(s.t.key, s.name, r)).variant!;
      if (before.get(r) === 'B') expect({ r, after }).toEqual({ r, after: 'B' });
      if (after !== before.get(r)) moved++;
    }
    const wasA = [...before.values()].filter((v) => v === 'A').length;
    expect(moved).toBeGreaterThan(wasA * 0.4); // 30 of A's 50 points moved: about 60% of A's subjects
    expect(moved).toBeLessThan(wasA * 0.8);
    // A ramp must name the test's variants, each once, summing to 100.
    const bad = await fails(
      server.url,
      s.t.key,
      'mutation($id: ID!, $v: [ABVariantInput!]!) { updateABTest(id: $id, variants: $v) { id } }',
      {
        id: test.id,
        v: [
          { versionId: s.v3, weight: 50 },
          { versionId: s.v1, weight: 50 },
        ],
      },
      'BAD_USER_INPUT',
    );
    expect(bad.extensions?.field).toBe('variants.0.versionId');
    const stale = await fails(
      server.url,
      s.t.key,
      'mutation($id: ID!, $v: [ABVariantInput!]!) { updateABTest(id: $id, variants: $v, expectedRevision: 1) { id } }',
      {
        id: test.id,
        v: [
          { versionId: s.v1, weight: 50 },
          { versionId: s.v2, weight: 50 },
        ],
      },
      'CONFLICT',
    );
    expect(stale.extensions?.currentRevision).toBe(ramped.prompt.revision);
  });
});

/** Request ids assigned to each variant, chosen locally with the test's salt and allocation. */
function idsFor(test: { salt: string; allocation: Allocation }, variant: string, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) {
    const r = `sub-${variant}-${i}`;
    if (assignVariant(test.allocation, test.salt, r) === variant) out.push(r);
  }
  return out;
}

describe('calls, results and promotion', () => {
  test('receipts carry the variant derived on the server; a call whose request id belongs to another variant is not counted in the test', async () => {
    const s = await setup();
    const test = await start(s, { versionA: s.v1, versionB: s.v2 });
    const [a] = idsFor(test, 'A', 1);
    const [b] = idsFor(test, 'B', 1);
    const receipts = (
      await ok(server.url, s.t.key, RECORD, {
        c: [
          { versionId: s.v1, requestId: a, latencyMs: 10, success: true },
          { versionId: s.v2, requestId: b, latencyMs: 10, success: true },
          { versionId: s.v1, requestId: b, latencyMs: 10, success: true },
          { versionId: s.v2, latencyMs: 10, success: true },
          { versionId: s.v3, requestId: a, latencyMs: 10, success: true },
        ],
      })
    ).recordCalls;
    expect(receipts.map((r: { abTestId: string | null; variant: string | null }) => [r.abTestId, r.variant])).toEqual([
      [test.id, 'A'],
      [test.id, 'B'],
      [null, null],
      [test.id, 'B'],
      [null, null],
    ]);
    const single = (
      await ok(server.url, s.t.key, 'mutation($c: CallInput!) { recordCall(input: $c) { abTestId variant } }', {
        c: { versionId: s.v2, requestId: b, latencyMs: 5, success: true },
      })
    ).recordCall;
    expect(single).toEqual({ abTestId: test.id, variant: 'B' });
  });

  test('a clear quality difference → WINNER → concluded in the background: label moved with a history reason, AB_TEST_CONCLUDED published', async () => {
    const s = await setup();
    const client = wsClient(server.url, s.t.key);
    const sub = collect(client, 'subscription($n: String) { promptChanged(name: $n) { kind revision label version { id } } }', { n: s.name });
    const abSub = collect(client, 'subscription($n: String) { abTestUpdated(promptName: $n) { id status } }', { n: s.name });
    await new Promise((r) => setTimeout(r, 200)); // the in-memory engine subscribes on the first next()
    const test = await start(s, { versionA: s.v1, versionB: s.v2, minSampleSize: 30 });
    const calls = [
      ...idsFor(test, 'A', 40).map((r, i) => ({ versionId: s.v1, requestId: r, latencyMs: 100, success: true, qualityScore: 0.3 + (i % 5) * 0.05 })),
      ...idsFor(test, 'B', 40).map((r, i) => ({ versionId: s.v2, requestId: r, latencyMs: 100, success: true, qualityScore: 0.7 + (i % 5) * 0.05 })),
    ];
    await ok(server.url, s.t.key, RECORD, { c: calls });
    // No read of the results: the throttled check after ingestion concludes it.
    let state: any;
    for (let i = 0; i < 100; i++) {
      state = (await ok(server.url, s.t.key, 'query($id: ID!) { abTest(id: $id) { status winner { key } endedAt } }', { id: test.id })).abTest;
      if (state.status !== 'RUNNING') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(state).toEqual({ status: 'CONCLUDED', winner: { key: 'B' }, endedAt: expect.any(String) });
    const prompt = (
      await ok(
        server.url,
        s.t.key,
        'query($n: String!) { prompt(name: $n) { activeVersion { id } activeABTest { id } labelHistory(label: "production", first: 1) { reason actor { name } } } }',
        { n: s.name },
      )
    ).prompt;
    expect(prompt.activeVersion.id).toBe(s.v2);
    expect(prompt.activeABTest).toBeNull();
    const reason: string = prompt.labelHistory[0].reason;
    expect(reason).toContain(test.id);
    expect(reason).toContain('QUALITY_SCORE');
    expect(reason).toMatch(/difference B − A = 0\.4\d*/);
    expect(reason).toMatch(/p = [0-9.e-]+/);
    const events = await sub.waitFor(2);
    expect(events.map((e: any) => e.promptChanged.kind)).toEqual(['AB_TEST_STARTED', 'AB_TEST_CONCLUDED']);
    expect(events[1].promptChanged).toMatchObject({ label: 'production', version: { id: s.v2 }, revision: events[0].promptChanged.revision + 1 });
    const abEvents = await abSub.waitFor(2);
    expect(abEvents.map((e: any) => e.abTestUpdated.status)).toEqual(['RUNNING', 'CONCLUDED']);
    // The results still read (decision recomputed), with the classical and sequential numbers.
    const results = (await ok(server.url, s.t.key, TEST, { id: test.id })).abTest.results;
    expect(results.decision).toBe('WINNER');
    expect(results.variants[0]).toMatchObject({ key: 'A', isControl: true, difference: null, metrics: { totalCalls: 40 } });
    expect(results.variants[1].difference).toBeCloseTo(0.4, 6);
    expect(results.variants[1].confidenceInterval[0]).toBeGreaterThan(0.3);
    expect(results.variants[1].pValue).toBeLessThan(1e-6);
    expect(results.variants[1].alwaysValidPValue).toBeLessThan(0.05);
    expect(results.method).toContain('mSPRT');
    sub.dispose();
    abSub.dispose();
    await client.dispose();
  });

  test('with autoPromote off a WINNER is only reported; reading results does not move the label', async () => {
    const s = await setup();
    const test = await start(s, { versionA: s.v1, versionB: s.v2, minSampleSize: 20, autoPromote: false, metric: 'LATENCY' });
    const calls = [
      ...idsFor(test, 'A', 25).map((r, i) => ({ versionId: s.v1, requestId: r, latencyMs: 300 + i, success: true })),
      ...idsFor(test, 'B', 25).map((r, i) => ({ versionId: s.v2, requestId: r, latencyMs: 100 + i, success: true })),
    ];
    await ok(server.url, s.t.key, RECORD, { c: calls });
    const read = (await ok(server.url, s.t.key, TEST, { id: test.id })).abTest;
    expect(read.results.decision).toBe('WINNER');
    expect(read.results.variants[1].difference).toBeCloseTo(-200, 6); // lower latency is better
    expect(read.status).toBe('RUNNING');
    const again = (await ok(server.url, s.t.key, 'query($n: String!) { prompt(name: $n) { activeVersion { id } activeABTest { id } } }', { n: s.name })).prompt;
    expect(again).toEqual({ activeVersion: { id: s.v1 }, activeABTest: { id: test.id } });
  });

  test('a sample ratio mismatch blocks any decision, however large the difference', async () => {
    const s = await setup();
    const test = await start(s, { versionA: s.v1, versionB: s.v2, minSampleSize: 10 });
    const calls = [
      ...Array.from({ length: 200 }, () => ({ versionId: s.v1, latencyMs: 10, success: true, qualityScore: 0.1 })),
      ...Array.from({ length: 40 }, () => ({ versionId: s.v2, latencyMs: 10, success: true, qualityScore: 0.9 })),
    ];
    await ok(server.url, s.t.key, RECORD, { c: calls });
    const read = (await ok(server.url, s.t.key, TEST, { id: test.id })).abTest;
    expect(read.results.decision).toBe('SAMPLE_RATIO_MISMATCH');
    expect(read.results.srmPValue).toBeLessThan(0.001);
    expect(read.status).toBe('RUNNING');
  });
});

describe('ending tests', () => {
  test('abTestUpdated { prompt { revision } } shows the current revision on every event (fresh loaders per event, not the first event’s data)', async () => {
    const s = await setup();
    const client = wsClient(server.url, s.t.key);
    const sub = collect(client, 'subscription($n: String) { abTestUpdated(promptName: $n) { status prompt { revision } } }', { n: s.name });
    await new Promise((r) => setTimeout(r, 200)); // the in-memory engine subscribes on the first next()
    const test = await start(s, { versionA: s.v1, versionB: s.v2 });
    await sub.waitFor(1);
    await ok(server.url, s.t.key, 'mutation($id: ID!, $v: [ABVariantInput!]!) { updateABTest(id: $id, variants: $v) { id } }', {
      id: test.id,
      v: [
        { versionId: s.v1, weight: 20 },
        { versionId: s.v2, weight: 80 },
      ],
    });
    await sub.waitFor(2);
    await ok(server.url, s.t.key, 'mutation($id: ID!) { stopABTest(id: $id) { id } }', { id: test.id });
    const events = (await sub.waitFor(3)).map((e: any) => e.abTestUpdated);
    const current = (await ok(server.url, s.t.key, 'query($n: String!) { prompt(name: $n) { revision } }', { n: s.name })).prompt.revision;
    expect(events).toEqual([
      { status: 'RUNNING', prompt: { revision: test.prompt.revision } },
      { status: 'RUNNING', prompt: { revision: test.prompt.revision + 1 } },
      { status: 'STOPPED', prompt: { revision: current } },
    ]);
    expect(current).toBe(test.prompt.revision + 2);
    sub.dispose();
    await client.dispose();
  });

  test('stop without promotion leaves the label; stop with promotion moves it; both raise the revision and end resolution by variant', async () => {
    const s = await setup();
    const t1 = await start(s, { versionA: s.v1, versionB: s.v2 });
    const stopped = (
      await ok(server.url, s.t.key, 'mutation($id: ID!) { stopABTest(id: $id) { status winner { key } endedAt prompt { revision activeVersion { id } } } }', {
        id: t1.id,
      })
    ).stopABTest;
    expect(stopped).toMatchObject({ status: 'STOPPED', winner: null, prompt: { revision: t1.prompt.revision + 1, activeVersion: { id: s.v1 } } });
    expect((await resolveVariant(s.t.key, s.name, 'x')).abTestId).toBeNull();
    await fails(server.url, s.t.key, 'mutation($id: ID!) { stopABTest(id: $id) { id } }', { id: t1.id }, 'CONFLICT');

    const t2 = await start(s, { versionA: s.v1, versionB: s.v3 });
    const notVariant = await fails(
      server.url,
      s.t.key,
      'mutation($id: ID!, $p: ID) { stopABTest(id: $id, promoteVersionId: $p) { id } }',
      { id: t2.id, p: s.v2 },
      'BAD_USER_INPUT',
    );
    expect(notVariant.extensions?.field).toBe('promoteVersionId');
    const promoted = (
      await ok(
        server.url,
        s.t.key,
        'mutation($id: ID!, $p: ID) { stopABTest(id: $id, promoteVersionId: $p) { status winner { key } prompt { activeVersion { id } labelHistory(first: 1) { reason } abTests { id status } } } }',
        { id: t2.id, p: s.v3 },
      )
    ).stopABTest;
    expect(promoted.status).toBe('STOPPED');
    expect(promoted.winner).toEqual({ key: 'B' });
    expect(promoted.prompt.activeVersion.id).toBe(s.v3);
    expect(promoted.prompt.labelHistory[0].reason).toContain(t2.id);
    expect(promoted.prompt.abTests).toEqual([
      { id: t2.id, status: 'STOPPED' },
      { id: t1.id, status: 'STOPPED' },
    ]);
    const audit = (await ok(server.url, s.t.key, '{ auditLog(first: 10) { edges { node { action } } } }')).auditLog.edges.map((e: any) => e.node.action);
    expect(audit).toEqual(expect.arrayContaining(['abtest.start', 'abtest.stop', 'abtest.promote']));
  });

  test('rollback ends the running test on production; setLabel on a label under test is a CONFLICT', async () => {
    const s = await setup();
    await ok(server.url, s.t.key, 'mutation($v: ID!, $n: String!) { setLabel(promptName: $n, label: "production", versionId: $v) { revision } }', {
      v: s.v2,
      n: s.name,
    });
    const test = await start(s, { versionA: s.v2, versionB: s.v3 });
    const moved = await fails(
      server.url,
      s.t.key,
      'mutation($v: ID!, $n: String!) { setLabel(promptName: $n, label: "production", versionId: $v) { revision } }',
      { v: s.v3, n: s.name },
      'CONFLICT',
    );
    expect(moved.message).toContain(test.id);
    // Nor can a new version take the label under test at creation.
    await fails(
      server.url,
      s.t.key,
      'mutation($n: String!) { createVersion(input: { promptName: $n, template: "v4", labels: ["production"] }) { id } }',
      { n: s.name },
      'CONFLICT',
    );
    const rolled = (
      await ok(server.url, s.t.key, 'mutation($n: String!) { rollback(promptName: $n) { revision activeVersion { id } activeABTest { id } } }', { n: s.name })
    ).rollback;
    expect(rolled).toMatchObject({ activeVersion: { id: s.v1 }, activeABTest: null });
    const ended = (await ok(server.url, s.t.key, 'query($id: ID!) { abTest(id: $id) { status endedAt } }', { id: test.id })).abTest;
    expect(ended.status).toBe('STOPPED');
    const r = await resolveVariant(s.t.key, s.name, 'anyone');
    expect(r).toMatchObject({ versionId: s.v1, abTestId: null, variant: null });
  });
});

describe('starting: conflicts, permissions and bad splits', () => {
  const variants = (...pairs: [string, number][]) => pairs.map(([versionId, weight]) => ({ versionId, weight }));

  test('a second running test on the same prompt and label is a CONFLICT; another label is fine', async () => {
    const s = await setup();
    await start(s, { versionA: s.v1, versionB: s.v2 });
    await fails(server.url, s.t.key, START, { i: { promptName: s.name, versionA: s.v1, versionB: s.v3 } }, 'CONFLICT');
    const staging = await start(s, { versionA: s.v2, versionB: s.v3, label: 'staging' });
    expect(staging.label).toBe('staging');
    const r = (await ok(server.url, s.t.key, RESOLVE, { n: s.name, r: 'z', l: 'staging' })).resolvePrompt;
    expect(r.abTestId).toBe(staging.id);
  });

  test('an EDITOR may not run tests; a missing test reads as null', async () => {
    const s = await setup();
    const editor = await keyWith(server.url, s.t.key, { role: 'EDITOR' });
    await fails(server.url, editor, START, { i: { promptName: s.name, versionA: s.v1, versionB: s.v2 } }, 'FORBIDDEN');
    expect((await ok(server.url, s.t.key, TEST, { id: '00000000-0000-4000-8000-000000000000' })).abTest).toBeNull();
  });

  test('bad splits are BAD_USER_INPUT naming the field', async () => {
    const s = await setup();
    const other = await setup();
    const otherPrompt = await createPromptWith(server.url, s.t.key, `${s.name}-other`, 'other');
    const otherVersion = otherPrompt.createPrompt.activeVersion.id;
    const eleven = Array.from({ length: 11 }, (_, i) => ({ versionId: s.v1, weight: i === 0 ? 0 : 10 }));
    const cases: [Record<string, unknown>, string][] = [
      [{ variants: variants([s.v1, 50], [s.v2, 49]) }, 'input.variants'],
      [{ variants: variants([s.v1, 50], [s.v2, 51]) }, 'input.variants'],
      [{ variants: variants([s.v1, 100]) }, 'input.variants'],
      [{ variants: eleven }, 'input.variants'],
      [{ variants: variants([s.v1, -10], [s.v2, 110]) }, 'input.variants.0.weight'],
      [{ variants: variants([s.v1, 0], [s.v2, 100]) }, 'input.variants.0.weight'],
      [{ variants: variants([s.v1, 50], [s.v1, 50]) }, 'input.variants.1.versionId'],
      [{ variants: variants([s.v1, 50], [otherVersion, 50]) }, 'input.variants.1.versionId'],
      [{ variants: variants([s.v1, 50], [other.v2, 50]) }, 'input.variants.1.versionId'],
      [{ variants: variants([s.v1, 50], ['not-an-id', 50]) }, 'input.variants.1.versionId'],
      [{ versionA: s.v1, versionB: s.v2, trafficSplit: 0 }, 'input.trafficSplit'],
      [{ versionA: s.v1, versionB: s.v1 }, 'input.versionB'],
      [{ versionA: s.v1 }, 'input.versionB'],
      [{ variants: variants([s.v1, 50], [s.v2, 50]), versionA: s.v1 }, 'input'],
      [{ versionA: s.v1, versionB: s.v2, minSampleSize: 1 }, 'input.minSampleSize'],
      [{ versionA: s.v1, versionB: s.v2, label: 'latest' }, 'input.label'],
    ];
    for (const [input, field] of cases) {
      const err = await fails(server.url, s.t.key, START, { i: { promptName: s.name, ...input } }, 'BAD_USER_INPUT');
      expect({ input, field: err.extensions?.field }).toEqual({ input, field });
    }
    // Nothing started, nothing changed.
    const p = (await ok(server.url, s.t.key, 'query($n: String!) { prompt(name: $n) { revision abTests { id } } }', { n: s.name })).prompt;
    expect(p.abTests).toEqual([]);
    const missing = await gql(server.url, s.t.key, START, { i: { promptName: 'no-such-prompt', versionA: s.v1, versionB: s.v2 } });
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
