/**
 * A/B tests in the dashboard, in Chromium against a real server process (Postgres): a person starts a
 * test from the prompt page (server validation errors shown at their field), traffic recorded over the
 * API with `recordCalls` moves the open test page live — "not enough data", then a decision in plain
 * words — without a reload; promote, ramp and stop behind confirmations; a sample-ratio mismatch
 * explained; auto-promotion seen live; while a test runs on production the prompt page's deploy and revert
 * buttons are disabled with the reason; a VIEWER sees every action disabled with the reason; axe scans,
 * screenshots at 1280 and 390 px, light and dark.
 */
import type { Page } from 'playwright-core';
import { ok } from '../helpers/graphql';
import { addVersion, createPromptWith } from '../helpers/seed';
import { NO_PROBLEMS, axeViolations, eventually, expectText, screenshot, sidewaysOverflow, useDashboardServer } from '../helpers/dashboard';
import { ADMIN_PERSON } from '../helpers/people';

const VIEWER = { email: 'vic.viewer@example.com', password: 'viewer-password-long-7', name: 'Vic Viewer' };
/** Live changes arrive over the socket; on a busy 2-core machine give them time (polled, never slept). */
const LIVE_MS = 20_000;

const dash = useDashboardServer({ workspace: 'Support team', members: [{ person: VIEWER, role: 'VIEWER' }] });
let seq = 0;
let callSeq = 0;

type V = { id: string; number: number };

/** A prompt of its own per test: v1 in production, v2 and v3. */
async function seedPrompt(): Promise<{ name: string; v: V[] }> {
  const name = `support/reply-${++seq}`;
  const created = await createPromptWith(dash.gql, dash.tenant.key, name, 'Reply to {{ticket}}.', { message: 'first draft' });
  const v2 = await addVersion(dash.gql, dash.tenant.key, name, 'Reply to {{ticket}} politely, in two sentences.', { message: 'polite and short' });
  const v3 = await addVersion(dash.gql, dash.tenant.key, name, 'Reply to {{ticket}} with a numbered plan.', { message: 'numbered plan' });
  return { name, v: [created.createPrompt.activeVersion, v2, v3] };
}

/** `n` calls of a version over the API, `successes` of them successful (no request id: counted by version). */
async function recordCalls(version: V, n: number, successes: number): Promise<void> {
  const inputs = Array.from({ length: n }, (_, i) => ({
    versionId: version.id,
    callId: `ab-ui-${process.pid}-${++callSeq}`,
    latencyMs: 300 + (i % 7) * 10,
    success: i < successes,
    inputTokens: 100,
    outputTokens: 40,
  }));
  const receipts = (await ok(dash.gql, dash.tenant.key, 'mutation($i: [CallInput!]!) { recordCalls(inputs: $i) { abTestId variant } }', { i: inputs }))
    .recordCalls;
  // Every call is covered by the running test (else the page could never reach a decision).
  expect(receipts.every((r: { abTestId: string | null }) => r.abTestId)).toBe(true);
}

/**
 * Traffic the way a service sends it: `n` request ids resolved through the label (the server assigns
 * each to a variant by its hash), then one call per request with that request id and the version it
 * got; `successRate` by version number. Resolves go 15 to a query (the operation alias limit).
 */
async function resolveAndRecord(name: string, n: number, successRate: Record<number, number>): Promise<Record<string, number>> {
  const served: { requestId: string; versionId: string; versionNumber: number; variant: string }[] = [];
  for (let from = 0; from < n; from += 15) {
    const ids = Array.from({ length: Math.min(15, n - from) }, (_, i) => `req-${process.pid}-${seq}-${from + i}`);
    const fields = ids.map((id, i) => `r${i}: resolvePrompt(name: $n, variables: { ticket: "t" }, requestId: "${id}") { versionId versionNumber variant }`);
    const d = await ok(dash.gql, dash.tenant.key, `query($n: String!) { ${fields.join(' ')} }`, { n: name });
    ids.forEach((requestId, i) => served.push({ requestId, ...d[`r${i}`] }));
  }
  const seen: Record<number, number> = {};
  const inputs = served.map((r) => {
    const k = (seen[r.versionNumber] = (seen[r.versionNumber] ?? 0) + 1);
    return {
      versionId: r.versionId,
      requestId: r.requestId,
      callId: `ab-ui-${process.pid}-${++callSeq}`,
      latencyMs: 320,
      // Deterministic shares: the first ⌊rate × k⌋ of each version's calls succeed.
      success: Math.floor(k * successRate[r.versionNumber]!) > Math.floor((k - 1) * successRate[r.versionNumber]!),
    };
  });
  const receipts = (await ok(dash.gql, dash.tenant.key, 'mutation($i: [CallInput!]!) { recordCalls(inputs: $i) { variant } }', { i: inputs })).recordCalls;
  const perVariant: Record<string, number> = {};
  receipts.forEach((r: { variant: string | null }, i: number) => {
    expect(r.variant).toBe(served[i]!.variant); // the call counts for the variant its request was served
    perVariant[r.variant!] = (perVariant[r.variant!] ?? 0) + 1;
  });
  return perVariant;
}

async function startOverApi(name: string, variants: { versionId: string; weight: number }[], extra: Record<string, unknown> = {}): Promise<string> {
  const d = await ok(dash.gql, dash.tenant.key, 'mutation($i: StartABTestInput!) { startABTest(input: $i) { id } }', {
    i: { promptName: name, variants, metric: 'SUCCESS_RATE', minSampleSize: 50, autoPromote: false, ...extra },
  });
  return d.startABTest.id;
}

const testState = async (id: string) =>
  (
    await ok(
      dash.gql,
      dash.tenant.key,
      'query($id: ID!) { abTest(id: $id) { status variants { key weight } winner { key } prompt { activeVersion { number } } } }',
      { id },
    )
  ).abTest;

const signedIn = (person: { email: string; password: string }, width = 1280, colorScheme: 'light' | 'dark' = 'light') =>
  dash.signedIn({ person, width, colorScheme });

async function openPrompt(page: Page, name: string): Promise<void> {
  await page.goto(`${dash.base}/ui/prompts/${name}`);
  await page.getByRole('heading', { name, exact: true }).waitFor();
}

async function openTest(page: Page, id: string): Promise<void> {
  await page.goto(`${dash.base}/ui/ab-tests/${id}`);
  await page.getByTestId('ab-decision').waitFor();
  await page.locator('.live.connected').waitFor();
}

async function expectNoAxeViolations(page: Page): Promise<void> {
  expect(await axeViolations(page)).toEqual([]);
}

test('start from the prompt page (server errors at their field), then recorded traffic brings the page live to a decision, and promote moves production', async () => {
  const { name, v } = await seedPrompt();
  const { context, page, problems } = await signedIn(ADMIN_PERSON);
  await openPrompt(page, name);
  await expectText(page.getByTestId('ab-empty'), 'No A/B tests yet — start one to compare two versions on live traffic');
  await page.getByRole('link', { name: 'Start A/B test' }).click();
  await page.getByRole('heading', { name: 'Start A/B test' }).waitFor();

  // Defaults: production's version is the control; choose v2 as the treatment, decide on success rate.
  expect(await page.getByLabel('Control (A) version').inputValue()).toBe(v[0]!.id);
  await page.getByLabel('Treatment (B) version').selectOption(v[1]!.id);
  await page.getByLabel('Metric that decides').selectOption('SUCCESS_RATE');

  // Weights that do not add up: the server's message, at the split.
  await page.getByLabel('Control (A) traffic %').fill('70');
  await expectText(page.locator('.variant-tools'), 'Weights add up to 120 (they must add up to 100).');
  await page.getByRole('button', { name: 'Start A/B test' }).click();
  const variantsError = page.locator('#input-variants-error');
  await expectText(variantsError, 'The weights must add up to 100; they add up to 120.');
  expect(await page.getByRole('group', { name: 'Versions and traffic split' }).getAttribute('aria-describedby')).toBe('input-variants-error');
  await page.getByLabel('Control (A) traffic %').fill('50');

  // A minimum sample the server refuses: shown at that field, which gets the focus.
  const minimum = page.getByLabel('Minimum calls per variant');
  await minimum.fill('1');
  await page.getByRole('button', { name: 'Start A/B test' }).click();
  await expectText(page.locator('#input-minSampleSize-error'), 'Must be a whole number from 2 to 10000000.');
  expect(await minimum.getAttribute('aria-invalid')).toBe('true');
  await eventually(async () => expect(await minimum.evaluate((e) => e === e.ownerDocument.activeElement)).toBe(true));
  await screenshot(page, 'ab-test-start-errors');
  await expectNoAxeViolations(page);
  await minimum.fill('100');
  await page.getByRole('button', { name: 'Start A/B test' }).click();

  await page.waitForURL(/\/ui\/ab-tests\/[0-9a-f-]{36}$/);
  const id = page.url().split('/').pop()!;
  const decision = page.getByTestId('ab-decision');
  await expectText(decision, 'Not enough data yet: 0 of 100 calls', LIVE_MS);
  await expectText(page.getByTestId('ab-status'), 'Running');
  await page.locator('.live.connected').waitFor();
  await page.evaluate('window.marker = 7');

  // Some traffic: still not enough; the counts move on screen.
  await recordCalls(v[0]!, 40, 28);
  await recordCalls(v[1]!, 40, 38);
  await expectText(decision, 'Not enough data yet: 40 of 100 calls', LIVE_MS);
  await expectText(page.getByTestId('variant-B').getByTestId('calls'), '40');
  expect(await page.getByTestId('ci-bar').getAttribute('data-verdict')).toBe('unclear'); // no colour before the rule decides
  await screenshot(page, 'ab-test-collecting');
  await expectNoAxeViolations(page);

  // Enough: 70% vs 95% success over 300 calls each is a clear win for the treatment.
  await recordCalls(v[0]!, 260, 182);
  await recordCalls(v[1]!, 260, 247);
  await expectText(decision, 'Treatment v2 is better: +25.0 pts success rate (95% CI +', LIVE_MS);
  await expectText(decision, 'Safe to promote.');
  await expectText(page.getByTestId('variant-A').getByTestId('metric-value'), '70.0%');
  await expectText(page.getByTestId('variant-B').getByTestId('metric-value'), '95.0%');
  await expectText(page.getByTestId('variant-B').getByTestId('difference'), '+25.0 pts');
  expect(await page.getByTestId('ci-bar').getAttribute('data-verdict')).toBe('better');
  expect(await page.evaluate('window.marker')).toBe(7); // live, no reload
  await screenshot(page, 'ab-test-decision');
  await expectNoAxeViolations(page);

  // Promote: a confirmation naming the version, then production moves and the test ends.
  await page.getByRole('button', { name: 'Promote v2 to production' }).click();
  const dialog = page.getByRole('dialog', { name: 'Promote a variant' });
  await dialog.waitFor();
  expect(await dialog.getByLabel('Treatment v2 (the winner)').isChecked()).toBe(true);
  await expectNoAxeViolations(page);
  await dialog.getByRole('button', { name: 'Promote v2 to production' }).click();
  await dialog.waitFor({ state: 'detached' });
  await expectText(page.getByTestId('ab-status'), 'Stopped', LIVE_MS);
  await expectText(decision, 'Stopped by hand: Treatment v2 was promoted to production.');
  const after = await testState(id);
  expect(after).toMatchObject({ status: 'STOPPED', winner: { key: 'B' }, prompt: { activeVersion: { number: 2 } } });

  // The prompt page lists it as a past test.
  await page.getByRole('link', { name, exact: true }).click();
  await expectText(page.getByTestId('ab-row').first(), 'Stopped');
  await expectText(page.getByTestId('ab-row').first(), 'winner v2');
  await expectText(page.getByTestId('label-production'), 'v2');
  expect(problems).toEqual(NO_PROBLEMS);
  await context.close();
});

test('a sample-ratio mismatch is explained in plain words; ramp and stop ask first and change the test', async () => {
  const { name, v } = await seedPrompt();
  const id = await startOverApi(name, [
    { versionId: v[0]!.id, weight: 50 },
    { versionId: v[1]!.id, weight: 50 },
  ]);
  const { context, page, problems } = await signedIn(ADMIN_PERSON);
  await openPrompt(page, name);
  await expectText(page.getByTestId('ab-row').first(), 'Running');
  await page.getByTestId('ab-tests').scrollIntoViewIfNeeded();
  await screenshot(page, 'prompt-page-ab-tests');
  // A second test on the same label is refused: the form says so and links to the running one.
  await page.getByRole('link', { name: 'Start A/B test' }).click();
  await page.getByRole('button', { name: 'Start A/B test' }).click();
  await expectText(page.getByRole('alert'), `A/B test ${id} is already running on "${name}@production"; stop it first.`);
  await page.getByRole('link', { name: 'Open the running test' }).click();
  await page.waitForURL(`**/ui/ab-tests/${id}`);
  await page.getByTestId('ab-decision').waitFor();
  await page.locator('.live.connected').waitFor();

  // 300 calls to A and 100 to B under a 50/50 split: the assignment or the logging is broken.
  await recordCalls(v[0]!, 300, 250);
  await recordCalls(v[1]!, 100, 90);
  const decision = page.getByTestId('ab-decision');
  await expectText(decision, 'Results cannot be trusted: traffic does not match the split.', LIVE_MS);
  await expectText(decision, 'Expected A 50% / B 50%, got A 75% / B 25% of 400 calls (p < 0.0001)');
  await expectText(decision, 'Fix the logging, then stop this test and start a new one.');
  await screenshot(page, 'ab-test-srm');
  await expectNoAxeViolations(page);

  // By keyboard: Enter opens the ramp dialog with the focus in it, Escape closes it and gives the focus back.
  const rampButton = page.getByRole('button', { name: 'Ramp traffic' });
  await rampButton.focus();
  await page.keyboard.press('Enter');
  const ramp = page.getByRole('dialog', { name: 'Ramp traffic' });
  await ramp.waitFor();
  await eventually(async () => expect(await ramp.evaluate((d) => d.contains(d.ownerDocument.activeElement))).toBe(true));
  await page.keyboard.press('Escape');
  await ramp.waitFor({ state: 'detached' });
  await eventually(async () => expect(await rampButton.evaluate((e) => e === e.ownerDocument.activeElement)).toBe(true));

  // Ramp: the split must add up before it can be applied.
  await rampButton.click();
  await ramp.waitFor();
  await ramp.getByLabel(/Treatment v2 \(now 50%\)/).fill('80');
  const apply = ramp.getByRole('button', { name: 'Apply new split' });
  expect(await apply.isDisabled()).toBe(true);
  await expectText(ramp, 'Weights add up to 130 (they must add up to 100).');
  await ramp.getByLabel(/Control v1 \(now 50%\)/).fill('20');
  await screenshot(page, 'ab-test-ramp-dialog');
  await expectNoAxeViolations(page);
  await apply.click();
  await ramp.waitFor({ state: 'detached' });
  await expectText(page.getByTestId('variant-B'), '80% of traffic', LIVE_MS);
  await expectText(page.getByTestId('variant-A'), '20% of traffic');
  expect((await testState(id)).variants).toEqual([
    { key: 'A', weight: 20 },
    { key: 'B', weight: 80 },
  ]);

  // Stop: "Keep running" cancels; "Stop test" ends it without promoting anything.
  await page.getByRole('button', { name: 'Stop test' }).click();
  let stop = page.getByRole('dialog', { name: 'Stop this A/B test?' });
  await expectText(stop, 'All production traffic goes back to v1');
  await stop.getByRole('button', { name: 'Keep running' }).click();
  await stop.waitFor({ state: 'detached' });
  expect((await testState(id)).status).toBe('RUNNING');
  await page.getByRole('button', { name: 'Stop test' }).click();
  stop = page.getByRole('dialog', { name: 'Stop this A/B test?' });
  await stop.getByRole('button', { name: 'Stop test' }).click();
  await stop.waitFor({ state: 'detached' });
  await expectText(page.getByTestId('ab-status'), 'Stopped', LIVE_MS);
  await expectText(decision, 'Stopped by hand: no variant was promoted; production kept its version.');
  expect(await page.getByRole('button', { name: 'Ramp traffic' }).count()).toBe(0); // an ended test has no actions
  expect(await testState(id)).toMatchObject({ status: 'STOPPED', winner: null, prompt: { activeVersion: { number: 1 } } });
  expect(problems).toEqual(NO_PROBLEMS);
  await context.close();
});

test("a test on another label (canary) disables reverting that label's moves only; production stays deployable", async () => {
  const { name, v } = await seedPrompt();
  const SET_CANARY = 'mutation($n: String!, $v: ID!) { setLabel(promptName: $n, label: "canary", versionId: $v, reason: "seeded") { id } }';
  await ok(dash.gql, dash.tenant.key, SET_CANARY, { n: name, v: v[1]!.id });
  await ok(dash.gql, dash.tenant.key, SET_CANARY, { n: name, v: v[0]!.id });
  const { context, page, problems } = await signedIn(ADMIN_PERSON);
  await openPrompt(page, name);
  await page.locator('.live.connected').waitFor();
  const revert = page.getByRole('button', { name: 'Revert this move' });
  expect(await revert.count()).toBe(1);
  expect(await revert.isDisabled()).toBe(false);
  await startOverApi(
    name,
    [
      { versionId: v[0]!.id, weight: 50 },
      { versionId: v[1]!.id, weight: 50 },
    ],
    { label: 'canary' },
  );
  // The open page hears the start and disables the canary revert with the reason; production is not under a test.
  await eventually(async () => expect(await revert.isDisabled()).toBe(true), LIVE_MS);
  expect(await page.locator(`#${await revert.getAttribute('aria-describedby')}`).textContent()).toBe(
    'An A/B test is running on canary: conclude or stop it first.',
  );
  expect(await page.getByRole('button', { name: 'Deploy v3 to production' }).isDisabled()).toBe(false);
  expect(await page.locator('#deploy-why').count()).toBe(0);
  expect(problems).toEqual(NO_PROBLEMS);
  await context.close();
});

test('while a test runs on production, deploying to it (also from an open deploy dialog) and reverting its moves are disabled with the reason and a link to the test; stopped, they are back', async () => {
  const { name, v } = await seedPrompt();
  // A production move to revert: v1 → v2 → v1 leaves "v2 → v1" revertable (to v2).
  const SET_PRODUCTION = 'mutation($n: String!, $v: ID!) { setLabel(promptName: $n, label: "production", versionId: $v, reason: "seeded") { id } }';
  await ok(dash.gql, dash.tenant.key, SET_PRODUCTION, { n: name, v: v[1]!.id });
  await ok(dash.gql, dash.tenant.key, SET_PRODUCTION, { n: name, v: v[0]!.id });
  const { context, page, problems } = await signedIn(ADMIN_PERSON);
  await openPrompt(page, name);
  await page.locator('.live.connected').waitFor();
  const reason = 'An A/B test is running on production: conclude or stop it first.';

  // The deploy dialog is open when a test starts elsewhere (the API): the page hears it and the dialog cannot confirm.
  expect(await page.getByRole('button', { name: 'Deploy v3 to production' }).isDisabled()).toBe(false);
  await page.getByRole('button', { name: 'Deploy v3 to production' }).click();
  const dialog = page.getByRole('dialog', { name: 'Deploy v3 to production' });
  await dialog.waitFor();
  await dialog.getByLabel(/Why\?/).fill('numbered plans read better');
  const confirm = dialog.getByRole('button', { name: 'Deploy v3', exact: true });
  expect(await confirm.isDisabled()).toBe(false);
  const id = await startOverApi(name, [
    { versionId: v[0]!.id, weight: 50 },
    { versionId: v[1]!.id, weight: 50 },
  ]);
  await eventually(async () => expect(await confirm.isDisabled()).toBe(true), LIVE_MS);
  await expectText(dialog.locator('#deploy-dialog-why'), reason);
  expect(await confirm.getAttribute('aria-describedby')).toBe('deploy-dialog-why');
  await screenshot(page, 'deploy-dialog-under-test');
  await expectNoAxeViolations(page);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });

  const why = page.locator('#deploy-why');
  await expectText(why, reason);
  expect(await why.isVisible()).toBe(true);
  for (const n of [2, 3]) {
    const deploy = page.getByRole('button', { name: `Deploy v${n} to production` });
    expect(await deploy.isDisabled()).toBe(true);
    expect(await deploy.getAttribute('aria-describedby')).toBe('deploy-why');
  }
  const revert = page.getByRole('button', { name: 'Revert this move' });
  expect(await revert.count()).toBe(1);
  expect(await revert.isDisabled()).toBe(true);
  expect(await page.locator(`#${await revert.getAttribute('aria-describedby')}`).textContent()).toBe(reason);
  // A rollback is still allowed: it ends the test (the server's rule), so it is not blocked here.
  expect(await page.getByRole('button', { name: 'Roll back production to v2' }).isDisabled()).toBe(false);
  await why.scrollIntoViewIfNeeded();
  await screenshot(page, 'prompt-page-deploy-under-test');
  await expectNoAxeViolations(page);

  await why.getByRole('link', { name: 'Open the A/B test' }).click();
  await page.waitForURL(`**/ui/ab-tests/${id}`);
  await page.getByTestId('ab-decision').waitFor();
  await page.goBack();
  await page.getByRole('heading', { name, exact: true }).waitFor();
  await page.locator('.live.connected').waitFor();

  // Stopped elsewhere (the API): the open page hears it and the buttons come back, without a reload.
  await ok(dash.gql, dash.tenant.key, 'mutation($id: ID!) { stopABTest(id: $id) { id } }', { id });
  const deploy2 = page.getByRole('button', { name: 'Deploy v2 to production' });
  await eventually(async () => expect(await deploy2.isDisabled()).toBe(false), LIVE_MS);
  expect(await why.count()).toBe(0);
  expect(await page.getByRole('button', { name: 'Revert this move' }).isDisabled()).toBe(false);
  expect(problems).toEqual(NO_PROBLEMS);
  await context.close();
});

test('a VIEWER watches tests but "Start A/B test", ramp, stop and promote are disabled with the reason', async () => {
  const { name, v } = await seedPrompt();
  const id = await startOverApi(name, [
    { versionId: v[0]!.id, weight: 50 },
    { versionId: v[2]!.id, weight: 50 },
  ]);
  const { context, page, problems } = await signedIn(VIEWER);
  expect(await page.getByTestId('role').textContent()).toBe('VIEWER');
  const reason = 'Starting, ramping, stopping and promoting A/B tests needs the PUBLISHER or ADMIN role (you are VIEWER).';

  await openPrompt(page, name);
  const start = page.getByTestId('ab-tests').getByRole('button', { name: 'Start A/B test' });
  expect(await start.isDisabled()).toBe(true);
  expect(await page.locator(`#${await start.getAttribute('aria-describedby')}`).textContent()).toBe(reason);
  await expectNoAxeViolations(page);

  await openTest(page, id);
  await expectText(page.getByTestId('ab-decision'), 'Not enough data yet: 0 of 50 calls');
  for (const label of ['Ramp traffic', 'Stop test', 'Promote a variant…']) {
    const button = page.getByRole('button', { name: label });
    expect(await button.isDisabled()).toBe(true);
    expect(await page.locator(`#${await button.getAttribute('aria-describedby')}`).textContent()).toBe(reason);
  }
  await screenshot(page, 'ab-test-viewer');
  await expectNoAxeViolations(page);

  // The start form opened by URL says so too, and cannot be submitted.
  await page.goto(`${dash.base}/ui/ab-tests/new/${name}`);
  await page.getByRole('heading', { name: 'Start A/B test' }).waitFor();
  expect(await page.getByRole('button', { name: 'Start A/B test' }).isDisabled()).toBe(true);
  expect(await page.getByTestId('disabled-reason').textContent()).toBe(reason);
  expect((await testState(id)).status).toBe('RUNNING');
  expect(problems).toEqual(NO_PROBLEMS);
  await context.close();
});

test('390 px and dark: the start form and the test page fit; an auto-promoting test concludes live on screen', async () => {
  const { name, v } = await seedPrompt();
  const narrow = await signedIn(ADMIN_PERSON, 390);
  await narrow.page.goto(`${dash.base}/ui/ab-tests/new/${name}`);
  await narrow.page.getByRole('heading', { name: 'Start A/B test' }).waitFor();
  await narrow.page.getByRole('button', { name: 'Add variant' }).click();
  await narrow.page.getByLabel('Variant C version').waitFor();
  // The new variant gets an even share: 34 / 33 / 33.
  expect(await narrow.page.getByLabel('Variant C traffic %').inputValue()).toBe('33');
  expect(await narrow.page.getByLabel('Control (A) traffic %').inputValue()).toBe('34');
  await screenshot(narrow.page, 'ab-test-start-390');
  expect(await sidewaysOverflow(narrow.page)).toEqual([]);
  await expectNoAxeViolations(narrow.page);

  const id = await startOverApi(
    name,
    [
      { versionId: v[0]!.id, weight: 50 },
      { versionId: v[1]!.id, weight: 50 },
    ],
    { autoPromote: true },
  );
  await openTest(narrow.page, id);
  await recordCalls(v[0]!, 20, 14);
  await recordCalls(v[1]!, 20, 19);
  await expectText(narrow.page.getByTestId('ab-decision'), 'Not enough data yet: 20 of 50 calls', LIVE_MS);
  await screenshot(narrow.page, 'ab-test-390');
  expect(await sidewaysOverflow(narrow.page)).toEqual([]);
  expect(narrow.problems).toEqual(NO_PROBLEMS);
  await narrow.context.close();

  for (const width of [1280, 390]) {
    const dark = await signedIn(ADMIN_PERSON, width, 'dark');
    await openTest(dark.page, id);
    await expectText(dark.page.getByTestId('ab-decision'), 'Not enough data yet: 20 of 50 calls');
    await expectNoAxeViolations(dark.page);
    if (width === 390) {
      // The decision rule concludes the test by itself; the open page shows it without a reload.
      // This time through the resolve path: the server assigns the requests, each call carries its request id.
      const perVariant = await resolveAndRecord(name, 600, { 1: 0.7, 2: 0.95 });
      expect(perVariant.A! + perVariant.B!).toBe(600);
      await expectText(dark.page.getByTestId('ab-status'), 'Concluded', LIVE_MS);
      await expectText(dark.page.getByTestId('ab-decision'), 'Promoted to production automatically.');
      await expectText(dark.page.getByTestId('notice').last(), `${name}: A/B test concluded, production → v2 (automatic promotion)`);
      expect(await testState(id)).toMatchObject({ status: 'CONCLUDED', winner: { key: 'B' }, prompt: { activeVersion: { number: 2 } } });
      expect(await sidewaysOverflow(dark.page)).toEqual([]);
    }
    await screenshot(dark.page, `ab-test-dark-${width}`);
    await expectNoAxeViolations(dark.page);
    expect(dark.problems).toEqual(NO_PROBLEMS);
    await dark.context.close();
  }
});
