import { compileTemplate, validateTemplate, type VariableDeclaration } from '../../src/templates';
import { json, str } from './helpers';

describe('validateTemplate', () => {
  it('returns inferred variables for a valid template without declarations', () => {
    expect(validateTemplate({ template: 'Hi {{name}}' })).toEqual({ valid: true, errors: [], warnings: [], variables: [str('name')] });
  });

  it('reports syntax errors with field, line and column for every template field', () => {
    const r = validateTemplate({
      systemMessage: 'ok {{',
      template: 'line1\n  {{#a}}',
      messages: [
        { role: 'SYSTEM', content: 'fine' },
        { role: 'USER', content: 'x\ny {{/b}}' },
      ],
    });
    expect(r.valid).toBe(false);
    expect(r.errors).toEqual([
      { field: 'systemMessage', line: 1, column: 4, message: expect.stringMatching(/Unclosed tag/) },
      { field: 'template', line: 2, column: 3, message: expect.stringMatching(/Unclosed section/) },
      { field: 'messages.1.content', line: 2, column: 3, message: expect.stringMatching(/no section is open/) },
    ]);
  });

  it('rejects NUL and lone surrogates with their position', () => {
    expect(validateTemplate({ template: 'a\u0000' }).errors).toEqual([{ field: 'template', line: 1, column: 2, message: expect.stringMatching(/NUL/) }]);
    expect(validateTemplate({ messages: [{ role: 'USER', content: '\ud800' }] }).errors[0]).toMatchObject({ field: 'messages.0.content', line: 1, column: 1 });
  });

  it('reports a variable used but not declared, at its first use', () => {
    const r = validateTemplate({ template: '{{a}}\n  {{b}} {{b}} {{#items}}{{itemField}}{{/items}}', variables: [str('a'), json('items')] });
    expect(r.errors).toEqual([{ field: 'template', line: 2, column: 3, message: expect.stringMatching(/uses variable "b", which is not declared/) }]);
    expect(r.variables).toEqual([str('a'), json('items')]);
  });

  it('reports invalid declarations with their field and no position', () => {
    const decls = [
      str('ok'),
      { name: 'ok', type: 'STRING', required: true },
      { name: 'e', type: 'ENUM', required: true },
      { name: 'n', type: 'NUMBER', required: false, default: 'x' },
    ] as VariableDeclaration[];
    const r = validateTemplate({ template: '{{ok}}{{e}}{{n}}', variables: decls });
    expect(r.errors.map((e) => [e.field, e.line, e.column])).toEqual([
      ['variables.1.name', null, null],
      ['variables.2.values', null, null],
      ['variables.3.default', null, null],
    ]);
  });

  it('warns about declared variables no template uses (names inside sections count as used)', () => {
    const r = validateTemplate({ template: '{{#items}}{{title}}{{/items}}', variables: [json('items'), str('title'), str('unused', false)] });
    expect(r.valid).toBe(true);
    expect(r.warnings).toEqual(['variable "unused" is declared but not used by any template']);
  });

  it('warns about {{.}} outside a section and about paths into non-JSON variables', () => {
    const r = validateTemplate({ template: '{{.}} {{s.x}}', variables: [str('s')] });
    expect(r.valid).toBe(true);
    expect(r.warnings).toEqual([
      '{{.}} outside a section (template, line 1, column 1) has no item to refer to and renders nothing',
      'variable "s" is a STRING, so a path into it (template, line 1, column 7) always renders nothing',
    ]);
  });

  it('checks chat roles and placeholders', () => {
    const r = validateTemplate({
      messages: [
        { role: 'BOT' as never, content: 'x' },
        { role: 'PLACEHOLDER', content: 'not a name' },
        { role: 'PLACEHOLDER', content: 'history' },
        { role: 'PLACEHOLDER', content: 'examples' },
      ],
      variables: [str('history')],
    });
    expect(r.errors).toEqual([
      { field: 'messages.0.role', line: null, column: null, message: expect.stringMatching(/Unknown message role "BOT"/) },
      { field: 'messages.1.content', line: 1, column: 1, message: expect.stringMatching(/name of a JSON variable/) },
      { field: 'messages.2.content', line: null, column: null, message: expect.stringMatching(/must be declared as JSON/) },
      { field: 'messages.3.content', line: null, column: null, message: expect.stringMatching(/uses variable "examples", which is not declared/) },
    ]);
  });

  it('infers placeholders as JSON required, in message order', () => {
    const r = validateTemplate({
      messages: [
        { role: 'SYSTEM', content: 'be {{tone}}' },
        { role: 'PLACEHOLDER', content: 'history' },
        { role: 'USER', content: '{{q}}' },
      ],
    });
    expect(r.variables).toEqual([str('tone'), json('history', true), str('q')]);
  });

  it("with a resolver, counts included variables as used; the include's own contract covers the others", () => {
    const footer = compileTemplate('{{company}} {{support}}');
    const r = validateTemplate({ template: '{{a}}{{> footer}}', variables: [str('a'), str('company')], resolveInclude: () => footer });
    expect(r.valid).toBe(true);
    // "company" is used (by the include), so not "declared but not used"; "support" is the footer's to declare.
    expect(r.warnings).toEqual([]);
    const without = validateTemplate({ template: '{{a}}{{> footer}}', variables: [str('a'), str('company')] });
    expect(without.warnings).toEqual(['variable "company" is declared but not used by any template']);
  });
});
