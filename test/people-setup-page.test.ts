/**
 * The set-up link in a real browser (Chromium): GET /setup#token=… shows the form; a weak password
 * gets the server's message on the page; a good one creates the first person, signs them in (the
 * session cookie in the browser) and goes on to /ui/. The token never reaches a server log or URL.
 */
import type { Browser } from 'playwright-core';
import { launchChromium } from './helpers/dashboard';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
let chromium: Browser;
beforeAll(async () => {
  server = await startServer();
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
  await server?.stop();
});

test('the first person creates their account on the set-up page and lands signed in on the dashboard', async () => {
  const link = /open (http:\/\/\S+\/setup#token=[A-Za-z0-9_-]{43})/.exec(server.logs.join(''))![1]!.replace('localhost', '127.0.0.1');
  const context = await chromium.newContext();
  const page = await context.newPage();
  const requested: string[] = [];
  page.on('request', (r) => requested.push(r.url()));
  const res = await page.goto(link);
  expect(res!.status()).toBe(200);
  expect(res!.headers()['content-security-policy']).toContain("default-src 'none'");

  await page.fill('input[name=email]', 'ada@example.com');
  await page.fill('input[name=name]', 'Ada Lovelace');
  await page.fill('input[name=password]', 'password1234');
  await page.click('button[type=submit]');
  await page.waitForFunction("document.getElementById('status').textContent.length > 0");
  expect(await page.textContent('#status')).toMatch(/common/);

  await page.fill('input[name=password]', 'a-first-password-for-ada');
  await Promise.all([page.waitForURL('**/ui/'), page.click('button[type=submit]')]);
  const cookies = await context.cookies();
  expect(cookies.find((c) => c.name === 'pm_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  const me: any = await page.evaluate(async () => {
    const r = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { isInstanceAdmin role user { email name } } }' }),
    });
    return r.json();
  });
  expect(me.data.me).toEqual({ isInstanceAdmin: true, role: 'ADMIN', user: { email: 'ada@example.com', name: 'Ada Lovelace' } });
  // The token went to the server only in the POST body: in no requested URL.
  const token = link.split('#token=')[1]!;
  expect(requested.filter((u) => u.includes(token))).toEqual([]);
  await context.close();
});

test('without a token the page says where to find the link and shows no form', async () => {
  const page = await chromium.newPage();
  await page.goto(`${server.url.replace(/\/graphql$/, '')}/setup`);
  expect(await page.textContent('#status')).toMatch(/server log/);
  expect(await page.isVisible('#setup')).toBe(false);
  await page.close();
});
