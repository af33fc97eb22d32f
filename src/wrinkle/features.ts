import type { Raster } from '../image/raster';
import { placeLevel, scalePyramid, smoothDecimated, type PyramidLevel } from './filters';
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
 * Compute the fixed filter bank on a linear-sRGB raster sampled at `mmPerPx` (0.1 for the model). Every feature is
 * in log-luminance Lg (or redness) units and scale-normalised [Lindeberg1998], so it means the same at any exposure
 * and under any uniform haemoglobin absorption.
 * With `need` (1 = wanted, width × height), the per-pixel stages (eigenvalues, orientation, Frangi on the analysis
 * grid, the feature columns) run only for the wanted pixels; the others are left 0. The filters still run on every
 * pixel, so a wanted pixel's features are the same bytes as without `need`.
 */
export function computeFeatures(raster: Raster, mmPerPx: number, need?: Uint8Array): FeatureStack {
  const { width, height } = raster;
  const n = width * height;
  const F = FEATURE_COUNT;
  const out = new Float32Array(n * F);
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
  let col = 0;
  const e = newEigen2();
  const vessel: Float32Array[] = [];
  levels.forEach((level, k) => {
    // four features per scale on the level's own grid (pixel-major), then placed on the analysis grid
    const { hxx, hxy, hyy, gx, gy } = hessians[k];
    const m = hxx.length;
    const direct = level.factor === 1; // write straight into the feature columns
    const four = direct ? out : new Float32Array(4 * m);
    // on the analysis grid the angles go straight into the output; on the half grid they are placed afterwards
    const angle = k === ORIENTATION_SCALE ? (direct ? orientationDeg : new Float32Array(m)) : undefined;
    const v = (vessel[k] = new Float32Array(m));
    const skip = wantedOn(level);
    for (let i = 0; i < m; i++) {
      if (skip !== undefined && skip[i] === 0) continue;
      eigen2(hxx[i], hxy[i], hyy[i], e);
      v[i] = vesselness(e.hi, e.lo, B2, C2); // the baseline, from the same eigenvalues
      const o = direct ? i * F + col : 4 * i;
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
    if (!direct) placeLevel(level, four, 4, width, height, out, F, col, true, need);
    if (angle && !direct) placeLevel(level, angle, 1, width, height, orientationDeg, 1, 0, false, need);
    col += 4;
  });
  const fr = maxOverScales(levels, vessel, width, height, mmPerPx, need);
  // valley DoG between the widest and the finest scale, on the analysis grid
  const top = levels[levels.length - 1];
  const last = new Float32Array(n);
  placeLevel(top, top.plane.data, 1, width, height, last, 1, 0, true, need);
  const first = levels[0].plane.data;
  const localPx = LOCAL_SIGMA_MM / mmPerPx;
  const mean = smoothDecimated(L, localPx).data;
  const sqd = new Float32Array(n);
  for (let i = 0; i < n; i++) sqd[i] = L.data[i] * L.data[i];
  const meanSq = smoothDecimated({ width, height, data: sqd }, localPx).data;
  const contrast = new Float32Array(n);
  for (let i = 0; i < n; i++) contrast[i] = L.data[i] - mean[i];
  const rSig = REDNESS_SIGMAS_MM.map((s) => s / mmPerPx);
  const rednessLo = scalePyramid(R, rSig).map((level) => {
    const skip = wantedOn(level);
    const h = hessianOfBlurred(level.plane, level.sigmaPx, false, skip);
    const lo = new Float32Array(h.hxx.length);
    for (let i = 0; i < lo.length; i++) if (skip === undefined || skip[i] === 1) lo[i] = eigen2(h.hxx[i], h.hxy[i], h.hyy[i], e).lo;
    const full = new Float32Array(n);
    placeLevel(level, lo, 1, width, height, full, 1, 0, true, need);
    return full;
  });
  const rMean = smoothDecimated(R, localPx).data;
  // structure-tensor coherence [Bigun1987]: ((Jxx − Jyy)² + 4Jxy²)^½ / (Jxx + Jyy)
  const { gx, gy } = hessians[0]; // finest scale: always on the analysis grid
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
  // the remaining columns in one pass, eight consecutive values per pixel (column-at-a-time strided writes cost ~4×)
  const [r0, r1] = rednessLo;
  for (let i = 0; i < n; i++) {
    if (need !== undefined && need[i] === 0) continue;
    const o = i * F + col;
    out[o] = fr.vesselness[i];
    out[o + 1] = last[i] - first[i];
    out[o + 2] = contrast[i];
    out[o + 3] = Math.sqrt(Math.max(0, meanSq[i] - mean[i] * mean[i]));
    out[o + 4] = r0[i];
    out[o + 5] = r1[i];
    out[o + 6] = R.data[i] - rMean[i];
    const tr = jxx[i] + jyy[i];
    out[o + 7] = Math.sqrt((jxx[i] - jyy[i]) ** 2 + 4 * jxy[i] * jxy[i]) / (tr + 0.05);
  }
  col += 8;
  if (col !== F || rednessLo.length !== 2) throw new Error('feature columns out of step with FEATURE_NAMES');
  return { width, height, data: out, frangi: fr.vesselness, contrast, orientationDeg };
}
