/**
 * The sign-in page offers "Sign in with SSO" exactly when the server has OIDC set up (GET /auth/config),
 * and the button takes the browser through the whole flow at the identity provider (a real
 * oidc-provider process): its login form, consent (pre-granted, as for a company's own app), the
 * redirect back to the callback, ending signed in on the dashboard with the person's name shown.
 */
import type { Browser } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';
import { spawnServer, type ServerProcess } from '../helpers/server';
import { freePort, OIDC_CLIENT, startOidcProvider, type OidcProviderProcess } from '../helpers/oidc';
import { NO_PROBLEMS, ensureDashboardBuilt, expectText, launchChromium, openPage, screenshot } from '../helpers/dashboard';

let db: TestDatabase;
let plain: ServerProcess;
let withSso: ServerProcess;
let provider: OidcProviderProcess;
let browser: Browser;
let ssoBase: string;

beforeAll(async () => {
  ensureDashboardBuilt();
  db = await createTestDatabase();
  const port = await freePort();
  ssoBase = `http://127.0.0.1:${port}`;
  provider = await startOidcProvider(`${ssoBase}/auth/oidc/callback`, {
    'sub-1': { email: 'sso.person@example.com', email_verified: true, name: 'Sso Person' },
  });
  [plain, withSso] = await Promise.all([
    spawnServer({ DATABASE_URL: db.url }),
    spawnServer({
      DATABASE_URL: db.url,
      PORT: String(port),
      PUBLIC_URL: ssoBase,
      OIDC_ISSUER_URL: provider.issuer,
      OIDC_CLIENT_ID: OIDC_CLIENT.id,
      OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
      OIDC_ALLOWED_DOMAINS: 'example.com',
    }),
  ]);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([plain?.kill(), withSso?.kill()]);
  await provider?.stop();
  await db?.drop();
});

test('no OIDC configured: no SSO button', async () => {
  const { context, page, problems } = await openPage(browser, 1280);
  await page.goto(`http://127.0.0.1:${plain.port}/ui/`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.waitForLoadState('networkidle');
  expect(await page.getByRole('link', { name: 'Sign in with SSO' }).count()).toBe(0);
  expect(problems).toEqual(NO_PROBLEMS);
  await context.close();
});

test('OIDC configured: "Sign in with SSO" goes through the identity provider and back, ending signed in on the dashboard', async () => {
  const { context, page, problems } = await openPage(browser, 1280);
  await page.goto(`${ssoBase}/ui/`);
  const button = page.getByRole('link', { name: 'Sign in with SSO' });
  await button.waitFor();
  await button.click();
  await page.waitForURL((u) => u.toString().startsWith(provider.issuer), { timeout: 15_000 });
  expect(new URL(page.url()).origin).toBe(new URL(provider.issuer).origin);
  // The provider's own login form, in the same browser.
  expect(new URL(page.url()).pathname).toMatch(/^\/interaction\//);
  await page.locator('input[name=login]').fill('sub-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Consent is pre-granted: the provider sends the browser to the callback, which signs in and lands on the dashboard.
  await page.waitForURL(`${ssoBase}/ui/`, { timeout: 15_000 });
  await page.getByTestId('workspace-switcher').waitFor({ timeout: 15_000 });
  await expectText(page.locator('.who'), 'Sso Person');
  expect(await page.locator('.who').getAttribute('title')).toBe('sso.person@example.com');
  expect(await page.getByTestId('role').textContent()).toBe('VIEWER'); // a first SSO sign-in joins the default workspace with the default role
  await expectText(page.locator('.state.empty'), 'No prompts yet'); // the default workspace is empty
  await screenshot(page, 'sso-signed-in');
  // The session is the app's own: a reload stays signed in, with no trip to the provider.
  await page.reload();
  await page.getByTestId('workspace-switcher').waitFor();
  expect(new URL(page.url()).origin).toBe(ssoBase);
  expect(problems).toEqual(NO_PROBLEMS);
  await context.close();
});
