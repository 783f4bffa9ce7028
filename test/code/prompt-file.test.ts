/**
 * The `.prompt` file format: round-trip properties (fast-check), pure and against a real server: any version
 * the server accepts pulls to a file that pushes back to the same content and hash, byte-identical.
 */
import fc from 'fast-check';
import { localHashOf, fileContentOf, versionInputOf, VERSION_SELECTION, type ServerVersion } from '../../src/prompt-files/server-version';
import { parsePromptFile, PromptFileError, serializePromptFile, type PromptFileContent } from '../../src/prompt-files/format';
import { emptyLock, parseLock, serializeLock } from '../../src/prompt-files/lockfile';
import { ok } from '../helpers/graphql';
import { usePostgresServer } from '../helpers/postgres';
import { newTenant, type Tenant } from '../helpers/seed';
import type { TestServer } from '../helpers/server';

/** Any well-formed Unicode without NUL; literal text of a template has no braces or backslashes. */
const text = fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\u0000'));
const literal = text.filter((s) => !/[{}\\]/.test(s));
const varName = fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/);
const json = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown); // no -0: JSON has none
const label = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,10}$/);

type Decl = {
  name: string;
  type: 'STRING' | 'NUMBER' | 'BOOLEAN' | 'JSON' | 'ENUM';
  values: string[] | null;
  required: boolean;
  default: unknown;
  description: string | null;
};

const declaration = (name: string): fc.Arbitrary<Decl> =>
  fc.constantFrom('STRING', 'NUMBER', 'BOOLEAN', 'JSON', 'ENUM').chain((type) => {
    const values = type === 'ENUM' ? fc.uniqueArray(fc.stringMatching(/^[a-z]{1,6}$/), { minLength: 1, maxLength: 4 }) : fc.constant(null);
    return values.chain((vals) => {
      const def: fc.Arbitrary<unknown> =
        type === 'STRING'
          ? text
          : type === 'NUMBER'
            ? fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n))
            : type === 'BOOLEAN'
              ? fc.boolean()
              : type === 'JSON'
                ? json.filter((v) => v !== null)
                : fc.constantFrom(...vals!);
      return fc.record({
        name: fc.constant(name),
        type: fc.constant(type as Decl['type']),
        values: fc.constant(vals),
        required: fc.boolean(),
        default: fc.option(def, { nil: null }),
        description: fc.option(text, { nil: null }),
      });
    });
  });

/** A template using each declared variable at least once, between literal chunks. */
const templateOf = (names: string[]) =>
  fc
    .array(literal, { minLength: names.length + 1, maxLength: names.length + 1 })
    .map((chunks) => chunks.map((c, i) => (i < names.length ? `${c}{{${names[i]}}}` : c)).join(''));

const objectSchema = fc.uniqueArray(varName, { maxLength: 3 }).chain((props) =>
  fc.record({
    type: fc.constant('object'),
    properties: fc.constant(Object.fromEntries(props.map((p) => [p, { type: 'string', description: p }]))),
    required: fc.subarray(props),
  }),
);
const tools = fc
  .option(
    fc.uniqueArray(
      fc.record({ name: fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_-]{0,10}$/), description: fc.option(text, { nil: undefined }), parameters: objectSchema }),
      { selector: (t) => t.name, maxLength: 3 },
    ),
    { nil: null },
  )
  .map((ts) => ts?.map((t) => (t.description === undefined ? { name: t.name, parameters: t.parameters } : t)) ?? null);

/** A version input the server accepts: TEXT (with an optional system message) or CHAT. */
const versionInput = fc.uniqueArray(varName, { maxLength: 4 }).chain((names) =>
  fc.record({
    variables: fc.tuple(...names.map(declaration)).map((ds) => ds as Decl[]),
    chat: fc.boolean(),
    template: templateOf(names),
    systemMessage: fc.option(literal, { nil: null }),
    extraMessages: fc.array(fc.record({ role: fc.constantFrom('SYSTEM', 'USER', 'ASSISTANT'), content: literal }), { maxLength: 3 }),
    model: fc.stringMatching(/^[a-z0-9][a-z0-9.:-]{0,20}$/),
    temperature: fc.double({ min: 0, max: 2, noNaN: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
    maxTokens: fc.integer({ min: 1, max: 1_000_000 }),
    config: fc.option(fc.dictionary(fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,8}$/), json, { maxKeys: 3 }), { nil: null }),
    tools,
    responseFormat: fc.option(objectSchema, { nil: null }),
    description: fc.option(text, { nil: null }),
    tags: fc.uniqueArray(label, { maxLength: 3 }),
  }),
);

function toContent(v: fc.Arbitrary<unknown> extends never ? never : any): PromptFileContent {
  return {
    type: v.chat ? 'CHAT' : 'TEXT',
    template: v.chat ? null : v.template,
    systemMessage: v.chat ? null : v.systemMessage,
    messages: v.chat ? [{ role: 'USER', content: v.template }, ...v.extraMessages] : null,
    variables: v.variables.map((d: Decl) => ({
      name: d.name,
      type: d.type,
      values: d.values,
      required: d.required,
      ...(d.default !== null ? { default: d.default } : {}),
      description: d.description,
    })),
    model: v.model,
    temperature: v.temperature,
    maxTokens: v.maxTokens,
    config: v.config,
    tools: v.tools,
    responseFormat: v.responseFormat,
    description: v.description,
    tags: v.tags,
  };
}

const canonical = (x: unknown): string =>
  JSON.stringify(x, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );

describe('pure round trip', () => {
  test('parse(serialize(c)) is c, and serialize is a fixed point (byte-identical), with LF and one final newline', () => {
    fc.assert(
      fc.property(versionInput, (v) => {
        const c = toContent(v);
        const file = serializePromptFile(c);
        const back = parsePromptFile(file, 'x.prompt');
        expect(canonical(back)).toBe(canonical(c));
        expect(serializePromptFile(back)).toBe(file);
        expect(localHashOf(back)).toBe(localHashOf(c));
        expect(file.endsWith('\n')).toBe(true);
        if (file.endsWith('\n\n')) expect(c.type === 'TEXT' && (c.template === '' || (c.template ?? '').endsWith('\n'))).toBe(true);
        expect(file.includes('\r\n') && !JSON.stringify(c).includes('\\r')).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  test('serialisation sorts keys, and a template is the body after the front matter', () => {
    const file = serializePromptFile(
      toContent({
        chat: false,
        template: 'Hi {{who}}\n',
        systemMessage: null,
        extraMessages: [],
        variables: [{ name: 'who', type: 'STRING', values: null, required: true, default: null, description: 'Who' }],
        model: 'm',
        temperature: 0.5,
        maxTokens: 10,
        config: { z: 1, a: 2 },
        tools: null,
        responseFormat: null,
        description: 'D',
        tags: ['t'],
      }),
    );
    expect(file).toBe(
      '---\nconfig:\n  a: 2\n  z: 1\ndescription: D\nmaxTokens: 10\nmodel: m\ntags:\n  - t\ntemperature: 0.5\ntype: TEXT\nvariables:\n  - description: Who\n    name: who\n---\nHi {{who}}\n\n',
    );
  });

  test('bad files get an error naming the file and the problem', () => {
    expect(() => parsePromptFile('hello', 'a.prompt')).toThrow(PromptFileError);
    expect(() => parsePromptFile('---\nmodel: m\n', 'a.prompt')).toThrow(/no closing "---"/);
    expect(() => parsePromptFile('---\nmodle: m\n---\nx\n', 'a.prompt')).toThrow(/a.prompt: unknown front matter key "modle"/);
    expect(() => parsePromptFile('---\nmodel: [\n---\nx\n', 'a.prompt')).toThrow(/invalid YAML/);
    expect(() => parsePromptFile('---\ntype: CHAT\n---\nx\n', 'a.prompt')).toThrow(/lists "messages"/);
    expect(() => parsePromptFile('---\nvariables: [{ type: STRING }]\n---\nx\n', 'a.prompt')).toThrow(/variables\[0\] needs a "name"/);
  });

  test('the lockfile is deterministic JSON and parses back', () => {
    const lock = {
      ...emptyLock(),
      typesOut: 'src/prompts.generated.ts',
      prompts: { 'b/x': { versionId: 'v2', number: 2, revision: 5, hash: 'h2' }, a: { versionId: 'v1', number: 1, revision: 1, hash: 'h1' } },
    };
    const text = serializeLock(lock);
    expect(text).toBe(serializeLock(parseLock(text)));
    expect(text.indexOf('"a"')).toBeLessThan(text.indexOf('"b/x"'));
    expect(text.endsWith('}\n')).toBe(true);
    expect(() => parseLock('{"prompts": {}}')).toThrow(/not a prompts lockfile/);
  });
});

describe('against a real server', () => {
  let server: TestServer;
  let t: Tenant;
  usePostgresServer((s) => {
    server = s;
  });
  beforeAll(async () => {
    t = await newTenant(server.url, server.adminKey);
  });

  test('any version the server accepts pulls to a file that pushes back to the same content and hash', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(versionInput, async (v) => {
        const c = toContent(v);
        const name = `rt/p${n++}`;
        const created = await ok(
          server.url,
          t.key,
          `mutation($i: CreatePromptInput!) { createPrompt(input: $i) { description tags latestVersion { ${VERSION_SELECTION} } } }`,
          {
            i: { name, description: c.description, tags: c.tags, version: versionInputOf(c) },
          },
        );
        const p = created.createPrompt;
        const pulled = fileContentOf(p.latestVersion as ServerVersion, p);
        const file = serializePromptFile(pulled);
        const parsed = parsePromptFile(file, `${name}.prompt`);
        // The file's hash is the server's: an unchanged file is recognised without pushing.
        expect(localHashOf(parsed)).toBe(p.latestVersion.contentHash);
        // Pushing the file back stores the same content (same hash), and pulling that is the same bytes.
        const pushed = await ok(server.url, t.key, `mutation($i: CreateVersionInput!) { createVersion(input: $i) { ${VERSION_SELECTION} } }`, {
          i: { promptName: name, ...versionInputOf(parsed) },
        });
        expect(pushed.createVersion.contentHash).toBe(p.latestVersion.contentHash);
        expect(serializePromptFile(fileContentOf(pushed.createVersion, p))).toBe(file);
      }),
      { numRuns: 40 },
    );
  });
});
