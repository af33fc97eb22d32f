import { DermametricsError, invalidOption } from '../errors';
import { flag, type QcFlag } from '../flags';
import { normalQuantile, normalUpper } from './distributions';
import { confidenceOption, isMissing } from './validate';

/**
 * Kappa weights. All are AGREEMENT weights (w_ii = 1) over the k categories of the table:
 * 'unweighted' (identity), 'linear' (Cicchetti–Allison, 1 − |i−j|/(k−1)), 'quadratic' (Fleiss–Cohen,
 * 1 − (i−j)²/(k−1)²), or a custom k × k matrix of agreement weights in [0, 1].
 */
export type KappaWeights = 'unweighted' | 'linear' | 'quadratic' | number[][];

export interface KappaOptions {
  weights?: KappaWeights;
  /** Confidence level of the Wald interval κ ± z·ASE (default 0.95). */
  confidence?: number;
}

export interface KappaResult {
  /** number of rated subjects (pairs) */
  n: number;
  /** number of categories (rows/columns of the table, including unused ones) */
  k: number;
  weighting: 'unweighted' | 'linear' | 'quadratic' | 'custom';
  /** the agreement weight matrix used */
  weights: number[][];
  /** observed and chance-expected (weighted) agreement */
  po: number;
  pe: number;
  kappa: number;
  /** asymptotic SE with κ ≠ 0 [FleissCohenEveritt1969], used for the CI */
  ase: number;
  /** SE under H0: κ = 0 [FleissCohenEveritt1969], used for z and p */
  ase0: number;
  /** z = κ / ASE0 and its two-sided normal p-value */
  z: number;
  p: number;
  confidence: number;
  lower: number;
  upper: number;
  /** the k × k table of counts (rows = first rater) */
  table: number[][];
  /**
   * 'kappa_constant_rater': one rater used a single category for every subject. κ is then 0 whatever the other
   * rater did (po = pe), both SEs are 0, z = 0 and p = 1 by convention; report percent agreement alongside.
   */
  flags: QcFlag[];
}

/** The agreement weight matrix for k categories [Cicchetti1971] (linear), [FleissCohen1973] (quadratic). */
export function kappaWeights(k: number, kind: 'unweighted' | 'linear' | 'quadratic'): number[][] {
  const w: number[][] = [];
  for (let i = 0; i < k; i++) {
    const row: number[] = [];
    for (let j = 0; j < k; j++) {
      if (kind === 'unweighted' || k === 1) row.push(i === j ? 1 : 0);
      else if (kind === 'linear') row.push(1 - Math.abs(i - j) / (k - 1));
      else row.push(1 - ((i - j) * (i - j)) / ((k - 1) * (k - 1)));
    }
    w.push(row);
  }
  return w;
}

/**
 * Cohen's kappa from a k × k contingency table of counts (rows = rater A, columns = rater B; categories in the
 * same order on both axes, unused categories as zero rows/columns). κ_w = (po − pe)/(1 − pe) [Cohen1968]; ASE and
 * ASE0 [FleissCohenEveritt1969] (as SAS PROC FREQ AGREE and vcd::Kappa).
 * @throws DermametricsError E_BAD_RATINGS (not square, negative counts, bad weights), E_DEGENERATE (no subjects;
 *   pe = 1, i.e. both raters used one and the same category for everything)
 */
export function cohenKappaTable(table: ArrayLike<ArrayLike<number>>, options: KappaOptions = {}): KappaResult {
  const conf = confidenceOption('options.confidence', options.confidence);
  const k = table.length;
  if (k < 2) throw new DermametricsError('E_BAD_RATINGS', `kappa needs at least 2 categories; the table has ${k}`, { k });
  const t: number[][] = [];
  let n = 0;
  for (let i = 0; i < k; i++) {
    const r = table[i];
    if (!r || r.length !== k) throw new DermametricsError('E_BAD_RATINGS', `kappa table must be square (${k} × ${k}); row ${i} has ${r?.length} entries`, { row: i });
    const row: number[] = [];
    for (let j = 0; j < k; j++) {
      const v = r[j];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new DermametricsError('E_BAD_RATINGS', `kappa table[${i}][${j}] must be a count >= 0`, { row: i, col: j });
      row.push(v);
      n += v;
    }
    t.push(row);
  }
  if (!(n > 0)) throw new DermametricsError('E_DEGENERATE', 'kappa table is empty (no rated subjects)', {});
  const wOpt = options.weights ?? 'unweighted';
  let w: number[][];
  let weighting: KappaResult['weighting'];
  if (wOpt === 'unweighted' || wOpt === 'linear' || wOpt === 'quadratic') {
    w = kappaWeights(k, wOpt);
    weighting = wOpt;
  } else if (Array.isArray(wOpt)) {
    if (wOpt.length !== k || wOpt.some((r) => !Array.isArray(r) || r.length !== k || r.some((v) => typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1))) {
      throw invalidOption('options.weights', `a ${k} × ${k} matrix of agreement weights in [0, 1]`, wOpt);
    }
    for (let i = 0; i < k; i++) if (wOpt[i][i] !== 1) throw invalidOption('options.weights', 'agreement weights with 1 on the diagonal', wOpt);
    w = wOpt.map((r) => r.slice());
    weighting = 'custom';
  } else {
    throw invalidOption('options.weights', "'unweighted', 'linear', 'quadratic' or a k × k matrix", wOpt);
  }
  // proportions and margins
  const p = t.map((r) => r.map((v) => v / n));
  const pr = p.map((r) => r.reduce((a, b) => a + b, 0));
  const pc = Array.from({ length: k }, (_, j) => p.reduce((a, r) => a + r[j], 0));
  let po = 0;
  let pe = 0;
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      po += w[i][j] * p[i][j];
      pe += w[i][j] * pr[i] * pc[j];
    }
  if (!(1 - pe > 1e-12)) {
    throw new DermametricsError(
      'E_DEGENERATE',
      'kappa undefined: chance agreement is 1 (both raters put every subject in the same category); report percent agreement instead',
      { po, pe },
    );
  }
  const kappa = (po - pe) / (1 - pe); // [Cohen1968] eq. (4)
  // [FleissCohenEveritt1969] eq. (7) (non-null) and eq. (8) (null) variances
  const wi = Array.from({ length: k }, (_, i) => w[i].reduce((a, wij, j) => a + wij * pc[j], 0));
  const wj = Array.from({ length: k }, (_, j) => w.reduce((a, r, i) => a + r[j] * pr[i], 0));
  let s1 = 0;
  let s0 = 0;
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      s1 += p[i][j] * (w[i][j] * (1 - pe) - (wi[i] + wj[j]) * (1 - po)) ** 2;
      s0 += pr[i] * pc[j] * (w[i][j] - (wi[i] + wj[j])) ** 2;
    }
  const var1 = (s1 - (po * pe - 2 * pe + po) ** 2) / (n * (1 - pe) ** 4);
  const var0 = (s0 - pe * pe) / (n * (1 - pe) ** 2);
  const ase = Math.sqrt(Math.max(0, var1));
  const ase0 = Math.sqrt(Math.max(0, var0));
  const zc = normalQuantile(1 - (1 - conf) / 2);
  const flags: QcFlag[] = [];
  const constantRow = pr.filter((v) => v > 0).length === 1;
  const constantCol = pc.filter((v) => v > 0).length === 1;
  let z: number;
  let pValue: number;
  if (constantRow || constantCol) {
    // po = pe exactly: κ ≡ 0 and its sampling variance is 0; no test is possible
    flags.push(flag('kappa_constant_rater', `rater ${constantRow ? 'A (rows)' : 'B (columns)'} gave every subject the same category: kappa is 0 by construction and carries no information; report percent agreement (po = ${po.toFixed(4)})`, { value: po }));
    z = 0;
    pValue = 1;
    return { n, k, weighting, weights: w, po, pe, kappa: 0, ase: 0, ase0: 0, z, p: pValue, confidence: conf, lower: 0, upper: 0, table: t, flags };
  } else {
    if (!(ase0 > 0)) throw new DermametricsError('E_DEGENERATE', 'kappa test undefined: the null standard error is 0 (degenerate margins)', { po, pe, kappa });
    z = kappa / ase0;
    pValue = Math.min(1, 2 * normalUpper(Math.abs(z)));
  }
  return {
    n,
    k,
    weighting,
    weights: w,
    po,
    pe,
    kappa,
    ase,
    ase0,
    z,
    p: pValue,
    confidence: conf,
    lower: kappa - zc * ase,
    upper: kappa + zc * ase,
    table: t,
    flags,
  };
}

/**
 * Cross-tabulate two raters' ratings over an EXPLICIT, ordered category list (categories no one used still count:
 * they change k and therefore the linear/quadratic weights). Ratings match categories by their string form (2 and
 * "2" are the same grade). Pairs where either rating is missing are dropped and counted in `dropped`.
 * @throws DermametricsError E_BAD_RATINGS (lengths differ, a rating not in `categories`, duplicate categories)
 */
export function crossTable<T extends string | number>(
  a: ArrayLike<T | null | undefined>,
  b: ArrayLike<T | null | undefined>,
  categories: readonly T[],
): { table: number[][]; dropped: number } {
  if (!Array.isArray(categories) || categories.length < 2) throw invalidOption('categories', 'an array of at least 2 ordered categories', categories);
  // keyed by String(), so a grade read from CSV as "2" matches the declared category 2
  const index = new Map<string, number>();
  categories.forEach((c, i) => {
    if (index.has(String(c))) throw invalidOption('categories', 'distinct categories', categories);
    index.set(String(c), i);
  });
  if (a.length !== b.length) {
    throw new DermametricsError('E_BAD_RATINGS', `rater A has ${a.length} ratings but rater B has ${b.length}; align them by subject id first`, {
      lengths: [a.length, b.length],
    });
  }
  const k = categories.length;
  const table = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let dropped = 0;
  for (let s = 0; s < a.length; s++) {
    const va = a[s];
    const vb = b[s];
    if (isMissing(va) || isMissing(vb)) {
      dropped++;
      continue;
    }
    const i = index.get(String(va));
    const j = index.get(String(vb));
    if (i === undefined || j === undefined) {
      const bad = i === undefined ? va : vb;
      throw new DermametricsError('E_BAD_RATINGS', `rating ${JSON.stringify(bad)} (subject ${s}) is not one of the declared categories ${JSON.stringify(categories)}`, {
        subject: s,
        value: bad,
      });
    }
    table[i][j]++;
  }
  return { table, dropped };
}

/**
 * Cohen's kappa between two raters' ratings of the same subjects, over the declared `categories` (ordered, for
 * weighted kappa). Missing pairs are dropped (result field `dropped`).
 */
export function cohenKappa<T extends string | number>(
  a: ArrayLike<T | null | undefined>,
  b: ArrayLike<T | null | undefined>,
  categories: readonly T[],
  options: KappaOptions = {},
): KappaResult & { dropped: number; categories: T[] } {
  const { table, dropped } = crossTable(a, b, categories);
  return { ...cohenKappaTable(table, options), dropped, categories: categories.slice() };
}
