/**
 * Distribution functions for the agreement statistics, written out so that confidence intervals and p-values match
 * R to about 1e-10 without a dependency: log-gamma, regularized incomplete gamma and beta, and from them the normal,
 * Student t, F, chi-square and noncentral t distributions. Quantiles are found by safeguarded root-finding on the
 * CDF (or on the upper tail when p > 0.5, so both tails keep their relative accuracy).
 */

const LN_SQRT_2PI = 0.9189385332046727; // log(sqrt(2*pi))
const LN_SQRT_PI = 0.5723649429247001; // log(sqrt(pi))
const EPS = 1e-16;
const FPMIN = 1e-300;

// [Lanczos1964] g = 7, n = 9 coefficients (Godfrey's set); relative error < 2e-15 for x > 0.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log Γ(x) for x > 0 [Lanczos1964], with the reflection formula for x < 0.5. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x); // reflection
  const xm = x - 1;
  let a = LANCZOS[0];
  const t = xm + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (xm + i);
  return LN_SQRT_2PI + (xm + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularized lower incomplete gamma P(a, x) and upper Q(a, x) [NumericalRecipes2007] §6.2 (series / Lentz CF). */
export function gammaPQ(a: number, x: number): { P: number; Q: number } {
  if (!(a > 0) || x < 0 || Number.isNaN(x)) return { P: NaN, Q: NaN };
  if (x === 0) return { P: 0, Q: 1 };
  if (x === Infinity) return { P: 1, Q: 0 };
  const lnPre = a * Math.log(x) - x - (a === 0.5 ? LN_SQRT_PI : logGamma(a));
  if (x < a + 1) {
    // series: P = e^{-x} x^a / Γ(a+1) Σ x^n / ((a+1)...(a+n))  [NR] eq. (6.2.5)
    let ap = a;
    let del = 1 / a;
    let sum = del;
    for (let n = 0; n < 100000; n++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * EPS) break;
    }
    const P = sum * Math.exp(lnPre);
    return { P, Q: 1 - P };
  }
  // continued fraction for Q, modified Lentz  [NR] eq. (6.2.7)
  let b = x + 1 - a;
  let c = 1 / FPMIN;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 100000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = b + an / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  const Q = Math.exp(lnPre) * h;
  return { P: 1 - Q, Q };
}

/** Continued fraction for the incomplete beta function, modified Lentz [NumericalRecipes2007] §6.4 eq. (6.4.5). */
function betaCf(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < FPMIN) d = FPMIN;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 100000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/**
 * Regularized incomplete beta I_x(a, b) and its complement 1 − I_x(a, b), each computed directly (no cancellation)
 * [NumericalRecipes2007] §6.4, symmetry I_x(a,b) = 1 − I_{1−x}(b,a).
 */
export function betaIncomplete(a: number, b: number, x: number): { lower: number; upper: number } {
  if (!(a > 0) || !(b > 0) || Number.isNaN(x)) return { lower: NaN, upper: NaN };
  if (x <= 0) return { lower: 0, upper: 1 };
  if (x >= 1) return { lower: 1, upper: 0 };
  const lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) {
    const lower = (Math.exp(lnFront) * betaCf(a, b, x)) / a;
    return { lower, upper: 1 - lower };
  }
  const upper = (Math.exp(lnFront) * betaCf(b, a, 1 - x)) / b;
  return { lower: 1 - upper, upper };
}

/** Standard normal density. */
export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z - LN_SQRT_2PI);
}

/** Standard normal CDF Φ(z) = ½ erfc(−z/√2) = ½ Q(½, z²/2) for z < 0 [AbramowitzStegun1964] 26.2.29 / 6.5.17. */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z === 0) return 0.5;
  const { P, Q } = gammaPQ(0.5, 0.5 * z * z);
  return z < 0 ? 0.5 * Q : 0.5 + 0.5 * P;
}

/** Upper tail 1 − Φ(z), accurate far into the tail. */
export function normalUpper(z: number): number {
  return normalCdf(-z);
}

/**
 * Find x with f(x) = target for f monotone (increasing if `increasing`) on (lo, hi): bracket expansion, then
 * bisection safeguarding secant steps (Illinois / regula falsi variant) to full double precision.
 */
function solveMonotone(
  f: (x: number) => number,
  target: number,
  increasing: boolean,
  lo: number,
  hi: number,
  lowerBound: number,
  guess?: number,
): number {
  const g = (x: number) => (increasing ? f(x) - target : target - f(x));
  let a = lo;
  let b = hi;
  if (guess !== undefined && Number.isFinite(guess)) {
    a = Math.max(lowerBound, guess - Math.max(1, Math.abs(guess)) * 0.5);
    b = guess + Math.max(1, Math.abs(guess)) * 0.5;
  }
  let ga = g(a);
  let gb = g(b);
  for (let i = 0; ga > 0 && i < 2000; i++) {
    b = a;
    gb = ga;
    a = lowerBound > -Infinity ? lowerBound + (a - lowerBound) / 4 : a - 2 * Math.max(1, Math.abs(a));
    ga = g(a);
  }
  for (let i = 0; gb < 0 && i < 2000; i++) {
    a = b;
    ga = gb;
    b = b + 2 * Math.max(1, Math.abs(b));
    gb = g(b);
  }
  if (ga === 0) return a;
  if (gb === 0) return b;
  let side = 0;
  for (let it = 0; it < 400; it++) {
    let x = (a * gb - b * ga) / (gb - ga);
    if (!(x > a && x < b) || it % 3 === 2) x = 0.5 * (a + b); // guaranteed shrink every third step
    const gx = g(x);
    if (gx === 0) return x;
    if (gx < 0) {
      a = x;
      ga = gx;
      if (side === -1) gb /= 2;
      side = -1;
    } else {
      b = x;
      gb = gx;
      if (side === 1) ga /= 2;
      side = 1;
    }
    if (Math.abs(b - a) <= 4e-16 * Math.max(Math.abs(a), Math.abs(b)) || b - a < 1e-300) break;
  }
  return 0.5 * (a + b);
}

function checkP(p: number): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`probability must be in [0, 1], got ${p}`);
}

/** Standard normal quantile Φ⁻¹(p), by root-finding on Φ or on its upper tail (full double precision). */
export function normalQuantile(p: number): number {
  checkP(p);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (p > 0.5) return solveUpperNormal(1 - p);
  return -solveUpperNormal(p);
}

function solveUpperNormal(q: number): number {
  // q = upper-tail probability < 0.5; solve 1 − Φ(z) = q for z > 0
  const t = Math.sqrt(-2 * Math.log(q));
  const guess = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t); // [AbramowitzStegun1964] 26.2.23
  return solveMonotone(normalUpper, q, false, 0, 40, 0, guess);
}

/** Student t CDF P(T ≤ t) with `df` > 0 degrees of freedom [AbramowitzStegun1964] 26.7.1 via I_x(df/2, ½). */
export function tCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const x = df / (df + t * t);
  const tail = 0.5 * betaIncomplete(df / 2, 0.5, x).lower;
  return t > 0 ? 1 - tail : tail;
}

/** Student t upper tail P(T > t). */
export function tUpper(t: number, df: number): number {
  return tCdf(-t, df);
}

/** Student t quantile. */
export function tQuantile(p: number, df: number): number {
  checkP(p);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (p < 0.5) return -tQuantile(1 - p, df);
  const q = 1 - p;
  return solveMonotone((t) => tUpper(t, df), q, false, 0, 10, 0, normalQuantile(p));
}

/** Two-sided p-value of a t statistic. */
export function tTwoSided(t: number, df: number): number {
  return Math.min(1, 2 * tUpper(Math.abs(t), df));
}

/** F CDF P(F ≤ x) with df1, df2 degrees of freedom [AbramowitzStegun1964] 26.6.2 via I_{d1x/(d1x+d2)}(d1/2, d2/2). */
export function fCdf(x: number, df1: number, df2: number): number {
  if (x <= 0) return 0;
  if (x === Infinity) return 1;
  return betaIncomplete(df1 / 2, df2 / 2, (df1 * x) / (df1 * x + df2)).lower;
}

/** F upper tail P(F > x), computed directly as I_{d2/(d2+d1x)}(d2/2, d1/2) so small p-values keep their digits. */
export function fUpper(x: number, df1: number, df2: number): number {
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  return betaIncomplete(df2 / 2, df1 / 2, df2 / (df2 + df1 * x)).lower;
}

/** F quantile. */
export function fQuantile(p: number, df1: number, df2: number): number {
  checkP(p);
  if (p === 0) return 0;
  if (p === 1) return Infinity;
  if (p > 0.5) return solveMonotone((x) => fUpper(x, df1, df2), 1 - p, false, 0, 10, 0);
  return solveMonotone((x) => fCdf(x, df1, df2), p, true, 0, 10, 0);
}

/** Chi-square CDF P(X ≤ x) = P(df/2, x/2) [AbramowitzStegun1964] 26.4.19. */
export function chiSquareCdf(x: number, df: number): number {
  if (x <= 0) return 0;
  return gammaPQ(df / 2, x / 2).P;
}

/** Chi-square upper tail P(X > x) = Q(df/2, x/2). */
export function chiSquareUpper(x: number, df: number): number {
  if (x <= 0) return 1;
  return gammaPQ(df / 2, x / 2).Q;
}

/** Chi-square quantile. */
export function chiSquareQuantile(p: number, df: number): number {
  checkP(p);
  if (p === 0) return 0;
  if (p === 1) return Infinity;
  if (p > 0.5) return solveMonotone((x) => chiSquareUpper(x, df), 1 - p, false, 0, df + 10, 0);
  return solveMonotone((x) => chiSquareCdf(x, df), p, true, 0, df + 10, 0);
}

/**
 * Noncentral t CDF P(T ≤ t | df, ncp) by [Lenth1989] (AS 243), as in R's pnt.c: a series in incomplete beta
 * functions with error bound 1e-12.
 */
export function noncentralTCdf(t: number, df: number, ncp: number): number {
  if (ncp === 0) return tCdf(t, df);
  let negdel = false;
  let tt = t;
  let del = ncp;
  if (t < 0) {
    negdel = true;
    tt = -t;
    del = -ncp;
  }
  if (df > 4e5 || del * del > 2 * Math.LN2 * 1021) {
    // the series underflows: normal approximation [AbramowitzStegun1964] 26.7.10, as R's pnt.c does
    const s1 = 1 / (4 * df);
    const zApprox = (tt * (1 - s1) - del) / Math.sqrt(1 + tt * tt * 2 * s1);
    return negdel ? normalCdf(-zApprox) : normalCdf(zApprox);
  }
  const x0 = tt * tt;
  const x = x0 / (x0 + df);
  let tnc = 0;
  if (x > 0) {
    const lambda = del * del;
    let p = 0.5 * Math.exp(-0.5 * lambda);
    let q = Math.sqrt(2 / Math.PI) * p * del;
    let s = 0.5 - p;
    if (s < 1e-7) s = -0.5 * Math.expm1(-0.5 * lambda);
    let a = 0.5;
    const b = 0.5 * df;
    const rxb = Math.pow(df / (x0 + df), b);
    const albeta = LN_SQRT_PI + logGamma(b) - logGamma(0.5 + b);
    let xodd = betaIncomplete(a, b, x).lower;
    let godd = 2 * rxb * Math.exp(a * Math.log(x) - albeta);
    const bx = b * x;
    let xeven = bx < 2.2e-16 ? bx : 1 - rxb;
    let geven = bx * rxb;
    tnc = p * xodd + q * xeven;
    for (let it = 1; it <= 5000; it++) {
      a += 1;
      xodd -= godd;
      xeven -= geven;
      godd *= (x * (a + b - 1)) / a;
      geven *= (x * (a + b - 0.5)) / (a + 0.5);
      p *= lambda / (2 * it);
      q *= lambda / (2 * it + 1);
      tnc += p * xodd + q * xeven;
      s -= p;
      if (s < -1e-10) break;
      if (s <= 0 && it > 1) break;
      const errbd = 2 * s * (xodd - godd);
      if (Math.abs(errbd) < 1e-14) break;
    }
  }
  tnc += normalCdf(-del);
  const lowerTail = !negdel;
  const v = Math.min(tnc, 1);
  return lowerTail ? v : 1 - v;
}

/** Noncentral t quantile by root-finding on the CDF. */
export function noncentralTQuantile(p: number, df: number, ncp: number): number {
  checkP(p);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  return solveMonotone((t) => noncentralTCdf(t, df, ncp), p, true, ncp - 10, ncp + 10, -Infinity, ncp);
}
