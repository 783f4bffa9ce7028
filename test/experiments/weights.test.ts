/** validateWeights: the input rules for variants and their derived keys. */
import { BadInputError } from '../../src/errors';
import { validateWeights, variantKey } from '../../src/experiments/pure';

const variants = (weights: number[]) => weights.map((weight, i) => ({ versionId: `v${i}`, weight }));

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof BadInputError) return e.field;
    throw e;
  }
  return undefined;
}

describe('validateWeights', () => {
  it('derives keys A, B, C… in input order', () => {
    expect(validateWeights(variants([10, 30, 60]))).toEqual([
      { key: 'A', versionId: 'v0', weight: 10 },
      { key: 'B', versionId: 'v1', weight: 30 },
      { key: 'C', versionId: 'v2', weight: 60 },
    ]);
    expect(
      validateWeights(variants(Array(10).fill(10)))
        .map((v) => v.key)
        .join(''),
    ).toBe('ABCDEFGHIJ');
    expect(variantKey(9)).toBe('J');
    expect(() => variantKey(10)).toThrow(RangeError);
  });

  it('needs 2..10 variants', () => {
    expect(fieldOf(() => validateWeights(variants([100])))).toBe('variants');
    expect(fieldOf(() => validateWeights(variants([...Array(10).fill(9), 10])))).toBe('variants');
  });

  it('needs integer weights in range, summing to exactly 100', () => {
    expect(fieldOf(() => validateWeights(variants([50, 49.5, 0.5])))).toBe('variants.1.weight');
    expect(fieldOf(() => validateWeights(variants([50, 50, 0])))).toBe('variants.2.weight');
    expect(fieldOf(() => validateWeights(variants([101, -1])))).toBe('variants.0.weight');
    expect(fieldOf(() => validateWeights(variants([50, 40])))).toBe('variants');
    expect(fieldOf(() => validateWeights(variants([50, Number.NaN])))).toBe('variants.1.weight');
  });

  it('allows weight 0 only in ramp updates', () => {
    expect(validateWeights(variants([50, 50, 0]), { ramp: true }).map((v) => v.weight)).toEqual([50, 50, 0]);
    expect(fieldOf(() => validateWeights(variants([50, 51, 0]), { ramp: true }))).toBe('variants');
  });

  it('rejects a version used twice, pointing at the second use', () => {
    const input = [
      { versionId: 'x', weight: 40 },
      { versionId: 'y', weight: 30 },
      { versionId: 'x', weight: 30 },
    ];
    expect(fieldOf(() => validateWeights(input))).toBe('variants.2.versionId');
  });

  it('errors carry the BAD_USER_INPUT code and can be prefixed at the edge', () => {
    try {
      validateWeights(variants([50, 40]));
      throw new Error('expected a BadInputError');
    } catch (e) {
      expect(e).toBeInstanceOf(BadInputError);
      expect((e as BadInputError).code).toBe('BAD_USER_INPUT');
      expect((e as BadInputError).withFieldPrefix('input').field).toBe('input.variants');
    }
  });
});
