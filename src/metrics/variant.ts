/**
 * The A/B hook of ingestion: which test (and which of its variants) covered a call, derived on the
 * server from the request id and the test running on the version's prompt. Until the A/B feature
 * lands no test exists, so this answers nulls. It runs on the hot path for every call: keep it
 * cheap (an in-process cache of running tests), and it may return a promise if it must load one.
 */
export type VariantContext = { workspaceId: string; promptId: string; versionId: string; requestId: string | null; at: Date };
export type DerivedVariant = { abTestId: string | null; variant: string | null };
/** The A/B module's implementation (experiments/ab-runtime.ts), passed in by createApp. */
export type VariantDeriver = (call: VariantContext) => DerivedVariant | Promise<DerivedVariant>;

const NONE: DerivedVariant = { abTestId: null, variant: null };

export function deriveVariant(_call: VariantContext): DerivedVariant | Promise<DerivedVariant> {
  return NONE;
}
