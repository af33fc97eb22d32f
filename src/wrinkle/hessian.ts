import { reflectIndex, type Plane } from './filters';

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
 * Hessian at scale `sigmaPx` of a plane ALREADY blurred by a Gaussian of that σ (see `scalePyramid`): Gaussian
 * smoothing followed by central differences, as scikit-image `hessian_matrix(use_gaussian_derivatives=False)` does.
 * With `gradient` false, gx and gy are left empty (callers that need only the curvature skip their cost). With `need`
 * (1 = wanted, w × h), the Hessian is computed for the wanted pixels only (0 elsewhere); the gradient, when asked for,
 * everywhere (the structure tensor smooths it).
 */
export function hessianOfBlurred(blurred: Plane, sigmaPx: number, gradient = true, need?: Uint8Array): Hessian {
  // central differences and scale normalisation in one pass; each value is rounded to float32 before scaling, exactly
  // as storing the differences and scaling them afterwards would
  const { width: w, height: h, data: d } = blurred;
  const n = w * h;
  const gx = new Float32Array(gradient ? n : 0), gy = new Float32Array(gradient ? n : 0);
  const hxx = new Float32Array(n), hxy = new Float32Array(n), hyy = new Float32Array(n);
  const s2 = sigmaPx * sigmaPx;
  const f = Math.fround;
  for (let y = 0; y < h; y++) {
    const ym = (y > 0 ? y - 1 : reflectIndex(-1, h)) * w;
    const yp = (y < h - 1 ? y + 1 : reflectIndex(h, h)) * w;
    const yc = y * w;
    for (let x = 0; x < w; x++) {
      const xm = x > 0 ? x - 1 : reflectIndex(-1, w);
      const xp = x < w - 1 ? x + 1 : reflectIndex(w, w);
      const c = d[yc + x];
      const i = yc + x;
      if (gradient) {
        gx[i] = f(0.5 * (d[yc + xp] - d[yc + xm])) * sigmaPx;
        gy[i] = f(0.5 * (d[yp + x] - d[ym + x])) * sigmaPx;
      }
      if (need !== undefined && need[i] === 0) continue;
      hxx[i] = f(d[yc + xp] - 2 * c + d[yc + xm]) * s2;
      hyy[i] = f(d[yp + x] - 2 * c + d[ym + x]) * s2;
      hxy[i] = f(0.25 * (d[yp + xp] - d[yp + xm] - d[ym + xp] + d[ym + xm])) * s2;
    }
  }
  return { hxx, hxy, hyy, gx, gy };
}

/** Eigenvalues `hi` ≥ `lo` of a symmetric 2×2 matrix and the unit eigenvector (vx, vy) of `hi`. */
export interface Eigen2 {
  hi: number;
  lo: number;
  vx: number;
  vy: number;
}

export const newEigen2 = (): Eigen2 => ({ hi: 0, lo: 0, vx: 1, vy: 0 });

/**
 * Eigen-decomposition of the symmetric 2×2 Hessian at a pixel; (vx, vy) is the direction ACROSS a dark valley, where
 * the second derivative is largest. Written into `out` (pass one reused object in per-pixel loops: no allocation).
 */
export function eigen2(hxx: number, hxy: number, hyy: number, out: Eigen2 = newEigen2()): Eigen2 {
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
  const n = Math.sqrt(vx * vx + vy * vy);
  out.hi = hi;
  out.lo = lo;
  out.vx = n < 1e-12 ? 1 : vx / n;
  out.vy = n < 1e-12 ? 0 : vy / n;
  return out;
}
