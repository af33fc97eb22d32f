import { DermametricsError, invalidOption } from '../errors';

/** A missing rating: `null`, `undefined` or NaN. */
export function isMissing(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));
}

/** A finite number array of at least `min` values; anything else is E_BAD_RATINGS naming `what`. */
export function finiteVector(what: string, x: ArrayLike<number>, min = 1): Float64Array {
  if (x === null || typeof x !== 'object' || typeof x.length !== 'number') {
    throw new DermametricsError('E_BAD_RATINGS', `${what} must be an array of numbers`, { what });
  }
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new DermametricsError(
        'E_BAD_RATINGS',
        `${what}[${i}] is ${v === null ? 'missing (null)' : String(v)}; remove the incomplete pair or subject before calling`,
        { what, index: i },
      );
    }
    out[i] = v;
  }
  if (out.length < min) {
    throw new DermametricsError('E_DEGENERATE', `${what} has ${out.length} values; at least ${min} are needed`, { what, n: out.length, min });
  }
  return out;
}

/** Two paired vectors of equal length. */
export function pairedVectors(whatX: string, x: ArrayLike<number>, whatY: string, y: ArrayLike<number>, min = 3): [Float64Array, Float64Array] {
  const a = finiteVector(whatX, x, 0);
  const b = finiteVector(whatY, y, 0);
  if (a.length !== b.length) {
    throw new DermametricsError('E_BAD_RATINGS', `${whatX} has ${a.length} values but ${whatY} has ${b.length}; pair them by subject id first`, {
      lengths: [a.length, b.length],
    });
  }
  if (a.length < min) {
    throw new DermametricsError('E_DEGENERATE', `only ${a.length} pairs; at least ${min} are needed`, { n: a.length, min });
  }
  return [a, b];
}

/** A complete subjects × raters matrix (rows = subjects) with at least minRows rows and minCols columns. */
export function completeMatrix(what: string, m: ArrayLike<ArrayLike<number | null>>, minRows = 2, minCols = 2): number[][] {
  if (!Array.isArray(m) && !(m && typeof m === 'object' && typeof m.length === 'number')) {
    throw new DermametricsError('E_BAD_RATINGS', `${what} must be an array of rows (one per subject) of ratings (one per rater)`, { what });
  }
  const rows: number[][] = [];
  let k = -1;
  for (let i = 0; i < m.length; i++) {
    const r = m[i];
    if (!r || typeof r.length !== 'number') throw new DermametricsError('E_BAD_RATINGS', `${what}[${i}] is not an array`, { what, row: i });
    if (k === -1) k = r.length;
    if (r.length !== k) {
      throw new DermametricsError('E_BAD_RATINGS', `${what}[${i}] has ${r.length} ratings but row 0 has ${k}; every subject needs one rating per rater`, {
        what,
        row: i,
      });
    }
    const row: number[] = [];
    for (let j = 0; j < r.length; j++) {
      const v = r[j];
      if (isMissing(v)) {
        throw new DermametricsError(
          'E_BAD_RATINGS',
          `${what}[${i}][${j}] is missing; this statistic needs complete data (drop the subject, or use krippendorffAlpha which allows missing ratings)`,
          { what, row: i, col: j },
        );
      }
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new DermametricsError('E_BAD_RATINGS', `${what}[${i}][${j}] is not a finite number`, { what, row: i, col: j });
      row.push(v);
    }
    rows.push(row);
  }
  if (rows.length < minRows) {
    throw new DermametricsError('E_DEGENERATE', `${what} has ${rows.length} subject(s); at least ${minRows} are needed`, { what, n: rows.length, min: minRows });
  }
  if (k < minCols) {
    throw new DermametricsError('E_DEGENERATE', `${what} has ${k} rater(s); at least ${minCols} are needed`, { what, k, min: minCols });
  }
  return rows;
}

/** Confidence level option in (0, 1), default 0.95. */
export function confidenceOption(name: string, v: unknown): number {
  if (v === undefined) return 0.95;
  if (typeof v !== 'number' || !(v > 0 && v < 1)) throw invalidOption(name, 'a number in (0, 1)', v);
  return v;
}

export function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/** Sample variance (n − 1 denominator), two-pass. */
export function variance(x: ArrayLike<number>): number {
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - m) ** 2;
  return s / (x.length - 1);
}
