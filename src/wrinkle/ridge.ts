import { numberOption, invalidOption } from '../errors';
import { scaleSpace, type Plane } from './filters';
import { hessianOfBlurred, type Hessian } from './hessian';

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
  const sigmasPx = o.sigmasMm.map((s) => s / o.mmPerPx);
  return frangiFromLevels(scaleSpace(plane, sigmasPx), sigmasPx, o);
}

/** Frangi on a precomputed scale space (levels blurred at `sigmasPx`). */
export function frangiFromLevels(levels: Plane[], sigmasPx: number[], o: Required<RidgeOptions>): { vesselness: Float32Array; scaleMm: Float32Array } {
  return frangiFromHessians(levels.map((level, k) => hessianOfBlurred(level, sigmasPx[k])), sigmasPx, o);
}

/** Frangi on precomputed scale-normalised Hessians (one per scale), so callers that need the Hessians anyway compute them once. */
export function frangiFromHessians(hessians: Hessian[], sigmasPx: number[], o: Required<RidgeOptions>): { vesselness: Float32Array; scaleMm: Float32Array } {
  const n = hessians[0].hxx.length;
  const vesselness = new Float32Array(n);
  const scaleMm = new Float32Array(n);
  const b2 = 2 * o.beta * o.beta;
  const c2 = 2 * o.c * o.c;
  hessians.forEach(({ hxx, hxy, hyy }, k) => {
    for (let i = 0; i < n; i++) {
      const m = 0.5 * (hxx[i] + hyy[i]);
      const d = Math.sqrt(0.25 * (hxx[i] - hyy[i]) ** 2 + hxy[i] * hxy[i]);
      const a = m + d;
      const bb = m - d;
      // λ2: the eigenvalue of larger magnitude; λ1 the smaller
      const l2 = Math.abs(a) >= Math.abs(bb) ? a : bb;
      const l1 = Math.abs(a) >= Math.abs(bb) ? bb : a;
      if (!(l2 > 0)) continue; // dark valley only [Frangi1998] eq. (13), black ridges
      const rb = l1 / l2; // [Frangi1998] eq. (11)
      const s2 = l1 * l1 + l2 * l2; // [Frangi1998] eq. (12)
      const v = Math.exp(-(rb * rb) / b2) * (1 - Math.exp(-s2 / c2)); // [Frangi1998] eq. (13)
      if (v > vesselness[i]) {
        vesselness[i] = v;
        scaleMm[i] = sigmasPx[k] * o.mmPerPx;
      }
    }
  });
  return { vesselness, scaleMm };
}
