import { cropRaster } from '../image/resample';
import type { Raster } from '../image/raster';
import { computeFeatures, FEATURE_COUNT, FEATURE_SIGMAS_MM, LOCAL_SIGMA_MM } from './features';
import { LOCAL_DECIMATION } from './filters';

/** Largest Hessian eigenvalue over the feature scales (columns 0, 4, 8, ...) of pixel i. */
export function maxHessHi(features: Float32Array, i: number): number {
  let m = -Infinity;
  for (let k = 0; k < FEATURE_SIGMAS_MM.length; k++) m = Math.max(m, features[i * FEATURE_COUNT + 4 * k]);
  return m;
}
import { predictRows, type WrinkleModel } from './head';

/** Per-pixel maps of one analysed image at the analysis resolution. */
export interface WrinkleMaps {
  width: number;
  height: number;
  /** model probability that the pixel lies on a wrinkle */
  prob: Float32Array;
  /** baseline Frangi vesselness (dark valleys) */
  frangi: Float32Array;
  /** L* minus local mean (depth proxy) */
  contrast: Float32Array;
  /** valley orientation (deg) */
  orientationDeg: Float32Array;
}

/**
 * Tile side (pixels at the analysis resolution); features of one tile take (tile + 2·margin)² × 24 × 4 bytes (~120 MB
 * at 1024). Each tile recomputes a 57 px margin on every side, so larger tiles waste less (1.23× the pixels at 1024
 * against 1.49× at 512).
 */
export const TILE_PX = 1024;

/**
 * Compute features and model probabilities tile by tile: each tile is extended by a margin of three times the widest
 * filter σ, so the result equals the untiled computation except within that margin of the IMAGE border.
 */
export function computeWrinkleMaps(raster: Raster, mmPerPx: number, model: WrinkleModel, tilePx = TILE_PX): WrinkleMaps {
  const { width, height } = raster;
  const n = width * height;
  const maps: WrinkleMaps = { width, height, prob: new Float32Array(n), frangi: new Float32Array(n), contrast: new Float32Array(n), orientationDeg: new Float32Array(n) };
  const margin = Math.ceil((3 * LOCAL_SIGMA_MM) / mmPerPx) + 2 * LOCAL_DECIMATION + 2;
  for (let ty = 0; ty < height; ty += tilePx) {
    for (let tx = 0; tx < width; tx += tilePx) {
      // tiles start on the block grid of the decimated local statistics, so tiled = untiled away from the border
      const D = LOCAL_DECIMATION;
      const x0 = Math.max(0, Math.floor((tx - margin) / D) * D), y0 = Math.max(0, Math.floor((ty - margin) / D) * D);
      const x1 = Math.min(width, tx + tilePx + margin), y1 = Math.min(height, ty + tilePx + margin);
      const crop = cropRaster(raster, { x: x0, y: y0, width: x1 - x0, height: y1 - y0 });
      const f = computeFeatures(crop, mmPerPx);
      const nn = crop.width * crop.height;
      const gate = new Uint8Array(nn);
      const g = model.manifest.gateHessHi ?? -Infinity;
      for (let i = 0; i < nn; i++) gate[i] = maxHessHi(f.data, i) >= g ? 1 : 0;
      const p = predictRows(model, f.data, nn, gate);
      const iw = Math.min(tilePx, width - tx), ih = Math.min(tilePx, height - ty);
      for (let y = 0; y < ih; y++) {
        const src = (ty + y - y0) * crop.width + (tx - x0);
        const dst = (ty + y) * width + tx;
        maps.prob.set(p.subarray(src, src + iw), dst);
        maps.frangi.set(f.frangi.subarray(src, src + iw), dst);
        maps.contrast.set(f.contrast.subarray(src, src + iw), dst);
        maps.orientationDeg.set(f.orientationDeg.subarray(src, src + iw), dst);
      }
    }
  }
  return maps;
}
