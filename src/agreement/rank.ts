import { DermametricsError } from '../errors';
import { chiSquareUpper, normalQuantile, normalUpper, tTwoSided } from './distributions';
import { completeMatrix, confidenceOption, pairedVectors } from './validate';

/** Mid-ranks (1-based, ties get the average of their ranks), as R's rank(ties.method = 'average'). */
export function midRanks(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a] - x[b]);
  const r = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && x[idx[j + 1]] === x[idx[i]]) j++;
    const avg = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) r[idx[t]] = avg;
    i = j + 1;
  }
  return r;
}

/** sizes of tied groups (only groups of size > 1) */
function tieSizes(x: ArrayLike<number>): number[] {
  const m = new Map<number, number>();
  for (let i = 0; i < x.length; i++) m.set(x[i], (m.get(x[i]) ?? 0) + 1);
  return [...m.values()].filter((t) => t > 1);
}

function pearsonRaw(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  if (!(sxx > 0) || !(syy > 0)) {
    throw new DermametricsError('E_DEGENERATE', `correlation undefined: ${!(sxx > 0) ? 'the first' : 'the second'} variable is constant (zero variance)`, {});
  }
  return sxy / Math.sqrt(sxx * syy);
}

export interface CorrelationResult {
  n: number;
  estimate: number;
  /** test statistic (t for Pearson/Spearman, z for Kendall) and two-sided p-value */
  statistic: number;
  df?: number;
  p: number;
  confidence?: number;
  lower?: number;
  upper?: number;
}

/** Pearson's r with t test and Fisher-z CI [Fisher1921] (as R cor.test). */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>, options: { confidence?: number } = {}): CorrelationResult {
  const conf = confidenceOption('options.confidence', options.confidence);
  const [a, b] = pairedVectors('x', x, 'y', y, 4);
  const n = a.length;
  const r = pearsonRaw(a, b);
  const df = n - 2;
  const t = Math.abs(r) >= 1 ? Math.sign(r) * Infinity : (r * Math.sqrt(df)) / Math.sqrt(1 - r * r);
  const z = Math.atanh(r);
  const h = normalQuantile(1 - (1 - conf) / 2) / Math.sqrt(n - 3);
  return { n, estimate: r, statistic: t, df, p: tTwoSided(t, df), confidence: conf, lower: Math.tanh(z - h), upper: Math.tanh(z + h) };
}

/**
 * Spearman's rho = Pearson's r of mid-ranks (ties handled), with the t approximation p-value
 * t = ρ√((n−2)/(1−ρ²)) on n−2 df (R cor.test(method = 'spearman', exact = FALSE)).
 */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): CorrelationResult {
  const [a, b] = pairedVectors('x', x, 'y', y, 3);
  const n = a.length;
  const rho = pearsonRaw(midRanks(a), midRanks(b));
  const df = n - 2;
  const t = Math.abs(rho) >= 1 ? Math.sign(rho) * Infinity : rho * Math.sqrt(df / (1 - rho * rho));
  return { n, estimate: rho, statistic: t, df, p: tTwoSided(t, df) };
}

/**
 * Kendall's tau-b (ties in both variables) with the normal approximation using the tie-corrected variance of S
 * [Kendall1970] ch. 4 (R cor.test(method = 'kendall', exact = FALSE), no continuity correction).
 */
export function kendallTauB(x: ArrayLike<number>, y: ArrayLike<number>): CorrelationResult {
  const [a, b] = pairedVectors('x', x, 'y', y, 3);
  const n = a.length;
  let S = 0;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      S += Math.sign(a[i] - a[j]) * Math.sign(b[i] - b[j]);
    }
  const tx = tieSizes(a);
  const ty = tieSizes(b);
  const T0 = (n * (n - 1)) / 2;
  const T1 = tx.reduce((s, t) => s + (t * (t - 1)) / 2, 0);
  const T2 = ty.reduce((s, t) => s + (t * (t - 1)) / 2, 0);
  if (T0 === T1 || T0 === T2) throw new DermametricsError('E_DEGENERATE', 'Kendall tau undefined: one variable is constant', {});
  const tau = S / Math.sqrt((T0 - T1) * (T0 - T2)); // tau-b
  // variance of S with ties [Kendall1970] eq. (4.3)
  const v0 = n * (n - 1) * (2 * n + 5);
  const vt = tx.reduce((s, t) => s + t * (t - 1) * (2 * t + 5), 0);
  const vu = ty.reduce((s, t) => s + t * (t - 1) * (2 * t + 5), 0);
  const v1 = tx.reduce((s, t) => s + t * (t - 1), 0) * ty.reduce((s, t) => s + t * (t - 1), 0);
  const v2 = tx.reduce((s, t) => s + t * (t - 1) * (t - 2), 0) * ty.reduce((s, t) => s + t * (t - 1) * (t - 2), 0);
  const varS = (v0 - vt - vu) / 18 + v1 / (2 * n * (n - 1)) + (n > 2 ? v2 / (9 * n * (n - 1) * (n - 2)) : 0);
  const z = S / Math.sqrt(varS);
  return { n, estimate: tau, statistic: z, p: Math.min(1, 2 * normalUpper(Math.abs(z))) };
}

export interface KendallWResult {
  /** subjects (objects ranked) and raters */
  n: number;
  m: number;
  W: number;
  /** sum of squared deviations of rank sums */
  S: number;
  /** tie term Σ (t³ − t) over all raters' tie groups */
  ties: number;
  tieCorrected: boolean;
  /** Friedman chi-square m(n−1)W on n−1 df and its p-value */
  chisq: number;
  df: number;
  p: number;
}

/**
 * Kendall's coefficient of concordance W [KendallSmith1939] for a subjects × raters matrix (each rater's column is
 * ranked across subjects with mid-ranks), with (default) or without the tie correction; χ² = m(n−1)W (Friedman).
 * Matches irr::kendall(correct = TRUE/FALSE).
 */
export function kendallW(ratings: ArrayLike<ArrayLike<number | null>>, options: { correctTies?: boolean } = {}): KendallWResult {
  const x = completeMatrix('ratings', ratings, 2, 2);
  const n = x.length;
  const m = x[0].length;
  const correct = options.correctTies ?? true;
  const R = new Float64Array(n);
  let ties = 0;
  for (let j = 0; j < m; j++) {
    const col = x.map((r) => r[j]);
    const rk = midRanks(col);
    for (let i = 0; i < n; i++) R[i] += rk[i];
    for (const t of tieSizes(col)) ties += t ** 3 - t;
  }
  const meanR = (m * (n + 1)) / 2;
  let S = 0;
  for (let i = 0; i < n; i++) S += (R[i] - meanR) ** 2;
  const denom = m * m * (n ** 3 - n) - (correct ? m * ties : 0); // [KendallSmith1939]; tie correction [Kendall1970] eq. (6.4)
  if (!(denom > 0)) throw new DermametricsError('E_DEGENERATE', "Kendall's W undefined: every rater gave every subject the same rating", {});
  const W = (12 * S) / denom;
  const df = n - 1;
  const chisq = m * df * W;
  return { n, m, W, S, ties, tieCorrected: correct, chisq, df, p: chiSquareUpper(chisq, df) };
}
