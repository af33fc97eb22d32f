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

const BINS = 4096;
/** Scratch: the histogram bin of each value of the current call (reused between calls; grows as needed). */
let binScratch = new Uint16Array(0);

/**
 * `summarize(gather(map, cells))` without the copy and without sorting: mean and SD in one pass (values shifted by
 * the first one for stability), then the type-7 quantiles [Hyndman1996] exactly by bucket selection — a 4096-bin
 * histogram over [min, max] locates the bins holding the needed order statistics, and only those bins' values are
 * sorted. Same numbers as the sort-based definition (test/erythema/analyze.test.ts), O(n).
 */
export function summarizeCells(map: Float32Array, cells: Uint32Array, range?: { min: number; max: number }): ErythemaStat {
  const n = cells.length;
  if (n === 0) return { mean: null, median: null, sd: null, p10: null, p90: null };
  const shift = map[cells[0]];
  let s = 0;
  let ss = 0;
  let min = Infinity;
  let max = -Infinity;
  let hist: Uint32Array | null = null;
  let scale = 0;
  if (binScratch.length < n) binScratch = new Uint16Array(Math.max(n, 2 * binScratch.length));
  const binOfValue = binScratch;
  if (range && range.max > range.min && Number.isFinite(range.min) && Number.isFinite(range.max)) {
    // Known bounds of the whole map: moments and histogram in one pass.
    min = range.min;
    max = range.max;
    scale = (BINS - 1) / (max - min);
    hist = new Uint32Array(BINS);
    let lo = Infinity;
    let hi = -Infinity;
    // Two interleaved accumulators (even / odd cells) break the add-latency chain; summed at the end.
    let s1 = 0;
    let ss1 = 0;
    const n2 = n & ~1;
    for (let i = 0; i < n2; i += 2) {
      const v = map[cells[i]];
      const w = map[cells[i + 1]];
      const d = v - shift;
      const e = w - shift;
      s += d;
      ss += d * d;
      s1 += e;
      ss1 += e * e;
      const bv = ((v - min) * scale) | 0;
      const bw = ((w - min) * scale) | 0;
      binOfValue[i] = bv;
      binOfValue[i + 1] = bw;
      hist[bv]++;
      hist[bw]++;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      if (w < lo) lo = w;
      if (w > hi) hi = w;
    }
    if (n2 < n) {
      const v = map[cells[n2]];
      const d = v - shift;
      s += d;
      ss += d * d;
      const bv = ((v - min) * scale) | 0;
      binOfValue[n2] = bv;
      hist[bv]++;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    s += s1;
    ss += ss1;
    if (hi === lo) {
      const mean0 = shift + s / n;
      const sd0 = n > 1 ? Math.sqrt(Math.max(0, (ss - (s * s) / n) / (n - 1))) : 0;
      return { mean: mean0, median: lo, sd: sd0, p10: lo, p90: lo };
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = map[cells[i]];
      const d = v - shift;
      s += d;
      ss += d * d;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const mean = shift + s / n;
  const sd = n > 1 ? Math.sqrt(Math.max(0, (ss - (s * s) / n) / (n - 1))) : 0;
  const ps = [0.1, 0.5, 0.9];
  if (max === min) return { mean, median: min, sd, p10: min, p90: min };
  // ranks needed (0-based): floor(h) and floor(h)+1 for each quantile
  const ranks: number[] = [];
  for (const p of ps) {
    const h = (n - 1) * p;
    ranks.push(Math.floor(h), Math.min(n - 1, Math.floor(h) + 1));
  }
  if (!hist) {
    scale = (BINS - 1) / (max - min);
    hist = new Uint32Array(BINS);
    for (let i = 0; i < n; i++) {
      const b = ((map[cells[i]] - min) * scale) | 0;
      binOfValue[i] = b;
      hist[b]++;
    }
  }
  const h0 = hist;
  // bin of each rank, and how many values precede that bin
  const cum = new Uint32Array(BINS + 1);
  for (let b = 0; b < BINS; b++) cum[b + 1] = cum[b] + h0[b];
  const binOf = (r: number) => {
    let lo = 0;
    let hi = BINS - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid + 1] > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const needed = [...new Set(ranks.map(binOf))].sort((a, b) => a - b);
  // Counting-sort style: the needed bins' values go to consecutive segments of one buffer.
  const pos = new Int32Array(BINS).fill(-1);
  const segStart = new Map<number, number>();
  let total = 0;
  for (const b of needed) {
    pos[b] = total;
    segStart.set(b, total);
    total += h0[b];
  }
  const buf = new Float64Array(total);
  for (let i = 0; i < n; i++) {
    const b = binOfValue[i]; // bin recorded in the first pass: only values in the needed bins are read again
    const p = pos[b];
    if (p >= 0) {
      buf[p] = map[cells[i]];
      pos[b] = p + 1;
    }
  }
  for (const b of needed) {
    const a = segStart.get(b) as number;
    buf.subarray(a, a + h0[b]).sort();
  }
  const at = (r: number) => {
    const b = binOf(r);
    return buf[(segStart.get(b) as number) + r - cum[b]];
  };
  const q = ps.map((p) => {
    const h = (n - 1) * p;
    const k = Math.floor(h);
    const xk = at(k);
    return h > k ? xk + (h - k) * (at(k + 1) - xk) : xk;
  });
  return { mean, median: q[1], sd, p10: q[0], p90: q[2] };
}


