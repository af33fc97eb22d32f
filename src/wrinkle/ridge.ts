import { numberOption, invalidOption } from '../errors';
import { placeLevel, scalePyramid, type Plane, type PyramidLevel } from './filters';
import { eigen2, hessianOfBlurred, newEigen2, type Hessian } from './hessian';

/** Options shared by the ridge filters (after scikit-image `filters/ridges.py`, with physical units in the names). */
export interface RidgeOptions {
  /** Gaussian scales in millimetres (default [0.1, 0.2, 0.35, 0.6]: furrows about 0.2-1.5 mm wide) */
  sigmasMm?: number[];
  /** millimetres per pixel of the input plane (default 0.1, the analysis resolution) */
  mmPerPx?: number;
  /** Frangi β: sensitivity to blob-likeness (default 0.5) [Frangi1998] */
  beta?: number;
  /** Frangi c: the structureness scale, in the plane's units (L* for luminance; default 2) [Frangi1998] */
  c?: number;
}

export const DEFAULT_SIGMAS_MM = [0.1, 0.2, 0.35, 0.6] as const;

export function resolveRidgeOptions(options: RidgeOptions = {}): Required<RidgeOptions> {
  const mmPerPx = numberOption('options.mmPerPx', options.mmPerPx, 0.1, { min: 1e-4, max: 10 });
  const sigmasMm = options.sigmasMm ?? [...DEFAULT_SIGMAS_MM];
  if (!Array.isArray(sigmasMm) || sigmasMm.length === 0 || sigmasMm.some((s) => typeof s !== 'number' || !(s > 0) || !Number.isFinite(s))) {
    throw invalidOption('options.sigmasMm', 'a non-empty array of positive numbers (mm)', sigmasMm);
  }
  return {
    sigmasMm: [...sigmasMm].sort((a, b) => a - b),
    mmPerPx,
    beta: numberOption('options.beta', options.beta, 0.5, { min: 1e-6 }),
    c: numberOption('options.c', options.c, 2, { min: 1e-9 }),
  };
}

/**
 * Frangi vesselness for DARK valleys (black ridges), maximum over scales, in [0, 1) [Frangi1998].
 * With |λ1| <= |λ2| the scale-normalised Hessian eigenvalues: V = 0 unless λ2 > 0 (a valley: the intensity curves
 * upward across it), else exp(−Rb²/2β²)·(1 − exp(−S²/2c²)) with Rb = λ1/λ2 (eq. 11) and S = sqrt(λ1² + λ2²) (eq. 12);
 * V as in eq. (13) with the sign reversed for dark ridges. Also returns the winning scale (mm) per pixel.
 * `c` is a fixed constant (not half the image's maximum Hessian norm) so that a blank input gives exactly 0.
 */
export function frangiDark(plane: Plane, options: RidgeOptions = {}): { vesselness: Float32Array; scaleMm: Float32Array } {
  const o = resolveRidgeOptions(options);
  const levels = scalePyramid(plane, o.sigmasMm.map((s) => s / o.mmPerPx));
  return frangiFromLevels(levels, levels.map((l) => hessianOfBlurred(l.plane, l.sigmaPx, false)), plane.width, plane.height, o);
}

/**
 * Vesselness of one pixel from its scale-normalised Hessian eigenvalues (hi ≥ lo): 0 off dark valleys, else
 * [Frangi1998] eq. (13) with the sign for black ridges; b2 = 2β², c2 = 2c².
 */
export function vesselness(hi: number, lo: number, b2: number, c2: number): number {
  // λ2: the eigenvalue of larger magnitude; λ1 the smaller
  const l2 = Math.abs(hi) >= Math.abs(lo) ? hi : lo;
  const l1 = Math.abs(hi) >= Math.abs(lo) ? lo : hi;
  if (!(l2 > 0)) return 0; // dark valley only [Frangi1998] eq. (13), black ridges
  const rb = l1 / l2; // [Frangi1998] eq. (11)
  const s2 = l1 * l1 + l2 * l2; // [Frangi1998] eq. (12)
  return Math.exp(-(rb * rb) / b2) * (1 - Math.exp(-s2 / c2)); // [Frangi1998] eq. (13)
}

/** Vesselness of one scale on its own grid. */
function frangiScale({ hxx, hxy, hyy }: Hessian, beta: number, c: number): Float32Array {
  const v = new Float32Array(hxx.length);
  const e = newEigen2();
  for (let i = 0; i < v.length; i++) {
    eigen2(hxx[i], hxy[i], hyy[i], e);
    v[i] = vesselness(e.hi, e.lo, 2 * beta * beta, 2 * c * c);
  }
  return v;
}

/**
 * Frangi on a scale pyramid (see `scalePyramid`) and its scale-normalised Hessians, so callers that need the Hessians
 * anyway compute them once: each scale on its own grid, brought back to width × height, maximum over scales.
 */
export function frangiFromLevels(levels: PyramidLevel[], hessians: Hessian[], width: number, height: number, o: Required<RidgeOptions>): { vesselness: Float32Array; scaleMm: Float32Array } {
  return maxOverScales(levels, levels.map((_l, k) => frangiScale(hessians[k], o.beta, o.c)), width, height, o.mmPerPx);
}

/**
 * Per-scale vesselness (each on its level's grid) → the maximum over scales on the input grid, and its scale (mm); with
 * `need`, for those pixels only (the others 0).
 */
export function maxOverScales(levels: PyramidLevel[], perScale: Float32Array[], width: number, height: number, mmPerPx: number, need?: Uint8Array): { vesselness: Float32Array; scaleMm: Float32Array } {
  const n = width * height;
  const out = new Float32Array(n);
  const scaleMm = new Float32Array(n);
  const v = new Float32Array(n);
  levels.forEach((level, k) => {
    let s = perScale[k];
    if (level.factor !== 1) {
      placeLevel(level, s, 1, width, height, v, 1, 0, true, need);
      s = v;
    }
    const mm = level.sigmaPx * level.factor * mmPerPx;
    for (let i = 0; i < n; i++) {
      if (s[i] > out[i]) {
        out[i] = s[i];
        scaleMm[i] = mm;
      }
    }
  });
  return { vesselness: out, scaleMm };
}
