/**
 * axe-core on every page of the dashboard (sign-in, prompt list light and dark and at 390 px, prompt
 * page, deploy dialog, VIEWER's page, editor, review step, compare, new prompt, GraphiQL): no serious or critical
 * violation. Chromium against a real server process (Postgres).
 */
import type { Page } from 'playwright-core';
import { ADMIN_PERSON } from '../helpers/people';
import { addVersion, createPromptWith } from '../helpers/seed';
import { axeViolations, openPage, useDashboardServer } from '../helpers/dashboard';

const VIEWER = { email: 'ada.viewer@example.com', password: 'viewer-password-long-5', name: 'Ada Viewer' };
const dash = useDashboardServer({ workspace: 'Access', members: [{ person: VIEWER, role: 'VIEWER' }] });

beforeAll(async () => {
  const ws = dash.tenant;
  await createPromptWith(dash.gql, ws.key, 'support/triage', 'Classify {{ticket}} for {{team}}', { message: 'first' });
  await addVersion(dash.gql, ws.key, 'support/triage', 'Classify {{ticket}} carefully for {{team}}', { message: 'careful', temperature: 0.2 });
  await createPromptWith(dash.gql, ws.key, 'greet', 'Hello {{name}}');
}, 60_000);

async function signedIn(page: Page, person = ADMIN_PERSON) {
  await dash.signIn(page, { person });
  await page.getByTestId('prompt-row').first().waitFor();
}

test('sign-in, prompt list (light, dark, 390 px) and new-prompt dialog have no serious or critical violations', async () => {
  const light = await openPage(dash.browser, 1280);
  await light.page.goto(`${dash.base}/ui/`);
  await light.page.getByRole('heading', { name: 'Sign in' }).waitFor();
  expect(await axeViolations(light.page)).toEqual([]);
  await signedIn(light.page);
  expect(await axeViolations(light.page)).toEqual([]);
  // Control: the scan does find a violation when there is one (an image without a text alternative).
  await light.page.evaluate(`document.querySelector('main').insertAdjacentHTML('beforeend', '<img id="control" src="data:,">')`);
  expect((await axeViolations(light.page)).map((v) => v.id)).toContain('image-alt');
  await light.page.evaluate(`document.getElementById('control').remove()`);
  await light.page.getByRole('button', { name: 'New prompt' }).click();
  await light.page.getByRole('dialog', { name: 'New prompt' }).waitFor();
  expect(await axeViolations(light.page)).toEqual([]);
  await light.context.close();
  const dark = await openPage(dash.browser, 1280, { colorScheme: 'dark' });
  await signedIn(dark.page);
  expect(await axeViolations(dark.page)).toEqual([]);
  await dark.context.close();
  const narrow = await openPage(dash.browser, 390);
  await signedIn(narrow.page);
  expect(await axeViolations(narrow.page)).toEqual([]);
  await narrow.context.close();
});

test("prompt page, deploy dialog, a VIEWER's page, editor, review step and compare have no serious or critical violations", async () => {
  const { context, page } = await openPage(dash.browser, 1280);
  await signedIn(page);
  await page.goto(`${dash.base}/ui/prompts/support/triage`);
  await page.getByRole('heading', { name: 'support/triage', exact: true }).waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Deploy v2 to production' }).click();
  await page.getByRole('dialog').getByTestId('template-diff').waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await page.goto(`${dash.base}/ui/new-version/support/triage`);
  await page.getByRole('textbox', { name: 'Template' }).waitFor();
  await page.getByText('✓ Valid').waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Review changes' }).click();
  await page.getByTestId('text-diff').waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.goto(`${dash.base}/ui/compare/support/triage?from=1&to=2`);
  await page.getByTestId('field-changes').waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await context.close();
  const viewer = await openPage(dash.browser, 1280);
  await signedIn(viewer.page, VIEWER);
  await viewer.page.goto(`${dash.base}/ui/prompts/support/triage`);
  await viewer.page.getByTestId('disabled-reason').first().waitFor();
  expect(await axeViolations(viewer.page)).toEqual([]);
  await viewer.context.close();
});

test('GraphiQL (/ui/graphiql: signed in with its example tabs and the docs explorer, dark, and signed out) has no serious or critical violations', async () => {
  const { context, page } = await openPage(dash.browser, 1280);
  await signedIn(page);
  await page.goto(`${dash.base}/ui/graphiql`);
  await page.locator('.graphiql-query-editor .CodeMirror').waitFor({ timeout: 30_000 });
  await page.getByRole('tab', { name: 'ListPrompts' }).waitFor({ timeout: 15_000 });
  expect(await axeViolations(page)).toEqual([]);
  await page.locator('.graphiql-execute-button').click();
  await page.locator('.graphiql-response').getByText('support/triage').first().waitFor({ timeout: 15_000 });
  await page.getByRole('button', { name: /documentation explorer/i }).click();
  await page.locator('.graphiql-doc-explorer').getByText('Query').first().waitFor({ timeout: 15_000 });
  expect(await axeViolations(page)).toEqual([]);
  // The close buttons left the tab order: Delete on a focused tab closes it (the WAI-ARIA tabs pattern).
  const tabs = page.getByRole('tab');
  const before = await tabs.count();
  await page.getByRole('tab', { name: 'VersionDiff' }).focus();
  await page.keyboard.press('Delete');
  await page.getByRole('tab', { name: 'VersionDiff' }).waitFor({ state: 'detached', timeout: 15_000 });
  expect(await tabs.count()).toBe(before - 1);
  expect(await axeViolations(page)).toEqual([]);
  await context.close();
  // GraphiQL's own dark palette (it follows the system scheme), after a run.
  const dark = await openPage(dash.browser, 1280, { colorScheme: 'dark' });
  await signedIn(dark.page);
  await dark.page.goto(`${dash.base}/ui/graphiql`);
  await dark.page.locator('.graphiql-query-editor .CodeMirror').waitFor({ timeout: 30_000 });
  await dark.page.locator('.graphiql-execute-button').click();
  await dark.page.locator('.graphiql-response').getByText('support/triage').first().waitFor({ timeout: 15_000 });
  expect(await axeViolations(dark.page)).toEqual([]);
  await dark.context.close();
  const out = await openPage(dash.browser, 1280);
  await out.page.goto(`${dash.base}/ui/graphiql`);
  await out.page.getByText('Paste an API key, or sign in').waitFor({ timeout: 15_000 });
  expect(await axeViolations(out.page)).toEqual([]);
  await out.context.close();
}, 120_000);
