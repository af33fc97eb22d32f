import type { Raster } from '../image/raster';
import { computeFeatures, FEATURE_COUNT, FEATURE_SIGMAS_MM, type FeatureStack } from './features';

/** Largest Hessian eigenvalue over the feature scales (columns 0, 4, 8, ...) of pixel-major row `i`. */
export function maxHessHi(features: Float32Array, i: number): number {
  let m = -Infinity;
  for (let k = 0; k < FEATURE_SIGMAS_MM.length; k++) m = Math.max(m, features[i * FEATURE_COUNT + 4 * k]);
  return m;
}

/**
 * A tile's input to the trained head and the baseline's maps: the feature rows of the pixels that pass the gate, packed
 * in raster order, with their pixel indices; the full feature stack is not kept (it is ~24× the tile's pixels in floats).
 */
export interface TileFeatures extends Omit<FeatureStack, 'data'> {
  /** FEATURE_COUNT values per gated pixel */
  rows: Float32Array;
  /** pixel index (in the tile's crop) of each row */
  index: Int32Array;
}

/**
 * The rows the head runs on: the `need` pixels (all without it) whose largest Hessian eigenvalue reaches `gateHessHi`
 * (the manifest's gate: elsewhere the probability is 0 without running the head).
 */
export function gateRows(f: FeatureStack, gateHessHi: number, need?: Uint8Array): TileFeatures {
  const F = FEATURE_COUNT;
  const n = f.width * f.height;
  const gate = new Uint8Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) if ((need === undefined || need[i] === 1) && maxHessHi(f.data, i) >= gateHessHi) (gate[i] = 1), count++;
  const index = new Int32Array(count);
  const rows = new Float32Array(count * F);
  // copy runs of consecutive gated rows with one set() each (a view per row, or a loop per value, is slower)
  for (let i = 0, r = 0; i < n; ) {
    if (!gate[i]) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && gate[i]) index[r++] = i++;
    rows.set(f.data.subarray(start * F, i * F), (r - (i - start)) * F);
  }
  return { width: f.width, height: f.height, rows, index, frangi: f.frangi, contrast: f.contrast, orientationDeg: f.orientationDeg };
}

/** computeFeatures, then gateRows: what one tile needs, in the thread that computes it. */
export function tileFeatures(raster: Raster, mmPerPx: number, gateHessHi: number, need?: Uint8Array): TileFeatures {
  return gateRows(computeFeatures(raster, mmPerPx, need), gateHessHi, need);
}
