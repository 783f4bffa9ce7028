import { NotFoundError } from '../../src/errors';
import {
  compileTemplate,
  compileVersionContent,
  listIncludes,
  MAX_INCLUDE_DEPTH,
  preloadIncludes,
  renderTemplate,
  type CompiledTemplate,
  type IncludeRef,
} from '../../src/templates';
import { badInput, json, render, str } from './helpers';

describe('values as text', () => {
  it('renders numbers via String(), booleans, JSON compactly and null/missing optional as nothing', () => {
    const decls = [
      { name: 'n', type: 'NUMBER' as const, required: true },
      { name: 'b', type: 'BOOLEAN' as const, required: true },
      json('o'),
      json('a'),
      json('z'),
      str('missing', false),
    ];
    expect(render('{{n}}|{{b}}|{{o}}|{{a}}|{{z}}|{{missing}}', { n: 1.5, b: false, o: { k: [1, 'x'] }, a: [1, 2], z: null }, decls)).toBe(
      '1.5|false|{"k":[1,"x"]}|[1,2]||',
    );
  });

  it('never expands a value again: a value containing {{x}} renders literally', () => {
    expect(render('{{a}}', { a: '{{b}} {{#c}}x{{/c}} \\{{', b: 'NO' }, [str('a'), str('b', false)])).toBe('{{b}} {{#c}}x{{/c}} \\{{');
  });
});

describe('lookups see only own properties', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])('{{%s}} is missing', (name) => {
    const t = compileTemplate(`[{{${name}}}][{{#${name}}}in{{/${name}}}][{{obj.${name}}}][{{s.${name}}}][{{a.${name}}}]`);
    const out = renderTemplate(t, [json('obj'), json(name), str('s'), json('a')], { obj: {}, s: 'str', a: [] }).text;
    expect(out).toBe('[][][][][]');
  });

  it('does not see prototype properties through the context stack either', () => {
    expect(render('{{#items}}[{{toString}}{{constructor}}]{{/items}}', { items: [{}, 'x', 1] }, [json('items')])).toBe('[][][]');
  });

  it('does not reach properties of strings (e.g. length)', () => {
    expect(render('[{{s.length}}][{{s.0}}]', { s: 'abc' }, [str('s')])).toBe('[][]');
  });

  it('a JSON.parse-d "__proto__" key is an ordinary value, not the prototype', () => {
    const values = JSON.parse('{"o": {"__proto__": {"polluted": "yes"}}}') as unknown;
    expect(render('[{{o.polluted}}][{{o.__proto__.polluted}}]', values, [json('o')])).toBe('[][yes]');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('a declared variable named __proto__ works and does not change any prototype', () => {
    const decls = [{ name: '__proto__', type: 'STRING' as const, required: false, default: 'dflt' }];
    expect(render('[{{__proto__}}]', {}, decls)).toBe('[dflt]');
  });
});

/** A resolver over a map of name → source. */
function resolverFor(sources: Record<string, string>): (ref: IncludeRef) => CompiledTemplate | undefined {
  const compiled = new Map(Object.entries(sources).map(([k, v]) => [k, compileTemplate(v)]));
  return (ref) => compiled.get(ref.label ? `${ref.name}@${ref.label}` : ref.version ? `${ref.name}#${ref.version}` : ref.name);
}

describe('includes', () => {
  it('renders an included template with the same variables and current section scopes', () => {
    const resolveInclude = resolverFor({ greet: 'Hello {{name}}', 'item@staging': '<{{.}}>', 'sig#2': '-- {{name}}' });
    expect(
      render('{{> greet}}! {{#items}}{{> item@staging}}{{/items}} {{> sig#2}}', { name: 'Ada', items: ['a', 'b'] }, [str('name'), json('items')], {
        resolveInclude,
      }),
    ).toBe('Hello Ada! <a><b> -- Ada');
  });

  it('fails with NOT_FOUND when an include was not resolved', () => {
    expect(() => render('{{> nope}}', {}, undefined, { resolveInclude: () => undefined })).toThrow(NotFoundError);
    expect(() => render('{{> nope}}', {})).toThrow(/Included prompt "nope" was not found/);
  });

  it('detects a cycle A → B → A at render', () => {
    const resolveInclude = resolverFor({ a: 'A{{> b}}', b: 'B{{> a}}' });
    const e = badInput(() => render('{{> a}}', {}, undefined, { resolveInclude }));
    expect(e.field).toBe('template');
    expect(e.message).toMatch(/Include cycle: a > b > a/);
    // With the prompt's own name, self-inclusion is caught at the first step.
    expect(badInput(() => render('{{> a}}', {}, undefined, { resolveInclude, promptName: 'b' })).message).toMatch(/cycle: b > a > b/);
  });

  it('treats another label or version of the same prompt as a cycle too', () => {
    const resolveInclude = resolverFor({ a: 'A{{> a@staging}}', 'a@staging': 'x' });
    expect(badInput(() => render('{{> a}}', {}, undefined, { resolveInclude })).message).toMatch(/cycle: a > a@staging/);
  });

  it(`allows nesting ${MAX_INCLUDE_DEPTH} deep and rejects deeper`, () => {
    const chain = (n: number): Record<string, string> =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i + 1}`, i + 1 < n ? `${i + 1}{{> p${i + 2}}}` : 'end']));
    expect(render('{{> p1}}', {}, undefined, { resolveInclude: resolverFor(chain(5)) })).toBe('1234end');
    const e = badInput(() => render('{{> p1}}', {}, undefined, { resolveInclude: resolverFor(chain(6)) }));
    expect(e.message).toMatch(/deeper than 5 levels: p1 > p2 > p3 > p4 > p5 > p6/);
  });

  it('lists include refs for preloading', () => {
    const c = compileVersionContent({ type: 'TEXT', template: '{{> a}}{{> b@x}}', systemMessage: '{{> a}}{{> c#2}}' });
    expect(c.includes).toEqual([{ name: 'a' }, { name: 'c', version: 2 }, { name: 'b', label: 'x' }]);
    expect(listIncludes(compileTemplate('{{> a}}'), null, compileTemplate('{{> a}}{{> b}}'))).toEqual([{ name: 'a' }, { name: 'b' }]);
  });

  it('preloadIncludes loads each reachable ref once and returns a resolver', async () => {
    const sources: Record<string, string> = { a: 'A{{> b}}{{> b}}', b: 'B{{> c@live}}', 'c@live': 'C' };
    const loads: string[] = [];
    const root = compileTemplate('{{> a}}-{{> b}}');
    const { templates, resolveInclude } = await preloadIncludes([root], async (ref) => {
      const key = ref.label ? `${ref.name}@${ref.label}` : ref.name;
      loads.push(key);
      return compileTemplate(sources[key]!);
    });
    expect(loads.sort()).toEqual(['a', 'b', 'c@live']);
    expect([...templates.keys()].sort()).toEqual(['a', 'b', 'c@live']);
    expect(renderTemplate(root, [], {}, { resolveInclude }).text).toBe('ABCBC-BC');
  });

  it('preloadIncludes rejects cycles (also through the root name) and depth > 5', async () => {
    const load = (sources: Record<string, string>) => (ref: IncludeRef) => compileTemplate(sources[ref.name]!);
    await expect(preloadIncludes([compileTemplate('{{> a}}')], load({ a: '{{> b}}', b: '{{> a}}' }))).rejects.toThrow(/Include cycle: a > b > a/);
    await expect(preloadIncludes([compileTemplate('{{> a}}')], load({ a: '{{> root}}', root: '' }), 'root')).rejects.toThrow(/Include cycle: root > a > root/);
    const deep = { p1: '{{> p2}}', p2: '{{> p3}}', p3: '{{> p4}}', p4: '{{> p5}}', p5: '{{> p6}}', p6: 'x' };
    await expect(preloadIncludes([compileTemplate('{{> p1}}')], load(deep), 'root')).rejects.toThrow(/deeper than 5/);
    await expect(preloadIncludes([compileTemplate('{{> p2}}')], load(deep), 'root')).resolves.toBeDefined();
  });
});

describe('bound fast paths (slots, flat sections) render exactly like name lookups', () => {
  it('a flat section body: item fields, outer variables, paths, {{.}} and numbers', () => {
    const vars = [str('customer'), json('items', true)];
    const items = [{ title: 'a', n: 1, deep: { x: [5] } }, 'plain', { customer: 'inner' }];
    expect(render('{{#items}}[{{title}}|{{n}}|{{deep.x.0}}|{{customer}}|{{.}}]{{/items}}', { customer: 'Ada', items }, vars)).toBe(
      '[a|1|5|Ada|{"title":"a","n":1,"deep":{"x":[5]}}][|||Ada|plain][|||inner|{"customer":"inner"}]',
    );
  });

  it("an included template reads the includer's values by name, not through the includer's slots", () => {
    const inc = compileTemplate('{{b}}-{{a}}');
    // The includer declares [a, b]: slot 0 is "a". The include's tags must not read slot 0 for "b".
    expect(render('{{a}}:{{> inc}}', { a: 'A', b: 'B' }, [str('a'), str('b')], { resolveInclude: () => inc })).toBe('A:B-A');
  });

  it('a flat section: prototype names, array and primitive items, undeclared names and an empty list', () => {
    const vars = [str('customer'), json('items', true), json('none', true)];
    const items = [[1, 2], 7, null, { toString: 'own' }];
    expect(
      render('{{#items}}<{{toString}}|{{constructor}}|{{customer}}|{{undeclared}}>{{/items}}{{#none}}x{{/none}}', { customer: 'Ada', items, none: [] }, vars),
    ).toBe('<||Ada|><||Ada|><||Ada|><own||Ada|>');
  });

  it('a top-level section over a non-array value, inverted sections and includes around a flat section', () => {
    const inc = compileTemplate('({{#items}}{{t}}{{/items}})');
    const vars = [json('items', true), json('obj', true), str('s')];
    expect(
      render(
        '{{#obj}}{{k}}{{/obj}}{{^obj}}no{{/obj}}{{#items}}{{t}}{{/items}}{{> inc}}{{^items}}empty{{/items}}{{s}}',
        { items: [{ t: 1 }, { t: 2 }], obj: { k: 'K' }, s: 'S' },
        vars,
        {
          resolveInclude: () => inc,
        },
      ),
    ).toBe('K12(12)S');
  });

  it('a section nested in a flat-looking body is not flattened', () => {
    expect(render('{{#xs}}<{{#on}}y{{/on}}{{v}}>{{/xs}}', { xs: [{ on: true, v: 1 }, { v: 2 }] }, [json('xs', true)])).toBe('<y1><2>');
  });
});
