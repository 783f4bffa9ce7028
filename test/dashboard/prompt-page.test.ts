/**
 * The prompt page in Chromium against a real server process (Postgres): versions and labels, one-click
 * "Deploy vN to production" behind a confirmation with the diff against production and a reason,
 * rollback, label history with who/when/why and "Revert this move", a label moved over the API shown
 * live without a reload, a change made while the dialog is open refused as a CONFLICT, and a VIEWER
 * who sees every such button disabled with the reason.
 */
import type { Browser, Page } from 'playwright-core';
import { ok } from '../helpers/graphql';
import { ADMIN_PERSON, withAdminPerson } from '../helpers/people';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';
import { addVersion, createPromptWith, type Tenant } from '../helpers/seed';
import { spawnServer, type ServerProcess } from '../helpers/server';
import {
  NO_PROBLEMS,
  addMember,
  ensureDashboardBuilt,
  eventually,
  expectText,
  launchChromium,
  namedWorkspace,
  openPage,
  screenshot,
  sidewaysOverflow,
  signInThroughPage,
} from '../helpers/dashboard';

const VIEWER = { email: 'vera.viewer@example.com', password: 'viewer-password-long-9', name: 'Vera Viewer' };

let db: TestDatabase;
let server: ServerProcess;
let browser: Browser;
let base: string;
let gql: string;
let ws: Tenant;
let seq = 0;

/** A prompt of its own per test: v1 in production, v2 and v3 with other text and settings. */
async function seedPrompt(): Promise<{ name: string; v: { id: string; number: number }[] }> {
  const name = `checkout/summary-${++seq}`;
  const created = await createPromptWith(gql, ws.key, name, 'Summarize the order {{order}}.\nKeep it short.', { message: 'first draft' });
  const v1 = created.createPrompt.activeVersion;
  const v2 = await addVersion(gql, ws.key, name, 'Summarize the order {{order}} in two sentences.\nKeep it short.', {
    message: 'two sentences',
    temperature: 0.3,
  });
  const v3 = await addVersion(gql, ws.key, name, 'Summarize the order {{order}} in one sentence.\nKeep it short and friendly.', {
    message: 'one friendly sentence',
    temperature: 0.2,
  });
  return { name, v: [v1, v2, v3] };
}

const state = async (name: string) =>
  (
    await ok(
      gql,
      ws.key,
      'query($n: String!) { prompt(name: $n) { revision activeVersion { number } labelHistory(first: 5) { label reason actor { name } fromVersion { number } toVersion { number } } } }',
      { n: name },
    )
  ).prompt;

async function openPrompt(page: Page, name: string): Promise<void> {
  await page.goto(`${base}/ui/prompts/${name}`);
  await page.getByRole('heading', { name, exact: true }).waitFor();
}

beforeAll(async () => {
  ensureDashboardBuilt();
  db = await createTestDatabase();
  server = await spawnServer({ DATABASE_URL: db.url, ...withAdminPerson() });
  base = `http://127.0.0.1:${server.port}`;
  gql = `${base}/graphql`;
  ws = await namedWorkspace(gql, 'Checkout team');
  await addMember(db.url, { ...ADMIN_PERSON, name: 'Admin.Person' }, ws.workspaceId, 'ADMIN');
  await addMember(db.url, VIEWER, ws.workspaceId, 'VIEWER');
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.kill();
  await db?.drop();
});

async function signedIn(email: string, password: string, width = 1280) {
  const opened = await openPage(browser, width);
  await signInThroughPage(opened.page, base, email, password);
  await opened.page.getByTestId('workspace-switcher').selectOption({ label: 'Checkout team' });
  await opened.page.getByTestId('prompt-row').first().waitFor();
  return opened;
}

test('deploy v3 in one click: the confirmation shows the diff against production and the changed fields, asks why, and the label moves', async () => {
  const { name } = await seedPrompt();
  const { context, page, problems } = await signedIn(ADMIN_PERSON.email, ADMIN_PERSON.password);
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

test('roll back in one click, then "Revert this move" in the label history puts it back; each move is recorded with who and why', async () => {
  const { name, v } = await seedPrompt();
  await ok(gql, ws.key, 'mutation($n: String!, $v: ID!) { setLabel(promptName: $n, label: "production", versionId: $v, reason: "ship v2") { id } }', {
    n: name,
    v: v[1]!.id,
  });
  const { context, page, problems } = await signedIn(ADMIN_PERSON.email, ADMIN_PERSON.password);
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
  const { context, page, problems } = await signedIn(ADMIN_PERSON.email, ADMIN_PERSON.password);
  await openPrompt(page, name);
  await page.locator('.live.connected').waitFor();
  await page.evaluate('window.marker = 7');
  await ok(gql, ws.key, 'mutation($n: String!, $v: ID!) { setLabel(promptName: $n, label: "production", versionId: $v, reason: "hotfix") { id } }', {
    n: name,
    v: v[2]!.id,
  });
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
  const { context, page } = await signedIn(ADMIN_PERSON.email, ADMIN_PERSON.password);
  await openPrompt(page, name);
  await page.getByRole('button', { name: 'Deploy v3 to production' }).click();
  const dialog = page.getByRole('dialog', { name: 'Deploy v3 to production' });
  await dialog.getByTestId('template-diff').waitFor();
  await ok(gql, ws.key, 'mutation($n: String!, $v: ID!) { setLabel(promptName: $n, label: "production", versionId: $v, reason: "someone else") { id } }', {
    n: name,
    v: v[1]!.id,
  });
  await expectText(page.getByTestId('label-production'), 'v2'); // shown live behind the dialog
  await dialog.getByLabel(/Why\?/).fill('my deploy');
  await dialog.getByRole('button', { name: 'Deploy v3', exact: true }).click();
  await expectText(dialog.getByRole('alert'), 'Someone changed this prompt meanwhile');
  expect((await state(name)).activeVersion.number).toBe(2);
  await context.close();
});

test('a VIEWER sees the prompt but every deploy, rollback and revert button is disabled with the reason', async () => {
  const { name, v } = await seedPrompt();
  await ok(gql, ws.key, 'mutation($n: String!, $v: ID!) { setLabel(promptName: $n, label: "production", versionId: $v, reason: "ship v2") { id } }', {
    n: name,
    v: v[1]!.id,
  });
  const { context, page, problems } = await signedIn(VIEWER.email, VIEWER.password);
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
  const { context, page, problems } = await signedIn(ADMIN_PERSON.email, ADMIN_PERSON.password, 390);
  await openPrompt(page, name);
  await screenshot(page, 'prompt-page-390');
  expect(await sidewaysOverflow(page)).toEqual([]);
  await page.goto(`${base}/ui/prompts/checkout/does-not-exist`);
  await page.getByRole('heading', { name: 'No prompt “checkout/does-not-exist”' }).waitFor();
  await page.getByRole('link', { name: 'Back to the prompt list' }).click();
  await page.getByTestId('prompt-row').first().waitFor();
  expect(problems).toEqual(NO_PROBLEMS);
  await context.close();
});
