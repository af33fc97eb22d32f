import { bilinear, blurredBlocks, gridAxis, type Plane } from './filters';

/**
 * Auto-context [Tu2010]: a second per-pixel head reads the first head's probability map AROUND each pixel. A furrow is
 * a line, so its pixels have support along the valley; a pore or a noise speck does not; a hair band has parallel
 * lines beside it. The second head sees, at each candidate pixel (first-stage probability ≥ the manifest's
 * `candidate`): that probability, its local means at three widths, its means at ± d along and across the valley
 * direction of the filter bank (σ = 0.2 mm; quantised to 16 directions, read at the nearest pixel), the weaker side
 * along the line, the Frangi response, the contrast, and the logit. Version of this bank, recorded in the context
 * head's manifest and checked on loading:
 */
export const CONTEXT_BANK = 1;

/** Widths (mm) of the local means of the probability; computed on f × f block means (`blurredBlocks`). */
const MEAN_SIGMAS_MM = [0.3, 1, 2.5] as const;
const MEAN_DECIMATION = [4, 4, 8] as const;
/** Distances (mm) at which the probability is read along the valley, on both sides. */
const ALONG_MM = [0.5, 1, 2] as const;
/** Distance (mm) of the weaker-side reading along the valley (ends of lines). */
const END_MM = 1;
/** Distances (mm) across the valley (parallel lines), and of the stronger side just beside it (width). */
const ACROSS_MM = [0.5, 1] as const;
const BESIDE_MM = 0.2;
/** Probabilities are clamped to [ε, 1 − ε] for the logit. */
const LOGIT_EPS = 1e-4;

export const CONTEXT_NAMES: readonly string[] = [
  'prob',
  ...MEAN_SIGMAS_MM.map((s) => `probMean_${s}`),
  ...ALONG_MM.map((d) => `alongMean_${d}`),
  `alongMinSide_${END_MM}`,
  ...ACROSS_MM.map((d) => `acrossMean_${d}`),
  `besideMaxSide_${BESIDE_MM}`,
  'frangi',
  'contrast',
  'logit',
];
export const CONTEXT_COUNT = CONTEXT_NAMES.length;
if (CONTEXT_COUNT !== 14) throw new Error('context columns out of step with contextBandRows');

/** The first stage's maps the context is read from (all width × height at the analysis resolution). */
export interface ContextInput {
  width: number;
  height: number;
  prob: Float32Array;
  orientationDeg: Float32Array;
  frangi: Float32Array;
  contrast: Float32Array;
}

/** Context rows (CONTEXT_COUNT values each, pixel-major) of the candidate pixels `index` (raster order). */
export interface ContextRows {
  rows: Float32Array;
  index: Int32Array;
}

/** The valley directions are quantised to this many bins over [0°, 180°) (11.25° apart: ≤ 2 px off at 2 mm). */
const DIRECTIONS = 16;

/**
 * Whole-pixel offsets (dx, dy) of the seven readings (three along, the end, two across, beside) for each direction bin:
 * [DIRECTIONS][7][2], nearest pixel to d·(cos a, −sin a) along and d·(sin a, cos a) across.
 */
function offsetTable(mmPerPx: number): Int32Array {
  const along = [...ALONG_MM, END_MM].map((d) => d / mmPerPx);
  const across = [...ACROSS_MM, BESIDE_MM].map((d) => d / mmPerPx);
  const t = new Int32Array(DIRECTIONS * 14);
  for (let b = 0; b < DIRECTIONS; b++) {
    const a = (b * Math.PI) / DIRECTIONS;
    const ux = Math.cos(a), uy = -Math.sin(a);
    const ds: [number, number][] = [...along.map((d): [number, number] => [d * ux, d * uy]), ...across.map((d): [number, number] => [-d * uy, d * ux])];
    ds.forEach(([dx, dy], k) => {
      t[b * 14 + 2 * k] = Math.round(dx);
      t[b * 14 + 2 * k + 1] = Math.round(dy);
    });
  }
  return t;
}

/** The local means of the probability (MEAN_SIGMAS_MM), each on its own block grid (`blurredBlocks`). */
function contextMeans(prob: Float32Array, width: number, height: number, mmPerPx: number): Plane[] {
  return MEAN_SIGMAS_MM.map((s, k) => blurredBlocks({ width, height, data: prob }, s / mmPerPx, MEAN_DECIMATION[k]));
}

/**
 * Map rows [rowStart, rowEnd) of a context input that holds only part of a map: its planes are map rows yOffset …
 * yOffset + height − 1 (contextMargin rows round [rowStart, rowEnd) where the map has them) and `mapHeight` is the
 * whole map's. The local means are computed on the band's planes, so a band is a pure function of them: the same
 * bytes on any thread, and a band can start as soon as its rows and margins of the first-stage map are done.
 */
export interface ContextBand extends ContextInput {
  yOffset: number;
  mapHeight: number;
  rowStart: number;
  rowEnd: number;
}

/** Map rows per band (a multiple of the widest block grid, 8). */
const CONTEXT_BAND_ROWS = 256;

/** Rows above and below a band its planes hold: the widest local mean's support (3-box blur of σ 2.5 mm on 8 × 8
 * blocks: 8 blocks) and its interpolation, rounded up to whole blocks; more than the readings' reach (2 mm). */
function contextMargin(mmPerPx: number): number {
  return 8 * Math.ceil(9.6 / mmPerPx / 8);
}

/** The bands of a map of `height` rows: the rows each computes and the rows [y0, y1) its planes hold. */
export function contextBandPlan(height: number, mmPerPx: number): { rowStart: number; rowEnd: number; y0: number; y1: number }[] {
  const margin = contextMargin(mmPerPx);
  const plan = [];
  for (let rowStart = 0; rowStart < height; rowStart += CONTEXT_BAND_ROWS) {
    const rowEnd = Math.min(height, rowStart + CONTEXT_BAND_ROWS);
    plan.push({ rowStart, rowEnd, y0: Math.max(0, rowStart - margin), y1: Math.min(height, rowEnd + margin) });
  }
  return plan;
}

/** A band of a whole map as views of its planes (no copy). */
export function bandOf(m: ContextInput, b: { rowStart: number; rowEnd: number; y0: number; y1: number }): ContextBand {
  const rows = (a: Float32Array): Float32Array => a.subarray(b.y0 * m.width, b.y1 * m.width);
  return { width: m.width, height: b.y1 - b.y0, prob: rows(m.prob), orientationDeg: rows(m.orientationDeg), frangi: rows(m.frangi), contrast: rows(m.contrast), yOffset: b.y0, mapHeight: m.height, rowStart: b.rowStart, rowEnd: b.rowEnd };
}

/** The largest offset of an offset table: pixels farther than this from the map's border read without clamping. */
function reachOf(off: Int32Array): number {
  let reach = 0;
  for (const v of off) reach = Math.max(reach, Math.abs(v));
  return reach;
}

/** Number of the band's candidates. */
function countCandidates(m: ContextBand, candidate: number): number {
  const first = (m.rowStart - m.yOffset) * m.width, last = (m.rowEnd - m.yOffset) * m.width;
  let count = 0;
  for (let i = first; i < last; i++) if (m.prob[i] >= candidate) count++;
  return count;
}

/**
 * The context rows (CONTEXT_COUNT values each, in raster order) of the band's pixels whose first-stage probability is
 * at least `candidate`, with their indices in the whole map.
 */
export function contextBandRows(m: ContextBand, mmPerPx: number, candidate: number): ContextRows {
  const { width: w, prob, yOffset, mapHeight: H, rowStart, rowEnd } = m;
  const count = countCandidates(m, candidate);
  const index = new Int32Array(count);
  const K = CONTEXT_COUNT;
  const rows = new Float32Array(count * K);
  if (count === 0) return { rows, index };
  // the local means on the band's planes (block grids start at row yOffset), read through tabulated bilinear weights
  const means = contextMeans(prob, w, m.height, mmPerPx);
  const xs = means.map((g, k) => gridAxis(w, MEAN_DECIMATION[k], g.width));
  const ys = means.map((g, k) => gridAxis(m.height, MEAN_DECIMATION[k], g.height));
  const off = offsetTable(mmPerPx);
  const reach = reachOf(off);
  const toBin = DIRECTIONS / 180;
  const { orientationDeg: ori, frangi, contrast } = m;
  const [g0, g1, g2] = means.map((g) => g.data);
  const [w0, w1, w2] = means.map((g) => g.width);
  const [X0, X1, X2] = xs;
  // the 14 readings' offsets in the band's planes for each direction bin (interior pixels read without clamping)
  const rel = new Int32Array(DIRECTIONS * 7);
  for (let k = 0; k < rel.length; k++) rel[k] = off[2 * k] + off[2 * k + 1] * w;
  // probability at map position (x + dx, y + dy), clamped to the map (used only within `reach` of its border)
  const at = (x: number, y: number, dx: number, dy: number): number => {
    const u = x + dx, v = y + dy;
    return prob[((v < 0 ? 0 : v >= H ? H - 1 : v) - yOffset) * w + (u < 0 ? 0 : u >= w ? w - 1 : u)];
  };
  const read = new Float64Array(14); // border pixels only
  let r = 0;
  for (let y = rowStart; y < rowEnd; y++) {
    const inY = y >= reach && y < H - reach;
    const by = y - yOffset;
    // this row's two grid rows and weight in each local mean's grid
    const a0 = ys[0].i0[by] * w0, b0 = ys[0].i1[by] * w0, t0 = ys[0].t[by];
    const a1 = ys[1].i0[by] * w1, b1 = ys[1].i1[by] * w1, t1 = ys[1].t[by];
    const a2 = ys[2].i0[by] * w2, b2 = ys[2].i1[by] * w2, t2 = ys[2].t[by];
    for (let x = 0; x < w; x++) {
      const i = by * w + x; // in the band's planes
      const p = prob[i];
      if (p < candidate) continue;
      index[r] = y * w + x;
      const t = Math.round(ori[i] * toBin) % DIRECTIONS;
      const o = r * K;
      rows[o] = p;
      rows[o + 1] = bilinear(g0, a0, b0, t0, X0.i0[x], X0.i1[x], X0.t[x]);
      rows[o + 2] = bilinear(g1, a1, b1, t1, X1.i0[x], X1.i1[x], X1.t[x]);
      rows[o + 3] = bilinear(g2, a2, b2, t2, X2.i0[x], X2.i1[x], X2.t[x]);
      if (inY && x >= reach && x < w - reach) {
        const q = t * 7;
        rows[o + 4] = 0.5 * (prob[i + rel[q]] + prob[i - rel[q]]); // along, 0.5 / 1 / 2 mm
        rows[o + 5] = 0.5 * (prob[i + rel[q + 1]] + prob[i - rel[q + 1]]);
        rows[o + 6] = 0.5 * (prob[i + rel[q + 2]] + prob[i - rel[q + 2]]);
        rows[o + 7] = Math.min(prob[i + rel[q + 3]], prob[i - rel[q + 3]]); // the weaker side at END_MM
        rows[o + 8] = 0.5 * (prob[i + rel[q + 4]] + prob[i - rel[q + 4]]); // across, 0.5 / 1 mm
        rows[o + 9] = 0.5 * (prob[i + rel[q + 5]] + prob[i - rel[q + 5]]);
        rows[o + 10] = Math.max(prob[i + rel[q + 6]], prob[i - rel[q + 6]]); // the stronger side at BESIDE_MM
      } else {
        for (let k = 0; k < 7; k++) {
          const dx = off[t * 14 + 2 * k], dy = off[t * 14 + 2 * k + 1];
          read[2 * k] = at(x, y, dx, dy);
          read[2 * k + 1] = at(x, y, -dx, -dy);
        }
        rows[o + 4] = 0.5 * (read[0] + read[1]);
        rows[o + 5] = 0.5 * (read[2] + read[3]);
        rows[o + 6] = 0.5 * (read[4] + read[5]);
        rows[o + 7] = Math.min(read[6], read[7]);
        rows[o + 8] = 0.5 * (read[8] + read[9]);
        rows[o + 9] = 0.5 * (read[10] + read[11]);
        rows[o + 10] = Math.max(read[12], read[13]);
      }
      rows[o + 11] = frangi[i];
      rows[o + 12] = contrast[i];
      const q = p < LOGIT_EPS ? LOGIT_EPS : p > 1 - LOGIT_EPS ? 1 - LOGIT_EPS : p;
      rows[o + 13] = Math.log(q / (1 - q));
      r++;
    }
  }
  return { rows, index };
}

/** The context rows of every pixel of a whole map whose first-stage probability is at least `candidate`, band by band. */
export function contextRows(m: ContextInput, mmPerPx: number, candidate: number): ContextRows {
  const parts = contextBandPlan(m.height, mmPerPx).map((b) => contextBandRows(bandOf(m, b), mmPerPx, candidate));
  if (parts.length === 1) return parts[0];
  const index = new Int32Array(parts.reduce((a, p) => a + p.index.length, 0));
  const rows = new Float32Array(index.length * CONTEXT_COUNT);
  let r = 0;
  for (const p of parts) {
    index.set(p.index, r);
    rows.set(p.rows, r * CONTEXT_COUNT);
    r += p.index.length;
  }
  return { rows, index };
}
