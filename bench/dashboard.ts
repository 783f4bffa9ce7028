/**
 * bench:dashboard — the dashboard's budgets, in Chromium against the compiled server (Postgres):
 * 1. initial JavaScript, gzipped (the files index.html loads before anything is clicked) ≤ 200 KB;
 * 2. time from navigation to the prompt list being interactive (first page of rows shown, the total
 *    counted, the main thread idle) with 1,000 prompts in the workspace ≤ 1.5 s; baseline in the same
 *    run: the same page for an empty workspace;
 * 3. time from a `setLabel` over the API returning to the change showing on an open prompt page ≤ 1 s;
 *    baseline: the mutation's own round trip.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { ADMIN_PERSON, withAdminPerson } from '../test/helpers/people';
import { createTestDatabase } from '../test/helpers/postgres';
import { addMember, launchChromium, namedWorkspace, signInThroughPage } from '../test/helpers/dashboard';
import { percentile as pct, postAs as post, runBench, spawnServer } from './harness';

const PROMPTS = Number(process.env.PROMPTS ?? 1000);
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const MOVES = Number(process.env.MOVES ?? 20);
const DIST = path.resolve(__dirname, '../dashboard/dist');

function initialJs(): { files: string[]; raw: number; gzipped: number } {
  const html = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/ui\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  let raw = 0;
  let gzipped = 0;
  for (const f of files) {
    const body = fs.readFileSync(path.join(DIST, f));
    raw += body.length;
    gzipped += gzipSync(body).length;
  }
  return { files, raw, gzipped };
}

async function main() {
  const js = initialJs();
  const db = await createTestDatabase();
  const server = await spawnServer({ DATABASE_URL: db.url, LOG_LEVEL: 'info', NODE_ENV: 'production', ...withAdminPerson() });
  const base = `http://127.0.0.1:${server.port}`;
  const gql = `${base}/graphql`;
  const browser = await launchChromium();
  try {
    const full = await namedWorkspace(gql, 'Thousand');
    const empty = await namedWorkspace(gql, 'Empty');
    for (const w of [full, empty]) await addMember(db.url, { ...ADMIN_PERSON, name: 'Admin.Person' }, w.workspaceId, 'ADMIN');
    const names = Array.from({ length: PROMPTS }, (_, i) => `team-${i % 10}/prompt-${String(i).padStart(4, '0')}`);
    for (let i = 0; i < names.length; i += 10)
      await Promise.all(
        names.slice(i, i + 10).map((n) =>
          post(gql, full.key, 'mutation($n: String!) { createPrompt(input: { name: $n, tags: ["bench"], version: { template: "Hi {{x}}" } }) { id } }', {
            n,
          }),
        ),
      );
    const target = names[1]!;
    const v2 = (await post(gql, full.key, 'mutation($n: String!) { createVersion(input: { promptName: $n, template: "Hello {{x}}" }) { id } }', { n: target }))
      .createVersion.id as string;
    const v1 = (await post(gql, full.key, 'query($n: String!) { prompt(name: $n) { version(number: 1) { id } } }', { n: target })).prompt.version.id as string;

    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    await signInThroughPage(page, base, ADMIN_PERSON.email, ADMIN_PERSON.password);

    const listTime = async (workspaceId: string, expectedTotal: string): Promise<number> => {
      await page.evaluate(`localStorage.setItem('pm.workspaceId', ${JSON.stringify(workspaceId)})`);
      await page.goto('about:blank');
      const t0 = performance.now();
      await page.goto(`${base}/ui/`);
      await page.getByTestId('total').filter({ hasText: expectedTotal }).waitFor({ timeout: 30_000 });
      // Interactive: the rows are painted and the main thread answers (two animation frames later).
      await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
      return performance.now() - t0;
    };
    const withPrompts: number[] = [];
    const baseline: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      baseline.push(await listTime(empty.workspaceId, '0 prompts'));
      withPrompts.push(await listTime(full.workspaceId, `${PROMPTS.toLocaleString('en-US')} prompts`));
    }
    const rows = await page.getByTestId('prompt-row').count();

    await page.goto(`${base}/ui/prompts/${target}`);
    await page.locator('.live.connected').waitFor();
    const visible: number[] = [];
    const roundTrip: number[] = [];
    for (let i = 0; i < MOVES; i++) {
      const to = i % 2 === 0 ? { id: v1, n: 1 } : { id: v2, n: 2 };
      const sent = performance.now();
      await post(gql, full.key, 'mutation($n: String!, $v: ID!) { setLabel(promptName: $n, label: "production", versionId: $v) { revision } }', {
        n: target,
        v: to.id,
      });
      const returned = performance.now();
      await page
        .getByTestId('label-production')
        .filter({ hasText: `v${to.n}` })
        .waitFor({ timeout: 10_000 });
      visible.push(performance.now() - returned);
      roundTrip.push(returned - sent);
    }

    const fmt = (xs: number[]) => `${pct(xs, 50).toFixed(0)} / ${Math.max(...xs).toFixed(0)}`;
    console.log(`\nbench:dashboard — ${new Date().toISOString()}, load average ${(await import('node:os')).loadavg()[0]!.toFixed(2)}\n`);
    console.log('| measure | value | budget |');
    console.log('| --- | --- | --- |');
    console.log(
      `| initial JavaScript (${js.files.join(', ')}) | ${(js.gzipped / 1024).toFixed(1)} KB gzipped (${(js.raw / 1024).toFixed(0)} KB raw) | ≤ 200 KB ${js.gzipped <= 200 * 1024 ? '✓' : '✗'} |`,
    );
    console.log(
      `| list interactive, ${PROMPTS} prompts (${rows} rows on the first page), p50 / max of ${ROUNDS} (ms) | ${fmt(withPrompts)} | ≤ 1500 ${pct(withPrompts, 50) <= 1500 ? '✓' : '✗'} |`,
    );
    console.log(
      `| baseline: list interactive, empty workspace, p50 / max (ms) | ${fmt(baseline)} (ratio ${(pct(withPrompts, 50) / pct(baseline, 50)).toFixed(2)}) | |`,
    );
    console.log(
      `| setLabel returned → shown on the open prompt page, p50 / max of ${MOVES} (ms) | ${fmt(visible)} | ≤ 1000 ${Math.max(...visible) <= 1000 ? '✓' : '✗'} |`,
    );
    console.log(`| baseline: the setLabel round trip itself, p50 / max (ms) | ${fmt(roundTrip)} | |`);
    await context.close();
  } finally {
    await browser.close();
    await server.kill();
    await db.drop();
  }
}

runBench(main);
