import type { Raster } from '../image/raster';
import { scaleSpace, smoothDecimated, type Plane } from './filters';
import { hessianOfBlurred, type Hessian } from './hessian';
import { logLuminancePlane, rednessPlane } from './luminance';
import { frangiFromHessians } from './ridge';

/** The fixed feature bank's scales: Gaussian σ in mm at the analysis resolution. */
export const FEATURE_SIGMAS_MM = [0.1, 0.2, 0.35, 0.6] as const;
/** σ of the local statistics (mean, contrast, coherence windows), mm. */
export const LOCAL_SIGMA_MM = 1.5;
export const COHERENCE_SIGMA_MM = 1.0;
export const REDNESS_SIGMAS_MM = [0.1, 0.2] as const;
/** Frangi parameters of the baseline, also used as one feature. */
export const FRANGI_BETA = 0.5;
export const FRANGI_C = 2;

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
 */
export function computeFeatures(raster: Raster, mmPerPx: number): FeatureStack {
  const { width, height } = raster;
  const n = width * height;
  const F = FEATURE_COUNT;
  const out = new Float32Array(n * F);
  const L = logLuminancePlane(raster);
  const sigmasPx = FEATURE_SIGMAS_MM.map((s) => s / mmPerPx);
  const levels = scaleSpace(L, sigmasPx);
  const orientationDeg = new Float32Array(n);
  let col = 0;
  let grad0: { gx: Float32Array; gy: Float32Array } | undefined;
  const hessians: Hessian[] = levels.map((level, k) => hessianOfBlurred(level, sigmasPx[k]));
  levels.forEach((_level, k) => {
    const h = hessians[k];
    if (k === 0) grad0 = { gx: h.gx, gy: h.gy };
    const { hxx, hxy, hyy, gx, gy } = h;
    for (let i = 0; i < n; i++) {
      // eigen-decomposition of the 2×2 Hessian, inlined (see eigen2)
      const a = hxx[i], b = hxy[i], c = hyy[i];
      const m = 0.5 * (a + c);
      const d = Math.sqrt(0.25 * (a - c) * (a - c) + b * b);
      const hi = m + d;
      let vx: number, vy: number;
      if (Math.abs(a - hi) < Math.abs(c - hi)) {
        vx = hi - c;
        vy = b;
      } else {
        vx = b;
        vy = hi - a;
      }
      const vn = Math.sqrt(vx * vx + vy * vy);
      if (vn < 1e-12) {
        vx = 1;
        vy = 0;
      } else {
        vx /= vn;
        vy /= vn;
      }
      const o = i * F + col;
      out[o] = hi;
      out[o + 1] = m - d;
      out[o + 2] = Math.sqrt(gx[i] * gx[i] + gy[i] * gy[i]);
      out[o + 3] = Math.abs(gx[i] * vx + gy[i] * vy);
      if (k === 1) {
        // the valley runs along (−vy, vx); its angle with y pointing up, in [0, 180)
        let ang = (Math.atan2(-vx, -vy) * 180) / Math.PI;
        if (ang < 0) ang += 180;
        if (ang >= 180) ang -= 180;
        orientationDeg[i] = ang;
      }
    }
    col += 4;
  });
  const fr = frangiFromHessians(hessians, sigmasPx, { sigmasMm: [...FEATURE_SIGMAS_MM], mmPerPx, beta: FRANGI_BETA, c: FRANGI_C });
  for (let i = 0; i < n; i++) out[i * F + col] = fr.vesselness[i];
  col++;
  const last = levels[levels.length - 1].data;
  const first = levels[0].data;
  for (let i = 0; i < n; i++) out[i * F + col] = last[i] - first[i];
  col++;
  const localPx = LOCAL_SIGMA_MM / mmPerPx;
  const mean = smoothDecimated(L, localPx).data;
  const sqd = new Float32Array(n);
  for (let i = 0; i < n; i++) sqd[i] = L.data[i] * L.data[i];
  const sq: Plane = { width, height, data: sqd };
  const meanSq = smoothDecimated(sq, localPx).data;
  const contrast = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    contrast[i] = L.data[i] - mean[i];
    out[i * F + col] = contrast[i];
    out[i * F + col + 1] = Math.sqrt(Math.max(0, meanSq[i] - mean[i] * mean[i]));
  }
  col += 2;
  const R = rednessPlane(raster);
  const rSig = REDNESS_SIGMAS_MM.map((s) => s / mmPerPx);
  scaleSpace(R, rSig).forEach((level, k) => {
    const h = hessianOfBlurred(level, rSig[k]);
    for (let i = 0; i < n; i++) out[i * F + col] = 0.5 * (h.hxx[i] + h.hyy[i]) - Math.sqrt(0.25 * (h.hxx[i] - h.hyy[i]) ** 2 + h.hxy[i] * h.hxy[i]);
    col++;
  });
  const rMean = smoothDecimated(R, localPx).data;
  for (let i = 0; i < n; i++) out[i * F + col] = R.data[i] - rMean[i];
  col++;
  // structure-tensor coherence [Bigun1987]: ((Jxx − Jyy)² + 4Jxy²)^½ / (Jxx + Jyy)
  const { gx, gy } = grad0!;
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
  for (let i = 0; i < n; i++) {
    const tr = jxx[i] + jyy[i];
    out[i * F + col] = Math.sqrt((jxx[i] - jyy[i]) ** 2 + 4 * jxy[i] * jxy[i]) / (tr + 0.05);
  }
  col++;
  return { width, height, data: out, frangi: fr.vesselness, contrast, orientationDeg };
}
