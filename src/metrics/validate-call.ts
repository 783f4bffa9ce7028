/**
 * Validation of one reported call at the edge (before any database access): ranges, finiteness
 * (graphql's Float accepts `1e400` as Infinity in inline literals, so it is checked here), text
 * limits and the time window. Also the call's fingerprint, which tells a retry from a conflict. Pure.
 */
import { createHash } from 'node:crypto';
import { BadInputError } from '../errors';
import { assertFiniteRange, assertIntRange, assertMeasure, assertText, assertUuid, optionalText } from '../shared/validate';
import { usdToNano } from './cost';

export type CallInput = {
  versionId: string;
  callId?: string | null;
  requestId?: string | null;
  runId?: string | null;
  latencyMs: number;
  inputTokens?: number | null;
  outputTokens?: number | null;
  tokensUsed?: number | null;
  success: boolean;
  errorCode?: string | null;
  qualityScore?: number | null;
  model?: string | null;
  costUsd?: number | null;
  at?: Date | null;
};

export type ValidCall = {
  versionId: string;
  callId: string | null;
  requestId: string | null;
  runId: string | null;
  latencyMs: number;
  inputTokens: number | null;
  outputTokens: number | null;
  /** Given, else input + output when either is known. */
  tokensUsed: number | null;
  success: boolean;
  errorCode: string | null;
  qualityScore: number | null;
  model: string | null;
  costNano: bigint | null;
  at: Date;
  /** Hash of what the client sent (a defaulted `at` excluded, so a plain retry matches). */
  fingerprint: string;
};

export const MAX_LATENCY_MS = 3_600_000;
export const MAX_TOKENS = 1_000_000_000;
/** A single call costing more than this is a unit mistake (cents for dollars), not a call. */
export const MAX_COST_USD = 1_000_000;
export const MAX_PAST_MS = 7 * 24 * 3600 * 1000;
export const MAX_FUTURE_MS = 5 * 60 * 1000;
const MAX_TEXT = 200;

function tokens(value: number | null | undefined, field: string): number | null {
  return value == null ? null : assertIntRange(value, field, 0, MAX_TOKENS);
}

function nonEmptyText(value: string | null | undefined, field: string): string | null {
  if (value == null) return null;
  if (value.length === 0) throw new BadInputError(field, `"${field}" cannot be empty.`);
  return assertText(value, field, MAX_TEXT);
}

/** `field` is the input's path (`input` or `inputs.3`); errors name `<field>.<name>`. */
export function validateCall(input: CallInput, field: string, now: number): ValidCall {
  const versionId = assertUuid(input.versionId, `${field}.versionId`);
  const callId = nonEmptyText(input.callId, `${field}.callId`);
  const requestId = optionalText(input.requestId, `${field}.requestId`, MAX_TEXT);
  const runId = optionalText(input.runId, `${field}.runId`, MAX_TEXT);
  const latencyMs = assertMeasure(input.latencyMs, `${field}.latencyMs`, 0, MAX_LATENCY_MS);
  const inputTokens = tokens(input.inputTokens, `${field}.inputTokens`);
  const outputTokens = tokens(input.outputTokens, `${field}.outputTokens`);
  const givenTotal = tokens(input.tokensUsed, `${field}.tokensUsed`);
  if (typeof input.success !== 'boolean') throw new BadInputError(`${field}.success`, `"${field}.success" must be true or false.`);
  const errorCode = optionalText(input.errorCode, `${field}.errorCode`, MAX_TEXT);
  const qualityScore = input.qualityScore == null ? null : assertMeasure(input.qualityScore, `${field}.qualityScore`, 0, 1);
  const model = nonEmptyText(input.model, `${field}.model`);
  const costUsd = input.costUsd == null ? null : assertFiniteRange(input.costUsd, `${field}.costUsd`, 0, MAX_COST_USD);
  let at = new Date(now);
  if (input.at != null) {
    const t = input.at.getTime();
    if (!Number.isFinite(t) || t < now - MAX_PAST_MS || t > now + MAX_FUTURE_MS) {
      throw new BadInputError(`${field}.at`, `"${field}.at" must be within the past 7 days and at most 5 minutes ahead.`);
    }
    at = input.at;
  }
  const costNano = costUsd == null ? null : usdToNano(costUsd);
  const tokensUsed = givenTotal ?? (inputTokens != null || outputTokens != null ? (inputTokens ?? 0) + (outputTokens ?? 0) : null);
  const fingerprint = createHash('sha256')
    .update(
      JSON.stringify([
        versionId,
        requestId,
        runId,
        latencyMs,
        inputTokens,
        outputTokens,
        givenTotal,
        input.success,
        errorCode,
        qualityScore,
        model,
        costNano?.toString() ?? null,
        input.at ? at.toISOString() : null,
      ]),
    )
    .digest('base64url');
  return {
    versionId,
    callId,
    requestId,
    runId,
    latencyMs,
    inputTokens,
    outputTokens,
    tokensUsed,
    success: input.success,
    errorCode,
    qualityScore,
    model,
    costNano,
    at,
    fingerprint,
  };
}
