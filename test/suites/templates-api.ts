/**
 * Templates through GraphQL, run on each storage mode (see templates-*.test.ts): includes and their
 * variables, chat placeholders, renderVersion, validateTemplate, every render error with its field,
 * warnings and contract changes.
 */
import { fails, ok } from '../helpers/graphql';
import { addVersion, createPromptWith, newTenant, type Tenant } from '../helpers/seed';
import type { TestServer } from '../helpers/server';

const RESOLVE =
  'query($n: String!, $v: JSON, $l: String) { resolvePrompt(name: $n, variables: $v, label: $l) { text systemMessage messages { role content } versionNumber warnings } }';
const RENDER =
  'query($id: ID!, $v: JSON) { renderVersion(versionId: $id, variables: $v) { text messages { role content } versionId versionNumber label warnings } }';
const CREATE_VERSION = 'mutation($i: CreateVersionInput!) { createVersion(input: $i) { id number warnings contractChanges variables { name type required } } }';
const VALIDATE =
  'query($t: String, $m: [ChatMessageInput!], $s: String, $v: [VariableInput!]) { validateTemplate(template: $t, messages: $m, systemMessage: $s, variables: $v) { valid errors { message line column field } warnings variables { name type required } } }';
const SET_LABEL = 'mutation($p: String!, $l: String!, $v: ID!) { setLabel(promptName: $p, label: $l, versionId: $v) { revision } }';

/** The include tests: run on every storage mode. */
export function templateIncludesSuite(getServer: () => TestServer) {
  let url: string;
  let t: Tenant;
  beforeEach(async () => {
    url = getServer().url;
    t = await newTenant(url, getServer().adminKey);
  });
  const resolve = async (n: string, v: unknown = {}, l?: string) => (await ok(url, t.key, RESOLVE, { n, v, l })).resolvePrompt;

  test("the included prompt's production label moves: the including prompt renders the new text at once", async () => {
    const footer = await createPromptWith(url, t.key, 'lib/footer', 'Regards, the team');
    await createPromptWith(url, t.key, 'reply', 'Hello {{name}}.\n{{> lib/footer}}');
    expect((await resolve('reply', { name: 'Ada' })).text).toBe('Hello Ada.\nRegards, the team');
    const v2 = await addVersion(url, t.key, 'lib/footer', 'Best, support');
    expect((await resolve('reply', { name: 'Ada' })).text).toBe('Hello Ada.\nRegards, the team'); // production still v1
    await ok(url, t.key, SET_LABEL, { p: 'lib/footer', l: 'production', v: v2.id });
    expect((await resolve('reply', { name: 'Ada' })).text).toBe('Hello Ada.\nBest, support');
    await ok(url, t.key, SET_LABEL, { p: 'lib/footer', l: 'production', v: footer.createPrompt.activeVersion.id });
    expect((await resolve('reply', { name: 'Ada' })).text).toBe('Hello Ada.\nRegards, the team');
  });

  test('@label and #version forms pick that label or that exact version', async () => {
    await createPromptWith(url, t.key, 'sig', 'v1 {{agent}}');
    await addVersion(url, t.key, 'sig', 'v2 {{agent}}', { labels: ['staging'] });
    await addVersion(url, t.key, 'sig', 'v3 {{agent}}');
    await createPromptWith(url, t.key, 'page', '[{{> sig}}] [{{> sig@staging}}] [{{> sig#3}}] [{{> sig@latest}}]');
    expect((await resolve('page', { agent: 'Bo' })).text).toBe('[v1 Bo] [v2 Bo] [v3 Bo] [v3 Bo]');
  });

  test("an include's required variable is checked at render (BAD_USER_INPUT naming it), never rendered empty", async () => {
    await createPromptWith(url, t.key, 'sig', '-- {{agent}} ({{team}})', {
      variables: [
        { name: 'agent', type: 'STRING' },
        { name: 'team', type: 'ENUM', values: ['billing', 'tech'], required: false, default: 'tech' },
      ],
    });
    const page = await createPromptWith(url, t.key, 'page', 'Hi {{name}} {{> sig}}');
    // The including version's contract is only its own (the include's label may move); the include's joins at render.
    const v = await ok(url, t.key, '{ prompt(name: "page") { activeVersion { variables { name } warnings } } }');
    expect(v.prompt.activeVersion).toEqual({ variables: [{ name: 'name' }], warnings: [] });
    const e = await fails(url, t.key, RESOLVE, { n: 'page', v: { name: 'Ada' } }, 'BAD_USER_INPUT');
    expect(e.extensions?.field).toBe('variables.agent');
    expect(e.message).toMatch(/Missing required variable "agent"/);
    const bad = await fails(url, t.key, RESOLVE, { n: 'page', v: { name: 'Ada', agent: 'Bo', team: 'sales' } }, 'BAD_USER_INPUT');
    expect(bad.extensions?.field).toBe('variables.team');
    const r = await resolve('page', { name: 'Ada', agent: 'Bo' });
    expect(r).toMatchObject({ text: 'Hi Ada -- Bo (tech)', warnings: [] });
    // Same through renderVersion.
    const rv = await fails(url, t.key, RENDER, { id: page.createPrompt.activeVersion.id, v: { name: 'Ada' } }, 'BAD_USER_INPUT');
    expect(rv.extensions?.field).toBe('variables.agent');
  });

  test('an unknown included prompt, label or version at createVersion is BAD_USER_INPUT naming the include, with line and column', async () => {
    await createPromptWith(url, t.key, 'page', 'x');
    await createPromptWith(url, t.key, 'sig', 'S');
    for (const [tag, message] of [
      ['{{> nope}}', /Included prompt "nope" does not exist/],
      ['{{> sig@staging}}', /Included prompt "sig" has no label "staging"/],
      ['{{> sig#9}}', /Included prompt "sig" has no version 9/],
    ] as const) {
      const e = await fails(url, t.key, CREATE_VERSION, { i: { promptName: 'page', template: `line one\n  {{name}} ${tag}` } }, 'BAD_USER_INPUT');
      expect(e.extensions).toMatchObject({ field: 'input.template', line: 2, column: 12 });
      expect(e.message).toMatch(message);
    }
    // Also in a chat message and on createPrompt's first version.
    const chat = await fails(
      url,
      t.key,
      CREATE_VERSION,
      {
        i: {
          promptName: 'page',
          messages: [
            { role: 'SYSTEM', content: 'a' },
            { role: 'USER', content: '{{> nope}}' },
          ],
        },
      },
      'BAD_USER_INPUT',
    );
    expect(chat.extensions).toMatchObject({ field: 'input.messages.1.content', line: 1, column: 1 });
    const first = await fails(
      url,
      t.key,
      'mutation { createPrompt(input: { name: "other", version: { template: "{{> nope}}" } }) { id } }',
      undefined,
      'BAD_USER_INPUT',
    );
    expect(first.extensions?.field).toBe('input.version.template');
    // A CHAT prompt cannot be included.
    await ok(url, t.key, 'mutation { createPrompt(input: { name: "chatty", version: { messages: [{ role: USER, content: "hi" }] } }) { id } }');
    const chatty = await fails(url, t.key, CREATE_VERSION, { i: { promptName: 'page', template: '{{> chatty}}' } }, 'BAD_USER_INPUT');
    expect(chatty.message).toMatch(/"chatty" is a CHAT prompt/);
  });

  test('a cycle A → B → A is rejected at createVersion (at the include tag)', async () => {
    await createPromptWith(url, t.key, 'a', 'A');
    await createPromptWith(url, t.key, 'b', 'B {{> a}}');
    const e = await fails(url, t.key, CREATE_VERSION, { i: { promptName: 'a', template: 'A then {{> b}}' } }, 'BAD_USER_INPUT');
    expect(e.message).toMatch(/Include cycle: a > b > a/);
    expect(e.extensions).toMatchObject({ field: 'input.template', line: 1, column: 8 });
    // Including itself, through another label, too.
    const self = await fails(url, t.key, CREATE_VERSION, { i: { promptName: 'a', template: '{{> a@staging}}' } }, 'BAD_USER_INPUT');
    expect(self.message).toMatch(/Include cycle: a > a@staging/);
    expect((await ok(url, t.key, '{ prompt(name: "a") { latestVersion { number } } }')).prompt.latestVersion.number).toBe(1);
  });

  test('includes nested deeper than 5 levels are rejected; 5 are fine', async () => {
    await createPromptWith(url, t.key, 'p6', 'end');
    for (let i = 5; i >= 1; i--) await createPromptWith(url, t.key, `p${i}`, `${i}{{> p${i + 1}}}`);
    // root > p2 > … > p6 is 5 levels: fine. root > p1 > … > p6 is 6.
    await createPromptWith(url, t.key, 'ok-root', '{{> p2}}');
    expect((await resolve('ok-root')).text).toBe('2345end');
    const e = await fails(
      url,
      t.key,
      'mutation { createPrompt(input: { name: "deep-root", version: { template: "{{> p1}}" } }) { id } }',
      undefined,
      'BAD_USER_INPUT',
    );
    expect(e.message).toMatch(/deeper than 5 levels: deep-root > p1 > p2 > p3 > p4 > p5 > p6/);
    expect(e.extensions).toMatchObject({ field: 'input.version.template', line: 1, column: 1 });
  });
}

/** Everything else about templates (storage-independent): run on PGlite. */
export function templatesApiSuite(getServer: () => TestServer) {
  let url: string;
  let t: Tenant;
  beforeEach(async () => {
    url = getServer().url;
    t = await newTenant(url, getServer().adminKey);
  });
  const resolve = async (n: string, v: unknown = {}) => (await ok(url, t.key, RESOLVE, { n, v })).resolvePrompt;
  const createChat = (name: string, messages: unknown[], variables?: unknown[]) =>
    ok(url, t.key, 'mutation($i: CreatePromptInput!) { createPrompt(input: $i) { activeVersion { id variables { name type required } } } }', {
      i: { name, version: { messages, ...(variables ? { variables } : {}) } },
    });

  test('chat versions: SYSTEM/USER/ASSISTANT templates, a PLACEHOLDER splices a JSON list of messages', async () => {
    const d = await createChat('chat', [
      { role: 'SYSTEM', content: 'You are a {{tone}} agent.' },
      { role: 'PLACEHOLDER', content: 'history' },
      { role: 'ASSISTANT', content: 'Noted.' },
      { role: 'USER', content: '{{question}}' },
    ]);
    expect(d.createPrompt.activeVersion.variables).toEqual([
      { name: 'tone', type: 'STRING', required: true },
      { name: 'history', type: 'JSON', required: true },
      { name: 'question', type: 'STRING', required: true },
    ]);
    const history = [
      { role: 'user', content: 'Hi {{tone}}' },
      { role: 'ASSISTANT', content: 'Hello', extra: 1 },
    ];
    const r = await resolve('chat', { tone: 'calm', history, question: 'Why?' });
    expect(r).toMatchObject({
      text: null,
      messages: [
        { role: 'SYSTEM', content: 'You are a calm agent.' },
        { role: 'USER', content: 'Hi {{tone}}' }, // spliced as-is, never expanded
        { role: 'ASSISTANT', content: 'Hello' },
        { role: 'ASSISTANT', content: 'Noted.' },
        { role: 'USER', content: 'Why?' },
      ],
    });
  });

  test('a bad placeholder value is BAD_USER_INPUT naming the variable', async () => {
    await createChat('chat', [
      { role: 'PLACEHOLDER', content: 'history' },
      { role: 'USER', content: 'q' },
    ]);
    for (const [history, why] of [
      ['not a list', /it is not a list/],
      [[{ role: 'tool', content: 'x' }], /item 0 has role "tool"/],
      [[{ role: 'user' }], /item 0 has no string content/],
      [[3], /item 0 is not an object/],
    ] as const) {
      const e = await fails(url, t.key, RESOLVE, { n: 'chat', v: { history } }, 'BAD_USER_INPUT');
      expect(e.extensions?.field).toBe('variables.history');
      expect(e.message).toMatch(why);
    }
    const missing = await fails(url, t.key, RESOLVE, { n: 'chat', v: {} }, 'BAD_USER_INPUT');
    expect(missing.extensions?.field).toBe('variables.history');
  });

  test('renderVersion renders any version, labelled or not, without a label', async () => {
    await createPromptWith(url, t.key, 'p', 'one {{x}}');
    const v2 = await addVersion(url, t.key, 'p', 'two {{x}}');
    const r = (await ok(url, t.key, RENDER, { id: v2.id, v: { x: 'X' } })).renderVersion;
    expect(r).toMatchObject({ text: 'two X', versionId: v2.id, versionNumber: 2, label: null, warnings: [] });
    expect((await resolve('p', { x: 'X' })).text).toBe('one X');
    await fails(url, t.key, RENDER, { id: '00000000-0000-0000-0000-000000000000', v: {} }, 'NOT_FOUND');
  });

  test("validateTemplate with basedOnVersionId tells the contract changes a new version on top of it would bring (the editor's review step)", async () => {
    const created = await createPromptWith(url, t.key, 'contract/base', 'Hi {{name}} in {{tone}}', {
      variables: [{ name: 'name' }, { name: 'tone', type: 'ENUM', values: ['formal', 'casual'] }],
    });
    const base = created.createPrompt.activeVersion.id;
    const Q =
      'query($t: String, $v: [VariableInput!], $b: ID) { validateTemplate(template: $t, variables: $v, basedOnVersionId: $b) { valid contractChanges } }';
    const draft = {
      t: 'Hi {{name}}, about {{topic}} in {{tone}}',
      v: [{ name: 'name' }, { name: 'topic' }, { name: 'tone', type: 'ENUM', values: ['formal'] }],
    };
    const r = (await ok(url, t.key, Q, { ...draft, b: base })).validateTemplate;
    expect(r.valid).toBe(true);
    expect(r.contractChanges).toEqual(['added required variable "topic" (STRING)', 'enum values of "tone" changed: removed "casual"']);
    // The same lines the created version then carries.
    const v2 = (
      await ok(url, t.key, 'mutation($i: CreateVersionInput!) { createVersion(input: $i) { contractChanges } }', {
        i: { promptName: 'contract/base', template: draft.t, variables: draft.v },
      })
    ).createVersion;
    expect(v2.contractChanges).toEqual(r.contractChanges);
    expect((await ok(url, t.key, Q, draft)).validateTemplate.contractChanges).toEqual([]);
    const err = await fails(url, t.key, Q, { ...draft, b: '00000000-0000-0000-0000-000000000000' }, 'BAD_USER_INPUT');
    expect(err.extensions?.field).toBe('basedOnVersionId');
    await fails(url, t.key, Q, { ...draft, b: 'not-a-uuid' }, 'BAD_USER_INPUT');
    // Another workspace's version is not found either.
    const other = await newTenant(url, getServer().adminKey);
    await fails(url, other.key, Q, { ...draft, b: base }, 'BAD_USER_INPUT');
  });

  test('validateTemplate reports errors with line, column and field, warnings, inferred variables, and creates nothing', async () => {
    const syntax = (await ok(url, t.key, VALIDATE, { t: 'Hi\n  {{#a}}x' })).validateTemplate;
    expect(syntax).toMatchObject({ valid: false, errors: [{ field: 'template', line: 2, column: 3, message: expect.stringMatching(/Unclosed section/) }] });
    const undeclared = (await ok(url, t.key, VALIDATE, { t: 'Hi {{a}} {{b}}', v: [{ name: 'a' }, { name: 'unused' }] })).validateTemplate;
    expect(undeclared.valid).toBe(false);
    expect(undeclared.errors).toEqual([{ field: 'template', line: 1, column: 10, message: expect.stringMatching(/variable "b", which is not declared/) }]);
    expect(undeclared.warnings).toEqual(['variable "unused" is declared but not used by any template']);
    const inferred = (await ok(url, t.key, VALIDATE, { t: '{{a}} {{b.c}} {{#list}}{{x}}{{/list}}', s: 'sys {{s}}' })).validateTemplate;
    expect(inferred).toMatchObject({
      valid: true,
      errors: [],
      variables: [
        { name: 's', type: 'STRING', required: true },
        { name: 'a', type: 'STRING', required: true },
        { name: 'b', type: 'JSON', required: true },
        { name: 'list', type: 'JSON', required: false },
      ],
    });
    const chat = (
      await ok(url, t.key, VALIDATE, {
        m: [
          { role: 'USER', content: 'ok' },
          { role: 'PLACEHOLDER', content: 'not a name!' },
        ],
      })
    ).validateTemplate;
    expect(chat.errors[0]).toMatchObject({ field: 'messages.1.content' });
    // Includes are checked against the workspace (without creating anything).
    const inc = (await ok(url, t.key, VALIDATE, { t: 'x\n {{> missing}}' })).validateTemplate;
    expect(inc).toMatchObject({
      valid: false,
      errors: [{ field: 'template', line: 2, column: 2, message: expect.stringMatching(/"missing" does not exist/) }],
    });
    await createPromptWith(url, t.key, 'sig', '{{agent}}');
    const withInc = (await ok(url, t.key, VALIDATE, { t: '{{> sig}}', v: [{ name: 'agent', required: false, default: 'us' }] })).validateTemplate;
    expect(withInc).toMatchObject({ valid: true, warnings: [] }); // "agent" is used, by the include
    const list = await ok(url, t.key, '{ prompts { totalCount } }');
    expect(list.prompts.totalCount).toBe(1);
  });

  test('every render error is BAD_USER_INPUT with extensions.field', async () => {
    await createPromptWith(url, t.key, 'typed', '{{s}} {{n}} {{b}} {{j}} {{e}}', {
      variables: [
        { name: 's', type: 'STRING' },
        { name: 'n', type: 'NUMBER' },
        { name: 'b', type: 'BOOLEAN' },
        { name: 'j', type: 'JSON' },
        { name: 'e', type: 'ENUM', values: ['formal', 'casual'] },
      ],
    });
    const good = { s: 'x', n: 2.5, b: true, j: { k: [1, 'two'] }, e: 'casual' };
    expect((await resolve('typed', good)).text).toBe('x 2.5 true {"k":[1,"two"]} casual');
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ s: undefined }, 's', /Missing required variable "s" \(STRING\)/],
      [{ s: 3 }, 's', /"s" must be a STRING/],
      [{ n: '3' }, 'n', /"n" must be a NUMBER \(a finite number\), got the string "3"/],
      [{ b: 'true' }, 'b', /"b" must be a BOOLEAN/],
      [{ e: 'rude' }, 'e', /"e" must be an ENUM, one of "formal", "casual", got the string "rude"/],
      [{ e: undefined }, 'e', /Missing required variable "e" \(ENUM: "formal", "casual"\)/],
      [{ j: undefined }, 'j', /Missing required variable "j" \(JSON\)/],
    ];
    for (const [change, name, message] of cases) {
      const e = await fails(url, t.key, RESOLVE, { n: 'typed', v: { ...good, ...change } }, 'BAD_USER_INPUT');
      expect({ field: e.extensions?.field, message: e.message }).toEqual({ field: `variables.${name}`, message: expect.stringMatching(message) });
    }
    for (const v of [[1, 2], 'text', 5]) {
      const e = await fails(url, t.key, RESOLVE, { n: 'typed', v }, 'BAD_USER_INPUT');
      expect(e.extensions?.field).toBe('variables');
      expect(e.message).toMatch(/Variables must be a JSON object/);
    }
  });

  test('undeclared variables are ignored and reported in warnings; defaults apply', async () => {
    await createPromptWith(url, t.key, 'p', 'Hi {{name}} ({{tone}})', { variables: [{ name: 'name' }, { name: 'tone', required: false, default: 'calm' }] });
    const r = await resolve('p', { name: 'Ada', extra: '{{name}}' });
    expect(r).toEqual(expect.objectContaining({ text: 'Hi Ada (calm)', warnings: ['variable "extra" is not declared by this version and was ignored'] }));
  });

  test('{{constructor}} and {{__proto__}} are missing variables, never something built in', async () => {
    const e = await fails(
      url,
      t.key,
      'mutation { createPrompt(input: { name: "proto", version: { template: "{{constructor}}", variables: [{ name: "x" }] } }) { id } }',
      undefined,
      'BAD_USER_INPUT',
    );
    expect(e.message).toMatch(/variable "constructor", which is not declared/);
    await createPromptWith(url, t.key, 'proto', '[{{constructor}}][{{__proto__}}][{{x.toString}}]');
    const missing = await fails(url, t.key, RESOLVE, { n: 'proto', v: {} }, 'BAD_USER_INPUT');
    expect(missing.extensions?.field).toBe('variables.constructor');
    // Given as data they are plain values; built-ins are never reached through a path.
    const r = await resolve('proto', JSON.parse('{ "constructor": "c", "__proto__": "p", "x": { "a": 1 } }'));
    expect(r.text).toBe('[c][p][]');
  });

  test('createVersion returns contractChanges against the version before it, and warnings', async () => {
    await createPromptWith(url, t.key, 'c', '{{a}} {{b}}', {
      variables: [{ name: 'a' }, { name: 'b', type: 'NUMBER' }, { name: 'tone', type: 'ENUM', values: ['x', 'y'], required: false }],
    });
    const d = (
      await ok(url, t.key, CREATE_VERSION, {
        i: {
          promptName: 'c',
          template: '{{a}} {{b}} {{c}}',
          variables: [{ name: 'a', required: false }, { name: 'b', type: 'STRING' }, { name: 'c' }, { name: 'unused' }],
        },
      })
    ).createVersion;
    expect(d.contractChanges).toEqual([
      '"a" became optional',
      'changed type of "b" from NUMBER to STRING',
      'added required variable "c" (STRING)',
      'added required variable "unused" (STRING)',
      'removed variable "tone"',
    ]);
    expect(d.warnings).toEqual(['variable "unused" is declared but not used by any template']);
  });
}
