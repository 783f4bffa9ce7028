import { checkDeclarations, compileTemplate, compileVersionContent, inferVariables, type VariableDeclaration } from '../../src/templates';
import { badInput, json, render, str } from './helpers';

const tone: VariableDeclaration = { name: 'tone', type: 'ENUM', values: ['formal', 'casual'], required: true };
const n: VariableDeclaration = { name: 'n', type: 'NUMBER', required: true };
const b: VariableDeclaration = { name: 'b', type: 'BOOLEAN', required: true };

describe('values checked against the contract at render', () => {
  it('requires a plain object (or null/undefined)', () => {
    for (const v of [[], 'x', 3, true]) {
      const e = badInput(() => render('x', v));
      expect(e.field).toBe('variables');
      expect(e.code).toBe('BAD_USER_INPUT');
    }
    expect(render('x', null)).toBe('x');
    expect(render('x', undefined)).toBe('x');
  });

  it('reports a missing required variable on variables.<name>', () => {
    const e = badInput(() => render('{{ticket}}', {}, [str('ticket')]));
    expect(e.field).toBe('variables.ticket');
    expect(e.message).toMatch(/^Missing required variable "ticket" \(STRING\)/);
    // null counts as not given
    expect(badInput(() => render('{{ticket}}', { ticket: null }, [str('ticket')])).field).toBe('variables.ticket');
  });

  it.each<[VariableDeclaration, unknown, RegExp]>([
    [str('s'), 3, /Variable "s" must be a STRING/],
    [n, '3', /Variable "n" must be a NUMBER \(a finite number\), got the string "3"/],
    [n, Number.POSITIVE_INFINITY, /must be a NUMBER/],
    [n, Number.NaN, /must be a NUMBER/],
    [b, 'true', /Variable "b" must be a BOOLEAN/],
    [tone, 'rude', /Variable "tone" must be an ENUM, one of "formal", "casual", got the string "rude"/],
    [tone, 1, /must be an ENUM/],
    [json('j'), { f: () => 1 }, /Variable "j" must be JSON data/],
    [json('j'), [Number.NaN], /must be JSON data/],
    [json('j'), new Date(), /must be JSON data/],
  ])('rejects a wrong type for %j', (decl, value, message) => {
    const e = badInput(() => render(`{{${decl.name}}}`, { [decl.name]: value }, [decl]));
    expect(e.field).toBe(`variables.${decl.name}`);
    expect(e.message).toMatch(message);
  });

  it('accepts values of the right type', () => {
    expect(render('{{s}} {{n}} {{b}} {{tone}} {{j}}', { s: 'x', n: -2.5, b: true, tone: 'casual', j: { a: [null] } }, [str('s'), n, b, tone, json('j')])).toBe(
      'x -2.5 true casual {"a":[null]}',
    );
  });

  it('applies defaults (a default makes a required variable optional)', () => {
    const decls: VariableDeclaration[] = [
      { name: 'tone', type: 'ENUM', values: ['formal', 'casual'], required: true, default: 'formal' },
      { name: 'n', type: 'NUMBER', required: false, default: 3 },
    ];
    expect(render('{{tone}} {{n}}', {}, decls)).toBe('formal 3');
    expect(render('{{tone}} {{n}}', { tone: null, n: 4 }, decls)).toBe('formal 4');
  });

  it('accepts null as a value of a required JSON variable (rendering as nothing), unlike other types', () => {
    expect(render('[{{j}}]{{^j}}falsy{{/j}}', { j: null }, [json('j', true)])).toBe('[]falsy');
    expect(badInput(() => render('{{j}}', {}, [json('j', true)])).field).toBe('variables.j');
  });

  it('renders a missing optional variable as empty and treats it as falsy', () => {
    expect(render('[{{x}}]{{#x}}yes{{/x}}{{^x}}no{{/x}}', {}, [str('x', false)])).toBe('[]no');
  });

  it('warns about undeclared variables and does not let the template use them', () => {
    const c = compileVersionContent({ type: 'TEXT', template: '{{a}}{{#items}}{{secret}}{{/items}}', variables: [str('a'), json('items')] });
    const r = c.render({ a: 'A', secret: 'S', items: [{}] });
    expect(r.text).toBe('A');
    expect(r.warnings).toEqual(['variable "secret" is not declared by this version and was ignored']);
  });

  it('reads OWN enumerable keys only: inherited enumerable keys (a tampered prototype) and non-enumerable ones are not values', () => {
    const c = compileVersionContent({ type: 'TEXT', template: '[{{a}}][{{b}}]', variables: [str('a'), str('b', false)] });
    const given: Record<string, unknown> = { a: 'A' };
    Object.defineProperty(given, 'b', { value: 'hidden', enumerable: false });
    Object.defineProperty(Object.prototype, 'polluted', { value: 'P', enumerable: true, configurable: true });
    Object.defineProperty(Object.prototype, 'a', { value: 'PA', enumerable: true, configurable: true });
    try {
      const r = c.render(given);
      expect(r.text).toBe('[A][]');
      expect(r.warnings).toEqual([]);
      expect(badInput(() => c.render({})).field).toBe('variables.a');
      expect(c.render({ a: 'x', extra: 1 }).warnings).toEqual(['variable "extra" is not declared by this version and was ignored']);
    } finally {
      delete (Object.prototype as Record<string, unknown>).polluted;
      delete (Object.prototype as Record<string, unknown>).a;
    }
  });

  it('does not warn when every given variable is declared', () => {
    const c = compileVersionContent({ type: 'TEXT', template: '{{a}}', variables: [str('a')] });
    expect(c.render({ a: 'x' }).warnings).toEqual([]);
  });
});

describe('checkDeclarations', () => {
  it.each<[unknown, string, RegExp]>([
    [{ name: '1x', type: 'STRING', required: true }, 'variables.0.name', /Invalid variable name "1x"/],
    [{ name: 'a-b', type: 'STRING', required: true }, 'variables.0.name', /Invalid variable name/],
    [{ name: 'x', type: 'TEXT', required: true }, 'variables.0.type', /unknown type "TEXT"/],
    [{ name: 'x', type: 'ENUM', required: true }, 'variables.0.values', /needs a non-empty list/],
    [{ name: 'x', type: 'ENUM', values: [], required: true }, 'variables.0.values', /needs a non-empty list/],
    [{ name: 'x', type: 'ENUM', values: ['a', 'a'], required: true }, 'variables.0.values', /lists the value "a" twice/],
    [{ name: 'x', type: 'STRING', values: ['a'], required: true }, 'variables.0.values', /only ENUM variables take "values"/],
    [{ name: 'x', type: 'NUMBER', required: false, default: '1' }, 'variables.0.default', /default of variable "x" must be a NUMBER/],
    [{ name: 'x', type: 'ENUM', values: ['a'], required: false, default: 'b' }, 'variables.0.default', /must be an ENUM/],
    [{ name: 'x', type: 'STRING', required: 'yes' }, 'variables.0.required', /"required" must be true or false/],
  ])('%j → %s', (decl, field, message) => {
    const issues = checkDeclarations([decl as VariableDeclaration]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toEqual({ field, message: expect.stringMatching(message) });
  });

  it('reports duplicate names on the later one', () => {
    expect(checkDeclarations([str('a'), str('b'), str('a')])).toEqual([
      { field: 'variables.2.name', message: expect.stringMatching(/Duplicate variable name "a"/) },
    ]);
  });

  it('accepts valid declarations', () => {
    expect(
      checkDeclarations([
        str('a'),
        tone,
        { name: 'j', type: 'JSON', required: false, default: { x: 1 } },
        { name: 'd', type: 'STRING', required: true, default: null },
      ]),
    ).toEqual([]);
  });
});

describe('inferVariables', () => {
  it('infers {{x}} as STRING required, paths and sections as JSON, names in #sections not at all', () => {
    const t = compileTemplate('{{a}} {{u.name}} {{#items}}{{title}} {{a}}{{/items}} {{#flag}}x{{/flag}} {{^empty}}{{fallback}}{{/empty}} {{u}}');
    expect(inferVariables(t)).toEqual([
      { name: 'a', type: 'STRING', required: true },
      { name: 'u', type: 'JSON', required: true },
      { name: 'items', type: 'JSON', required: false },
      { name: 'flag', type: 'JSON', required: false },
      { name: 'empty', type: 'JSON', required: false },
      { name: 'fallback', type: 'STRING', required: false },
    ]);
  });

  it('makes a section variable required when it is also used outside sections', () => {
    expect(inferVariables(compileTemplate('{{#x}}a{{/x}}{{x}}'))).toEqual([{ name: 'x', type: 'JSON', required: true }]);
  });

  it('merges several templates and placeholders', () => {
    expect(inferVariables([compileTemplate('{{a}}'), null, compileTemplate('{{b.c}}{{a}}')], { placeholders: ['history'] })).toEqual([
      { name: 'a', type: 'STRING', required: true },
      { name: 'b', type: 'JSON', required: true },
      { name: 'history', type: 'JSON', required: true },
    ]);
  });

  it("never copies an included template's variables into the including contract (they come from the include at render)", () => {
    const inc = compileTemplate('{{company}}');
    expect(inferVariables(compileTemplate('{{a}}{{> footer}}'), { resolveInclude: () => inc })).toEqual([{ name: 'a', type: 'STRING', required: true }]);
  });

  it('is what a version without declarations renders against', () => {
    const c = compileVersionContent({ type: 'TEXT', template: 'Hi {{name}}', variables: [] });
    expect(c.variablesInferred).toBe(true);
    expect(c.variables).toEqual([str('name')]);
    expect(badInput(() => c.render({})).field).toBe('variables.name');
  });
});
