import fc from 'fast-check';
import { compileVersionContent, parseTemplate, type VariableDeclaration } from '../../src/templates';
import { render } from './helpers';

/** Any well-formed Unicode (astral included) without NUL. */
const unicodeText = fc.string({ unit: 'binary', maxLength: 60 }).filter((s) => !s.includes('\u0000'));
const literalText = unicodeText.filter((s) => !s.includes('{{') && !s.endsWith('{') && !s.endsWith('\\'));

const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/);

const jsonValue = fc.jsonValue({ maxDepth: 3 });

/** A declaration and a value of its type. */
const declared = fc.tuple(name, fc.constantFrom('STRING', 'NUMBER', 'BOOLEAN', 'JSON', 'ENUM'), fc.boolean()).chain(([n, type, required]) => {
  const value: fc.Arbitrary<unknown> =
    type === 'STRING'
      ? unicodeText
      : type === 'NUMBER'
        ? fc.double({ noNaN: true, noDefaultInfinity: true })
        : type === 'BOOLEAN'
          ? fc.boolean()
          : type === 'JSON'
            ? jsonValue
            : fc.constantFrom('a', 'b');
  const decl: VariableDeclaration = { name: n, type: type as VariableDeclaration['type'], required, ...(type === 'ENUM' ? { values: ['a', 'b'] } : {}) };
  return fc.tuple(fc.constant(decl), value);
});

describe('properties', () => {
  it('a template without {{ renders unchanged (no declarations needed)', () => {
    fc.assert(
      fc.property(literalText, (text) => {
        expect(render(text, {})).toBe(text);
      }),
    );
  });

  it('parsing any string never throws (it returns a template or a positioned error)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 80 }),
        fc.string({ unit: fc.constantFrom('{{', '}}', '#a', '/a', '^a', '!', '>', 'a', ' ', '\n', '.', '\\'), maxLength: 20 }),
        (a, b) => {
          const source = a + b;
          const r = parseTemplate(source);
          if (!r.ok) expect(r.error.offset).toBeLessThanOrEqual(source.length);
        },
      ),
    );
  });

  it('rendering with every declared variable given (right type) never throws', () => {
    const shape = fc.array(fc.constantFrom('var', 'path', 'section', 'inverted', 'dot', 'text'), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(fc.uniqueArray(declared, { selector: ([d]) => d.name, minLength: 1, maxLength: 5 }), shape, literalText, (pairs, kinds, text) => {
        const decls = pairs.map(([d]) => d);
        const values = Object.fromEntries(pairs.map(([d, v]) => [d.name, v]));
        const pick = (k: number): string => decls[k % decls.length]!.name;
        const template = kinds
          .map((kind, k) => {
            const n = pick(k);
            switch (kind) {
              case 'var':
                return `{{${n}}}`;
              case 'path':
                return `{{${n}.x.0}}`;
              case 'section':
                return `{{#${n}}}[{{.}}|{{${pick(k + 1)}}}]{{/${n}}}`;
              case 'inverted':
                return `{{^${n}}}none{{/${n}}}`;
              case 'dot':
                return '{{.}}';
              default:
                return text;
            }
          })
          .join('');
        const r = compileVersionContent({ type: 'TEXT', template, variables: decls }).render(values);
        expect(typeof r.text).toBe('string');
        expect(r.warnings).toEqual([]);
      }),
    );
  });

  it('values are inserted as text and never expanded again', () => {
    const tricky = fc.string({ unit: fc.constantFrom('{{', '}}', 'a', '#', '/', '^', '.', '\\', '!', '>', '&', ' '), maxLength: 30 });
    fc.assert(
      fc.property(tricky, tricky, (a, item) => {
        const decls: VariableDeclaration[] = [
          { name: 'a', type: 'STRING', required: true },
          { name: 'items', type: 'JSON', required: true },
        ];
        expect(render('<{{a}}>{{#items}}({{.}}){{/items}}', { a, items: [item, item] }, decls)).toBe(`<${a}>(${item})(${item})`);
      }),
    );
  });

  it('unicode round-trips exactly through text and values', () => {
    fc.assert(
      fc.property(literalText, unicodeText, literalText, (before, value, after) => {
        const template = `${before}{{v}}${after}`;
        // `before` may end with a backslash only if it is not escaping our tag; literalText excludes that.
        expect(render(template, { v: value }, [{ name: 'v', type: 'STRING', required: true }])).toBe(before + value + after);
      }),
    );
  });

  it('prototype names are always missing, whatever the values', () => {
    fc.assert(
      fc.property(fc.constantFrom('constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf'), jsonValue, (n, v) => {
        // A value that has the name as its OWN key legitimately renders it (e.g. {"valueOf": false}).
        fc.pre(!JSON.stringify(v ?? null).includes(JSON.stringify(n)));
        const decls: VariableDeclaration[] = [{ name: 'o', type: 'JSON', required: false }];
        expect(render(`[{{o.${n}}}]{{#o}}[{{${n}}}]{{/o}}`, { o: v }, decls).replace(/\[\]/g, '')).toBe('');
      }),
    );
  });
});
