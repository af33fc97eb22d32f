import { centralDerivatives, type Plane } from './filters';

/** Scale-normalised Hessian of a blurred plane: σ²·(Lxx, Lxy, Lyy) [Lindeberg1998] eq. (7), γ = 1 for ridges of width ∝ σ. */
export interface Hessian {
  hxx: Float32Array;
  hxy: Float32Array;
  hyy: Float32Array;
  /** σ·Lx, σ·Ly (scale-normalised gradient) */
  gx: Float32Array;
  gy: Float32Array;
}

/**
 * Hessian at scale `sigmaPx` of a plane ALREADY blurred by a Gaussian of that σ (see `scaleSpace`): Gaussian smoothing
 * followed by central differences, as scikit-image `hessian_matrix(use_gaussian_derivatives=False)` does.
 */
export function hessianOfBlurred(blurred: Plane, sigmaPx: number): Hessian {
  const d = centralDerivatives(blurred);
  const s2 = sigmaPx * sigmaPx;
  for (let i = 0; i < d.lxx.length; i++) {
    d.lxx[i] *= s2;
    d.lxy[i] *= s2;
    d.lyy[i] *= s2;
    d.lx[i] *= sigmaPx;
    d.ly[i] *= sigmaPx;
  }
  return { hxx: d.lxx, hxy: d.lxy, hyy: d.lyy, gx: d.lx, gy: d.ly };
}

/**
 * Eigen-decomposition of the symmetric 2×2 Hessian at pixel i: `hi` ≥ `lo`, and the unit eigenvector (vx, vy) of
 * `hi` (the direction ACROSS a dark valley, where the second derivative is largest).
 */
export function eigen2(hxx: number, hxy: number, hyy: number): { hi: number; lo: number; vx: number; vy: number } {
  const m = 0.5 * (hxx + hyy);
  const d = Math.sqrt(0.25 * (hxx - hyy) * (hxx - hyy) + hxy * hxy);
  const hi = m + d;
  const lo = m - d;
  // eigenvector of hi: (hxy, hi − hxx) or (hi − hyy, hxy), whichever is better conditioned
  let vx: number;
  let vy: number;
  if (Math.abs(hxx - hi) < Math.abs(hyy - hi)) {
    vx = hi - hyy;
    vy = hxy;
  } else {
    vx = hxy;
    vy = hi - hxx;
  }
  const n = Math.hypot(vx, vy);
  if (n < 1e-12) return { hi, lo, vx: 1, vy: 0 };
  return { hi, lo, vx: vx / n, vy: vy / n };
}
