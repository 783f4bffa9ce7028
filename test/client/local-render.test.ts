/** The client's local resolution without a server: golden A/B vectors, label choice, includes, fallbacks. */
import golden from '../fixtures/ab-golden-vectors.json';
import { createLocalRenderer, fallbackVersion, holdPrompt, type HeldPrompt } from '../../src/client/local-render';
import type { WirePrompt, WireVersion } from '../../src/client/types';

function version(id: string, number: number, template: string, extra: Partial<WireVersion> = {}): WireVersion {
  return {
    id,
    number,
    type: 'TEXT',
    template,
    systemMessage: null,
    messages: null,
    variables: [],
    model: 'm',
    temperature: 0.7,
    maxTokens: 100,
    config: null,
    ...extra,
  };
}

function prompt(name: string, versions: WireVersion[], labels: Record<string, string>, extra: Partial<WirePrompt> = {}): WirePrompt {
  return {
    name,
    revision: 1,
    labels: Object.entries(labels).map(([n, versionId]) => ({ name: n, versionId })),
    latestVersionId: versions[versions.length - 1]!.id,
    versions,
    abTests: [],
    ...extra,
  };
}

function rendererOf(...prompts: WirePrompt[]) {
  const held = new Map<string, HeldPrompt>(prompts.map((p) => [p.name, holdPrompt(p)]));
  return { renderer: createLocalRenderer((n) => held.get(n)), held };
}

describe('A/B assignment on the client', () => {
  it('passes every golden vector (the same hash and allocation as the server)', () => {
    for (const c of golden.cases) {
      const versions = c.allocation.map((_r, i) => version(`v${i}`, i + 1, `variant ${i}`));
      const p = prompt(
        'p',
        versions,
        { production: 'v0' },
        {
          abTests: [
            {
              id: 't',
              label: 'production',
              salt: c.salt,
              allocation: c.allocation.map((ranges, i) => ({ key: String.fromCharCode(65 + i), ranges })),
              variants: versions.map((v, i) => ({ key: String.fromCharCode(65 + i), versionId: v.id })),
            },
          ],
        },
      );
      const { renderer, held } = rendererOf(p);
      const choice = renderer.choose(held.get('p')!, 'production', c.requestId);
      expect({ salt: c.salt, requestId: c.requestId, key: choice.variant }).toEqual({ salt: c.salt, requestId: c.requestId, key: c.key });
      expect(choice.version.id).toBe(`v${c.variantIndex}`);
      expect(choice.abTestId).toBe('t');
    }
  });

  it('serves the label without a test on other labels and on latest', () => {
    const versions = [version('a', 1, 'A'), version('b', 2, 'B')];
    const p = prompt(
      'p',
      versions,
      { production: 'a', staging: 'b' },
      {
        abTests: [
          {
            id: 't',
            label: 'production',
            salt: 's',
            allocation: [
              { key: 'A', ranges: [[0, 5000]] },
              { key: 'B', ranges: [[5000, 10000]] },
            ],
            variants: [
              { key: 'A', versionId: 'a' },
              { key: 'B', versionId: 'b' },
            ],
          },
        ],
      },
    );
    const { renderer, held } = rendererOf(p);
    expect(renderer.choose(held.get('p')!, 'staging', 'x')).toMatchObject({ abTestId: null, variant: null, version: { id: 'b' } });
    expect(renderer.choose(held.get('p')!, 'latest', 'x')).toMatchObject({ abTestId: null, version: { id: 'b' } });
  });
});

describe('local rendering', () => {
  it('renders with includes from held prompts, by label and by pinned version', async () => {
    const footer = prompt('footer', [version('f1', 1, 'old footer'), version('f2', 2, 'new footer {{name}}')], { production: 'f2' });
    const main = prompt(
      'main',
      [version('m1', 1, 'Hi {{name}}. {{> footer}} / {{> footer#1}}', { variables: [{ name: 'name', type: 'STRING', required: true }] })],
      { production: 'm1' },
    );
    const { renderer, held } = rendererOf(footer, main);
    const choice = renderer.choose(held.get('main')!, 'production', undefined);
    const r = await renderer.render('main', 'production', choice, { name: 'Ada' });
    expect(r).toMatchObject({
      text: 'Hi Ada. new footer Ada / old footer',
      versionId: 'm1',
      versionNumber: 1,
      promptName: 'main',
      label: 'production',
      abTestId: null,
    });
  });

  it('fails like the server for a missing label or variable', () => {
    const { renderer, held } = rendererOf(
      prompt('p', [version('a', 1, '{{x}}', { variables: [{ name: 'x', type: 'STRING', required: true }] })], { production: 'a' }),
    );
    expect(() => renderer.choose(held.get('p')!, 'staging', undefined)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    const choice = renderer.choose(held.get('p')!, 'production', undefined);
    expect(() => renderer.render('p', 'production', choice, {})).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });

  it('renders a fallback given as a plain template (variables inferred)', () => {
    const { renderer } = rendererOf();
    const r = renderer.render('x', 'production', { version: fallbackVersion('x', 'Hello {{who}}'), abTestId: null, variant: null }, { who: 'you' });
    expect(r).toMatchObject({ text: 'Hello you', versionId: 'fallback:x', versionNumber: 0 });
  });
});
