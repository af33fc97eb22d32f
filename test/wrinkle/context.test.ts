import { describe, expect, it } from 'vitest';
import { bandOf, CONTEXT_NAMES, contextBandPlan, contextBandRows, contextRows, type ContextInput } from '../../src/wrinkle/context';

// The auto-context rows read a first-stage probability map around each pixel. Ground truth by construction: a map with
// one drawn line (probability 1 on it, 0 elsewhere) and a known valley direction, where every reading is known exactly.

const W = 200;
const col = (name: string): number => CONTEXT_NAMES.indexOf(name);

/** A W × W map with a 3 px wide line of probability 1 through the centre, horizontal (0°) or vertical (90°). */
function lineMap(angleDeg: 0 | 90, from = 40, to = 160): ContextInput {
  const prob = new Float32Array(W * W);
  for (let t = from; t < to; t++) for (let d = -1; d <= 1; d++) prob[angleDeg === 0 ? (100 + d) * W + t : t * W + 100 + d] = 1;
  const n = W * W;
  return { width: W, height: W, prob, orientationDeg: new Float32Array(n).fill(angleDeg), frangi: new Float32Array(n).fill(0.25), contrast: new Float32Array(n).fill(-2) };
}

function rowAt(m: ContextInput, x: number, y: number): Float32Array {
  const r = contextRows(m, 0.1, 0.05);
  const k = Array.from(r.index).indexOf(y * W + x);
  expect(k).toBeGreaterThanOrEqual(0);
  return r.rows.subarray(k * CONTEXT_NAMES.length, (k + 1) * CONTEXT_NAMES.length);
}

describe('auto-context rows', () => {
  it('a pixel inside a line has full support along it (0.5, 1, 2 mm both sides) and none across it, at 0° and 90°', () => {
    for (const a of [0, 90] as const) {
      const row = rowAt(lineMap(a), 100, 100);
      expect(row[col('prob')]).toBe(1);
      for (const d of ['0.5', '1', '2']) expect(row[col(`alongMean_${d}`)]).toBe(1);
      expect(row[col('alongMinSide_1')]).toBe(1);
      expect(row[col('acrossMean_0.5')]).toBe(0);
      expect(row[col('acrossMean_1')]).toBe(0);
      expect(row[col('besideMaxSide_0.2')]).toBe(0); // 2 px beside the centre of a 3 px line
      expect(row[col('frangi')]).toBe(0.25);
      expect(row[col('contrast')]).toBe(-2);
      expect(row[col('logit')]).toBeCloseTo(Math.log(0.9999 / 0.0001), 4); // p clamped to 1 − 1e-4
    }
  });

  it('a pixel near the end of a line has support on one side only: alongMinSide falls to 0, the mean to 1/2', () => {
    const row = rowAt(lineMap(0), 154, 100); // the line ends at x = 159: 0.5 mm on is on it, 1 mm on is past it
    expect(row[col('alongMinSide_1')]).toBe(0);
    expect(row[col('alongMean_1')]).toBe(0.5);
    expect(row[col('alongMean_0.5')]).toBe(1);
  });

  it('parallel lines 1 mm apart (a hair band) give support across', () => {
    const m = lineMap(0);
    for (let x = 40; x < 160; x++) for (const y of [90, 110]) m.prob[y * W + x] = 1;
    const row = rowAt(m, 100, 100);
    expect(row[col('acrossMean_1')]).toBe(1);
    expect(row[col('acrossMean_0.5')]).toBe(0);
  });

  it('local means are means: a constant map gives the constant, a half plane ~½ at its edge', () => {
    const n = W * W;
    const flat: ContextInput = { ...lineMap(0), prob: new Float32Array(n).fill(0.3) };
    const row = rowAt(flat, 57, 133);
    for (const s of ['0.3', '1', '2.5']) expect(row[col(`probMean_${s}`)]).toBeCloseTo(0.3, 6);
    const half: ContextInput = { ...lineMap(0), prob: Float32Array.from({ length: n }, (_, i) => (i % W < 100 ? 1 : 0)) };
    const edge = rowAt(half, 99, 100);
    for (const s of ['1', '2.5']) expect(Math.abs(edge[col(`probMean_${s}`)] - 0.5)).toBeLessThan(0.1);
    expect(rowAt(half, 5, 100)[col('probMean_1')]).toBeCloseTo(1, 6);
  });

  it('only candidates (probability >= candidate) get rows, in raster order', () => {
    const m = lineMap(90);
    const r = contextRows(m, 0.1, 0.05);
    expect(r.index.length).toBe(3 * 120);
    for (let k = 1; k < r.index.length; k++) expect(r.index[k]).toBeGreaterThan(r.index[k - 1]);
  });

  it('a band depends only on its own planes (rows and margins): copies give the same bytes, the rest of the map does not enter, and contextRows is its bands in order', () => {
    const H = 600; // three bands of 256 rows
    const n = W * H;
    let s = 7;
    const next = (): number => (s = (s * 16807) % 2147483647);
    const m: ContextInput = { width: W, height: H, prob: new Float32Array(n), orientationDeg: new Float32Array(n), frangi: new Float32Array(n), contrast: new Float32Array(n) };
    for (let i = 0; i < n; i++) {
      m.prob[i] = (next() % 1000) / 1000;
      m.orientationDeg[i] = (next() % 1800) / 10;
    }
    const plan = contextBandPlan(H, 0.1);
    expect(plan.map((b) => [b.rowStart, b.rowEnd])).toEqual([[0, 256], [256, 512], [512, 600]]);
    const middle = bandOf(m, plan[1]);
    const a = contextBandRows(middle, 0.1, 0.05);
    const copy = { ...middle, prob: middle.prob.slice(), orientationDeg: middle.orientationDeg.slice(), frangi: middle.frangi.slice(), contrast: middle.contrast.slice() };
    const same = (x: ArrayBufferView, y: ArrayBufferView): boolean => Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));
    const b = contextBandRows(copy, 0.1, 0.05);
    expect(same(a.rows, b.rows) && same(a.index, b.index)).toBe(true);
    m.prob.fill(1, 0, plan[1].y0 * W); // rows above the band's planes
    const c = contextBandRows(bandOf(m, plan[1]), 0.1, 0.05);
    expect(same(a.rows, c.rows)).toBe(true);
    const whole = contextRows(m, 0.1, 0.05);
    const parts = plan.map((p) => contextBandRows(bandOf(m, p), 0.1, 0.05));
    expect(same(whole.index, Int32Array.from(parts.flatMap((p) => Array.from(p.index))))).toBe(true);
    expect(same(whole.rows, Float32Array.from(parts.flatMap((p) => Array.from(p.rows))))).toBe(true);
  });
});
