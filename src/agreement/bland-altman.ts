import { DermametricsError, numberOption } from '../errors';
import { noncentralTQuantile, normalQuantile, tQuantile, tTwoSided } from './distributions';
import { confidenceOption, mean, pairedVectors, variance } from './validate';

export interface BlandAltmanOptions {
  /** LoA = bias ± multiplier·SD; default qnorm(0.975) = 1.959964 (use 2 for the 1986 paper's ±2 SD). */
  multiplier?: number;
  /** confidence level of every interval (default 0.95) */
  confidence?: number;
}

export interface BlandAltmanResult {
  n: number;
  /** differences are a − b */
  meanDiff: number;
  sdDiff: number;
  multiplier: number;
  loa: [number, number];
  confidence: number;
  /** t quantile on n−1 df used for the bias and approximate LoA intervals */
  tQuantile: number;
  /** CI of the bias: d̄ ± t·s/√n [BlandAltman1986] */
  ciBias: [number, number];
  /** SE of a limit, s·√(1/n + z²/(2(n−1))) [BlandAltman1999] (default approximate LoA CI) */
  seLoa: number;
  ciLowerLoa: [number, number];
  ciUpperLoa: [number, number];
  /** the 1986 approximation SE = √(3s²/n) [BlandAltman1986] */
  seLoa1986: number;
  ciLowerLoa1986: [number, number];
  ciUpperLoa1986: [number, number];
  /** exact CI of each limit from the noncentral t distribution [Carkeet2015] */
  ciLowerLoaExact: [number, number];
  ciUpperLoaExact: [number, number];
  /** proportional bias: OLS of difference on mean (a+b)/2 [BlandAltman1999] §3.2 */
  proportionalBias: {
    intercept: number;
    slope: number;
    seSlope: number;
    t: number;
    df: number;
    p: number;
    ciSlope: [number, number];
  };
}

/**
 * Bland–Altman agreement between two methods measured on the same subjects: bias, SD of differences, limits of
 * agreement with their CIs [BlandAltman1986; BlandAltman1999; Carkeet2015] and a proportional-bias check.
 * @throws DermametricsError E_BAD_RATINGS (lengths, missing), E_DEGENERATE (< 3 pairs; all differences equal)
 */
export function blandAltman(a: ArrayLike<number>, b: ArrayLike<number>, options: BlandAltmanOptions = {}): BlandAltmanResult {
  const conf = confidenceOption('options.confidence', options.confidence);
  const [x, y] = pairedVectors('a', a, 'b', b, 3);
  const n = x.length;
  const zDefault = normalQuantile(0.975);
  const mult = numberOption('options.multiplier', options.multiplier, zDefault, { min: 0 });
  const d = new Float64Array(n);
  const avg = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    d[i] = x[i] - y[i];
    avg[i] = (x[i] + y[i]) / 2;
  }
  const md = mean(d);
  const sd = Math.sqrt(variance(d));
  if (!(sd > 0)) throw new DermametricsError('E_DEGENERATE', 'Bland–Altman limits undefined: every difference is the same (SD of differences is 0)', { meanDiff: md });
  const alpha = 1 - conf;
  const t = tQuantile(1 - alpha / 2, n - 1);
  const lo = md - mult * sd;
  const hi = md + mult * sd;
  const seBias = sd / Math.sqrt(n);
  const se99 = sd * Math.sqrt(1 / n + (mult * mult) / (2 * (n - 1))); // [BlandAltman1999]
  const se86 = Math.sqrt((3 * sd * sd) / n); // [BlandAltman1986] §"precision of estimated limits"
  // [Carkeet2015]: exact CI of d̄ ± k s uses quantiles of the noncentral t with ncp = k√n on n−1 df
  const ncp = mult * Math.sqrt(n);
  const qLo = noncentralTQuantile(alpha / 2, n - 1, ncp);
  const qHi = noncentralTQuantile(1 - alpha / 2, n - 1, ncp);
  const f = sd / Math.sqrt(n);
  // proportional bias
  const mA = mean(avg);
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (avg[i] - mA) ** 2;
    sxy += (avg[i] - mA) * (d[i] - md);
  }
  let prop: BlandAltmanResult['proportionalBias'];
  const dfR = n - 2;
  if (sxx > 0 && dfR > 0) {
    const slope = sxy / sxx;
    const intercept = md - slope * mA;
    let rss = 0;
    for (let i = 0; i < n; i++) rss += (d[i] - intercept - slope * avg[i]) ** 2;
    const seSlope = Math.sqrt(rss / dfR / sxx);
    const tt = seSlope > 0 ? slope / seSlope : slope === 0 ? 0 : Infinity;
    const tq = tQuantile(1 - alpha / 2, dfR);
    prop = { intercept, slope, seSlope, t: tt, df: dfR, p: tTwoSided(tt, dfR), ciSlope: [slope - tq * seSlope, slope + tq * seSlope] };
  } else {
    throw new DermametricsError('E_DEGENERATE', 'proportional-bias regression undefined: every subject has the same mean of the two methods', {});
  }
  return {
    n,
    meanDiff: md,
    sdDiff: sd,
    multiplier: mult,
    loa: [lo, hi],
    confidence: conf,
    tQuantile: t,
    ciBias: [md - t * seBias, md + t * seBias],
    seLoa: se99,
    ciLowerLoa: [lo - t * se99, lo + t * se99],
    ciUpperLoa: [hi - t * se99, hi + t * se99],
    seLoa1986: se86,
    ciLowerLoa1986: [lo - t * se86, lo + t * se86],
    ciUpperLoa1986: [hi - t * se86, hi + t * se86],
    ciLowerLoaExact: [md - f * qHi, md - f * qLo],
    ciUpperLoaExact: [md + f * qLo, md + f * qHi],
    proportionalBias: prop,
  };
}
