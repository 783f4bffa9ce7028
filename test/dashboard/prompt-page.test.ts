/**
 * The prompt page in Chromium against a real server process (Postgres): versions and labels, one-click
 * "Deploy vN to production" behind a confirmation with the diff against production and a reason,
 * rollback, label history with who/when/why and "Revert this move", a label moved over the API shown
 * live without a reload, a change made while the dialog is open refused as a CONFLICT, and a VIEWER
 * who sees every such button disabled with the reason.
 */
import type { Page } from 'playwright-core';
import { ok } from '../helpers/graphql';
import { addVersion, createPromptWith } from '../helpers/seed';
import { NO_PROBLEMS, eventually, expectText, screenshot, sidewaysOverflow, useDashboardServer } from '../helpers/dashboard';

const VIEWER = { email: 'vera.viewer@example.com', password: 'viewer-password-long-9', name: 'Vera Viewer' };

const dash = useDashboardServer({ workspace: 'Checkout team', members: [{ person: VIEWER, role: 'VIEWER' }] });
let seq = 0;

/** A prompt of its own per test: v1 in production, v2 and v3 with other text and settings. */
async function seedPrompt(): Promise<{ name: string; v: { id: string; number: number }[] }> {
  const name = `checkout/summary-${++seq}`;
  const created = await createPromptWith(dash.gql, dash.tenant.key, name, 'Summarize the order {{order}}.\nKeep it short.', { message: 'first draft' });
  const v1 = created.createPrompt.activeVersion;
  const v2 = await addVersion(dash.gql, dash.tenant.key, name, 'Summarize the order {{order}} in two sentences.\nKeep it short.', {
    message: 'two sentences',
    temperature: 0.3,
  });
  const v3 = await addVersion(dash.gql, dash.tenant.key, name, 'Summarize the order {{order}} in one sentence.\nKeep it short and friendly.', {
    message: 'one friendly sentence',
    temperature: 0.2,
  });
  return { name, v: [v1, v2, v3] };
}

const state = async (name: string) =>
  (
    await ok(
      dash.gql,
      dash.tenant.key,
      'query($n: String!) { prompt(name: $n) { revision activeVersion { number } labelHistory(first: 5) { label reason actor { name } fromVersion { number } toVersion { number } } } }',
      { n: name },
    )
  ).prompt;

/** production → the version, over the API with the workspace's key. */
const moveProduction = (name: string, versionId: string, reason: string) =>
  ok(
    dash.gql,
    dash.tenant.key,
    'mutation($n: String!, $v: ID!, $r: String) { setLabel(promptName: $n, label: "production", versionId: $v, reason: $r) { id } }',
    {
      n: name,
      v: versionId,
      r: reason,
    },
  );

async function openPrompt(page: Page, name: string): Promise<void> {
  await page.goto(`${dash.base}/ui/prompts/${name}`);
  await page.getByRole('heading', { name, exact: true }).waitFor();
}

test('deploy v3 in one click: the confirmation shows the diff against production and the changed fields, asks why, and the label moves', async () => {
  const { name } = await seedPrompt();
  const { context, page, problems } = await dash.signedIn();
  await page.getByRole('link', { name }).click(); // from the list
  await page.getByRole('heading', { name, exact: true }).waitFor();
  await expectText(page.getByTestId('label-production'), 'v1');
  await expectText(page.getByTestId('version-1'), 'in production');
  await expectText(page.getByTestId('version-3'), 'one friendly sentence');
  await screenshot(page, 'prompt-page');

  await page.getByRole('button', { name: 'Deploy v3 to production' }).click();
  const dialog = page.getByRole('dialog', { name: 'Deploy v3 to production' });
  await dialog.waitFor();
  await expectText(dialog, 'Production serves v1 now');
  const diff = dialog.getByTestId('template-diff');
  await expectText(diff, '-Summarize the order {{order}}.');
  await expectText(diff, '+Summarize the order {{order}} in one sentence.');
  await expectText(dialog.getByTestId('field-changes'), 'temperature');
  const confirm = dialog.getByRole('button', { name: 'Deploy v3', exact: true });
  expect(await confirm.isDisabled()).toBe(true); // a reason is required
  await dialog.getByLabel(/Why\?/).fill('friendlier summaries in review');
  await screenshot(page, 'deploy-dialog');
  await confirm.click();
  await dialog.waitFor({ state: 'detached' });
  await expectText(page.getByTestId('version-3'), 'in production');
  await expectText(page.getByTestId('label-production'), 'v3');
  const s = await state(name);
  expect(s.activeVersion.number).toBe(3);
  expect(s.labelHistory[0]).toMatchObject({
    label: 'production',
    reason: 'friendlier summaries in review',
    actor: { name: 'Admin.Person' },
    fromVersion: { number: 1 },
    toVersion: { number: 3 },
  });
  const history = page.getByTestId('history-row').first();
  await expectText(history, 'friendlier summaries in review');
  await expectText(history, 'Admin.Person');
  await expectText(history, 'v1 → v3');
  expect(problems).toEqual(NO_PROBLEMS);
  await context.close();
});

/** The focused element: its tag, accessible-ish name, and whether a focus ring is drawn. */
const focused = (page: Page) =>
  page.evaluate<{ tag: string; name: string; ring: boolean }>(`(() => {
    const e = document.activeElement;
    const style = e ? getComputedStyle(e) : null;
    return {
      tag: e ? e.tagName.toLowerCase() : '',
      name: e ? (e.getAttribute('aria-label') || e.textContent || '').replace(/\\s+/g, ' ').trim() : '',
      ring: !!style && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    };
  })()`);

/** Presses Tab until the focused element's name is `name` (at most `max` times); returns the names passed on the way. */
async function tabTo(page: Page, name: string, max = 40): Promise<string[]> {
  const passed: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    passed.push(f.name);
    if (f.name === name) return passed;
  }
  throw new Error(`Tab never reached "${name}"; passed: ${JSON.stringify(passed)}`);
}

test('deploy entirely by keyboard: Tab order, Enter opens the dialog with focus on the reason, Escape closes it back to its button, Enter deploys, focus lands on the deployed version; a focus ring throughout', async () => {
  const { name } = await seedPrompt();
  const { context, page, problems } = await dash.signedIn();
  // From the list: the first stop is the skip link, then the top bar in reading order, then the rows.
  await page.locator('body').focus();
  const toRow = await tabTo(page, name);
  expect(toRow[0]).toBe('Skip to content');
  expect(toRow.indexOf('Workspace')).toBeGreaterThan(0);
  expect(toRow.indexOf('Workspace')).toBeLessThan(toRow.indexOf('Sign out'));
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name, exact: true }).waitFor();
  await expectText(page.getByTestId('label-production'), 'v1');
  // A new page puts the focus on its main region (not on <body>): the next Tab is the page's first link.
  expect(await page.evaluate('document.activeElement.id')).toBe('main');

  const passed = await tabTo(page, 'Deploy v3 to production');
  expect(passed[0]).toBe('Prompts'); // the breadcrumb
  const button = await focused(page);
  expect(button).toEqual({ tag: 'button', name: 'Deploy v3 to production', ring: true });

  // Enter opens the confirmation, focus on what must be filled in; Escape closes it, focus back on the button.
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Deploy v3 to production' });
  await dialog.getByTestId('template-diff').waitFor();
  expect(await focused(page)).toMatchObject({ tag: 'textarea', ring: true });
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  expect(await focused(page)).toEqual({ tag: 'button', name: 'Deploy v3 to production', ring: true });

  // Again, to the end: type the reason, Tab past Cancel to the confirm button, Enter.
  await page.keyboard.press('Enter');
  await dialog.getByTestId('template-diff').waitFor();
  await page.keyboard.type('deployed by keyboard');
  await page.keyboard.press('Tab');
  expect((await focused(page)).name).toBe('Cancel');
  await page.keyboard.press('Tab');
  expect(await focused(page)).toEqual({ tag: 'button', name: 'Deploy v3', ring: true });
  await screenshot(page, 'deploy-dialog-keyboard');
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'detached' });
  await expectText(page.getByTestId('version-3'), 'in production');
  // The button that opened the dialog is gone (v3 is in production): focus is on v3's entry instead, not lost.
  await eventually(async () => expect(await focused(page)).toMatchObject({ tag: 'button', name: expect.stringMatching(/^v3\s*one friendly sentence$/) }));
  const s = await state(name);
  expect(s.activeVersion.number).toBe(3);
  expect(s.labelHistory[0]).toMatchObject({ label: 'production', reason: 'deployed by keyboard', toVersion: { number: 3 } });
  expect(problems).toEqual(NO_PROBLEMS);
  await context.close();
});

test('roll back in one click, then "Revert this move" in the label history puts it back; each move is recorded with who and why', async () => {
  const { name, v } = await seedPrompt();
  await moveProduction(name, v[1]!.id, 'ship v2');
  const { context, page, problems } = await dash.signedIn();
  await openPrompt(page, name);
  await expectText(page.getByTestId('label-production'), 'v2');
  await page.getByRole('button', { name: 'Roll back production to v1' }).click();
  await expectText(page.getByTestId('label-production'), 'v1');
  await eventually(async () => expect((await state(name)).activeVersion.number).toBe(1));
  const rolled = (await state(name)).labelHistory[0];
  expect(rolled).toMatchObject({ label: 'production', fromVersion: { number: 2 }, toVersion: { number: 1 }, actor: { name: 'Admin.Person' } });
  expect(rolled.reason).toContain('Rolled back from the dashboard');

  // The newest move (v2 → v1) offers to go back to v2.
  const newest = page.getByTestId('history-row').first();
  await expectText(newest, 'v2 → v1');
  await newest.getByRole('button', { name: 'Revert this move' }).click();
  await expectText(page.getByTestId('label-production'), 'v2');
  const reverted = (await state(name)).labelHistory[0];
  expect(reverted).toMatchObject({ label: 'production', fromVersion: { number: 1 }, toVersion: { number: 2 } });
  expect(reverted.reason).toMatch(/^Revert of the move to v1/);
  expect(problems).toEqual(NO_PROBLEMS);
  await context.close();
});

test('live: a label moved over the API shows on the open page without a reload, with a notice naming who moved it', async () => {
  const { name, v } = await seedPrompt();
  const { context, page, problems } = await dash.signedIn();
  await openPrompt(page, name);
  await page.locator('.live.connected').waitFor();
  await page.evaluate('window.marker = 7');
  await moveProduction(name, v[2]!.id, 'hotfix');
  await expectText(page.getByTestId('label-production'), 'v3');
  await expectText(page.getByTestId('notice').last(), `${name}: production → v3 by Checkout team admin`);
  await expectText(page.getByTestId('history-row').first(), 'hotfix');
  expect(await page.evaluate('window.marker')).toBe(7);
  await screenshot(page, 'prompt-page-live');
  expect(problems).toEqual(NO_PROBLEMS);
  await context.close();
});

test('a change made while the deploy dialog is open is a CONFLICT on confirm: the person is told to review, nothing is overwritten', async () => {
  const { name, v } = await seedPrompt();
  const { context, page } = await dash.signedIn();
  await openPrompt(page, name);
  await page.getByRole('button', { name: 'Deploy v3 to production' }).click();
  const dialog = page.getByRole('dialog', { name: 'Deploy v3 to production' });
  await dialog.getByTestId('template-diff').waitFor();
  await moveProduction(name, v[1]!.id, 'someone else');
  await expectText(page.getByTestId('label-production'), 'v2'); // shown live behind the dialog
  await dialog.getByLabel(/Why\?/).fill('my deploy');
  await dialog.getByRole('button', { name: 'Deploy v3', exact: true }).click();
  await expectText(dialog.getByRole('alert'), 'Someone changed this prompt meanwhile');
  expect((await state(name)).activeVersion.number).toBe(2);
  await context.close();
});

test('a VIEWER sees the prompt but every deploy, rollback and revert button is disabled with the reason', async () => {
  const { name, v } = await seedPrompt();
  await moveProduction(name, v[1]!.id, 'ship v2');
  const { context, page, problems } = await dash.signedIn({ person: VIEWER });
  expect(await page.getByTestId('role').textContent()).toBe('VIEWER');
  await openPrompt(page, name);
  const deploy = page.getByRole('button', { name: 'Deploy v3 to production' });
  expect(await deploy.isDisabled()).toBe(true);
  expect(await page.getByRole('button', { name: 'Roll back production to v1' }).isDisabled()).toBe(true);
  expect(await page.getByRole('button', { name: 'Revert this move' }).first().isDisabled()).toBe(true);
  const reasons = await page.getByTestId('disabled-reason').allTextContents();
  expect(reasons).toContain('Deploying to production needs the PUBLISHER or ADMIN role (you are VIEWER).');
  expect(reasons).toContain('Rolling back needs the PUBLISHER or ADMIN role (you are VIEWER).');
  // The disabled button is described by its reason (screen readers read it).
  const describedBy = await deploy.getAttribute('aria-describedby');
  expect(await page.locator(`#${describedBy}`).textContent()).toContain('you are VIEWER');
  await screenshot(page, 'prompt-page-viewer');
  expect((await state(name)).activeVersion.number).toBe(2);
  expect(problems).toEqual(NO_PROBLEMS);
  await context.close();
});

test('390 px: the prompt page stacks into one column without sideways scrolling; an unknown prompt says so with a way back', async () => {
  const { name } = await seedPrompt();
  const { context, page, problems } = await dash.signedIn({ width: 390 });
  await openPrompt(page, name);
  await screenshot(page, 'prompt-page-390');
  expect(await sidewaysOverflow(page)).toEqual([]);
  await page.goto(`${dash.base}/ui/prompts/checkout/does-not-exist`);
  await page.getByRole('heading', { name: 'No prompt “checkout/does-not-exist”' }).waitFor();
  await page.getByRole('link', { name: 'Back to the prompt list' }).click();
  await page.getByTestId('prompt-row').first().waitFor();
  expect(problems).toEqual(NO_PROBLEMS);
  await context.close();
});
