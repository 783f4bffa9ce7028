/**
 * Live views that resynchronise, in Chromium against a real server process (Postgres): a socket lost
 * (a TCP proxy between browser and server cut) shows "Offline, reconnecting", a label moved over the
 * API meanwhile shows on the open prompt page and list once the socket is back ("Live"), without a
 * reload; and the prompt page goes by revisions: an event that skips revisions (the events before it
 * lost on the way, dropped here by routing the page's WebSocket) refetches the page, so the missed
 * change shows too, while an event the page is already past fetches nothing.
 */
import type { Page, WebSocketRoute } from 'playwright-core';
import { ok } from '../helpers/graphql';
import { addVersion, createPromptWith } from '../helpers/seed';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';
import { NO_PROBLEMS, eventually, expectText, openPage, screenshot, useDashboardServer } from '../helpers/dashboard';

const dash = useDashboardServer({ workspace: 'Live team' });
let proxy: TcpProxy;
let seq = 0;

beforeAll(async () => {
  proxy = await startTcpProxy(dash.server.port);
}, 60_000);

afterAll(async () => {
  await proxy?.close();
});

/** A prompt of its own: v1 in production, v2 and v3 beside it. */
async function seedPrompt(): Promise<{ name: string; v: { id: string }[] }> {
  const name = `live/answer-${++seq}`;
  const created = await createPromptWith(dash.gql, dash.tenant.key, name, 'Answer {{question}}.', { message: 'first' });
  const v2 = await addVersion(dash.gql, dash.tenant.key, name, 'Answer {{question}} briefly.', { message: 'brief' });
  const v3 = await addVersion(dash.gql, dash.tenant.key, name, 'Answer {{question}} briefly and kindly.', { message: 'kind' });
  return { name, v: [created.createPrompt.activeVersion, v2, v3] };
}

const moveLabel = (name: string, label: string, versionId: string) =>
  ok(
    dash.gql,
    dash.tenant.key,
    'mutation($n: String!, $l: String!, $v: ID!) { setLabel(promptName: $n, label: $l, versionId: $v, reason: "from the API") { revision } }',
    {
      n: name,
      l: label,
      v: versionId,
    },
  );

const liveText = (page: Page) => page.locator('.live .live-text');

test('a lost socket shows "Offline, reconnecting"; a label moved meanwhile shows on the open prompt page and list once it is back, without a reload', async () => {
  const { name, v } = await seedPrompt();
  const proxied = `http://127.0.0.1:${proxy.port}`;
  const prompt = await openPage(dash.browser, 1280);
  await dash.signIn(prompt.page, { base: proxied });
  await prompt.page.goto(`${proxied}/ui/prompts/${name}`);
  await expectText(prompt.page.getByTestId('label-production'), 'v1', 15_000);
  const list = await openPage(dash.browser, 1280);
  await dash.signIn(list.page, { base: proxied });
  const row = list.page.getByTestId('prompt-row').filter({ hasText: name });
  await expectText(row, 'v1', 15_000);
  for (const { page } of [prompt, list]) {
    await expectText(liveText(page), 'Live', 15_000);
    await page.evaluate('window.marker = 11');
  }

  proxy.cut();
  for (const { page } of [prompt, list]) await expectText(liveText(page), 'Offline, reconnecting', 15_000);
  await screenshot(prompt.page, 'prompt-page-offline');
  // Straight to the server: no socket of these pages hears the event.
  await moveLabel(name, 'production', v[1]!.id);
  await expectText(prompt.page.getByTestId('label-production'), 'v1'); // still the old state: nothing told it
  proxy.restore();

  for (const { page } of [prompt, list]) await expectText(liveText(page), 'Live', 30_000);
  await expectText(prompt.page.getByTestId('label-production'), 'v2', 15_000);
  await expectText(prompt.page.getByTestId('history-row').first(), 'v1 → v2');
  await expectText(row, 'v2', 15_000);
  await expectText(row, 'production → v2');
  for (const { page } of [prompt, list]) expect(await page.evaluate('window.marker')).toBe(11); // same page, no reload

  // Live again: the next change arrives as an event.
  await moveLabel(name, 'production', v[2]!.id);
  await expectText(prompt.page.getByTestId('label-production'), 'v3');
  await expectText(row, 'v3');
  for (const o of [prompt, list]) {
    expect(o.problems.pageErrors).toEqual([]);
    expect(o.problems.csp).toEqual([]);
    await o.context.close();
  }
});

test('an event that skips revisions refetches the prompt page (the missed change shows too); an event the page is already past fetches nothing', async () => {
  const { name, v } = await seedPrompt();
  const { context, page, problems } = await openPage(dash.browser, 1280);
  // The page's socket through a route that can drop or replay event frames (what a lossy link would do).
  let route: WebSocketRoute | null = null;
  let dropping = false;
  const dropped: string[] = [];
  await page.routeWebSocket(/\/graphql$/, (ws) => {
    const server = ws.connectToServer();
    route = ws;
    ws.onMessage((m) => server.send(m));
    server.onMessage((m) => {
      if (dropping && String(m).includes('"type":"next"')) dropped.push(String(m));
      else ws.send(m);
    });
  });
  const pageFetches: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/graphql') && (r.postData() ?? '').includes('query PromptPage')) pageFetches.push(r.url());
  });
  await dash.signIn(page);
  await page.goto(`${dash.base}/ui/prompts/${name}`);
  await expectText(page.getByTestId('label-production'), 'v1');
  await expectText(liveText(page), 'Live', 15_000);
  await eventually(async () => expect(route).not.toBeNull());

  // Two changes whose events are lost: the page does not know.
  dropping = true;
  const r1 = (await moveLabel(name, 'staging', v[1]!.id)).setLabel.revision;
  await moveLabel(name, 'production', v[1]!.id);
  await eventually(async () => expect(dropped).toHaveLength(2));
  dropping = false;
  await expectText(page.getByTestId('label-production'), 'v1');
  expect(await page.getByTestId('label-staging').count()).toBe(0);

  // The third event is two revisions ahead of the next one the page expected: it refetches and
  // shows all three changes, including the two it never heard of.
  const before = pageFetches.length;
  await moveLabel(name, 'qa', v[2]!.id);
  await expectText(page.getByTestId('label-production'), 'v2');
  await expectText(page.getByTestId('label-staging'), 'v2');
  await expectText(page.getByTestId('label-qa'), 'v3');
  expect(pageFetches.length).toBe(before + 1);

  // A late copy of the first lost event (revision r1, older than the page): nothing to fetch. The
  // next real change is handled after it (frames are handled in order) and is the only fetch.
  expect(JSON.parse(dropped[0]!).payload.data.promptChanged.revision).toBe(r1);
  route!.send(dropped[0]!);
  await moveLabel(name, 'production', v[2]!.id);
  await expectText(page.getByTestId('label-production'), 'v3');
  expect(pageFetches.length).toBe(before + 2);
  await screenshot(page, 'prompt-page-resynced');
  expect(problems).toEqual(NO_PROBLEMS);
  await context.close();
});
