/**
 * Dashboard in Chromium against a real server process (Postgres): serving at /ui/ with its caching and
 * CSP, sign-in, the workspace switcher, and the prompt list (search, folders, tags, archived,
 * production version, last change and who, calls and cost over 7 days), live without a reload, at
 * 1280 and 390 px. Screenshots go to dashboard/screenshots/.
 */
import type { Page } from 'playwright-core';
import { ok } from '../helpers/graphql';
import { ADMIN_PERSON } from '../helpers/people';
import { addVersion, createPromptWith, type Tenant } from '../helpers/seed';
import { expectText, openPage, screenshot, sidewaysOverflow, signInThroughPage, useDashboardServer } from '../helpers/dashboard';

const dash = useDashboardServer({
  workspace: 'Support team',
  otherWorkspaces: ['Growth team'],
  members: [{ person: { ...ADMIN_PERSON, name: 'Admin.Person' }, role: 'EDITOR', workspace: 'Growth team' }],
});
let gql: string;
let team: Tenant;
let triageV1: { id: string; number: number };

beforeAll(async () => {
  gql = dash.gql;
  team = dash.tenant;
  const other = dash.tenantOf('Growth team');
  const created = await createPromptWith(gql, team.key, 'support/triage', 'Classify this ticket: {{ticket}}');
  triageV1 = created.createPrompt.activeVersion;
  await ok(
    gql,
    team.key,
    'mutation { updatePrompt(name: "support/triage", input: { description: "Routes tickets to a queue", tags: ["support", "core"] }) { id } }',
  );
  const v2 = await addVersion(gql, team.key, 'support/triage', 'Classify this ticket into a queue: {{ticket}}');
  await ok(gql, team.key, 'mutation($v: ID!) { setLabel(promptName: "support/triage", label: "production", versionId: $v, reason: "better wording") { id } }', {
    v: v2.id,
  });
  await createPromptWith(gql, team.key, 'support/billing/refunds', 'Answer about refunds for {{order}}');
  await ok(gql, team.key, 'mutation { updatePrompt(name: "support/billing/refunds", input: { tags: ["support", "billing"] }) { id } }');
  await createPromptWith(gql, team.key, 'marketing/tagline', 'Write a tagline for {{product}}');
  await ok(gql, team.key, 'mutation { updatePrompt(name: "marketing/tagline", input: { description: "Short product taglines", tags: ["marketing"] }) { id } }');
  await createPromptWith(gql, team.key, 'greet', 'Hello {{name}}!');
  await createPromptWith(gql, team.key, 'legacy/old-summary', 'Summarize {{text}}');
  await ok(gql, team.key, 'mutation { archivePrompt(name: "legacy/old-summary") { id } }');
  await createPromptWith(gql, other.key, 'growth/only-here', 'Growth {{x}}');

  // 40 calls costing $0.05 each on production of support/triage: 40 calls, $2.00 over 7 days.
  const inputs = Array.from({ length: 40 }, (_, i) => ({
    versionId: v2.id,
    callId: `c-${i}`,
    latencyMs: 200 + i,
    success: true,
    costUsd: 0.05,
    inputTokens: 100,
    outputTokens: 20,
  }));
  await ok(gql, team.key, 'mutation($i: [CallInput!]!) { recordCalls(inputs: $i) { callId } }', { i: inputs });
  const since = new Date(Date.now() - 7 * 86400_000).toISOString();
  for (let i = 0; i < 50; i++) {
    const rows = (await ok(gql, team.key, 'query($s: DateTime!) { metrics(filter: { from: $s }, groupBy: [PROMPT]) { promptName totalCalls } }', { s: since }))
      .metrics;
    if (rows.some((r: any) => r.promptName === 'support/triage' && r.totalCalls === 40)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
}, 120_000);

test('/ redirects to /ui/; index.html is not cached, hashed assets are immutable and gzipped, all under a strict CSP; deep links answer the app', async () => {
  const root = await fetch(`${dash.base}/`, { redirect: 'manual' });
  expect(root.status).toBe(302);
  expect(root.headers.get('location')).toBe('/ui/');
  const index = await fetch(`${dash.base}/ui/`);
  expect(index.status).toBe(200);
  expect(index.headers.get('content-type')).toContain('text/html');
  expect(index.headers.get('cache-control')).toBe('no-store');
  const csp = index.headers.get('content-security-policy')!;
  expect(csp).toContain("script-src 'self'");
  // Styles: the files, plus CodeMirror's generated <style> elements by a nonce fresh for each load.
  const nonce = /style-src 'self' 'nonce-([A-Za-z0-9+/=]{24})'/.exec(csp)?.[1];
  expect(nonce).toBeTruthy();
  expect(csp).toContain("default-src 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain('unsafe-eval');
  expect(csp).toContain("frame-ancestors 'none'");
  const html = await index.text();
  expect(html).toContain(`<meta name="csp-nonce" content="${nonce}" />`);
  const again = await fetch(`${dash.base}/ui/`);
  expect(again.headers.get('content-security-policy')).not.toContain(nonce!);
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
  expect(html).not.toMatch(/https?:\/\//); // nothing from another host
  const asset = /src="(\/ui\/assets\/[^"]+\.js)"/.exec(html)![1]!;
  const js = await fetch(`${dash.base}${asset}`, { headers: { 'accept-encoding': 'gzip' } });
  expect(js.status).toBe(200);
  expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  expect(js.headers.get('content-type')).toContain('text/javascript');
  expect(js.headers.get('content-encoding')).toBe('gzip');
  const deep = await fetch(`${dash.base}/ui/prompts/support/triage`);
  expect(deep.status).toBe(200);
  const withoutNonce = (h: string) => h.replace(/content="[^"]+" \/>/, '');
  expect(withoutNonce(await deep.text())).toBe(withoutNonce(html));
  expect((await fetch(`${dash.base}/ui/assets/missing-123.js`)).status).toBe(404);
  expect((await fetch(`${dash.base}/ui/%2e%2e/%2e%2e/package.json`)).status).not.toBe(200);
  expect((await fetch(`${dash.base}/ui/..%2fpackage.json`)).status).not.toBe(200);
  // Other paths keep their meaning.
  expect((await fetch(`${dash.base}/healthz`)).status).toBe(200);
});

test('sign-in: a wrong password says so; the right one opens the prompt list of the chosen workspace, with role and switcher', async () => {
  const { context, page, problems } = await openPage(dash.browser, 1280);
  await page.goto(`${dash.base}/`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await screenshot(page, 'sign-in');
  await page.getByLabel('Email').fill(ADMIN_PERSON.email);
  await page.getByLabel('Password').fill('not-the-password-123');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectText(page.getByRole('alert'), 'Wrong email or password.');
  await page.getByLabel('Password').fill(ADMIN_PERSON.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const switcher = page.getByTestId('workspace-switcher');
  await switcher.waitFor();
  const options = await switcher.locator('option').allTextContents();
  expect(options.sort()).toEqual(['Growth team', 'Support team', 'default']);

  await switcher.selectOption({ label: 'Support team' });
  await page.getByText('support/', { exact: false }).first().waitFor();
  await expectRows(page, ['greet', 'marketing/tagline', 'support/billing/refunds', 'support/triage']);
  expect(await page.getByTestId('role').textContent()).toBe('ADMIN');

  const triage = page.getByTestId('prompt-row').filter({ hasText: 'support/triage' });
  await expectText(triage, 'v2'); // production
  await expectText(triage, 'production → v2'); // last change
  await expectText(triage, 'Support team admin'); // who: the workspace's first key moved it
  await expectText(triage, '40');
  await expectText(triage, '$2.00');
  await expectText(triage, 'Routes tickets to a queue');

  // The other workspace shows its own prompts only, with the role there.
  await switcher.selectOption({ label: 'Growth team' });
  await expectRows(page, ['growth/only-here']);
  expect(await page.getByTestId('role').textContent()).toBe('EDITOR');
  // The choice is remembered across a reload.
  await page.reload();
  await expectRows(page, ['growth/only-here']);
  expect(problems).toEqual({ console: [], csp: [], pageErrors: [] });
  await context.close();
});

test('filters: search, folder tree, tags and the archived toggle narrow the list, and live in the URL', async () => {
  const { context, page, problems } = await openPage(dash.browser, 1280);
  await dash.signIn(page);
  await expectRows(page, ['greet', 'marketing/tagline', 'support/billing/refunds', 'support/triage']);
  await screenshot(page, 'prompt-list-1280');

  await page.getByTestId('folder-support').click();
  await expectRows(page, ['support/billing/refunds', 'support/triage']);
  expect(page.url()).toContain('folder=support');
  await page.getByTestId('folder-support/billing').click();
  await expectRows(page, ['support/billing/refunds']);
  await page.getByRole('button', { name: /^All prompts/ }).click();

  await page.getByTestId('tag-marketing').click();
  await expectRows(page, ['marketing/tagline']);
  expect(page.url()).toContain('tag=marketing');
  await page.getByRole('button', { name: 'Clear Tag marketing' }).click();

  await page.getByLabel('Search prompts').fill('queue');
  await expectRows(page, ['support/triage']); // matched by its description
  expect(page.url()).toContain('q=queue');
  await page.getByLabel('Search prompts').fill('');
  await expectRows(page, ['greet', 'marketing/tagline', 'support/billing/refunds', 'support/triage']);

  await page.getByLabel('Show archived').check();
  await expectRows(page, ['greet', 'legacy/old-summary', 'marketing/tagline', 'support/billing/refunds', 'support/triage']);
  await expectText(page.getByTestId('prompt-row').filter({ hasText: 'legacy/old-summary' }), 'archived');
  await page.getByTestId('folder-legacy').waitFor();

  // A shared URL opens the same view.
  const shared = `${dash.base}/ui/?folder=support&tag=billing`;
  await page.goto(shared);
  await expectRows(page, ['support/billing/refunds']);
  expect(problems).toEqual({ console: [], csp: [], pageErrors: [] });
  await context.close();
});

test('live: a label moved over the API shows in the open list without a reload, with a short notice', async () => {
  const { context, page, problems } = await openPage(dash.browser, 1280);
  await dash.signIn(page);
  const triage = page.getByTestId('prompt-row').filter({ hasText: 'support/triage' });
  await expectText(triage, 'production → v2');
  await page.locator('.live.connected').waitFor();
  await page.evaluate('window.marker = 42');
  await ok(gql, team.key, 'mutation($v: ID!) { rollback(promptName: "support/triage", versionId: $v, reason: "v2 misroutes refunds") { id } }', {
    v: triageV1.id,
  });
  await expectText(triage, 'production → v1');
  await expectText(page.getByTestId('notice').first(), 'support/triage: production rolled back to v1');
  expect(await page.evaluate('window.marker')).toBe(42); // same page, no reload
  await screenshot(page, 'prompt-list-live-notice');
  expect(problems).toEqual({ console: [], csp: [], pageErrors: [] });
  await context.close();
});

test('390 px wide: the list reads as cards, the filters fold away, nothing overflows sideways; dark mode too', async () => {
  const { context, page, problems } = await openPage(dash.browser, 390);
  await dash.signIn(page);
  await expectRows(page, ['greet', 'marketing/tagline', 'support/billing/refunds', 'support/triage']);
  await screenshot(page, 'prompt-list-390');
  expect(await sidewaysOverflow(page)).toEqual([]);
  await context.close();
  const dark = await openPage(dash.browser, 1280, { colorScheme: 'dark' });
  await dash.signIn(dark.page);
  await expectRows(dark.page, ['greet', 'marketing/tagline', 'support/billing/refunds', 'support/triage']);
  const bg = await dark.page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
  expect(bg).not.toBe('rgb(246, 247, 249)');
  await screenshot(dark.page, 'prompt-list-dark');
  await dark.context.close();
  expect(problems).toEqual({ console: [], csp: [], pageErrors: [] });
  expect(dark.problems).toEqual({ console: [], csp: [], pageErrors: [] });
});

test('sign-out returns to the sign-in page, and the old session no longer reads anything', async () => {
  const { context, page } = await openPage(dash.browser, 1280);
  await signInThroughPage(page, dash.base, ADMIN_PERSON.email, ADMIN_PERSON.password);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.reload();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await context.close();
});

// --- helpers

/** Waits until the rows shown are exactly these prompt names. */
async function expectRows(page: Page, names: string[], timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let shown: string[] = [];
  while (Date.now() < deadline) {
    shown = (await page.locator('[data-testid=prompt-row] .prompt-name').allTextContents()).sort();
    if (JSON.stringify(shown) === JSON.stringify([...names].sort())) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`expected rows ${JSON.stringify(names)}, shown ${JSON.stringify(shown)}`);
}
