import type { Raster } from '../image/raster';
import { featurePlanes, featureRows, FEATURE_COUNT, FEATURE_SIGMAS_MM, gatedPixels, type FeatureStack } from './features';

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
 * What one tile needs, in the thread that computes it: the feature rows of the `need` pixels (all without it) whose
 * largest Hessian eigenvalue reaches `gateHessHi` (the manifest's gate: elsewhere the probability is 0 without running
 * the head), packed in raster order, with the baseline's maps.
 */
export function tileFeatures(raster: Raster, mmPerPx: number, gateHessHi: number, need?: Uint8Array): TileFeatures {
  const p = featurePlanes(raster, mmPerPx, need);
  const index = gatedPixels(p, gateHessHi, need);
  return { width: p.width, height: p.height, rows: featureRows(p, index), index, frangi: p.frangi, contrast: p.contrast, orientationDeg: p.orientationDeg };
}
