/**
 * GraphiQL at /ui/graphiql in Chromium against a real server process: bundled into the dashboard's own
 * files and fetched only when opened (the list page loads none of it), running the example list query
 * with the person's session (cookie + x-workspace-id) and, signed out, with a pasted API key; the
 * schema is introspected (GRAPHQL_INTROSPECTION=authenticated by default), all under the strict CSP.
 */
import type { Page } from 'playwright-core';
import { createPromptWith } from '../helpers/seed';
import { NO_PROBLEMS, expectText, openPage, screenshot, useDashboardServer } from '../helpers/dashboard';

const dash = useDashboardServer({ workspace: 'Support team', otherWorkspaces: ['Growth team'] });

beforeAll(async () => {
  await createPromptWith(dash.gql, dash.tenant.key, 'support/triage', 'Classify this ticket: {{ticket}}');
  await createPromptWith(dash.gql, dash.tenantOf('Growth team').key, 'growth/only-here', 'Hi {{name}}');
}, 60_000);

async function runFirstTab(page: Page): Promise<void> {
  await page.locator('.graphiql-query-editor .CodeMirror').waitFor({ timeout: 30_000 });
  await expectText(page.locator('.graphiql-query-editor'), 'query ListPrompts', 15_000);
  await page.locator('.graphiql-execute-button').click();
}

test('signed in: the shell links to GraphiQL, which runs the example list query with the session', async () => {
  const { context, page, problems } = await openPage(dash.browser, 1280);
  const assets: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/ui/assets/')) assets.push(r.url());
  });
  await dash.signIn(page);
  await expectText(page.locator('main'), 'support/triage', 15_000);
  await page.waitForLoadState('networkidle');
  // Loaded lazily: the list page fetched none of GraphiQL's code or CSS.
  expect(assets.filter((u) => /graphiql/i.test(u))).toEqual([]);

  const introspection = page.waitForRequest((r) => r.url().endsWith('/graphql') && (r.postData() ?? '').includes('IntrospectionQuery'), { timeout: 30_000 });
  await page.getByTestId('graphiql-link').click();
  await page.waitForURL(`${dash.base}/ui/graphiql`);
  expect(assets.some((u) => /graphiql.*\.js$/.test(u))).toBe(true);
  const sent = await introspection;
  expect(sent.headers()['x-workspace-id']).toBe(dash.tenant.workspaceId);
  expect(sent.headers()['authorization']).toBeUndefined();
  // Each common task has its own tab.
  for (const name of ['ListPrompts', 'ResolvePrompt', 'CreateVersion', 'MoveLabel', 'VersionDiff'])
    await page.getByRole('tab', { name }).waitFor({ timeout: 15_000 });

  await runFirstTab(page);
  await expectText(page.locator('.graphiql-response'), '"name": "support/triage"', 15_000);
  expect(await page.locator('.graphiql-response').textContent()).not.toContain('growth/only-here');
  // The schema was introspected: the documentation explorer knows the Query type's fields.
  await page.getByRole('button', { name: /documentation explorer/i }).click();
  await expectText(page.locator('.graphiql-doc-explorer'), 'Query', 15_000);
  await page.getByRole('button', { name: /documentation explorer/i }).click();
  await screenshot(page, 'graphiql');
  expect(problems).toEqual(NO_PROBLEMS);
  await context.close();
}, 120_000);

test('signed out: a pasted API key runs the same query in its own workspace, with no cookie', async () => {
  const { context, page, problems } = await openPage(dash.browser, 1280);
  await page.goto(`${dash.base}/ui/graphiql`);
  await page.getByText('Paste an API key, or sign in').waitFor({ timeout: 15_000 });
  await page.getByLabel('API key').fill(dash.tenantOf('Growth team').key);
  const request = page.waitForRequest((r) => r.url().endsWith('/graphql') && (r.postData() ?? '').includes('ListPrompts'), { timeout: 30_000 });
  await page.getByRole('button', { name: 'Use key' }).click();
  await runFirstTab(page);
  const sent = await request;
  expect(sent.headers()['authorization']).toBe(`Bearer ${dash.tenantOf('Growth team').key}`);
  await expectText(page.locator('.graphiql-response'), '"name": "growth/only-here"', 15_000);
  expect(await page.locator('.graphiql-response').textContent()).not.toContain('support/triage');
  expect(problems).toEqual(NO_PROBLEMS);
  await context.close();
}, 120_000);
