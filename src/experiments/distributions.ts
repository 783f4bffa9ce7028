/** Numerical special functions and distributions (normal, Student t, chi-square) used by the A/B statistics; no dependencies. */

// Module-level aliases: inside vm contexts (jest, some sandboxes) every global `Math` lookup is ~40x slower.
const { abs, exp, log, log1p, max, min, sin, sqrt } = Math;
const { PI, SQRT2 } = Math;

// Precision targets: ~1e-14 relative for the gamma/beta functions, which the CDFs inherit.
const EPS = 1e-15;
const TINY = 1e-300; // Lentz's guard against division by zero in continued fractions.
const MAX_ITERATIONS = 10_000;

// Lanczos approximation, g = 7, n = 9 (Numerical Recipes 3rd ed. / Paul Godfrey's coefficients): ~1e-15 relative.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
] as const;

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`);
  if (x < 0.5) {
    // Reflection keeps the Lanczos sum in its accurate range: Γ(x)Γ(1−x) = π / sin(πx).
    return log(PI / sin(PI * x)) - logGamma(1 - x);
  }
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return 0.5 * log(2 * PI) + (z + 0.5) * log(t) - t + log(sum);
}

/** Lower regularized incomplete gamma P(a, x) by its power series; converges fast for x < a + 1. */
function gammaPSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_ITERATIONS; n++) {
    term *= x / (a + n);
    sum += term;
    if (abs(term) < abs(sum) * EPS) break;
  }
  return sum * exp(-x + a * log(x) - logGamma(a));
}

/** Upper regularized incomplete gamma Q(a, x) by its continued fraction (modified Lentz); for x ≥ a + 1. */
function gammaQContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (abs(delta - 1) < EPS) break;
  }
  return exp(-x + a * log(x) - logGamma(a)) * h;
}

/** Upper regularized incomplete gamma Q(a, x) = Γ(a, x) / Γ(a); computed directly (not 1 − P) so tiny tails keep their digits. */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0)) throw new RangeError(`regularizedGammaQ needs a > 0, got ${a}`);
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - gammaPSeries(a, x) : gammaQContinuedFraction(a, x);
}

/** Lower regularized incomplete gamma P(a, x). */
export function regularizedGammaP(a: number, x: number): number {
  if (!(a > 0)) throw new RangeError(`regularizedGammaP needs a > 0, got ${a}`);
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? gammaPSeries(a, x) : 1 - gammaQContinuedFraction(a, x);
}

/** Continued fraction for the incomplete beta (Numerical Recipes `betacf`, modified Lentz); converges for x < (a+1)/(a+b+2). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (abs(delta - 1) < EPS) break;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b), for a, b > 0 and 0 ≤ x ≤ 1. */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0)) throw new RangeError(`regularizedBeta needs a, b > 0, got ${a}, ${b}`);
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * log(x) + b * log1p(-x);
  const front = exp(logFront);
  // Use the fraction on the side where it converges; the other side by symmetry I_x(a,b) = 1 − I_{1−x}(b,a).
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** Complementary error function, via erfc(z) = Q(1/2, z²) for z ≥ 0 (full double precision, tails included). */
export function erfc(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z < 0) return 2 - erfc(-z);
  return regularizedGammaQ(0.5, z * z);
}

/** Standard normal density φ(x). */
export function normalPdf(x: number): number {
  return exp(-0.5 * x * x) / sqrt(2 * PI);
}

/** Standard normal CDF Φ(x) = erfc(−x/√2)/2; accurate in both tails. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / SQRT2);
}

/** Upper tail 1 − Φ(x), without cancellation for large x. */
export function normalSf(x: number): number {
  return 0.5 * erfc(x / SQRT2);
}

// Acklam's rational approximation of Φ⁻¹ (relative error < 1.15e-9), then polished by one Halley step below.
const ACKLAM_A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239] as const;
const ACKLAM_B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1] as const;
const ACKLAM_C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783] as const;
const ACKLAM_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416] as const;
const ACKLAM_P_LOW = 0.02425;

function acklam(p: number): number {
  const [a0, a1, a2, a3, a4, a5] = ACKLAM_A;
  const [b0, b1, b2, b3, b4] = ACKLAM_B;
  const [c0, c1, c2, c3, c4, c5] = ACKLAM_C;
  const [d0, d1, d2, d3] = ACKLAM_D;
  if (p < ACKLAM_P_LOW) {
    const q = sqrt(-2 * log(p));
    return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  if (p > 1 - ACKLAM_P_LOW) {
    const q = sqrt(-2 * log1p(-p));
    return -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
}

/** Standard normal quantile Φ⁻¹(p): Acklam's approximation refined by one Halley step against the exact CDF (~1e-15). */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const x = acklam(p);
  // Halley's step; the error is measured on the smaller tail so p near 1 keeps its precision.
  const e = p < 0.5 ? normalCdf(x) - p : 1 - p - normalSf(x);
  const u = e * sqrt(2 * PI) * exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** Student t density with df degrees of freedom. */
export function studentTPdf(t: number, df: number): number {
  if (df === Infinity) return normalPdf(t);
  const logC = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * log(df * PI);
  return exp(logC - ((df + 1) / 2) * log1p((t * t) / df));
}

/** P(T > t) for t ≥ 0 via I_x(df/2, 1/2)/2 with x = df/(df+t²); exact in the far tail. */
function studentTUpperTail(t: number, df: number): number {
  return 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
}

/** Student t CDF; df may be fractional (Welch) or Infinity (normal). */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`studentTCdf needs df > 0, got ${df}`);
  if (Number.isNaN(t)) return NaN;
  if (df === Infinity) return normalCdf(t);
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  return t >= 0 ? 1 - studentTUpperTail(t, df) : studentTUpperTail(-t, df);
}

/** Two-sided tail probability P(|T| ≥ |t|), computed without 1 − CDF cancellation. */
export function studentTTwoSidedP(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`studentTTwoSidedP needs df > 0, got ${df}`);
  if (Number.isNaN(t)) return NaN;
  const a = abs(t);
  if (a === Infinity) return 0;
  if (df === Infinity) return erfc(a / SQRT2);
  return min(1, 2 * studentTUpperTail(a, df));
}

/** Student t quantile: Newton's method from the normal quantile, safeguarded by bisection on a bracket. */
export function studentTQuantile(p: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`studentTQuantile needs df > 0, got ${df}`);
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (df === Infinity) return normalQuantile(p);
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  // Solve on the upper tail q = 1 − p (> 0): tail(t) = q, tail is decreasing in t ≥ 0.
  const q = 1 - p;
  let lo = 0;
  let hi = max(1, normalQuantile(p));
  while (studentTUpperTail(hi, df) > q) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return Infinity;
  }
  let t = min(max(normalQuantile(p), lo), hi);
  for (let i = 0; i < 200; i++) {
    const f = studentTUpperTail(t, df) - q; // > 0 means t is too small
    if (f > 0) lo = t;
    else hi = t;
    const step = f / studentTPdf(t, df); // d(tail)/dt = −pdf
    let next = t + step;
    if (!(next > lo && next < hi) || !Number.isFinite(next)) next = (lo + hi) / 2;
    if (abs(next - t) <= 1e-15 * max(1, abs(t)) || hi - lo <= 1e-15 * hi) return next;
    t = next;
  }
  return t;
}

/** Chi-square survival function P(X ≥ x) = Q(k/2, x/2). */
export function chiSquareSf(x: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`chiSquareSf needs df > 0, got ${df}`);
  return regularizedGammaQ(df / 2, x / 2);
}

/** Chi-square CDF P(X ≤ x). */
export function chiSquareCdf(x: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`chiSquareCdf needs df > 0, got ${df}`);
  return regularizedGammaP(df / 2, x / 2);
}
