/**
 * Exact money: USD amounts as integer nano-dollars (bigint), the scale of numeric(18,9), so sums and
 * token × price products never go through binary floating point. Pure.
 */

const SCALE = 9;
const NANO = 10n ** BigInt(SCALE);
const MILLION = 1_000_000n;

/** "12.5" (a numeric from Postgres, or a toFixed string) → 12500000000n; extra decimals round half up. */
export function decimalToNano(value: string): bigint {
  const m = /^(\d+)(?:\.(\d*))?$/.exec(value.trim());
  if (!m) throw new Error(`not a non-negative decimal: ${value}`);
  const whole = BigInt(m[1]!) * NANO;
  const frac = (m[2] ?? '').padEnd(SCALE + 1, '0');
  const nano = BigInt(frac.slice(0, SCALE));
  const roundUp = Number(frac[SCALE]) >= 5 ? 1n : 0n;
  return whole + nano + roundUp;
}

/** A finite non-negative float (a client's costUsd) → nano-dollars, rounded to 9 decimals. */
export function usdToNano(usd: number): bigint {
  return decimalToNano(usd.toFixed(SCALE));
}

export function nanoToDecimal(nano: bigint): string {
  const whole = nano / NANO;
  const frac = (nano % NANO).toString().padStart(SCALE, '0');
  return `${whole}.${frac}`;
}

export function nanoToUsd(nano: bigint): number {
  return Number(nanoToDecimal(nano));
}

/** USD per million input and output tokens, in nano-dollars. */
export type Price = { inputNano: bigint; outputNano: bigint };

/**
 * Cost of a call from its tokens: input × input price + output × output price, per million, rounded
 * half up to the nano-dollar. `tokensUsed` alone (no split known) is priced at the input rate — the
 * lower rate for every listed model, so such a cost is a lower bound. No tokens at all: unknown (null).
 */
export function costOfTokens(price: Price, tokens: { input: number | null; output: number | null; total: number | null }): bigint | null {
  let microNano: bigint;
  if (tokens.input != null || tokens.output != null) {
    microNano = BigInt(tokens.input ?? 0) * price.inputNano + BigInt(tokens.output ?? 0) * price.outputNano;
  } else if (tokens.total != null) {
    microNano = BigInt(tokens.total) * price.inputNano;
  } else return null;
  return (microNano + MILLION / 2n) / MILLION;
}
