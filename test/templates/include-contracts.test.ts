/** An included prompt's variables: its own contract merged into the including one, so nothing renders empty silently. */
import {
  compileTemplate,
  compileVersionContent,
  findIncludeTag,
  mergeDeclarations,
  preloadIncludes,
  rootIncludeOf,
  type IncludedTemplate,
  type IncludeRef,
  type VariableDeclaration,
} from '../../src/templates';
import { badInput, str } from './helpers';

const opt = (name: string): VariableDeclaration => ({ name, type: 'STRING', required: false });
const footer: IncludedTemplate = {
  template: compileTemplate('-- {{agent}} ({{team}})'),
  variables: [str('agent'), { name: 'team', type: 'ENUM', values: ['billing', 'tech'], required: false, default: 'tech' }],
};
const loadFooter = (): IncludedTemplate => footer;

async function renderWithFooter(template: string, variables: VariableDeclaration[] | null, values: unknown) {
  const content = compileVersionContent({ type: 'TEXT', template, variables });
  const pre = await preloadIncludes([content.template], loadFooter, 'page');
  return content.render(values, { resolveInclude: pre.resolveInclude, promptName: 'page', includedVariables: pre.variables });
}

describe('include contracts', () => {
  it('a missing required variable of an include is BAD_USER_INPUT naming it (never an empty string)', async () => {
    const e = await renderWithFooter('Hi {{name}} {{> footer}}', null, { name: 'Ada' }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toMatchObject({ code: 'BAD_USER_INPUT', field: 'variables.agent' });
    expect((e as Error).message).toMatch(/Missing required variable "agent"/);
  });

  it('checks the include\'s types and applies its defaults; its variables are not "undeclared"', async () => {
    const r = await renderWithFooter('Hi {{name}} {{> footer}}', null, { name: 'Ada', agent: 'Bob' });
    expect(r.text).toBe('Hi Ada -- Bob (tech)');
    expect(r.warnings).toEqual([]);
    await expect(renderWithFooter('{{> footer}}', null, { agent: 'Bob', team: 'sales' })).rejects.toMatchObject({ field: 'variables.team' });
  });

  it("the including version's declaration wins (type, default), but an include's required variable stays required", async () => {
    // The page gives "agent" a default: satisfied without the caller passing it.
    const withDefault = await renderWithFooter('{{> footer}}', [{ name: 'agent', type: 'STRING', required: false, default: 'the team' }], {});
    expect(withDefault.text).toBe('-- the team (tech)');
    // The page declares "agent" optional without a default: the footer still requires it.
    await expect(renderWithFooter('{{#agent}}x{{/agent}}{{> footer}}', [opt('agent')], {})).rejects.toMatchObject({ field: 'variables.agent' });
  });

  it('without includedVariables the old behaviour (undeclared → ignored) would render empty: the merge is what checks', () => {
    const content = compileVersionContent({ type: 'TEXT', template: '{{> footer}}', variables: null });
    expect(content.render({}, { resolveInclude: () => footer.template }).text).toBe('--  ()');
  });

  it('mergeDeclarations: base wins, extra names appended, requiredness kept unless base has a default', () => {
    const base = [opt('a'), { name: 'b', type: 'NUMBER' as const, required: false, default: 1 }];
    expect(mergeDeclarations(base, [])).toBe(base);
    expect(mergeDeclarations(base, [str('a'), str('b'), str('c')])).toEqual([{ ...opt('a'), required: true }, base[1], str('c')]);
  });

  it('preloadIncludes merges nested contracts (first declaration wins) and infers bare templates', async () => {
    const sources: Record<string, string> = { outer: '{{x}}{{> inner}}', inner: '{{y}}{{#z}}{{/z}}' };
    const pre = await preloadIncludes([compileTemplate('{{> outer}}')], (ref: IncludeRef) => compileTemplate(sources[ref.name]!));
    expect(pre.variables).toEqual([str('x'), str('y'), { name: 'z', type: 'JSON', required: false }]);
  });

  it('passes the chain to the loader and locates the root include tag of a failure', async () => {
    const chains: string[][] = [];
    const root = compileTemplate('line one\n  {{#s}}{{> a}}{{/s}}');
    await preloadIncludes(
      [root],
      (ref, chain) => {
        chains.push([...chain]);
        return compileTemplate(ref.name === 'a' ? '{{> b@x}}' : 'B');
      },
      'page',
    );
    expect(chains).toEqual([
      ['page', 'a'],
      ['page', 'a', 'b@x'],
    ]);
    expect(rootIncludeOf(['page', 'a', 'b@x'], true)).toBe('a');
    expect(rootIncludeOf(['a', 'b@x'], false)).toBe('a');
    const at = findIncludeTag(
      [
        { field: 'systemMessage', template: null },
        { field: 'template', template: root },
      ],
      'a',
    );
    expect(at).toMatchObject({ source: { field: 'template' }, offset: root.source.indexOf('{{> a}}') });
    expect(findIncludeTag([{ field: 'template', template: root }], 'zzz')).toBeNull();
  });

  it('a cycle error carries the chain (so the server can name the include tag)', async () => {
    const e = await preloadIncludes([compileTemplate('{{> a}}')], (ref) => compileTemplate(ref.name === 'a' ? '{{> page}}' : ''), 'page').catch(
      (x: unknown) => x,
    );
    expect(e).toMatchObject({ code: 'BAD_USER_INPUT', details: { chain: ['page', 'a', 'page'] } });
    expect(
      badInput(() => {
        throw e;
      }).message,
    ).toMatch(/Include cycle: page > a > page/);
  });
});
