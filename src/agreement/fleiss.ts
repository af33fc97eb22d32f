import { DermametricsError } from '../errors';
import { normalUpper } from './distributions';
import { isMissing } from './validate';

export interface FleissKappaResult {
  /** subjects */
  N: number;
  /** ratings per subject */
  m: number;
  /** categories */
  k: number;
  /** overall proportion of ratings in each category */
  pj: number[];
  /** per-subject agreement P_i */
  Pi: number[];
  Pbar: number;
  Pe: number;
  kappa: number;
  /** SE under H0 [FleissNeeLandis1979] and z = κ/SE0, two-sided p */
  se0: number;
  z: number;
  p: number;
  /**
   * per-category κ_j, its null SE, z and p [Fleiss1971] eq. (13) / [FleissNeeLandis1979]. For a category nobody used
   * (or everybody always used) κ_j is undefined: `used: false` and kappa/z/p are null (never NaN).
   */
  perCategory: { used: boolean; kappa: number | null; se0: number; z: number | null; p: number | null }[];
}

/**
 * Fleiss' kappa from a subjects × categories matrix of counts n_ij (how many of the m raters put subject i in
 * category j; every row sums to the same m) [Fleiss1971]. Matches irr::kappam.fleiss(detail = TRUE).
 * @throws DermametricsError E_BAD_RATINGS (unequal raters per subject, negative counts), E_DEGENERATE (< 2 subjects
 *   or raters, all ratings in one category)
 */
export function fleissKappa(counts: ArrayLike<ArrayLike<number>>): FleissKappaResult {
  const N = counts.length;
  if (N < 2) throw new DermametricsError('E_DEGENERATE', `Fleiss' kappa needs at least 2 subjects; got ${N}`, { N });
  const k = counts[0].length;
  let m = -1;
  const x: number[][] = [];
  for (let i = 0; i < N; i++) {
    const r = counts[i];
    if (!r || r.length !== k) throw new DermametricsError('E_BAD_RATINGS', `counts[${i}] has ${r?.length} categories; row 0 has ${k}`, { row: i });
    let s = 0;
    const row: number[] = [];
    for (let j = 0; j < k; j++) {
      const v = r[j];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new DermametricsError('E_BAD_RATINGS', `counts[${i}][${j}] must be a whole count >= 0`, { row: i, col: j });
      s += v;
      row.push(v);
    }
    if (m === -1) m = s;
    if (s !== m) {
      throw new DermametricsError('E_BAD_RATINGS', `subject ${i} has ${s} ratings but subject 0 has ${m}; Fleiss' kappa needs the same number of ratings per subject (use krippendorffAlpha for unequal/missing ratings)`, {
        row: i,
      });
    }
    x.push(row);
  }
  if (m < 2) throw new DermametricsError('E_DEGENERATE', `Fleiss' kappa needs at least 2 ratings per subject; got ${m}`, { m });
  const pj = Array.from({ length: k }, (_, j) => x.reduce((a, r) => a + r[j], 0) / (N * m)); // [Fleiss1971] eq. (2)
  const Pi = x.map((r) => (r.reduce((a, v) => a + v * v, 0) - m) / (m * (m - 1))); // eq. (3)
  const Pbar = Pi.reduce((a, v) => a + v, 0) / N; // eq. (4)
  const Pe = pj.reduce((a, v) => a + v * v, 0); // eq. (5)
  if (!(1 - Pe > 1e-12)) throw new DermametricsError('E_DEGENERATE', "Fleiss' kappa undefined: every rating is in one category", { Pe });
  const kappa = (Pbar - Pe) / (1 - Pe); // eq. (7)
  // [FleissNeeLandis1979] null variance
  const sumPQ = pj.reduce((a, p) => a + p * (1 - p), 0);
  const sumPQQP = pj.reduce((a, p) => a + p * (1 - p) * (1 - 2 * p), 0);
  const se0 = (Math.sqrt(2) / (sumPQ * Math.sqrt(N * m * (m - 1)))) * Math.sqrt(sumPQ * sumPQ - sumPQQP);
  const z = kappa / se0;
  const seJ = Math.sqrt(2 / (N * m * (m - 1)));
  const perCategory = pj.map((p, j) => {
    if (p === 0 || p === 1) return { used: false, kappa: null, se0: seJ, z: null, p: null };
    const kj = 1 - x.reduce((a, r) => a + r[j] * (m - r[j]), 0) / (N * m * (m - 1) * p * (1 - p)); // [Fleiss1971] eq. (13)
    const zj = kj / seJ;
    return { used: true, kappa: kj, se0: seJ, z: zj, p: Math.min(1, 2 * normalUpper(Math.abs(zj))) };
  });
  return { N, m, k, pj, Pi, Pbar, Pe, kappa, se0, z, p: Math.min(1, 2 * normalUpper(Math.abs(z))), perCategory };
}

/**
 * Fleiss' kappa from a subjects × rating-slots matrix of category labels (raters need not be the same people for
 * every subject) over the declared `categories`. A category nobody used has `perCategory[j].used = false` and a null
 * κ_j (the overall κ is unaffected: unused categories add nothing to P̄ or P̄e).
 */
export function fleissKappaFromRatings<T extends string | number>(ratings: ArrayLike<ArrayLike<T | null>>, categories: readonly T[]): FleissKappaResult {
  const index = new Map<string, number>(categories.map((c, i) => [String(c), i])); // '2' matches 2
  const counts: number[][] = [];
  for (let i = 0; i < ratings.length; i++) {
    const row = new Array<number>(categories.length).fill(0);
    const r = ratings[i];
    for (let j = 0; j < r.length; j++) {
      const v = r[j];
      if (isMissing(v)) throw new DermametricsError('E_BAD_RATINGS', `ratings[${i}][${j}] is missing; Fleiss' kappa needs complete data (use krippendorffAlpha)`, { row: i, col: j });
      const c = index.get(String(v));
      if (c === undefined) throw new DermametricsError('E_BAD_RATINGS', `ratings[${i}][${j}] = ${JSON.stringify(v)} is not one of the declared categories`, { row: i, col: j });
      row[c]++;
    }
    counts.push(row);
  }
  return fleissKappa(counts);
}
