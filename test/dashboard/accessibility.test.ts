/**
 * axe-core on every page of the dashboard (sign-in, prompt list light and dark and at 390 px, prompt
 * page, deploy dialog, VIEWER's page, editor, review step, compare, new prompt): no serious or critical
 * violation. Chromium against a real server process (Postgres).
 */
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PERSON, withAdminPerson } from '../helpers/people';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';
import { addVersion, createPromptWith, type Tenant } from '../helpers/seed';
import { spawnServer, type ServerProcess } from '../helpers/server';
import { addMember, axeViolations, ensureDashboardBuilt, launchChromium, namedWorkspace, openPage, signInThroughPage } from '../helpers/dashboard';

const VIEWER = { email: 'ada.viewer@example.com', password: 'viewer-password-long-5', name: 'Ada Viewer' };
let db: TestDatabase;
let server: ServerProcess;
let browser: Browser;
let base: string;
let ws: Tenant;

beforeAll(async () => {
  ensureDashboardBuilt();
  db = await createTestDatabase();
  server = await spawnServer({ DATABASE_URL: db.url, ...withAdminPerson() });
  base = `http://127.0.0.1:${server.port}`;
  const gql = `${base}/graphql`;
  ws = await namedWorkspace(gql, 'Access');
  await addMember(db.url, { ...ADMIN_PERSON, name: 'Admin.Person' }, ws.workspaceId, 'ADMIN');
  await addMember(db.url, VIEWER, ws.workspaceId, 'VIEWER');
  await createPromptWith(gql, ws.key, 'support/triage', 'Classify {{ticket}} for {{team}}', { message: 'first' });
  await addVersion(gql, ws.key, 'support/triage', 'Classify {{ticket}} carefully for {{team}}', { message: 'careful', temperature: 0.2 });
  await createPromptWith(gql, ws.key, 'greet', 'Hello {{name}}');
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.kill();
  await db?.drop();
});

async function signedIn(page: Page, email = ADMIN_PERSON.email, password = ADMIN_PERSON.password) {
  await signInThroughPage(page, base, email, password);
  await page.getByTestId('workspace-switcher').selectOption({ label: 'Access' });
  await page.getByTestId('prompt-row').first().waitFor();
}

test('sign-in, prompt list (light, dark, 390 px) and new-prompt dialog have no serious or critical violations', async () => {
  const light = await openPage(browser, 1280);
  await light.page.goto(`${base}/ui/`);
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
  const dark = await openPage(browser, 1280, { colorScheme: 'dark' });
  await signedIn(dark.page);
  expect(await axeViolations(dark.page)).toEqual([]);
  await dark.context.close();
  const narrow = await openPage(browser, 390);
  await signedIn(narrow.page);
  expect(await axeViolations(narrow.page)).toEqual([]);
  await narrow.context.close();
});

test("prompt page, deploy dialog, a VIEWER's page, editor, review step and compare have no serious or critical violations", async () => {
  const { context, page } = await openPage(browser, 1280);
  await signedIn(page);
  await page.goto(`${base}/ui/prompts/support/triage`);
  await page.getByRole('heading', { name: 'support/triage', exact: true }).waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Deploy v2 to production' }).click();
  await page.getByRole('dialog').getByTestId('template-diff').waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await page.goto(`${base}/ui/new-version/support/triage`);
  await page.getByRole('textbox', { name: 'Template' }).waitFor();
  await page.getByText('✓ Valid').waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Review changes' }).click();
  await page.getByTestId('text-diff').waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.goto(`${base}/ui/compare/support/triage?from=1&to=2`);
  await page.getByTestId('field-changes').waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await context.close();
  const viewer = await openPage(browser, 1280);
  await signedIn(viewer.page, VIEWER.email, VIEWER.password);
  await viewer.page.goto(`${base}/ui/prompts/support/triage`);
  await viewer.page.getByTestId('disabled-reason').first().waitFor();
  expect(await axeViolations(viewer.page)).toEqual([]);
  await viewer.context.close();
});
