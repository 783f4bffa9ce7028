/**
 * Dashboard end-to-end tests: the built dashboard (rebuilt here when its sources are newer than the
 * build), a real server process, Debian's Chromium driven by playwright-core, people and their
 * memberships seeded in the server's database, and screenshots written to dashboard/screenshots/.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { openDatabase } from '../../src/db/client';
import { hashPassword } from '../../src/people/passwords';
import { findUserByEmail, insertUser, upsertMembership } from '../../src/people/user-store';
import type { Role } from '../../src/graphql/generated/resolvers-types';
import { ok } from './graphql';
import { ADMIN_PERSON, withAdminPerson } from './people';
import { createTestDatabase, type TestDatabase } from './postgres';
import { ADMIN_KEY, spawnServer, type ServerProcess } from './server';
import type { Tenant } from './seed';

const ROOT = path.resolve(__dirname, '../..');
const DASHBOARD = path.join(ROOT, 'dashboard');
export const SCREENSHOTS = path.join(ROOT, 'dashboard/screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function dashboardIsFresh(): boolean {
  const index = path.join(DASHBOARD, 'dist/index.html');
  const sources = Math.max(newestMtime(path.join(DASHBOARD, 'src')), fs.statSync(path.join(DASHBOARD, 'index.html')).mtimeMs);
  return fs.existsSync(index) && fs.statSync(index).mtimeMs >= sources;
}

/**
 * Builds dashboard/dist unless it is newer than every source file (CI builds before testing). Test files run in
 * parallel workers: one builds under a lock while the others wait, since Vite empties dist/ first and a second
 * build (or a server reading dist/ meanwhile) would see it half-written.
 */
export function ensureDashboardBuilt(): void {
  if (dashboardIsFresh()) return;
  const lock = path.join(DASHBOARD, '.build-lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const held = fs.statSync(lock, { throwIfNoEntry: false });
      if (!held) continue; // released meanwhile
      // A lock older than any build is left over from a killed run.
      if (Date.now() - held.mtimeMs > 180_000) fs.rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`waited 180 s for another worker's dashboard build (${lock})`, { cause: err });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (dashboardIsFresh()) return; // another worker built it while this one waited
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', 'dashboard', '--logLevel', 'warn'], {
      cwd: ROOT,
      stdio: 'pipe',
      // jest sets NODE_ENV=test, which would make Vite bundle React's development build.
      env: { ...process.env, NODE_ENV: 'production' },
    });
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
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
  if (process.env.DASH_DEBUG)
    page.on('websocket', (ws) => {
      console.log('ws open', ws.url());
      ws.on('framereceived', (f) => console.log('ws <', String(f.payload).slice(0, 200)));
      ws.on('framesent', (f) => console.log('ws >', String(f.payload).slice(0, 200)));
      ws.on('close', () => console.log('ws closed'));
    });
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

/** A workspace with a readable name (the switcher shows names) and its ADMIN key. */
export async function namedWorkspace(gqlUrl: string, name: string): Promise<Tenant> {
  const d = (await ok(gqlUrl, ADMIN_KEY, 'mutation($n: String!) { createWorkspace(name: $n) { workspace { id } adminKey } }', { n: name })).createWorkspace;
  return { key: d.adminKey, workspaceId: d.workspace.id };
}

/**
 * Waits until the locator's text contains `text`. 15 s by default: a passing check returns as soon as
 * the text is there, and CI shares 2 cores with a dozen processes (5 s timed out once on a sign-in error).
 */
export async function expectText(locator: Locator, text: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = (await locator.textContent({ timeout: timeoutMs }).catch(() => '')) ?? '';
    if (last.includes(text)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  const shot = path.join(os.tmpdir(), `dashboard-failure-${Date.now()}.png`);
  await locator
    .page()
    .screenshot({ path: shot, fullPage: true })
    .catch(() => undefined);
  throw new Error(`expected "${text}" in: ${last} (page: ${shot})`);
}

/** Waits until `check` passes (for state read over the API after a click). */
export async function eventually(check: () => Promise<void>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export const NO_PROBLEMS: Problems = { console: [], csp: [], pageErrors: [] };

/** Elements sticking out past the viewport's right edge (empty when nothing scrolls sideways). */
export async function sidewaysOverflow(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    return [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > width + 0.5)
      .map((e) => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).replace(/ +/g, '.') : '') + ' ' + Math.round(e.getBoundingClientRect().right) + 'px');
  })()`);
}

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export type AxeFinding = { id: string; impact: string; help: string; nodes: string[] };

/**
 * The serious and critical accessibility violations axe-core finds on the page as it is now. axe is
 * evaluated through the DevTools protocol, which the page's CSP does not govern (nothing is added to the page's own sources).
 */
export async function axeViolations(page: Page): Promise<AxeFinding[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate<AxeFinding[]>(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' :: ' + (n.failureSummary || '').slice(0, 160)) })))`);
}

export type DashboardPerson = { email: string; password: string; name: string };

export type DashboardServerOptions = {
  /** The file's workspace (the switcher shows its name); `tenant` is it. */
  workspace: string;
  /** More named workspaces, reached with `tenantOf(name)`. */
  otherWorkspaces?: string[];
  /** Memberships seeded after the workspaces exist; `workspace` defaults to the file's workspace. ADMIN_PERSON is an ADMIN of it unless `adminPerson: false`. */
  members?: { person: DashboardPerson; role: Role; workspace?: string }[];
  /** ADMIN_PERSON (named 'Admin.Person') as ADMIN of the file's workspace: on by default. */
  adminPerson?: boolean;
  /** Extra server env (DATABASE_URL and ADMIN_EMAIL/ADMIN_PASSWORD are set). */
  env?: Record<string, string>;
  /** beforeAll's timeout (building the dashboard can take a while on a busy machine). */
  timeoutMs?: number;
};

export type DashboardServer = {
  readonly db: TestDatabase;
  readonly server: ServerProcess;
  readonly browser: Browser;
  /** http://127.0.0.1:PORT */
  readonly base: string;
  /** base + /graphql */
  readonly gql: string;
  /** The file's workspace with its ADMIN key. */
  readonly tenant: Tenant;
  tenantOf(name: string): Tenant;
  /** Signs `page` in through the form (ADMIN_PERSON by default) and switches to a workspace (the file's by default); `base` for another way in (a proxy). */
  signIn(page: Page, options?: { person?: { email: string; password: string }; workspace?: string; base?: string }): Promise<void>;
  /** A fresh context signed in (as `signIn`), waiting for the first prompt row of the list. */
  signedIn(options?: {
    person?: { email: string; password: string };
    workspace?: string;
    base?: string;
    width?: number;
    colorScheme?: 'light' | 'dark';
  }): Promise<{
    context: BrowserContext;
    page: Page;
    problems: Problems;
  }>;
};

/**
 * Registers the beforeAll/afterAll of a dashboard test file: the dashboard built, its own Postgres
 * database, a real server process, named workspaces with their members, and Chromium. The handle's
 * getters are valid from the file's own beforeAll on (registered after this call, so it runs after).
 */
export function useDashboardServer(options: DashboardServerOptions): DashboardServer {
  let db: TestDatabase | undefined;
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  const tenants = new Map<string, Tenant>();
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useDashboardServer: ${what} is not up yet (use it in a test or a later beforeAll)`);
    return value;
  };
  const handle: DashboardServer = {
    get db() {
      return ready(db, 'the database');
    },
    get server() {
      return ready(server, 'the server');
    },
    get browser() {
      return ready(browser, 'the browser');
    },
    get base() {
      return `http://127.0.0.1:${handle.server.port}`;
    },
    get gql() {
      return `${handle.base}/graphql`;
    },
    get tenant() {
      return handle.tenantOf(options.workspace);
    },
    tenantOf(name) {
      return ready(tenants.get(name), `workspace "${name}"`);
    },
    async signIn(page, { person = ADMIN_PERSON, workspace = options.workspace, base = handle.base } = {}) {
      await signInThroughPage(page, base, person.email, person.password);
      const switcher = page.getByTestId('workspace-switcher');
      await switcher.selectOption({ label: workspace });
      // The switch loads the workspace before it shows (and is remembered): a navigation right away would race it.
      await expectText(switcher.locator('option:checked'), workspace, 15_000);
    },
    async signedIn({ width = 1280, colorScheme, ...rest } = {}) {
      const opened = await openPage(handle.browser, width, { colorScheme });
      await handle.signIn(opened.page, rest);
      await opened.page.getByTestId('prompt-row').first().waitFor();
      return opened;
    },
  };
  beforeAll(async () => {
    ensureDashboardBuilt();
    db = await createTestDatabase();
    server = await spawnServer({ DATABASE_URL: db.url, ...withAdminPerson(), ...options.env });
    for (const name of [options.workspace, ...(options.otherWorkspaces ?? [])]) tenants.set(name, await namedWorkspace(handle.gql, name));
    const members = [
      ...(options.adminPerson === false ? [] : [{ person: { ...ADMIN_PERSON, name: 'Admin.Person' }, role: 'ADMIN' as Role }]),
      ...(options.members ?? []),
    ];
    for (const m of members) await addMember(db.url, m.person, handle.tenantOf(m.workspace ?? options.workspace).workspaceId, m.role);
    browser = await launchChromium();
  }, options.timeoutMs ?? 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.kill();
    await db?.drop();
  });
  return handle;
}
