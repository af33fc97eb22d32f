import * as tfl from '@tensorflow/tfjs-layers';
import { tf } from '../model/backend';
import type { Rng } from '../random';
import type { Raster } from '../image/raster';
import { CONTEXT_COUNT, contextRows, type ContextInput } from './context';
import { computeFeatures, FEATURE_COUNT } from './features';
import { maxHessHi } from './gate';

/** Training rows: features (pixel-major) and 0/1 labels. */
export interface TrainingRows {
  x: Float32Array;
  y: Float32Array;
  n: number;
}

export interface SampleOptions {
  /** at most this many wrinkle pixels per image (default 800) */
  maxPositive?: number;
  /** random background pixels per image (default 500) */
  randomNegative?: number;
  /** hard background pixels per image: the strongest Frangi responses off the mask (default 800) */
  hardNegative?: number;
}

/**
 * Sample training rows from one image (linear sRGB at `mmPerPx`) and its 0/1 wrinkle mask: wrinkle pixels, random
 * background, and the background pixels the ridge filter likes most (hair, vessels, pore rims): hard negatives.
 */
export function sampleRows(raster: Raster, mask: Uint8Array, mmPerPx: number, rng: Rng, o: SampleOptions = {}): TrainingRows {
  const f = computeFeatures(raster, mmPerPx);
  const n = raster.width * raster.height;
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < n; i++) (mask[i] ? pos : neg).push(i);
  rng.shuffle(pos);
  const picked = pos.slice(0, o.maxPositive ?? 800);
  rng.shuffle(neg);
  picked.push(...neg.slice(0, o.randomNegative ?? 500));
  const hard = neg.filter((i) => f.frangi[i] > 0.05).sort((a, b) => f.frangi[b] - f.frangi[a] || a - b);
  picked.push(...hard.slice(0, o.hardNegative ?? 800));
  return gatherRows(f.data, FEATURE_COUNT, picked, (p) => mask[p]);
}

/** Training rows `picked` (row numbers) of a table with F values per row, labelled by `label(row)`. */
function gatherRows(table: Float32Array, F: number, picked: readonly number[], label: (row: number) => number): TrainingRows {
  const x = new Float32Array(picked.length * F);
  const y = new Float32Array(picked.length);
  picked.forEach((p, r) => {
    x.set(table.subarray(p * F, p * F + F), r * F);
    y[r] = label(p);
  });
  return { x, y, n: picked.length };
}

/**
 * Training rows of the auto-context head (src/wrinkle/context.ts) from one image's first-stage maps and its 0/1 mask:
 * candidate pixels only (first-stage probability ≥ `candidate`, the pixels the head will see), up to `maxPositive`
 * wrinkle and `maxNegative` background ones, drawn at random.
 */
export function sampleContextRows(maps: ContextInput, mask: Uint8Array, mmPerPx: number, candidate: number, rng: Rng, o: { maxPositive?: number; maxNegative?: number } = {}): TrainingRows {
  const { rows, index } = contextRows(maps, mmPerPx, candidate);
  const pos: number[] = [];
  const neg: number[] = [];
  for (let r = 0; r < index.length; r++) (mask[index[r]] ? pos : neg).push(r);
  rng.shuffle(pos);
  rng.shuffle(neg);
  const picked = [...pos.slice(0, o.maxPositive ?? 1500), ...neg.slice(0, o.maxNegative ?? 1500)];
  return gatherRows(rows, CONTEXT_COUNT, picked, (r) => mask[index[r]]);
}

/** Rows of several images in one table (`F` values per row). */
export function concatRows(parts: TrainingRows[], F = FEATURE_COUNT): TrainingRows {
  const n = parts.reduce((a, p) => a + p.n, 0);
  const x = new Float32Array(n * F);
  const y = new Float32Array(n);
  let r = 0;
  for (const p of parts) {
    x.set(p.x, r * F);
    y.set(p.y, r);
    r += p.n;
  }
  return { x, y, n };
}

/** Per-feature mean and standard deviation (population), for the input normalisation stored in the manifest. */
export function featureStats(rows: TrainingRows, F = FEATURE_COUNT): { mean: number[]; std: number[] } {
  const mean = new Float64Array(F);
  const sq = new Float64Array(F);
  for (let r = 0; r < rows.n; r++) for (let f = 0; f < F; f++) mean[f] += rows.x[r * F + f];
  for (let f = 0; f < F; f++) mean[f] /= rows.n;
  for (let r = 0; r < rows.n; r++) for (let f = 0; f < F; f++) sq[f] += (rows.x[r * F + f] - mean[f]) ** 2;
  return { mean: [...mean], std: [...sq].map((s) => Math.max(1e-6, Math.sqrt(s / rows.n))) };
}

/**
 * A per-pixel head: a small MLP, `inputs` → hidden layers (ReLU; default 32, 16) → 1 (sigmoid), seeded Glorot
 * initialisation. The filter-bank head has FEATURE_COUNT inputs, the auto-context head CONTEXT_COUNT.
 */
export function createHead(seed: number, inputs = FEATURE_COUNT, hidden: readonly number[] = [32, 16]): tfl.Sequential {
  const model = tfl.sequential();
  hidden.forEach((units, k) => model.add(tfl.layers.dense({ ...(k === 0 ? { inputShape: [inputs] } : {}), units, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + k }) })));
  model.add(tfl.layers.dense({ ...(hidden.length ? {} : { inputShape: [inputs] }), units: 1, activation: 'sigmoid', kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + hidden.length }) }));
  return model;
}

export interface FitOptions {
  epochs: number;
  batchSize?: number;
  learningRate?: number;
  rng: Rng;
  onEpoch?: (epoch: number, loss: number) => void;
}

/**
 * Fit the head with Adam on binary cross-entropy. Rows are shuffled by our seeded RNG each epoch (tfjs' own shuffle
 * uses Math.random), so a run is reproducible on one backend. Train on the cpu backend: wasm lacks some gradients.
 */
export async function fitHead(model: tfl.LayersModel, rows: TrainingRows, norm: { mean: number[]; std: number[] }, o: FitOptions): Promise<number[]> {
  const F = norm.mean.length;
  model.compile({ optimizer: tf.train.adam(o.learningRate ?? 0.003), loss: 'binaryCrossentropy' });
  const xs = new Float32Array(rows.n * F);
  const ys = new Float32Array(rows.n);
  const order = Array.from({ length: rows.n }, (_, i) => i);
  const losses: number[] = [];
  for (let e = 0; e < o.epochs; e++) {
    o.rng.shuffle(order);
    order.forEach((src, r) => {
      for (let f = 0; f < F; f++) xs[r * F + f] = (rows.x[src * F + f] - norm.mean[f]) / norm.std[f];
      ys[r] = rows.y[src];
    });
    const x = tf.tensor2d(xs, [rows.n, F]);
    const y = tf.tensor2d(ys, [rows.n, 1]);
    const h = await model.fit(x, y, { epochs: 1, batchSize: o.batchSize ?? 1024, shuffle: false, verbose: 0 });
    x.dispose();
    y.dispose();
    const loss = Number(h.history.loss[0]);
    losses.push(loss);
    o.onEpoch?.(e, loss);
  }
  return losses;
}

/**
 * The gate of the head: the `q` quantile (default 0.005) over wrinkle rows of the largest Hessian eigenvalue across the
 * feature scales; pixels below it are skipped at inference.
 */
export function gateThreshold(rows: TrainingRows, q = 0.005): number {
  const v: number[] = [];
  for (let r = 0; r < rows.n; r++) if (rows.y[r]) v.push(maxHessHi(rows.x, r));
  if (!v.length) return -Infinity;
  v.sort((a, b) => a - b);
  return v[Math.floor(q * (v.length - 1))];
}
