import type { Raster } from '../image/raster';
import { levelAt, levelTaps, placeLevel, scalePyramid, smoothDecimated, type LevelTaps, type PyramidLevel } from './filters';
import { eigen2, hessianOfBlurred, newEigen2 } from './hessian';
import { logPlanes } from './luminance';
import { maxOverScales, vesselness } from './ridge';

/** The fixed feature bank's scales: Gaussian σ in mm at the analysis resolution. */
export const FEATURE_SIGMAS_MM = [0.1, 0.2, 0.35, 0.6] as const;
/** σ of the local statistics (mean, contrast, coherence windows), mm. */
export const LOCAL_SIGMA_MM = 1.5;
export const COHERENCE_SIGMA_MM = 1.0;
export const REDNESS_SIGMAS_MM = [0.1, 0.2] as const;
/** Frangi parameters of the baseline, also used as one feature. */
export const FRANGI_BETA = 0.5;
export const FRANGI_C = 2;
const B2 = 2 * FRANGI_BETA * FRANGI_BETA;
const C2 = 2 * FRANGI_C * FRANGI_C;
/** The scale (index into FEATURE_SIGMAS_MM, 0.2 mm) whose Hessian gives the valley orientation. */
const ORIENTATION_SCALE = 1;

/**
 * Version of the filter bank's arithmetic, recorded in every model's manifest and checked on loading (a model is only
 * valid on the features it was trained on). 1: all scales on the analysis grid; 2: scales ≥ 0.35 mm on the
 * 2×-decimated grid (`scalePyramid`), Frangi and the feature columns from the same eigenvalues.
 */
export const FEATURE_BANK = 2;

/** Names of the per-pixel features, in column order (σ in mm). */
export const FEATURE_NAMES: readonly string[] = [
  ...FEATURE_SIGMAS_MM.flatMap((s) => [`hessHi_${s}`, `hessLo_${s}`, `gradMag_${s}`, `gradAcross_${s}`]),
  'frangiDark',
  `valleyDoG_0.1-0.6`,
  `lMinusLocalMean_${LOCAL_SIGMA_MM}`,
  `localStdL_${LOCAL_SIGMA_MM}`,
  ...REDNESS_SIGMAS_MM.map((s) => `rednessHessLo_${s}`),
  `rednessMinusLocalMean_${LOCAL_SIGMA_MM}`,
  `coherence_${COHERENCE_SIGMA_MM}`,
];
export const FEATURE_COUNT = FEATURE_NAMES.length;

/** Feature planes plus the two by-products the metrics need. */
export interface FeatureStack {
  width: number;
  height: number;
  /** pixel-major: features of pixel i at [i·F, (i+1)·F) */
  data: Float32Array;
  /** Frangi vesselness (dark valleys), the baseline */
  frangi: Float32Array;
  /** log-luminance Lg minus its local mean (negative = darker than the surroundings), for the depth proxy */
  contrast: Float32Array;
  /** orientation of the valley at σ = 0.2 mm (deg in [0, 180), 0 = horizontal, counter-clockwise as seen on screen) */
  orientationDeg: Float32Array;
}

/**
 * The filter bank of one raster before it is laid out as rows (`featureRows`): per scale, the four values
 * (hessHi, hessLo, gradMag, gradAcross) interleaved on the scale's own grid, and the planes the last eight columns are
 * made from. Rows are written for the pixels that need them only: a full pixel-major stack of a 1024² tile is 112 MB,
 * whose first touch alone cost more than the copy of the gated rows out of it.
 */
export interface FeaturePlanes extends Omit<FeatureStack, 'data'> {
  scales: { four: Float32Array; taps: LevelTaps }[];
  /** valleyDoG_0.1-0.6 = last − first */
  last: Float32Array;
  first: Float32Array;
  mean: Float32Array;
  meanSq: Float32Array;
  redLo: [Float32Array, Float32Array];
  red: Float32Array;
  redMean: Float32Array;
  jxx: Float32Array;
  jyy: Float32Array;
  jxy: Float32Array;
}

/**
 * Compute the fixed filter bank on a linear-sRGB raster sampled at `mmPerPx` (0.1 for the model). Every feature is
 * in log-luminance Lg (or redness) units and scale-normalised [Lindeberg1998], so it means the same at any exposure
 * and under any uniform haemoglobin absorption.
 * With `need` (1 = wanted, width × height), the per-pixel stages (eigenvalues, orientation, Frangi on the analysis
 * grid) run only for the wanted pixels; the others are left 0. The filters still run on every pixel, so a wanted
 * pixel's features are the same bytes as without `need`.
 */
export function featurePlanes(raster: Raster, mmPerPx: number, need?: Uint8Array): FeaturePlanes {
  const { width, height } = raster;
  const n = width * height;
  const { lg: L, redness: R } = logPlanes(raster);
  const sigmasPx = FEATURE_SIGMAS_MM.map((s) => s / mmPerPx);
  const levels = scalePyramid(L, sigmasPx);
  // the per-pixel stages skip unwanted pixels on the analysis grid only: the half grid is cheap and is interpolated
  // from its neighbours, so all of it is computed
  const wantedOn = (level: PyramidLevel): Uint8Array | undefined => (level.factor === 1 ? need : undefined);
  // Hessians of the wanted pixels only (the finest level's gradient feeds the structure tensor below, so gradients are
  // computed everywhere)
  const hessians = levels.map((l) => hessianOfBlurred(l.plane, l.sigmaPx, true, wantedOn(l)));
  const orientationDeg = new Float32Array(n);
  const e = newEigen2();
  const vessel: Float32Array[] = [];
  const scales = levels.map((level, k) => {
    // four features per scale on the level's own grid (pixel-major)
    const { hxx, hxy, hyy, gx, gy } = hessians[k];
    const m = hxx.length;
    const four = new Float32Array(4 * m);
    // on the analysis grid the angles go straight into the output; on the half grid they are placed afterwards
    const angle = k === ORIENTATION_SCALE ? (level.factor === 1 ? orientationDeg : new Float32Array(m)) : undefined;
    const v = (vessel[k] = new Float32Array(m));
    const skip = wantedOn(level);
    for (let i = 0; i < m; i++) {
      if (skip !== undefined && skip[i] === 0) continue;
      eigen2(hxx[i], hxy[i], hyy[i], e);
      v[i] = vesselness(e.hi, e.lo, B2, C2); // the baseline, from the same eigenvalues
      const o = 4 * i;
      four[o] = e.hi;
      four[o + 1] = e.lo;
      four[o + 2] = Math.sqrt(gx[i] * gx[i] + gy[i] * gy[i]);
      four[o + 3] = Math.abs(gx[i] * e.vx + gy[i] * e.vy);
      if (angle) {
        // the valley runs along (−vy, vx); its angle with y pointing up, in [0, 180)
        let a = (Math.atan2(-e.vx, -e.vy) * 180) / Math.PI;
        if (a < 0) a += 180;
        if (a >= 180) a -= 180;
        angle[i] = a;
      }
    }
    if (angle && level.factor !== 1) placeLevel(level, angle, 1, width, height, orientationDeg, 1, 0, false, need);
    return { four, taps: levelTaps(level, width, height) };
  });
  const fr = maxOverScales(levels, vessel, width, height, mmPerPx, need);
  // valley DoG between the widest and the finest scale, on the analysis grid
  const top = levels[levels.length - 1];
  const last = new Float32Array(n);
  placeLevel(top, top.plane.data, 1, width, height, last, 1, 0, true, need);
  const localPx = LOCAL_SIGMA_MM / mmPerPx;
  const mean = smoothDecimated(L, localPx).data;
  const sqd = new Float32Array(n);
  for (let i = 0; i < n; i++) sqd[i] = L.data[i] * L.data[i];
  const meanSq = smoothDecimated({ width, height, data: sqd }, localPx).data;
  const contrast = new Float32Array(n);
  for (let i = 0; i < n; i++) contrast[i] = L.data[i] - mean[i];
  const rSig = REDNESS_SIGMAS_MM.map((s) => s / mmPerPx);
  const redLo = scalePyramid(R, rSig).map((level) => {
    const skip = wantedOn(level);
    const { hxx, hxy, hyy } = hessianOfBlurred(level.plane, level.sigmaPx, false, skip);
    const lo = new Float32Array(hxx.length);
    for (let i = 0; i < lo.length; i++) {
      if (skip !== undefined && skip[i] === 0) continue;
      // eigen2's smaller eigenvalue, the same arithmetic without the eigenvector
      lo[i] = 0.5 * (hxx[i] + hyy[i]) - Math.sqrt(0.25 * (hxx[i] - hyy[i]) * (hxx[i] - hyy[i]) + hxy[i] * hxy[i]);
    }
    if (level.factor === 1) return lo;
    const full = new Float32Array(n);
    placeLevel(level, lo, 1, width, height, full, 1, 0, true, need);
    return full;
  });
  if (redLo.length !== 2) throw new Error('redness scales out of step with FEATURE_NAMES');
  const redMean = smoothDecimated(R, localPx).data;
  // structure tensor [Bigun1987] of the finest scale's gradient (always on the analysis grid)
  const { gx, gy } = hessians[0];
  const cPx = COHERENCE_SIGMA_MM / mmPerPx;
  const pxx = new Float32Array(n), pyy = new Float32Array(n), pxy = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    pxx[i] = gx[i] * gx[i];
    pyy[i] = gy[i] * gy[i];
    pxy[i] = gx[i] * gy[i];
  }
  const jxx = smoothDecimated({ width, height, data: pxx }, cPx).data;
  const jyy = smoothDecimated({ width, height, data: pyy }, cPx).data;
  const jxy = smoothDecimated({ width, height, data: pxy }, cPx).data;
  return {
    width, height, scales, last, first: levels[0].plane.data, mean, meanSq, redLo: [redLo[0], redLo[1]], red: R.data, redMean,
    jxx, jyy, jxy, frangi: fr.vesselness, contrast, orientationDeg,
  };
}

/**
 * The feature rows of `pixels` (indices on the analysis grid), in FEATURE_NAMES order, one pass per pixel: packed
 * (row r at r·F), or `dense` (pixel i's row at i·F, an array of width·height rows).
 */
export function featureRows(p: FeaturePlanes, pixels: Int32Array, dense = false): Float32Array {
  const F = FEATURE_COUNT;
  const { width, scales } = p;
  if (4 * scales.length + 8 !== F) throw new Error('feature columns out of step with FEATURE_NAMES');
  const out = new Float32Array((dense ? p.width * p.height : pixels.length) * F);
  const [r0, r1] = p.redLo;
  const { frangi, last, first, contrast, meanSq, mean, red, redMean, jxx, jyy, jxy } = p;
  const S = scales.length;
  for (let r = 0; r < pixels.length; r++) {
    const i = pixels[r];
    const y = (i / width) | 0, x = i - y * width;
    let o = (dense ? i : r) * F;
    for (let k = 0; k < S; k++) {
      const four = scales[k].four, t = scales[k].taps;
      if (t.factor === 1) {
        const a = 4 * i;
        out[o] = four[a];
        out[o + 1] = four[a + 1];
        out[o + 2] = four[a + 2];
        out[o + 3] = four[a + 3];
      } else {
        // levelAt for the four channels, with the taps' offsets computed once (the hot loop of every tile)
        const a = 4 * (t.r0[y] + t.x0[x]), b = 4 * (t.r0[y] + t.x1[x]), d = 4 * (t.r1[y] + t.x0[x]), e = 4 * (t.r1[y] + t.x1[x]);
        out[o] = 0.25 * (four[a] + four[b] + four[d] + four[e]);
        out[o + 1] = 0.25 * (four[a + 1] + four[b + 1] + four[d + 1] + four[e + 1]);
        out[o + 2] = 0.25 * (four[a + 2] + four[b + 2] + four[d + 2] + four[e + 2]);
        out[o + 3] = 0.25 * (four[a + 3] + four[b + 3] + four[d + 3] + four[e + 3]);
      }
      o += 4;
    }
    out[o] = frangi[i];
    out[o + 1] = last[i] - first[i];
    out[o + 2] = contrast[i];
    out[o + 3] = Math.sqrt(Math.max(0, meanSq[i] - mean[i] * mean[i]));
    out[o + 4] = r0[i];
    out[o + 5] = r1[i];
    out[o + 6] = red[i] - redMean[i];
    const tr = jxx[i] + jyy[i];
    // structure-tensor coherence [Bigun1987]: ((Jxx − Jyy)² + 4Jxy²)^½ / (Jxx + Jyy)
    out[o + 7] = Math.sqrt((jxx[i] - jyy[i]) ** 2 + 4 * jxy[i] * jxy[i]) / (tr + 0.05);
  }
  return out;
}

/**
 * The `need` pixels (all without it), in raster order, whose largest Hessian eigenvalue over the feature scales (the
 * hessHi columns as featureRows writes them) reaches `gateHessHi`; the analysis-grid scales are tested first.
 */
export function gatedPixels(p: FeaturePlanes, gateHessHi: number, need?: Uint8Array): Int32Array {
  const { width, height, scales } = p;
  const fine = scales.filter((s) => s.taps.factor === 1).map((s) => s.four);
  const coarse = scales.filter((s) => s.taps.factor !== 1);
  const out = new Int32Array(width * height);
  let count = 0;
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      if (need !== undefined && need[i] === 0) continue;
      let pass = false;
      for (let k = 0; k < fine.length && !pass; k++) pass = fine[k][4 * i] >= gateHessHi;
      for (let k = 0; k < coarse.length && !pass; k++) pass = Math.fround(levelAt(coarse[k].four, 4, 0, coarse[k].taps, x, y)) >= gateHessHi;
      if (pass) out[count++] = i;
    }
  }
  return out.slice(0, count);
}

/** Indices of the set pixels of a 0/1 mask (all pixels without one). */
export function pixelsOf(n: number, mask?: Uint8Array): Int32Array {
  if (!mask) return Int32Array.from({ length: n }, (_, i) => i);
  let count = 0;
  for (let i = 0; i < n; i++) count += mask[i] === 1 ? 1 : 0;
  const out = new Int32Array(count);
  for (let i = 0, r = 0; i < n; i++) if (mask[i] === 1) out[r++] = i;
  return out;
}

/** The whole bank as a pixel-major stack (rows of unwanted pixels 0), for training and tests. */
export function computeFeatures(raster: Raster, mmPerPx: number, need?: Uint8Array): FeatureStack {
  const p = featurePlanes(raster, mmPerPx, need);
  return { width: p.width, height: p.height, data: featureRows(p, pixelsOf(p.width * p.height, need), true), frangi: p.frangi, contrast: p.contrast, orientationDeg: p.orientationDeg };
}
