/**
 * Dashboard end-to-end tests: the built dashboard (rebuilt here when its sources are newer than the
 * build), a real server process, Debian's Chromium driven by playwright-core, people and their
 * memberships seeded in the server's database, and screenshots written to docs/screenshots/.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { openDatabase } from '../../src/db/client';
import { hashPassword } from '../../src/people/passwords';
import { findUserByEmail, insertUser, upsertMembership } from '../../src/people/user-store';
import type { Role } from '../../src/graphql/generated/resolvers-types';

const ROOT = path.resolve(__dirname, '../..');
const DASHBOARD = path.join(ROOT, 'dashboard');
export const SCREENSHOTS = path.join(ROOT, 'docs/screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds dashboard/dist unless it is newer than every source file (CI builds before testing). */
export function ensureDashboardBuilt(): void {
  const index = path.join(DASHBOARD, 'dist/index.html');
  const sources = Math.max(newestMtime(path.join(DASHBOARD, 'src')), fs.statSync(path.join(DASHBOARD, 'index.html')).mtimeMs);
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= sources) return;
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', 'dashboard', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'pipe' });
}

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does it)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export type Problems = { console: string[]; csp: string[]; pageErrors: string[] };

/** A fresh browser context (its own cookies) at a width; collects console errors, page errors and CSP violations. */
export async function openPage(
  browser: Browser,
  width = 1280,
  options: { colorScheme?: 'light' | 'dark' } = {},
): Promise<{ context: BrowserContext; page: Page; problems: Problems }> {
  const context = await browser.newContext({ viewport: { width, height: width < 600 ? 844 : 860 }, colorScheme: options.colorScheme ?? 'light' });
  const page = await context.newPage();
  const problems: Problems = { console: [], csp: [], pageErrors: [] };
  page.on('console', (m) => {
    // A 401 is how a signed-out page learns it must show the sign-in form (and how a wrong password answers).
    if (m.type() === 'error' && !/status of 401/.test(m.text()) && !m.text().startsWith('CSP violation')) problems.console.push(m.text());
  });
  page.on('pageerror', (e) => problems.pageErrors.push(e.message));
  // Runs in the page: browser code as a string (the tests' tsconfig has no DOM types).
  await page.addInitScript(
    "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));",
  );
  page.on('console', (m) => {
    if (m.text().startsWith('CSP violation')) problems.csp.push(m.text());
  });
  return { context, page, problems };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Seeds a person (created once) with a role in a workspace, in the server's database. */
export async function addMember(
  databaseUrl: string,
  person: { email: string; password: string; name: string },
  workspaceId: string,
  role: Role,
): Promise<void> {
  const database = await openDatabase(loadConfig({ DATABASE_URL: databaseUrl }).database);
  try {
    const existing = await findUserByEmail(database.db, person.email);
    const user = existing ?? (await insertUser(database.db, { email: person.email, name: person.name, passwordHash: await hashPassword(person.password) }));
    await upsertMembership(database.db, workspaceId, user.id, role);
  } finally {
    await database.close();
  }
}

/** Signs in through the page's own form. */
export async function signInThroughPage(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}/ui/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('workspace-switcher').waitFor();
}
