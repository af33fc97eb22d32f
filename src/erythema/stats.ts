/** Summary of one measure over a region's kept pixels. `null` only with a QC flag (no kept pixels). */
export interface ErythemaStat {
  mean: number | null;
  median: number | null;
  sd: number | null;
  p10: number | null;
  p90: number | null;
}

/** k-th smallest (0-based) of a[lo..hi] by in-place quickselect (Hoare partition, median-of-three pivot). */
function select(a: Float64Array, lo: number, hi: number, k: number): number {
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // median of three as pivot
    const x = a[lo], y = a[mid], z = a[hi];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/**
 * Quantiles by linear interpolation between order statistics, the "type 7" definition (R's default, numpy's
 * 'linear') [Hyndman1996]: Q(p) = x[h] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]), h = (n − 1)p (0-based). Exact, O(n) per
 * quantile via quickselect (no full sort). Reorders `a`. `ps` ascending.
 */
export function quantilesInPlace(a: Float64Array, ps: readonly number[]): number[] {
  const n = a.length;
  const out: number[] = [];
  let lo = 0;
  for (const p of ps) {
    const h = (n - 1) * p;
    const k = Math.floor(h);
    const xk = select(a, lo, n - 1, k);
    lo = k; // everything left of k is ≤ a[k]; later (larger) quantiles search from k
    let xk1 = xk;
    if (k + 1 < n && h > k) {
      xk1 = Infinity;
      for (let i = k + 1; i < n; i++) if (a[i] < xk1) xk1 = a[i]; // after selection a[k+1..] ≥ a[k]: its min is x(k+1)
    }
    out.push(xk + (h - k) * (xk1 - xk));
  }
  return out;
}

/** mean, median, sample SD (n − 1), p10, p90 of `values` (reordered in place). Empty → all null. */
export function summarize(values: Float64Array): ErythemaStat {
  const n = values.length;
  if (n === 0) return { mean: null, median: null, sd: null, p10: null, p90: null };
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i];
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const e = values[i] - mean;
    ss += e * e;
  }
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const [p10, median, p90] = quantilesInPlace(values, [0.1, 0.5, 0.9]);
  return { mean, median, sd, p10, p90 };
}

/** Gather `map[cells]` into a new Float64Array. */
export function gather(map: Float32Array, cells: Uint32Array): Float64Array {
  const out = new Float64Array(cells.length);
  for (let i = 0; i < cells.length; i++) out[i] = map[cells[i]];
  return out;
}
