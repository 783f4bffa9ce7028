/** Validation of the variants/weights input of an experiment, and the derived variant keys (A = control, B, C, …). */
import { BadInputError } from '../errors';

export const MIN_VARIANTS = 2;
export const MAX_VARIANTS = 10;

export interface VariantWeightInput {
  versionId: string;
  weight: number;
}

export interface KeyedVariant extends VariantWeightInput {
  key: string;
}

/** Key of the variant at `index` in input order: 0 → "A" (the control), 1 → "B", … 9 → "J". */
export function variantKey(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_VARIANTS) throw new RangeError(`variant index out of range: ${index}`);
  return String.fromCharCode(65 + index);
}

/**
 * Validate variants and derive their keys. 2..10 variants; integer weights summing to exactly 100; distinct
 * version ids. At the start every weight must be 1..100 (a variant that gets no traffic has no business in the test);
 * a ramp update (`ramp: true`) may set a weight to 0 to stop sending traffic to a variant without deleting its data.
 * Throws BadInputError with field `variants`, `variants.<i>.weight` or `variants.<i>.versionId`.
 */
export function validateWeights(variants: readonly VariantWeightInput[], options: { ramp?: boolean } = {}): KeyedVariant[] {
  const minWeight = options.ramp ? 0 : 1;
  if (variants.length < MIN_VARIANTS || variants.length > MAX_VARIANTS) {
    throw new BadInputError('variants', `An experiment needs ${MIN_VARIANTS} to ${MAX_VARIANTS} variants; got ${variants.length}.`);
  }
  const seen = new Map<string, number>();
  let sum = 0;
  variants.forEach(({ versionId, weight }, i) => {
    if (!Number.isInteger(weight) || weight < minWeight || weight > 100) {
      throw new BadInputError(`variants.${i}.weight`, `A weight must be an integer percentage from ${minWeight} to 100.`);
    }
    const first = seen.get(versionId);
    if (first !== undefined) {
      throw new BadInputError(`variants.${i}.versionId`, `Version ${versionId} is already variant ${variantKey(first)}.`);
    }
    seen.set(versionId, i);
    sum += weight;
  });
  if (sum !== 100) throw new BadInputError('variants', `The weights must add up to 100; they add up to ${sum}.`);
  return variants.map(({ versionId, weight }, i) => ({ key: variantKey(i), versionId, weight }));
}
