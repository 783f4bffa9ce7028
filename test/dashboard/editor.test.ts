/**
 * Writing and trying versions in Chromium against a real server process (Postgres): the CodeMirror
 * editor with `{{var}}` highlighting, completion of declared variables, the server's validateTemplate
 * errors inline as you type, the variables panel, the required review step (diff and contract changes)
 * before createVersion; the test panel (renderVersion of a version or of a label's version, from a
 * generated form or raw JSON); compare two versions side by side or unified at a shareable URL; a
 * VIEWER cannot start a version.
 */
import { ok } from '../helpers/graphql';
import { addVersion, createPromptWith } from '../helpers/seed';
import { NO_PROBLEMS, expectText, screenshot, sidewaysOverflow, useDashboardServer } from '../helpers/dashboard';

const VIEWER = { email: 'val.viewer@example.com', password: 'viewer-password-long-7', name: 'Val Viewer' };

const dash = useDashboardServer({ workspace: 'Writers', members: [{ person: VIEWER, role: 'VIEWER' }] });
let seq = 0;

async function seed(): Promise<string> {
  const name = `mail/reply-${++seq}`;
  await createPromptWith(dash.gql, dash.tenant.key, name, 'Reply to {{customer}} about {{subject}}.', {
    variables: [
      { name: 'customer', description: 'Who wrote in' },
      { name: 'subject', type: 'ENUM', values: ['refund', 'delivery'] },
    ],
    message: 'first reply',
  });
  return name;
}

test('write a version: highlighting, completion, inline errors from the server as you type, the variables panel, then the required review with the diff and contract changes, then create', async () => {
  const name = await seed();
  const { context, page, problems } = await dash.signedIn();
  await page.goto(`${dash.base}/ui/prompts/${name}`);
  await page.getByRole('link', { name: 'New version from v1' }).click();
  await page.getByRole('heading', { name: `New version of ${name} (based on v1)` }).waitFor();
  const editor = page.getByRole('textbox', { name: 'Template' });
  await editor.waitFor();
  expect(await page.locator('.cm-tpl-var').allTextContents()).toEqual(['{{customer}}', '{{subject}}']);
  await expectText(page.getByTestId('validation'), '✓ Valid');

  // An unclosed tag on line 2: the server's error shows inline at its line and column, and in the list.
  await editor.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\nThanks, {{#sig');
  await expectText(page.getByTestId('validation'), 'template 2:');
  await page.locator('.cm-lintRange-error').first().waitFor();
  expect(await page.getByRole('button', { name: 'Review changes' }).isDisabled()).toBe(true);
  await screenshot(page, 'editor-error');

  // Fix it with an undeclared variable: the server says it is not declared; declaring it in the panel makes it valid.
  for (let i = 0; i < '{{#sig'.length; i++) await page.keyboard.press('Backspace');
  await page.keyboard.type('{{');
  await page.locator('.cm-tooltip-autocomplete').waitFor(); // completion of declared variables
  expect(await page.locator('.cm-tooltip-autocomplete li').allTextContents()).toEqual(expect.arrayContaining(['customer', 'subject']));
  await page.keyboard.press('Escape');
  await page.keyboard.type('agent}}');
  await expectText(page.getByTestId('validation'), 'variable "agent", which is not declared');
  await page.getByRole('button', { name: 'Add variable' }).click();
  const added = page.getByTestId('variable-2');
  await added.getByLabel('Name').fill('agent');
  await added.getByLabel('Description').fill('Who signs');
  await expectText(page.getByTestId('validation'), '✓ Valid');
  await page.getByLabel('Temperature').fill('0.2');

  await page.getByRole('button', { name: 'Review changes' }).click();
  await page.getByRole('heading', { name: 'Review changes against v1' }).waitFor();
  await expectText(page.getByTestId('text-diff'), 'Thanks, {{agent}}');
  await expectText(page.getByTestId('contract-changes'), 'added required variable "agent" (STRING)');
  await expectText(page.getByTestId('setting-changes'), 'temperature');
  await page.getByLabel("What changed (the version's message)").fill('sign with the agent');
  await screenshot(page, 'editor-review');
  await page.getByRole('button', { name: 'Create v2' }).click();
  await page.getByRole('heading', { name, exact: true }).waitFor();
  await expectText(page.getByTestId('version-details'), 'Thanks, {{agent}}');
  const v2 = (
    await ok(
      dash.gql,
      dash.tenant.key,
      'query($n: String!) { prompt(name: $n) { latestVersion { number template temperature message contractChanges variables { name description } } } }',
      { n: name },
    )
  ).prompt.latestVersion;
  expect(v2).toMatchObject({
    number: 2,
    template: 'Reply to {{customer}} about {{subject}}.\nThanks, {{agent}}',
    temperature: 0.2,
    message: 'sign with the agent',
  });
  expect(v2.contractChanges).toEqual(['added required variable "agent" (STRING)']);
  expect(v2.variables).toContainEqual({ name: 'agent', description: 'Who signs' });
  expect(problems).toEqual(NO_PROBLEMS);
  await context.close();
});

test('test panel: a form from the declarations renders the version on the server; a missing value is named; raw JSON works too', async () => {
  const name = await seed();
  const { context, page, problems } = await dash.signedIn();
  await page.goto(`${dash.base}/ui/prompts/${name}`);
  const panel = page.getByRole('form', { name: 'Test this version' });
  await panel.getByLabel(/^customer/).fill('Dana');
  await panel.getByRole('button', { name: 'Render' }).click();
  await expectText(panel.getByRole('alert'), 'subject');
  await panel.getByLabel(/^subject/).selectOption('refund');
  await panel.getByRole('button', { name: 'Render' }).click();
  await expectText(panel.getByTestId('render-output'), 'Reply to Dana about refund.');
  await screenshot(page, 'test-panel');
  await panel.getByLabel('Raw JSON').check();
  await panel.getByLabel('Variables (JSON)').fill('{"customer": "Eli", "subject": "delivery", "extra": 1}');
  await panel.getByRole('button', { name: 'Render' }).click();
  await expectText(panel.getByTestId('render-output'), 'Reply to Eli about delivery.');
  await expectText(panel.getByTestId('render-output'), 'extra'); // the server's warning about an undeclared variable
  expect(problems).toEqual(NO_PROBLEMS);
  await context.close();
});

test("test panel by label: render what production or staging points at, with that version's own variables, from any version's page", async () => {
  const name = await seed();
  const v2 = await addVersion(dash.gql, dash.tenant.key, name, 'Reply in a {{tone}} tone to {{customer}}.', {
    variables: [{ name: 'customer' }, { name: 'tone', type: 'ENUM', values: ['warm', 'formal'] }],
    message: 'tone',
  });
  await ok(dash.gql, dash.tenant.key, 'mutation($n: String!, $v: ID!) { setLabel(promptName: $n, label: "staging", versionId: $v) { id } }', {
    n: name,
    v: v2.id,
  });
  const { context, page, problems } = await dash.signedIn();
  await page.goto(`${dash.base}/ui/prompts/${name}?v=1`);
  const panel = page.getByRole('form', { name: 'Test this version' });
  const choice = panel.getByLabel(/^Render/);
  await choice.waitFor();
  expect(await choice.locator('option').allTextContents()).toEqual(['this version, v1', 'production → v1', 'staging → v2']);
  await choice.selectOption({ label: 'staging → v2' });
  // The form follows v2's declarations: tone is asked for, subject (v1 only) is not.
  expect(await panel.getByLabel(/^subject/).count()).toBe(0);
  await panel.getByLabel(/^customer/).fill('Fay');
  await panel.getByLabel(/^tone/).selectOption('warm');
  await panel.getByRole('button', { name: 'Render' }).click();
  await expectText(panel.getByTestId('render-output'), 'Reply in a warm tone to Fay.');
  await expectText(panel.getByTestId('rendered-what'), 'Rendered v2 (staging → v2)');
  await screenshot(page, 'test-panel-label');

  // From v2's page, production renders v1.
  await page.goto(`${dash.base}/ui/prompts/${name}?v=2`);
  await panel.getByLabel(/^Render/).selectOption({ label: 'production → v1' });
  await panel.getByLabel(/^customer/).fill('Gus');
  await panel.getByLabel(/^subject/).selectOption('delivery');
  await panel.getByRole('button', { name: 'Render' }).click();
  await expectText(panel.getByTestId('render-output'), 'Reply to Gus about delivery.');
  await expectText(panel.getByTestId('rendered-what'), 'Rendered v1 (production → v1)');
  expect(problems).toEqual(NO_PROBLEMS);
  await context.close();
});

test('compare two versions side by side or unified at a shareable URL, with the other changed fields as a table', async () => {
  const name = await seed();
  await addVersion(dash.gql, dash.tenant.key, name, 'Reply kindly to {{customer}} about {{subject}}.', {
    variables: [{ name: 'customer' }, { name: 'subject', type: 'ENUM', values: ['refund', 'delivery'] }],
    model: 'small-model-1',
    message: 'kinder',
  });
  const { context, page, problems } = await dash.signedIn();
  await page.goto(`${dash.base}/ui/prompts/${name}?v=2`);
  await page.getByRole('link', { name: 'Compare with v1' }).click();
  await page.getByRole('heading', { name: 'Compare versions' }).waitFor();
  expect(page.url()).toContain(`/ui/compare/${name}?from=1&to=2`);
  await expectText(page.getByTestId('text-diff'), 'Reply kindly to');
  await expectText(page.getByTestId('text-diff'), 'Reply to {{customer}}');
  await expectText(page.getByTestId('field-changes'), 'small-model-1');
  await screenshot(page, 'compare-split');
  expect(await sidewaysOverflow(page)).toEqual([]);
  await page.getByRole('button', { name: 'Unified' }).click();
  expect(page.url()).toContain('layout=unified');
  await page.locator('.cm-deletedChunk, .cm-deletedLine').first().waitFor();
  await screenshot(page, 'compare-unified');
  // The URL is the view: opened fresh, it shows the same.
  await page.goto(page.url());
  await page.locator('.cm-deletedChunk, .cm-deletedLine').first().waitFor();
  expect(await page.getByLabel('From version').inputValue()).toBe('1');
  expect(await page.getByLabel('To version').inputValue()).toBe('2');
  expect(problems).toEqual(NO_PROBLEMS);
  await context.close();
});

test('a VIEWER may try versions but not start one: the button is disabled with the reason; the editor at 390 px fits', async () => {
  const name = await seed();
  const viewer = await dash.signedIn({ person: VIEWER });
  await viewer.page.goto(`${dash.base}/ui/prompts/${name}`);
  const start = viewer.page.getByRole('button', { name: 'New version from v1' });
  expect(await start.isDisabled()).toBe(true);
  expect(await viewer.page.locator(`#${await start.getAttribute('aria-describedby')}`).textContent()).toBe(
    'Creating versions needs the EDITOR role or above (you are VIEWER).',
  );
  await viewer.context.close();
  const narrow = await dash.signedIn({ width: 390 });
  await narrow.page.goto(`${dash.base}/ui/new-version/${name}`);
  await narrow.page.getByRole('textbox', { name: 'Template' }).waitFor();
  await screenshot(narrow.page, 'editor-390');
  expect(await sidewaysOverflow(narrow.page)).toEqual([]);
  expect(narrow.problems).toEqual(NO_PROBLEMS);
  await narrow.context.close();
});

test('create a prompt from the list: named in the folder being looked at, it opens on its page with v1 in production; a taken name says so; a VIEWER cannot', async () => {
  await createPromptWith(dash.gql, dash.tenant.key, 'intake/existing', 'Existing {{x}}');
  const { context, page, problems } = await dash.signedIn();
  await page.getByTestId('folder-intake').click();
  await page.getByRole('button', { name: 'New prompt' }).click();
  const dialog = page.getByRole('dialog', { name: 'New prompt' });
  expect(await dialog.getByLabel('Name').inputValue()).toBe('intake/');
  expect(await page.evaluate("document.activeElement.getAttribute('placeholder')")).toBe('support/classifier'); // focus starts in Name
  await dialog.getByLabel('Name').fill('intake/Bad Name');
  await expectText(dialog, 'Lower-case letters');
  await dialog.getByLabel('Name').fill('intake/existing');
  await dialog.getByLabel(/^Template of the first version/).fill('Triage {{ticket}}');
  await dialog.getByRole('button', { name: 'Create prompt' }).click();
  await expectText(dialog.getByRole('alert'), 'A prompt named “intake/existing” exists already.');
  await dialog.getByLabel('Name').fill('intake/triage');
  await dialog.getByLabel('Tags (comma-separated, optional)').fill('intake, new');
  await screenshot(page, 'new-prompt');
  await dialog.getByRole('button', { name: 'Create prompt' }).click();
  await page.getByRole('heading', { name: 'intake/triage', exact: true }).waitFor();
  await expectText(page.getByTestId('version-1'), 'in production');
  const p = (await ok(dash.gql, dash.tenant.key, '{ prompt(name: "intake/triage") { tags activeVersion { number template } } }')).prompt;
  expect(p).toEqual({ tags: ['intake', 'new'], activeVersion: { number: 1, template: 'Triage {{ticket}}' } });
  expect(problems).toEqual(NO_PROBLEMS);
  await context.close();

  const viewer = await dash.signedIn({ person: VIEWER });
  const button = viewer.page.getByRole('button', { name: 'New prompt' });
  expect(await button.isDisabled()).toBe(true);
  expect(await viewer.page.locator(`#${await button.getAttribute('aria-describedby')}`).textContent()).toBe(
    'Creating prompts needs the EDITOR role or above (you are VIEWER).',
  );
  await viewer.context.close();
});
