import { BadInputError } from '../../src/errors';
import { compileTemplate, parseTemplate, positionOf } from '../../src/templates';
import { badInput, json, render, str } from './helpers';

/** The error of a template that must not parse, with its 1-based position. */
function syntaxError(source: string): { message: string; line: number; column: number } {
  const r = parseTemplate(source);
  if (r.ok) throw new Error(`expected a syntax error for ${JSON.stringify(source)}`);
  return { message: r.error.message, ...positionOf(source, r.error.offset) };
}

describe('grammar', () => {
  it('substitutes variables, with or without spaces inside the braces', () => {
    expect(render('Hi {{name}} and {{ name }}!', { name: 'Ada' })).toBe('Hi Ada and Ada!');
  });

  it('follows dotted paths into JSON, including array indices', () => {
    const decls = [json('user', true)];
    expect(render('{{user.name}} {{user.tags.1}} {{user.address.city}}', { user: { name: 'Ada', tags: ['a', 'b'], address: { city: 'London' } } }, decls)).toBe(
      'Ada b London',
    );
    expect(render('[{{user.missing.deeper}}][{{user.tags.9}}]', { user: { tags: [] } }, decls)).toBe('[][]');
  });

  it('treats a path segment of digits as an index only into arrays, and arrays have no named fields', () => {
    expect(render('{{a.0}}|{{a.length}}|{{o.0}}', { a: ['x'], o: { 0: 'zero' } }, [json('a'), json('o')])).toBe('x||zero');
  });

  it('renders comments as nothing', () => {
    expect(render('a{{! a comment }}b{{!multi\nline}}c', {})).toBe('abc');
  });

  it('turns \\{{ into a literal {{', () => {
    expect(render('\\{{name}} is {{name}}', { name: 'x' })).toBe('{{name}} is x');
    expect(render('\\{{', {})).toBe('{{');
  });

  it('accepts {{{x}}} and {{& x}} as the same as {{x}}; nothing is HTML-escaped', () => {
    expect(render('{{x}}|{{{x}}}|{{& x}}|{{{ x }}}', { x: '<b>&"\'' })).toBe('<b>&"\'|<b>&"\'|<b>&"\'|<b>&"\'');
  });

  it('renders a section once for a truthy value, pushing an object as context', () => {
    const d = [json('user'), json('flag')];
    expect(render('{{#flag}}yes{{/flag}}', { flag: true }, d)).toBe('yes');
    expect(render('{{#user}}{{name}}{{/user}}', { user: { name: 'Ada' } }, d)).toBe('Ada');
    expect(render('{{#user}}{{.}}{{/user}}', { user: 'plain' }, d)).toBe('plain');
  });

  it('skips a section for every falsy value: false, null, missing, "", 0, []', () => {
    for (const v of [false, null, undefined, '', 0, []]) {
      expect(render('<{{#x}}in{{/x}}>', v === undefined ? {} : { x: v }, [json('x')])).toBe('<>');
      expect(render('<{{^x}}none{{/x}}>', v === undefined ? {} : { x: v }, [json('x')])).toBe('<none>');
    }
    for (const v of [true, 'a', 1, -1, {}, [0]]) {
      expect(render('<{{^x}}none{{/x}}>', { x: v }, [json('x')])).toBe('<>');
    }
  });

  it('repeats a section for each array item, with {{.}} and a context stack', () => {
    const d = [json('items'), str('who')];
    expect(render('{{#items}}[{{.}}]{{/items}}', { items: ['a', 1, true], who: 'w' }, d)).toBe('[a][1][true]');
    expect(render('{{#items}}{{name}}/{{who}};{{/items}}', { items: [{ name: 'n1' }, { name: 'n2', who: 'inner' }], who: 'outer' }, d)).toBe(
      'n1/outer;n2/inner;',
    );
  });

  it('resolves a dotted name in the first scope that has its first segment (mustache rule)', () => {
    const d = [json('a'), json('items')];
    // The item has `a`, without `b`: the outer `a.b` is not consulted.
    expect(render('{{#items}}<{{a.b}}>{{/items}}', { a: { b: 'outer' }, items: [{ a: {} }] }, d)).toBe('<>');
  });

  it('nests sections', () => {
    const v = {
      groups: [
        { name: 'g1', members: ['a', 'b'] },
        { name: 'g2', members: [] },
      ],
    };
    expect(render('{{#groups}}{{name}}:{{#members}}{{.}},{{/members}}{{^members}}none{{/members}};{{/groups}}', v, [json('groups')])).toBe('g1:a,b,;g2:none;');
  });

  it('removes standalone section and comment lines, keeping other lines intact', () => {
    const t = 'List:\n  {{#items}}\n  - {{.}}\n  {{/items}}\n{{! note }}\nEnd {{#items}}{{/items}}\n';
    expect(render(t, { items: ['a', 'b'] }, [json('items')])).toBe('List:\n  - a\n  - b\nEnd \n');
    // CRLF lines and a standalone tag on the last line without a newline.
    expect(render('a\r\n{{#x}}\r\nb\r\n{{/x}}', { x: true }, [json('x')])).toBe('a\r\nb\r\n');
    // A variable alone on its line is not standalone.
    expect(render('a\n{{v}}\nb', { v: '' }, [str('v')])).toBe('a\n\nb');
    // Two tags on one line: not standalone.
    expect(render('a\n{{#x}}{{/x}}\nb', { x: true }, [json('x')])).toBe('a\n\nb');
  });
});

describe('syntax errors carry a 1-based line and column', () => {
  it.each([
    ['unclosed {{', 'ab\n  {{name', 2, 3, /Unclosed tag/],
    ['{{ inside a tag', 'x {{a {{b}}', 1, 3, /Unclosed tag/],
    ['unclosed section', 'a\n{{#items}}\nb', 2, 1, /Unclosed section "\{\{#items\}\}": missing \{\{\/items\}\}/],
    ['mismatched close', '{{#a}}\n {{#b}}x{{/a}}', 2, 9, /Mismatched section close "\{\{\/a\}\}": expected \{\{\/b\}\}.*line 2, column 2/],
    ['close without open', 'x {{/a}}', 1, 3, /no section is open/],
    ['empty tag', 'x\n\n{{ }}', 3, 1, /Empty tag/],
    ['bad name', '{{ first name }}', 1, 1, /Unknown tag syntax/],
    ['name starting with a digit', '{{1abc}}', 1, 1, /Unknown tag syntax/],
    ['expression-like tag', '{{ a + b }}', 1, 1, /Unknown tag syntax/],
    ['function-call-like tag', '{{ process.exit() }}', 1, 1, /Unknown tag syntax/],
    ['bad section name', '{{#a b}}{{/a b}}', 1, 1, /Invalid section name/],
    ['set delimiters', '{{=<% %>=}}', 1, 1, /Set-delimiter/],
    ['bad include', '{{> Bad_Name}}', 1, 1, /Invalid include/],
    ['bad include label', '{{> ok@Bad}}', 1, 1, /Invalid include/],
    ['bad include version', '{{> ok#0}}', 1, 1, /Invalid include/],
    ['unclosed triple', '{{{x}}', 1, 1, /Unclosed tag/],
    ['NUL', 'ab\ncd\u0000', 2, 3, /NUL/],
    ['lone surrogate', '😀x\ud800y', 1, 3, /lone UTF-16 surrogate/],
    ['lone low surrogate', '\udc00', 1, 1, /lone UTF-16 surrogate/],
  ])('%s', (_label, source, line, column, message) => {
    const e = syntaxError(source);
    expect(e.message).toMatch(message);
    expect({ line: e.line, column: e.column }).toEqual({ line, column });
  });

  it('counts columns in code points (an emoji is one column)', () => {
    expect(syntaxError('😀😀{{')).toMatchObject({ line: 1, column: 3 });
  });

  it('compileTemplate throws BAD_USER_INPUT with the field and position', () => {
    const e = badInput(() => compileTemplate('a\n{{#x}}', 'messages.2.content'));
    expect(e).toBeInstanceOf(BadInputError);
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.field).toBe('messages.2.content');
    expect(e.details).toMatchObject({ line: 2, column: 1 });
    expect(e.message).toMatch(/line 2, column 1/);
  });

  it('accepts valid surrogate pairs', () => {
    expect(parseTemplate('😀 {{x}} 𝄞').ok).toBe(true);
  });
});

describe('includes in the parser', () => {
  it('records include references, deduplicated, with labels and pinned versions', () => {
    const t = compileTemplate('{{> header}}{{> lib/footer@staging}}{{> faq.v2#3}}{{>header}}');
    expect(t.includes).toEqual([{ name: 'header' }, { name: 'lib/footer', label: 'staging' }, { name: 'faq.v2', version: 3 }]);
  });
});
