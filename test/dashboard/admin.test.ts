/**
 * The Admin area and the account pages in Chromium against a real server process (Postgres) and a
 * real SMTP server process: an invitation made in the UI and read from the e-mail creates an account
 * in a new browser and lands signed in with its role; role change and removal; an API key's secret
 * shown exactly once (gone after closing and after a reload, working over the API, refused once
 * revoked); protected labels and model prices; the audit log's entries with before/after and its
 * filters; "forgot your password" end to end by e-mail; an EDITOR who sees the admin-only parts
 * blocked with the reason; axe on every page; screenshots at 1280 px, 390 px and dark.
 */
import type { Browser, Page } from 'playwright-core';
import { fails, ok } from '../helpers/graphql';
import { freePort } from '../helpers/oidc';
import { ADMIN_PERSON, withAdminPerson } from '../helpers/people';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';
import { createPromptWith, type Tenant } from '../helpers/seed';
import { spawnServer, type ServerProcess } from '../helpers/server';
import { startSmtpServer, type SmtpServerProcess } from '../helpers/smtp';
import {
  NO_PROBLEMS,
  addMember,
  axeViolations,
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

const EDITOR = { email: 'eddie.editor@example.com', password: 'editor-password-long-3', name: 'Eddie Editor' };
const NEWCOMER = { email: 'nina.new@example.com', password: 'a-good-long-passphrase-8', name: 'Nina New' };

let smtp: SmtpServerProcess;
let db: TestDatabase;
let server: ServerProcess;
let browser: Browser;
let base: string;
let gql: string;
let ws: Tenant;

beforeAll(async () => {
  ensureDashboardBuilt();
  smtp = await startSmtpServer();
  db = await createTestDatabase();
  // PUBLIC_URL known before start: the e-mailed links are built from it.
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = await spawnServer({
    DATABASE_URL: db.url,
    ...withAdminPerson(),
    PORT: String(port),
    PUBLIC_URL: base,
    SMTP_URL: smtp.url,
    SMTP_FROM: 'prompts@example.com',
  });
  gql = `${base}/graphql`;
  ws = await namedWorkspace(gql, 'Platform team');
  await addMember(db.url, { ...ADMIN_PERSON, name: 'Admin.Person' }, ws.workspaceId, 'ADMIN');
  await addMember(db.url, EDITOR, ws.workspaceId, 'EDITOR');
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.kill();
  await db?.drop();
  await smtp?.stop();
});

async function signedIn(email: string, password: string, width = 1280, colorScheme: 'light' | 'dark' = 'light') {
  const opened = await openPage(browser, width, { colorScheme });
  await signInThroughPage(opened.page, base, email, password);
  await opened.page.getByTestId('workspace-switcher').selectOption({ label: 'Platform team' });
  await expectText(opened.page.getByTestId('role'), email === EDITOR.email ? 'EDITOR' : 'ADMIN');
  // The switch is remembered once it has loaded: only then does a page.goto land in this workspace.
  await eventually(async () => expect(await opened.page.evaluate<string | null>("localStorage.getItem('pm.workspaceId')")).toBe(ws.workspaceId), 10_000);
  return opened;
}

async function openSection(page: Page, title: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: title }).click();
  await page.getByRole('heading', { name: title, level: 2 }).waitFor();
}

const members = async () => (await ok(gql, ws.key, '{ members { role user { email } } }')).members as { role: string; user: { email: string } }[];

test('invite through the UI: the e-mailed link creates the account in a new browser, signed in with the role; then change the role and remove the member', async () => {
  const { context, page, problems } = await signedIn(ADMIN_PERSON.email, ADMIN_PERSON.password);
  await page.getByTestId('admin-link').click();
  await page.getByRole('heading', { name: 'Members', level: 2 }).waitFor();
  await expectText(page.getByTestId('members'), EDITOR.email);

  await openSection(page, 'Invitations');
  await page.getByLabel(/^Email\b/).fill(NEWCOMER.email);
  await page.getByLabel(/^Role(?! of)/).selectOption('EDITOR');
  await page.getByRole('button', { name: 'Invite', exact: true }).click();
  const created = page.getByTestId('invitation-created');
  await expectText(created, 'The link was e-mailed to them too');
  const shown = await page.getByTestId('invitation-link-value').inputValue();
  expect(shown).toMatch(new RegExp(`^${base}/ui/accept-invitation#token=[A-Za-z0-9_-]{43}$`));
  await expectText(page.locator('[data-testid="invitation-row"][data-email="nina.new@example.com"]'), 'Pending');
  await screenshot(page, 'admin-invitations');

  const [mail] = await smtp.waitFor(NEWCOMER.email);
  const mailed = /(https?:\/\/\S+\/ui\/accept-invitation#token=[A-Za-z0-9_-]{43})/.exec(mail!.text)?.[1];
  expect(mailed).toBe(shown);

  // The invited person, in a browser of their own at phone width.
  const invited = await openPage(browser, 390);
  await invited.page.goto(mailed!);
  await expectText(invited.page.getByTestId('invitation-summary'), 'invited to Platform team as EDITOR');
  await invited.page.getByLabel('Your name (shown in history)').fill(NEWCOMER.name);
  await invited.page.getByLabel('Password', { exact: true }).fill(NEWCOMER.password);
  await invited.page.getByLabel('Password again').fill(NEWCOMER.password);
  expect(await axeViolations(invited.page)).toEqual([]);
  await screenshot(invited.page, 'accept-invitation-390');
  await invited.page.getByRole('button', { name: 'Create account and join Platform team' }).click();
  await invited.page.getByTestId('workspace-switcher').waitFor();
  await expectText(invited.page.getByTestId('role'), 'EDITOR');
  expect(await invited.page.getByTestId('workspace-switcher').inputValue()).toBe(ws.workspaceId);
  expect(new URL(invited.page.url()).pathname).toBe('/ui/');
  expect(invited.problems).toEqual(NO_PROBLEMS);
  await invited.context.close();

  // The same link again, elsewhere: used, and the page says so with what to do.
  const again = await openPage(browser);
  await again.page.goto(mailed!);
  await expectText(again.page.getByTestId('invitation-problem'), 'accepted it already');
  await screenshot(again.page, 'accept-invitation-used');
  await again.context.close();

  await openSection(page, 'Members');
  const row = page.locator('[data-testid="member-row"][data-email="nina.new@example.com"]');
  await row.waitFor();
  await row.getByLabel('Role of Nina New').selectOption('PUBLISHER');
  await expectText(page.getByTestId('notice').last(), 'Nina New is PUBLISHER now');
  await eventually(async () => expect((await members()).find((m) => m.user.email === NEWCOMER.email)?.role).toBe('PUBLISHER'));
  await screenshot(page, 'admin-members');

  await row.getByRole('button', { name: 'Remove Nina New' }).click();
  const dialog = page.getByRole('dialog', { name: 'Remove Nina New?' });
  await expectText(dialog, 'loses this workspace at once');
  await dialog.getByRole('button', { name: 'Remove member' }).click();
  await dialog.waitFor({ state: 'detached' });
  await row.waitFor({ state: 'detached' });
  expect((await members()).map((m) => m.user.email)).not.toContain(NEWCOMER.email);
  expect(problems).toEqual(NO_PROBLEMS);
  await context.close();
}, 120_000);

test('an API key: its secret is shown exactly once (copy button), works over the API, is nowhere after closing or reloading; revoked it is refused', async () => {
  const { context, page, problems } = await signedIn(ADMIN_PERSON.email, ADMIN_PERSON.password);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  await page.goto(`${base}/ui/admin/api-keys`);
  await page.getByRole('heading', { name: 'API keys', level: 2 }).waitFor();
  await page.getByLabel(/^Name\b/).fill('ci-deployer');
  await page.getByLabel(/^Role(?! of)/).selectOption('EDITOR');
  await page.getByRole('button', { name: 'Create key' }).click();
  const dialog = page.getByRole('dialog', { name: /Your new key/ });
  await dialog.waitFor();
  await expectText(dialog, 'You won’t see it again');
  const secret = await dialog.getByTestId('api-key-secret-value').inputValue();
  expect(secret.length).toBeGreaterThan(20);
  await dialog.getByRole('button', { name: 'Copy' }).click();
  await expectText(dialog, 'Copied to the clipboard');
  expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(secret);
  await screenshot(page, 'admin-api-key-created');

  const me = (await ok(gql, secret, '{ me { name role workspace { id } } }')).me;
  expect(me).toEqual({ name: 'ci-deployer', role: 'EDITOR', workspace: { id: ws.workspaceId } });

  await dialog.getByRole('button', { name: 'I stored it, close' }).click();
  await dialog.waitFor({ state: 'detached' });
  const row = page.locator('[data-testid="key-row"][data-name="ci-deployer"]');
  await row.waitFor();
  expect(await page.content()).not.toContain(secret);
  await page.reload();
  await row.waitFor();
  expect(await page.content()).not.toContain(secret);
  const prefix = (await row.locator('code').textContent())!.replace('…', '');
  expect(secret.startsWith(prefix)).toBe(true);
  await expectText(row, 'just now'); // last used: the request above

  await row.getByRole('button', { name: 'Revoke ci-deployer' }).click();
  const confirm = page.getByRole('dialog', { name: 'Revoke ci-deployer?' });
  await expectText(confirm, 'refused at once');
  await confirm.getByRole('button', { name: 'Revoke key' }).click();
  await confirm.waitFor({ state: 'detached' });
  await expectText(row, 'revoked');
  await fails(gql, secret, '{ me { name } }', undefined, 'UNAUTHENTICATED');
  expect(problems).toEqual(NO_PROBLEMS);
  await context.close();
}, 120_000);

test('protected labels and model prices: add, remove (confirmed) and set, each applied over the API', async () => {
  const { context, page, problems } = await signedIn(ADMIN_PERSON.email, ADMIN_PERSON.password);
  await page.goto(`${base}/ui/admin/protected-labels`);
  await page.getByRole('heading', { name: 'Protected labels', level: 2 }).waitFor();
  await expectText(page.getByTestId('protected-labels'), 'production');
  await page.getByLabel(/^Label\b/).fill('staging');
  await page.getByRole('button', { name: 'Protect', exact: true }).click();
  await expectText(page.getByTestId('protected-labels'), 'staging');
  const labels = async () => (await ok(gql, ws.key, '{ me { workspace { protectedLabels } } }')).me.workspace.protectedLabels;
  expect(await labels()).toEqual(['production', 'staging']);
  await page.getByRole('button', { name: 'Remove protection of staging' }).click();
  await page.getByRole('dialog', { name: 'Stop protecting staging?' }).getByRole('button', { name: 'Stop protecting' }).click();
  await eventually(async () => expect(await labels()).toEqual(['production']));

  await openSection(page, 'Model prices');
  await page.getByRole('combobox', { name: 'Model' }).fill('house-model-mini');
  await page.getByLabel('Input, $ per 1M tokens').fill('0.15');
  await page.getByLabel('Output, $ per 1M tokens').fill('0.6');
  await page.getByRole('button', { name: 'Save price' }).click();
  await expectText(page.locator('[data-testid="price-row"][data-model="house-model-mini"]'), '$0.60');
  const prices = (await ok(gql, ws.key, '{ modelPrices { model inputPerMillion outputPerMillion } }')).modelPrices;
  expect(prices).toContainEqual({ model: 'house-model-mini', inputPerMillion: 0.15, outputPerMillion: 0.6 });
  expect(problems).toEqual(NO_PROBLEMS);
  await context.close();
}, 120_000);

test('the audit log shows the changes above with before/after, and filters by action, actor, prompt and dates', async () => {
  const name = 'billing/summary';
  await createPromptWith(gql, ws.key, name, 'Summarize {{invoice}}.', { message: 'first' });
  const { context, page, problems } = await signedIn(ADMIN_PERSON.email, ADMIN_PERSON.password);
  await page.goto(`${base}/ui/admin/audit-log`);
  await page.getByRole('heading', { name: 'Audit log', level: 2 }).waitFor();
  const rows = page.getByTestId('audit-row');
  await rows.first().waitFor();
  const actions = async () => Promise.all((await rows.all()).map((r) => r.getAttribute('data-action')));
  // Every page, not only the first 25 entries.
  while (await page.getByRole('button', { name: 'Load more' }).count()) {
    const before = await rows.count();
    await page.getByRole('button', { name: 'Load more' }).click();
    await eventually(async () => expect(await rows.count()).toBeGreaterThan(before));
  }
  for (const a of [
    'member.setRole',
    'member.remove',
    'invitation.create',
    'invitation.accept',
    'apiKey.create',
    'apiKey.revoke',
    'price.set',
    'workspace.protectedLabels',
  ])
    expect(await actions()).toContain(a);

  // The role change: before EDITOR, after PUBLISHER, as a diff.
  await page.getByLabel(/^Action\b/).fill('member.setRole');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await eventually(async () => expect(await actions()).toEqual(['member.setRole']));
  expect(new URL(page.url()).searchParams.get('action')).toBe('member.setRole');
  await rows
    .first()
    .getByRole('button', { name: /^Before \/ after of/ })
    .click();
  const changed = page.getByTestId('audit-diff').getByTestId('diff-changed');
  await expectText(changed, 'role');
  await expectText(changed, 'EDITOR');
  await expectText(changed, 'PUBLISHER');
  await screenshot(page, 'admin-audit-log');

  // The revoked key: before and after both exist, revokedAt is what changed.
  await page.getByLabel(/^Action\b/).fill('apiKey.revoke');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await eventually(async () => expect(await actions()).toEqual(['apiKey.revoke']));
  await rows
    .first()
    .getByRole('button', { name: /^Before \/ after of/ })
    .click();
  await expectText(page.getByTestId('audit-diff').getByTestId('diff-changed'), 'revokedAt');

  // By prompt: its creation and its label, nothing else.
  await page.getByRole('button', { name: 'Clear' }).click();
  await page.getByLabel(/^Prompt\b/).fill(name);
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await eventually(async () => {
    const got = await actions();
    expect(got.length).toBeGreaterThan(0);
    expect(got.every((a) => ['prompt.create', 'version.create', 'label.set'].includes(a!))).toBe(true);
    expect(got).toContain('prompt.create');
  });
  // By actor: the admin person's own changes only.
  await page.getByRole('button', { name: 'Clear' }).click();
  await page.getByLabel(/^Actor/).selectOption({ label: `Admin.Person (${ADMIN_PERSON.email})` });
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await eventually(async () => {
    const got = await actions();
    expect(got).toContain('member.setRole');
    expect(got).not.toContain('prompt.create'); // made with the workspace key
  });
  // A date range in the future: nothing, said so.
  const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel(/^From\b/).fill(tomorrow);
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expectText(page.getByTestId('empty'), 'No entry matches these filters');
  expect(problems).toEqual(NO_PROBLEMS);
  await context.close();
}, 120_000);

test('pages through the audit log with "Load more"', async () => {
  for (let i = 0; i < 30; i++)
    await ok(gql, ws.key, 'mutation($m: String!) { setModelPrice(model: $m, inputPerMillion: 1, outputPerMillion: 2) { model } }', { m: `bulk-${i}` });
  const { context, page } = await signedIn(ADMIN_PERSON.email, ADMIN_PERSON.password);
  await page.goto(`${base}/ui/admin/audit-log?action=price.set`);
  const rows = page.getByTestId('audit-row');
  await eventually(async () => expect(await rows.count()).toBe(25));
  const total = (await ok(gql, ws.key, '{ auditLog(filter: { action: "price.set" }) { totalCount } }')).auditLog.totalCount as number;
  expect(total).toBeGreaterThan(25);
  expect(total).toBeLessThanOrEqual(50);
  await expectText(page.getByTestId('audit-count'), `${total} entries match`);
  await page.getByRole('button', { name: 'Load more' }).click();
  await eventually(async () => expect(await rows.count()).toBe(total));
  expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
  await context.close();
}, 120_000);

test('an EDITOR: admin-only pages say they need the ADMIN role; labels and prices are read-only with the reason; only personal keys up to EDITOR', async () => {
  const { context, page, problems } = await signedIn(EDITOR.email, EDITOR.password);
  await page.getByTestId('admin-link').click();
  await expectText(page.getByTestId('admin-blocked'), 'needs the ADMIN role (you are EDITOR)');
  for (const slug of ['invitations', 'audit-log']) {
    await page.goto(`${base}/ui/admin/${slug}`);
    await expectText(page.getByTestId('admin-blocked'), 'needs the ADMIN role');
  }
  await page.goto(`${base}/ui/admin/protected-labels`);
  await expectText(page.getByTestId('protected-labels'), 'production');
  expect(await page.getByRole('button', { name: 'Remove protection of production' }).isDisabled()).toBe(true);
  await expectText(page.getByTestId('disabled-reason'), 'Changing the protected labels needs the ADMIN role (you are EDITOR)');
  await screenshot(page, 'admin-editor-labels');
  await openSection(page, 'Model prices');
  expect(await page.getByRole('button', { name: 'Save price' }).isDisabled()).toBe(true);
  await expectText(page.getByTestId('disabled-reason'), 'Setting a price needs the ADMIN role');

  await openSection(page, 'API keys');
  expect(
    await page
      .getByLabel(/^Role(?! of)/)
      .locator('option')
      .allTextContents(),
  ).toEqual(['VIEWER', 'EDITOR']);
  expect(await page.getByRole('radio', { name: /The workspace/ }).isDisabled()).toBe(true);
  await expectText(page.getByTestId('disabled-reason'), 'A workspace key (not acting as you) needs the ADMIN role');
  await page.getByLabel(/^Name\b/).fill('eddie laptop');
  await page.getByRole('button', { name: 'Create key' }).click();
  const secret = await page.getByTestId('api-key-secret-value').inputValue();
  expect((await ok(gql, secret, '{ me { role user { email } } }')).me).toEqual({ role: 'VIEWER', user: { email: EDITOR.email } });
  expect(problems).toEqual(NO_PROBLEMS);
  await context.close();
}, 120_000);

test('signed in, an invitation link joins another workspace in one click; a revoked link says it was withdrawn', async () => {
  const other = await namedWorkspace(gql, 'Data team');
  const invite = async (email: string) =>
    (await ok(gql, other.key, 'mutation($e: String!) { inviteMember(email: $e, role: PUBLISHER) { acceptUrl invitation { id } } }', { e: email })).inviteMember;
  const forEddie = await invite(EDITOR.email);
  const { context, page, problems } = await signedIn(EDITOR.email, EDITOR.password);
  await page.goto(forEddie.acceptUrl);
  await expectText(page.getByTestId('invitation-summary'), 'invited to Data team as PUBLISHER');
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Join Data team' }).click();
  await page.getByTestId('workspace-switcher').waitFor();
  await expectText(page.getByTestId('role'), 'PUBLISHER');
  expect(await page.getByTestId('workspace-switcher').inputValue()).toBe(other.workspaceId);

  const revoked = await invite('someone.else@example.com');
  await ok(gql, other.key, 'mutation($id: ID!) { revokeInvitation(id: $id) { status } }', { id: revoked.invitation.id });
  await page.goto(revoked.acceptUrl);
  await expectText(page.getByTestId('invitation-problem'), 'An admin revoked it');
  expect(problems).toEqual(NO_PROBLEMS);
  await context.close();
}, 120_000);

test('forgot your password: the sign-in page links to it, the e-mailed link sets a new one, the old one stops working', async () => {
  const opened = await openPage(browser, 390);
  const { context, problems } = opened;
  let page = opened.page;
  await page.goto(`${base}/ui/`);
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
  await page.getByLabel(/^Email\b/).fill(EDITOR.email);
  expect(await axeViolations(page)).toEqual([]);
  const mailedBefore = smtp.mails.filter((m) => m.to.includes(EDITOR.email)).length; // the invitation of the test above
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await expectText(page.getByTestId('reset-sent'), EDITOR.email);
  const mail = (await smtp.waitFor(EDITOR.email, mailedBefore + 1)).at(-1);
  const link = /(https?:\/\/\S+\/ui\/reset-password#token=[A-Za-z0-9_-]{43})/.exec(mail!.text)?.[1];
  expect(link?.startsWith(`${base}/ui/reset-password#token=`)).toBe(true);

  // Opened from the mail: a new tab.
  await page.close();
  page = await context.newPage();
  await page.goto(link!);
  await page.getByRole('heading', { name: 'Set a new password' }).waitFor();
  await expectText(page.locator('#password-rules'), 'At least 12 characters');
  await page.getByLabel('New password', { exact: true }).fill('short');
  await page.getByLabel('New password again').fill('short');
  await page.locator('form').evaluate((f: { noValidate: boolean }) => (f.noValidate = true)); // let the server's rule answer
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expectText(page.getByRole('alert'), 'at least 12 characters');
  const fresh = 'a-fresh-editor-passphrase-4';
  await page.getByLabel('New password', { exact: true }).fill(fresh);
  await page.getByLabel('New password again').fill(fresh);
  expect(await page.getByRole('alert').count()).toBe(0); // typing again clears the server's complaint
  expect(await axeViolations(page)).toEqual([]);
  await screenshot(page, 'reset-password-390');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expectText(page.getByTestId('reset-done'), 'is changed');
  expect(new URL(page.url()).hash).toBe('');
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.getByLabel(/^Email\b/).fill(EDITOR.email);
  await page.getByLabel('Password').fill(EDITOR.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectText(page.getByRole('alert'), 'Wrong email or password');
  await page.getByLabel('Password').fill(fresh);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('workspace-switcher').waitFor();
  EDITOR.password = fresh;
  expect(problems.pageErrors).toEqual([]);
  expect(problems.csp).toEqual([]);
  await context.close();
}, 120_000);

const SECTIONS = [
  ['members', 'Members'],
  ['invitations', 'Invitations'],
  ['api-keys', 'API keys'],
  ['protected-labels', 'Protected labels'],
  ['model-prices', 'Model prices'],
  ['audit-log', 'Audit log'],
] as const;

test.each([
  [1280, 'light'],
  [390, 'light'],
  [1280, 'dark'],
] as const)(
  'every admin page at %i px, %s: no serious accessibility violation, nothing sideways, screenshots',
  async (width, scheme) => {
    const { context, page, problems } = await signedIn(ADMIN_PERSON.email, ADMIN_PERSON.password, width, scheme);
    for (const [slug, title] of SECTIONS) {
      await page.goto(`${base}/ui/admin/${slug}`);
      await page.getByRole('heading', { name: title, level: 2 }).waitFor();
      await page
        .locator('.admin-body [role="status"]')
        .first()
        .waitFor({ state: 'detached', timeout: 10_000 })
        .catch(() => undefined);
      if (slug === 'audit-log') await page.getByTestId('audit-row').first().getByRole('button').click();
      expect({ slug, violations: await axeViolations(page) }).toEqual({ slug, violations: [] });
      expect({ slug, overflow: await sidewaysOverflow(page) }).toEqual({ slug, overflow: [] });
      await screenshot(page, `admin-${slug}-${width}${scheme === 'dark' ? '-dark' : ''}`);
    }
    expect(problems).toEqual(NO_PROBLEMS);
    await context.close();
  },
  180_000,
);
