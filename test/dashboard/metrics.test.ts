/**
 * Metrics and cost in Chromium against a real server process (Postgres): calls recorded over the API
 * with recordCalls across seven days and three versions (two models, two costs), label moves between
 * them; the prompt's metrics page shows per-day, per-version tables equal to a reference computed here
 * from the recorded calls, the label moves and the model change as markers on the charts, a call
 * recorded while the page is open without a reload; the workspace cost page ranks the spenders and
 * sums days and ISO weeks; empty states; no serious accessibility violation; screenshots at 1280 and
 * 390 px, light and dark.
 *
 * The API records a label move at the time it is made (and recordCalls takes `at` up to 7 days back); to
 * have moves days apart, between the calls, the test moves the labels over the API and then dates their
 * history rows in the database. Those rows are append-only (a trigger): the fixture writes them in its
 * own session with triggers off (session_replication_role = replica), the usual way to load fixtures.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ok } from '../helpers/graphql';
import { ADMIN_PERSON } from '../helpers/people';
import { withSql } from '../helpers/postgres';
import { addVersion, createPromptWith } from '../helpers/seed';
import { startTcpProxy } from '../helpers/tcp-proxy';
import {
  NO_PROBLEMS,
  SCREENSHOTS,
  axeViolations,
  eventually,
  expectText,
  openPage,
  screenshot,
  sidewaysOverflow,
  useDashboardServer,
} from '../helpers/dashboard';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

type Call = {
  versionId: string;
  callId: string;
  latencyMs: number;
  inputTokens: number;
  outputTokens: number;
  success: boolean;
  qualityScore: number;
  costUsd: number;
  at: string;
};
type Version = { id: string; number: number; model: string };

const dash = useDashboardServer({
  workspace: 'Metrics team',
  otherWorkspaces: ['Quiet team'],
  members: [{ person: { ...ADMIN_PERSON, name: 'Admin.Person' }, role: 'ADMIN', workspace: 'Quiet team' }],
});
const calls: (Call & { prompt: string })[] = [];
let today: number;
let summarizer: Version[];
const moves: { to: number; at: number }[] = [];

const RECORD = 'mutation($i: [CallInput!]!) { recordCalls(inputs: $i) { callId duplicate } }';
const SET_LABEL = 'mutation($p: String!, $v: ID!) { setLabel(promptName: $p, label: "production", versionId: $v, reason: "seeded") { revision } }';

/** `count` calls of a version at `at`, varied so percentiles, rates and scores differ between days. */
function callsOf(prompt: string, v: Version, at: number, count: number, costUsd: number, seed: number): (Call & { prompt: string })[] {
  return Array.from({ length: count }, (_, i) => {
    const k = seed * 10 + i;
    return {
      prompt,
      versionId: v.id,
      callId: `${prompt}-${v.number}-${at}-${i}`,
      latencyMs: 80 + ((k * 37) % 400) + v.number * 25,
      inputTokens: 400 + k * 3,
      outputTokens: 90 + (k % 17),
      success: (k * 3 + seed) % 5 !== 4,
      qualityScore: Math.round((0.45 + v.number * 0.1 + ((k * 7) % 10) / 40) * 100) / 100,
      costUsd,
      at: new Date(at).toISOString(),
    };
  });
}

async function record(batch: (Call & { prompt: string })[]): Promise<void> {
  calls.push(...batch);
  await ok(dash.gql, dash.tenant.key, RECORD, { i: batch.map(({ prompt: _p, ...c }) => c) });
}

/** Moves production over the API, then dates the move (its history row) at `at`. */
async function moveProduction(prompt: string, v: Version, at: number): Promise<void> {
  await ok(dash.gql, dash.tenant.key, SET_LABEL, { p: prompt, v: v.id });
  await backdateLatestMove(prompt, at);
  moves.push({ to: v.number, at });
}

async function backdateLatestMove(prompt: string, at: number): Promise<void> {
  await withSql(dash.db.url, (sql) =>
    sql.begin(async (tx) => {
      await tx`SET LOCAL session_replication_role = replica`;
      const updated = await tx`UPDATE label_history SET at = ${new Date(at)} WHERE id = (
        SELECT h.id FROM label_history h JOIN prompts p ON p.id = h.prompt_id
        WHERE p.workspace_id = ${dash.tenant.workspaceId} AND p.name = ${prompt} ORDER BY h.seq DESC LIMIT 1)`;
      if (updated.count !== 1) throw new Error(`no label move of ${prompt} to date`);
    }),
  );
}

async function createVersioned(name: string, models: string[]): Promise<Version[]> {
  const created = await createPromptWith(dash.gql, dash.tenant.key, name, `Summarize {{text}} (${name} v1).`, { model: models[0] });
  const versions: Version[] = [{ id: created.createPrompt.activeVersion.id, number: 1, model: models[0]! }];
  for (let i = 1; i < models.length; i++) {
    const v = await addVersion(dash.gql, dash.tenant.key, name, `Summarize {{text}} (${name} v${i + 1}).`, { model: models[i] });
    versions.push({ ...v, model: models[i]! });
  }
  return versions;
}

beforeAll(async () => {
  const now = Date.now();
  today = Math.floor(now / DAY) * DAY;
  const at = (day: number, hour: number) => today + day * DAY + hour * HOUR;
  // Today's calls: as late as is safely in the past, never before today's midnight.
  const todayAt = Math.max(today, now - 2 * 60_000);

  // summarizer: v1 and v2 on gpt-4o at $2 a call (4 a day: $8/day), v3 on gpt-4o-mini at $0.50 ($2/day).
  summarizer = await createVersioned('summarizer', ['gpt-4o', 'gpt-4o', 'gpt-4o-mini']);
  const [v1, v2, v3] = summarizer as [Version, Version, Version];
  await backdateLatestMove('summarizer', at(-6, 1)); // the first version got production at creation
  moves.push({ to: 1, at: at(-6, 1) });
  for (const d of [-6, -5, -4, -3]) await record(callsOf('summarizer', v1, at(d, 6), 4, 2, d + 10));
  await moveProduction('summarizer', v2, at(-3, 12)); // the prompt changed, the model did not
  for (const [d, h] of [
    [-3, 18],
    [-2, 6],
    [-1, 6],
  ] as const)
    await record(callsOf('summarizer', v2, at(d, h), 4, 2, d + 20));
  await moveProduction('summarizer', v3, at(-1, 12)); // the model changed
  await record(callsOf('summarizer', v3, at(-1, 18), 4, 0.5, 31));
  await record(callsOf('summarizer', v3, todayAt, 4, 0.5, 32));

  // Two other prompts, cheaper in total.
  const [translator] = await createVersioned('translator', ['claude-sonnet-4-20250514']);
  for (const d of [-4, -3, -2]) await record(callsOf('translator', translator!, at(d, 9), 5, 1, d + 40));
  const [classifier] = await createVersioned('support/classifier', ['gpt-4o-mini']);
  for (const d of [-6, -5, -4, -3, -2, -1]) await record(callsOf('support/classifier', classifier!, at(d, 10), 10, 0.1, d + 50));
  await record(callsOf('support/classifier', classifier!, todayAt, 10, 0.1, 57));

  await createVersioned('silent', ['gpt-4o']); // no calls at all
}, 180_000);

const signedIn = (width = 1280, colorScheme: 'light' | 'dark' = 'light') => dash.signedIn({ width, colorScheme });

/** A chart's table view as { bucket ISO: { series label: data-value } } (opens the table view). */
async function tableOf(page: Page, testId: string): Promise<Record<string, Record<string, string>>> {
  const card = page.getByTestId(testId);
  await card.getByRole('button', { name: 'Table', exact: true }).click();
  await card.locator('table').waitFor();
  return card.locator('table').evaluate(
    // Runs in the page (the tests' tsconfig has no DOM types).
    (table: any) => {
      const out: Record<string, Record<string, string>> = {};
      for (const tr of table.querySelectorAll('tbody tr')) {
        const row: Record<string, string> = {};
        for (const td of tr.querySelectorAll('td[data-series]')) row[td.dataset.series] = td.dataset.value;
        out[tr.dataset.bucket] = row;
      }
      return out;
    },
  );
}

/** The switch is remembered once the workspace has loaded; a page opened after that opens in it. */
async function workspaceRemembered(page: Page, workspaceId: string): Promise<void> {
  await eventually(async () => expect(await page.evaluate("localStorage.getItem('pm.workspaceId')")).toBe(workspaceId));
}

const dayIso = (t: number) => new Date(Math.floor(t / DAY) * DAY).toISOString();
const weekIso = (t: number) => new Date(Math.floor((t + 3 * DAY) / WEEK) * WEEK - 3 * DAY).toISOString();
const nearestRank = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.max(0, Math.ceil(q * values.length) - 1)]!;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** The reference: per day and version of a prompt, computed from the calls this test recorded. */
function reference(prompt: string) {
  const groups = new Map<string, Map<string, Call[]>>();
  for (const c of calls.filter((c) => c.prompt === prompt)) {
    const day = dayIso(Date.parse(c.at));
    const byVersion = groups.get(day) ?? new Map<string, Call[]>();
    byVersion.set(c.versionId, [...(byVersion.get(c.versionId) ?? []), c]);
    groups.set(day, byVersion);
  }
  return groups;
}

test('a prompt’s metrics: per-day tables by version equal the recorded calls; label moves and the model change are marked', async () => {
  const { context, page, problems } = await signedIn();
  await page.getByRole('link', { name: 'summarizer', exact: true }).click();
  await page.getByTestId('metrics-link').click();
  await page.getByRole('heading', { name: 'Metrics of summarizer' }).waitFor();
  await page.getByTestId('chart-calls').locator('.chart-marker').first().waitFor({ state: 'attached' });

  // Markers: every label move in the range (solid) and the model change at the move to v3 (dashed), at their times.
  const markers = await page
    .getByTestId('chart-calls')
    .locator('.chart-marker')
    .evaluateAll((els: any[]) => els.map((e) => ({ kind: e.dataset.markerKind, at: e.dataset.at, text: e.textContent, left: parseFloat(e.style.left) })));
  const expected = [
    ...moves.map((m) => ({ kind: 'label', at: new Date(m.at).toISOString(), text: `production → v${m.to}` })),
    ...summarizer
      .slice(1)
      .filter((v, i) => v.model !== summarizer[i]!.model)
      .map((v) => ({
        kind: 'model',
        at: new Date(moves.find((m) => m.to === v.number)!.at).toISOString(),
        text: `model ${summarizer[v.number - 2]!.model} → ${v.model}`,
      })),
  ];
  expect(markers.map(({ kind, at, text }) => ({ kind, at, text })).sort((a, b) => (a.at + a.kind).localeCompare(b.at + b.kind))).toEqual(
    expected.sort((a, b) => (a.at + a.kind).localeCompare(b.at + b.kind)),
  );
  expect(expected.filter((m) => m.kind === 'model')).toHaveLength(1); // v1 → v2 kept the model: no model marker
  // Placed in time order along the axis.
  const lefts = markers
    .filter((m) => m.kind === 'label')
    .sort((a, b) => a.at.localeCompare(b.at))
    .map((m) => m.left);
  expect(lefts).toEqual([...lefts].sort((a, b) => a - b));
  expect(new Set(lefts).size).toBe(lefts.length);
  // Every chart carries the same markers.
  for (const id of ['chart-success', 'chart-latency', 'chart-tokens', 'chart-quality', 'chart-cost'])
    expect(await page.getByTestId(id).locator('.chart-marker').count()).toBe(expected.length);
  // And the list of changes says it in words.
  const list = await page.getByTestId('change-list').textContent();
  expect(list).toContain('model gpt-4o → gpt-4o-mini');
  expect(list).toContain('production → v3');
  await screenshot(page, 'metrics-prompt');
  expect(await axeViolations(page)).toEqual([]);

  const ref = reference('summarizer');
  const label = (v: Version) => `v${v.number} · ${v.model}`;
  const versionOf = new Map(summarizer.map((v) => [v.id, v]));
  const tables = {
    calls: await tableOf(page, 'chart-calls'),
    success: await tableOf(page, 'chart-success'),
    latency: await tableOf(page, 'chart-latency'),
    tokens: await tableOf(page, 'chart-tokens'),
    quality: await tableOf(page, 'chart-quality'),
    cost: await tableOf(page, 'chart-cost'),
  };
  // Seven UTC days, today last.
  expect(Object.keys(tables.calls)).toEqual(Array.from({ length: 7 }, (_, i) => new Date(today - (6 - i) * DAY).toISOString()));
  let cells = 0;
  for (const [day, byVersion] of ref) {
    for (const [versionId, group] of byVersion) {
      const col = label(versionOf.get(versionId)!);
      const at = `${day} ${col}`;
      expect([at, Number(tables.calls[day]![col])]).toEqual([at, group.length]);
      expect([at, Number(tables.success[day]![col])]).toEqual([at, group.filter((c) => c.success).length / group.length]);
      expect([at, Number(tables.tokens[day]![col])]).toEqual([at, sum(group.map((c) => c.inputTokens + c.outputTokens))]);
      expect(Number(tables.quality[day]![col])).toBeCloseTo(sum(group.map((c) => c.qualityScore)) / group.length, 9);
      expect(Number(tables.cost[day]![col])).toBeCloseTo(sum(group.map((c) => c.costUsd)), 9);
      for (const [p, q] of [
        ['p50', 0.5],
        ['p95', 0.95],
        ['p99', 0.99],
      ] as const) {
        const exact = nearestRank(
          group.map((c) => c.latencyMs),
          q,
        );
        const shown = Number(tables.latency[day]![`${col} ${p}`]);
        expect([at, p, Math.abs(shown - exact) <= exact * 0.01]).toEqual([at, p, true]); // the sketch is within 1%
      }
      cells++;
    }
  }
  expect(cells).toBe(9); // v1 × 4 days, v2 × 3, v3 × 2
  // A version's day without calls shows 0 calls and no rate.
  const firstDay = new Date(today - 6 * DAY).toISOString();
  expect(tables.calls[firstDay]![label(summarizer[2]!)]).toBe('0');
  expect(tables.success[firstDay]![label(summarizer[2]!)]).toBe('');
  // The table names the changes of each day.
  await expectCellText(page, 'chart-cost', new Date(today - DAY).toISOString(), 'model gpt-4o → gpt-4o-mini');
  await screenshot(page, 'metrics-prompt-tables');
  expect(await axeViolations(page)).toEqual([]);

  // Live: a call recorded now shows in the open table without a reload.
  const v3 = summarizer[2]!;
  const before = Number(tables.calls[dayIso(Date.now())]![label(v3)]);
  await record(callsOf('summarizer', v3, Date.now() - 1000, 1, 0.5, 90));
  await page.getByTestId('chart-calls').getByRole('button', { name: 'Table', exact: true }).click();
  await eventually(async () => {
    const now = await page
      .getByTestId('chart-calls')
      .locator(`tr[data-bucket="${dayIso(Date.now())}"] td[data-series="${label(v3)}"]`)
      .getAttribute('data-value');
    expect(Number(now)).toBe(before + 1);
  }, 15_000);

  // 30 days: thirty rows, the same numbers on the days with calls, zeros before them; the range is in the URL.
  await page.getByRole('group', { name: 'Range' }).getByRole('button', { name: '30 days' }).click();
  let wide: Record<string, Record<string, string>> = {};
  await eventually(async () => {
    wide = await tableOf(page, 'chart-calls'); // the table view again, whether or not the refetch kept it open
    expect(Object.keys(wide)).toHaveLength(30);
  }, 15_000);
  expect(page.url()).toContain('range=30');
  expect(Object.keys(wide)[0]).toBe(new Date(today - 29 * DAY).toISOString());
  for (const [day, row] of Object.entries(tables.calls)) if (day !== dayIso(Date.now())) expect([day, wide[day]]).toEqual([day, row]);
  expect(wide[new Date(today - 20 * DAY).toISOString()]).toEqual(Object.fromEntries(summarizer.map((v) => [label(v), '0'])));
  expect(problems).toEqual(NO_PROBLEMS);
  await context.close();
}, 180_000);

async function expectCellText(page: Page, testId: string, bucket: string, text: string): Promise<void> {
  expect(await page.getByTestId(testId).locator(`tr[data-bucket="${bucket}"] .changes-cell`).textContent()).toContain(text);
}

test('the workspace cost page ranks the spenders and sums every day and ISO week; summarizer reads $8.00/day → $2.00/day', async () => {
  const { context, page, problems } = await signedIn();
  await page.getByTestId('cost-link').click();
  await page.getByRole('heading', { name: 'Cost', exact: true }).waitFor();
  const spenders = page.getByTestId('spenders');
  await spenders.waitFor();

  const byPrompt = new Map<string, number>();
  for (const c of calls) byPrompt.set(c.prompt, (byPrompt.get(c.prompt) ?? 0) + c.costUsd);
  const ranking = [...byPrompt].sort((a, b) => b[1] - a[1]);
  const rows = await spenders
    .locator('tbody tr')
    .evaluateAll((trs: any[]) =>
      trs.map((tr) => ({ prompt: tr.dataset.prompt, cost: Number(tr.querySelector('td[data-value]').dataset.value), text: tr.textContent })),
    );
  expect(rows.map((r) => r.prompt)).toEqual(ranking.map(([p]) => p));
  rows.forEach((r, i) => expect(r.cost).toBeCloseTo(ranking[i]![1], 9));
  expect(Number(await page.getByTestId('cost-total').getAttribute('data-value'))).toBeCloseTo(sum(calls.map((c) => c.costUsd)), 9);
  // The first and the latest day of summarizer, from the recorded calls.
  const summarizerDays = new Map<string, number>();
  for (const c of calls.filter((c) => c.prompt === 'summarizer'))
    summarizerDays.set(dayIso(Date.parse(c.at)), (summarizerDays.get(dayIso(Date.parse(c.at))) ?? 0) + c.costUsd);
  const sortedDays = [...summarizerDays].sort((a, b) => a[0].localeCompare(b[0]));
  const money = (n: number) => `$${n.toFixed(2)}`;
  expect(rows[0]!.text).toContain(`${money(sortedDays[0]![1])}/day`);
  expect(rows[0]!.text).toContain(`→ ${money(sortedDays[sortedDays.length - 1]![1])}/day`);
  expect(sortedDays[0]![1]).toBe(8);
  await screenshot(page, 'metrics-cost');
  expect(await axeViolations(page)).toEqual([]);

  // Per day: every prompt's column equals its recorded cost that day.
  const expectBuckets = async (bucketOf: (t: number) => string) => {
    const table = await tableOf(page, 'chart-spend');
    const want = new Map<string, number>();
    for (const c of calls) {
      const k = `${bucketOf(Date.parse(c.at))} ${c.prompt}`;
      want.set(k, (want.get(k) ?? 0) + c.costUsd);
    }
    for (const [k, v] of want) {
      const [bucket, prompt] = [k.slice(0, 24), k.slice(25)];
      expect([k, Math.abs(Number(table[bucket]?.[prompt]) - v) < 1e-9]).toEqual([k, true]);
    }
    return table;
  };
  const daily = await expectBuckets(dayIso);
  expect(Object.keys(daily)).toHaveLength(7);
  await page.getByRole('button', { name: 'Per week' }).click();
  await page.getByRole('heading', { name: 'Cost per week' }).waitFor();
  const weekly = await expectBuckets(weekIso);
  expect(Object.keys(weekly)).toEqual([...new Set(Array.from({ length: 7 }, (_, i) => weekIso(today - (6 - i) * DAY)))]);
  expect(await axeViolations(page)).toEqual([]);
  expect(problems).toEqual(NO_PROBLEMS);
  await context.close();
}, 180_000);

test('empty states: a prompt without calls, and the cost page of a workspace without calls', async () => {
  const { context, page, problems } = await signedIn();
  await page.goto(`${dash.base}/ui/metrics/silent`);
  await page.getByTestId('metrics-empty').waitFor();
  expect(await page.getByTestId('metrics-empty').textContent()).toContain('No calls recorded yet — services record calls with recordCalls');
  expect(await axeViolations(page)).toEqual([]);
  await page.goto(`${dash.base}/ui/metrics/no-such-prompt`);
  await page.getByRole('heading', { name: 'No prompt “no-such-prompt”' }).waitFor();
  expect(problems).toEqual(NO_PROBLEMS);
  await context.close();

  const other = dash.tenantOf('Quiet team');
  const quiet = await openPage(dash.browser, 1280);
  await dash.signIn(quiet.page, { workspace: 'Quiet team' });
  await workspaceRemembered(quiet.page, other.workspaceId);
  await quiet.page.goto(`${dash.base}/ui/cost`);
  await quiet.page.getByTestId('cost-empty').waitFor();
  expect(await quiet.page.getByTestId('cost-empty').textContent()).toContain('No calls recorded in the last 7 days');
  await quiet.context.close();
}, 120_000);

test('390 px and dark: nothing sticks out sideways, screenshots of both pages', async () => {
  for (const [width, scheme, suffix] of [
    [390, 'light', '-390'],
    [1280, 'dark', '-dark'],
    [390, 'dark', '-390-dark'],
  ] as const) {
    const { context, page, problems } = await signedIn(width, scheme);
    await page.goto(`${dash.base}/ui/metrics/summarizer`);
    await page.getByTestId('chart-calls').locator('.chart-marker').first().waitFor({ state: 'attached' });
    expect(await sidewaysOverflow(page)).toEqual([]);
    await screenshot(page, `metrics-prompt${suffix}`);
    await page.getByTestId('chart-cost').screenshot({ path: path.join(SCREENSHOTS, `metrics-cost-chart${suffix}.png`) });
    if (scheme === 'dark') expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${dash.base}/ui/cost`);
    await page.getByTestId('spenders').waitFor();
    await page.getByTestId('chart-spend').locator('canvas').waitFor();
    expect(await sidewaysOverflow(page)).toEqual([]);
    await screenshot(page, `metrics-cost${suffix}`);
    if (scheme === 'dark') expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual(NO_PROBLEMS);
    await context.close();
  }
}, 240_000);

test('a lost socket: calls recorded meanwhile show on the open metrics page once it is back, without a reload', async () => {
  const proxy = await startTcpProxy(dash.server.port);
  try {
    const proxied = `http://127.0.0.1:${proxy.port}`;
    const { context, page, problems } = await openPage(dash.browser, 1280);
    await dash.signIn(page, { base: proxied });
    await workspaceRemembered(page, dash.tenant.workspaceId);
    await page.goto(`${proxied}/ui/metrics/summarizer`);
    await page.getByTestId('chart-calls').getByRole('button', { name: 'Table', exact: true }).click();
    const v3 = summarizer[2]!;
    const cell = page.getByTestId('chart-calls').locator(`tr[data-bucket="${dayIso(Date.now())}"] td[data-series="v3 · ${v3.model}"]`);
    await cell.waitFor();
    await expectText(page.locator('.live .live-text'), 'Live', 15_000);
    const before = Number(await cell.getAttribute('data-value'));
    await page.evaluate('window.marker = 7');

    proxy.cut();
    await expectText(page.locator('.live .live-text'), 'Offline, reconnecting', 15_000);
    await record(callsOf('summarizer', v3, Date.now() - 1000, 2, 0.5, 95)); // no socket of this page hears it
    await new Promise((r) => setTimeout(r, 1500));
    expect(Number(await cell.getAttribute('data-value'))).toBe(before);
    proxy.restore();

    await expectText(page.locator('.live .live-text'), 'Live', 30_000);
    await eventually(async () => expect(Number(await cell.getAttribute('data-value'))).toBe(before + 2), 15_000);
    expect(await page.evaluate('window.marker')).toBe(7); // the same page: no reload
    expect(problems.pageErrors).toEqual([]);
    expect(problems.csp).toEqual([]);
    await context.close();
  } finally {
    await proxy.close();
  }
}, 120_000);
