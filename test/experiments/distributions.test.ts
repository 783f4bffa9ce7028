/**
 * Special functions and distributions against independent references. Sources, per value:
 *  - [scipy]   SciPy 1.17.1 (scipy.stats.{norm,t,chi2}, scipy.special.{gammaln,betainc}), computed for this test.
 *  - [closed]  closed forms: t(1) is Cauchy, CDF = 1/2 + atan(t)/π; t(2) CDF = 1/2 + t / (2·sqrt(2 + t²));
 *              χ²(2) survival = exp(−x/2); Γ(n) = (n − 1)!; Γ(1/2) = √π.
 *  - [table]   printed tables: Φ(1.96) = 0.9750021, z_0.975 = 1.959964, t_0.975 for df 1, 2, 5, 10, 30 =
 *              12.706, 4.303, 2.571, 2.228, 2.042; χ²_0.95(1) = 3.841459.
 */
import {
  chiSquareCdf,
  chiSquareSf,
  erfc,
  logGamma,
  normalCdf,
  normalQuantile,
  normalSf,
  regularizedBeta,
  studentTCdf,
  studentTQuantile,
  studentTTwoSidedP,
} from '../../src/experiments/pure';

/** |actual − expected| ≤ rel·|expected| + abs. */
function expectClose(actual: number, expected: number, rel = 1e-10, abs = 1e-300): void {
  const tolerance = rel * Math.abs(expected) + abs;
  if (!(Math.abs(actual - expected) <= tolerance)) {
    throw new Error(`expected ${actual} to be within ${tolerance} of ${expected}`);
  }
}

describe('logGamma', () => {
  it.each([
    [1, 0], // [closed] Γ(1) = 1
    [5, Math.log(24)], // [closed] Γ(5) = 4!
    [0.5, 0.5 * Math.log(Math.PI)], // [closed] Γ(1/2) = √π
    [0.1, 2.252712651734206], // [scipy]
    [2.5, 0.2846828704729192], // [scipy]
    [10, 12.801827480081469], // [scipy]
    [100, 359.1342053695754], // [scipy]
    [1e5, 1051287.7089736569], // [scipy]
  ])('lnΓ(%p)', (x, expected) => expectClose(logGamma(x), expected, 1e-13, 1e-14));
});

describe('regularized incomplete beta', () => {
  it.each([
    [0.3, 2, 3, 0.3483], // [closed] I_x(2,3) = 6x²(1−x)² + 4x³(1−x) + x⁴ = 0.3483 at x = 0.3 (scipy: 0.34829999999999994)
    [0.9, 0.5, 0.5, 0.7951672353008665], // [scipy] = (2/π)·asin(√0.9)
    [0.999, 500, 0.5, 0.31731044730971725], // [scipy]
    [0.01, 1.5, 40, 0.1526920611519988], // [scipy]
  ])('I_%p(%p, %p)', (x, a, b, expected) => expectClose(regularizedBeta(x, a, b), expected, 1e-11));
});

describe('standard normal', () => {
  it.each([
    [1.96, 0.9750021048517795], // [table] 0.9750021, [scipy] full digits
    [-1.96, 0.024997895148220435], // [scipy]
    [0, 0.5],
    [-1, 0.15865525393145707], // [scipy]
    [0.5, 0.6914624612740131], // [scipy]
    [3, 0.9986501019683699], // [scipy]
    [-5, 2.866515718791933e-7], // [scipy]
    [-8, 6.22096057427174e-16], // [scipy] far tail keeps its relative precision
  ])('Φ(%p)', (x, expected) => expectClose(normalCdf(x), expected, 1e-12));

  it('upper tail without cancellation: 1 − Φ(10) = 7.61985302416047e-24 [scipy norm.sf]', () => {
    expectClose(normalSf(10), 7.61985302416047e-24, 1e-11);
  });

  it('erfc(0) = 1 and erfc(−x) = 2 − erfc(x)', () => {
    expect(erfc(0)).toBe(1);
    expectClose(erfc(-0.7) + erfc(0.7), 2, 1e-15);
  });

  it.each([
    [0.975, 1.959963984540054], // [table] 1.959964, [scipy] full digits
    [0.025, -1.9599639845400545], // [scipy]
    [0.5, 0],
    [0.8, 0.8416212335729143], // [scipy]
    [0.1, -1.2815515655446004], // [scipy]
    [0.001, -3.090232306167813], // [scipy]
    [0.999, 3.090232306167813], // [scipy]
    [1e-5, -4.264890793922825], // [scipy]
    [1e-12, -7.034483825301131], // [scipy]
    [1 - 1e-9, 5.997807019601637], // [scipy]
  ])('Φ⁻¹(%p)', (p, expected) => expectClose(normalQuantile(p), expected, 1e-9, 1e-15));

  it('Φ⁻¹ inverts Φ over the range (lower side; near 1 a double p has too few digits left to invert)', () => {
    for (let x = -8; x <= 2; x += 0.37) expectClose(normalQuantile(normalCdf(x)), x, 1e-10, 1e-12);
  });

  it('Φ⁻¹ at the ends', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(1.5)).toBeNaN();
  });
});

describe('Student t', () => {
  it('df = 1 is the Cauchy distribution [closed]', () => {
    for (const t of [-30, -2, -0.3, 0, 0.7, 4, 100]) expectClose(studentTCdf(t, 1), 0.5 + Math.atan(t) / Math.PI, 1e-12);
  });

  it('df = 2 has a closed form [closed]', () => {
    for (const t of [-10, -1.5, 0, 0.25, 3, 50]) expectClose(studentTCdf(t, 2), 0.5 + t / (2 * Math.sqrt(2 + t * t)), 1e-12);
  });

  it.each([
    [2.0, 3.5, 0.9369307387120432], // [scipy] fractional df, as Welch produces
    [-1.0, 10, 0.17044656615103], // [scipy]
    [0.5, 1.5, 0.65971644466503], // [scipy]
    [5, 4, 0.9962547830593628], // [scipy]
    [-3, 1000, 0.0013833545221190963], // [scipy]
    [1.5, 0.7, 0.7798174514903798], // [scipy] df < 1
  ])('T(%p; df %p)', (t, df, expected) => expectClose(studentTCdf(t, df), expected, 1e-11));

  it('two-sided p-value: R prints p = 0.07939 for the sleep data (t = 1.8608134674868526, df = 17.776473516178488) [scipy 0.0793941401873583]', () => {
    expectClose(studentTTwoSidedP(1.8608134674868526, 17.776473516178488), 0.0793941401873583, 1e-10);
    expectClose(studentTTwoSidedP(-1.8608134674868526, 17.776473516178488), 0.0793941401873583, 1e-10);
  });

  it.each([
    [0.975, 1, 12.706204736174694], // [table] 12.706
    [0.975, 2, 4.302652729749462], // [table] 4.303
    [0.975, 3, 3.1824463052837078], // [scipy]
    [0.975, 4, 2.7764451051977934], // [scipy]
    [0.975, 5, 2.5705818356363146], // [table] 2.571
    [0.975, 10, 2.228138851986274], // [table] 2.228
    [0.975, 30, 2.0422724563012378], // [table] 2.042
    [0.975, 120, 1.9799304050824402], // [scipy]
    [0.975, 17.776, 2.102821310380221], // [scipy] Welch-like fractional df
    [0.995, 7.3, 3.451031655622185], // [scipy]
    [0.9, 2.5, 1.7302509288071766], // [scipy]
    [0.999999, 3, 103.29946777942898], // [scipy] deep tail
  ])('t quantile %p with df %p', (p, df, expected) => {
    expectClose(studentTQuantile(p, df), expected, 1e-10);
    expectClose(studentTQuantile(1 - p, df), -expected, 1e-9);
  });

  it('df = Infinity is the normal distribution', () => {
    expect(studentTCdf(1.96, Infinity)).toBe(normalCdf(1.96));
    expect(studentTQuantile(0.975, Infinity)).toBe(normalQuantile(0.975));
  });
});

describe('chi-square', () => {
  it.each([
    [3.84, 1, 0.05004352124870519], // [scipy]; [table] χ²_0.95(1) = 3.841459
    [10, 3, 0.01856613546304325], // [scipy]
    [1, 5, 0.9625657732472964], // [scipy]
    [50, 10, 2.669083424904495e-7], // [scipy]
    [200, 3, 4.218541107192018e-43], // [scipy] far tail
    [0.5, 0.5, 0.25632205526853896], // [scipy]
    [30, 30, 0.4656537089440098], // [scipy]
    [1e-3, 2, 0.9995001249791693], // [scipy]
  ])('P(χ² ≥ %p; df %p)', (x, df, expected) => expectClose(chiSquareSf(x, df), expected, 1e-11));

  it('df = 2 survival is exp(−x/2) [closed]', () => {
    for (const x of [0.01, 0.5, 2, 7, 40, 300]) expectClose(chiSquareSf(x, 2), Math.exp(-x / 2), 1e-12);
  });

  it('3.841459 is the 95% point of χ²(1) [table]', () => {
    expectClose(chiSquareCdf(3.841459, 1), 0.95, 1e-6);
    expect(chiSquareSf(0, 4)).toBe(1);
    expect(chiSquareCdf(0, 4)).toBe(0);
  });
});
