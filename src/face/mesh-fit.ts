import { CANONICAL_POINTS, canonicalPoint } from './canonical';
import type { Face, Point } from './types';

/**
 * Least-squares affine fit of the template face (canonical.ts) to the first 468 mesh points (normal equations;
 * 468 points, so the fit moves far less than single landmarks when the detector jitters). Returns template → image.
 */
function fitTemplate(m: Face['landmarks']): (p: Point) => Point {
  const n = CANONICAL_POINTS;
  let su = 0, sv = 0, sx = 0, sy = 0;
  for (let i = 0; i < n; i++) {
    const [u, v] = canonicalPoint(i);
    su += u; sv += v; sx += m[i][0]; sy += m[i][1];
  }
  const mu = su / n, mv = sv / n, mx = sx / n, my = sy / n;
  let suu = 0, svv = 0, suv = 0, sux = 0, svx = 0, suy = 0, svy = 0;
  for (let i = 0; i < n; i++) {
    const [u0, v0] = canonicalPoint(i);
    const u = u0 - mu, v = v0 - mv, x = m[i][0] - mx, y = m[i][1] - my;
    suu += u * u; svv += v * v; suv += u * v;
    sux += u * x; svx += v * x; suy += u * y; svy += v * y;
  }
  // x ≈ p·u + q·v, y ≈ r·u + s·v (centred): the 2 × 2 normal equations
  const det = suu * svv - suv * suv || 1;
  const p = (sux * svv - svx * suv) / det, q = (svx * suu - sux * suv) / det;
  const r = (suy * svv - svy * suv) / det, s = (svy * suu - suy * suv) / det;
  return ([u, v]) => [mx + p * (u - mu) + q * (v - mv), my + r * (u - mu) + s * (v - mv)];
}

/** Gaussian width (face widths) of the coarse residual field: pose and the subject's overall proportions. */
const SIGMA_COARSE = 0.25;
/** Gaussian width (face widths) of the fine residual field: the subject's local shape (brow heads, lid line). */
const SIGMA_FINE = 0.04;
/** Share of the fine field kept in `shape` (the rest is damped: it carries the detector's 1–3 px jitter). */
const FINE_SHARE = 0.5;

/**
 * The mesh with its local jitter damped (stability, docs/face.md). The template is fitted to the mesh (affine, all
 * 468 points); the fit's residual is smoothed over neighbouring mesh points with Gaussian weights in template
 * coordinates (Nadaraya–Watson kernel average [Nadaraya1964]) at a coarse and a fine width.
 * `coarse` = fit + coarse residual: sizes follow the whole face (used to size the crow's-feet boxes).
 * `shape` = coarse + FINE_SHARE × (fine − coarse residual): the subject's local shape, half-damped (glabella, the
 * cheeks' inner edge). Both keep pose, since the affine fit and the coarse field follow a turned head.
 */
export function regularisedMesh(m: Face['landmarks']): { coarse: (i: number) => Point; shape: (i: number) => Point } {
  const n = CANONICAL_POINTS;
  const map = fitTemplate(m);
  const fitted: Point[] = [], res: Point[] = [];
  for (let i = 0; i < n; i++) {
    const f = map(canonicalPoint(i));
    fitted.push(f);
    res.push([m[i][0] - f[0], m[i][1] - f[1]]);
  }
  // Smoothed residual at point i (computed on demand: the regions need a few dozen points).
  const smooth = (sigma: number, i: number): Point => {
    const k = -1 / (2 * sigma * sigma);
    const [ui, vi] = canonicalPoint(i);
    let w = 0, rx = 0, ry = 0;
    for (let j = 0; j < n; j++) {
      const [uj, vj] = canonicalPoint(j);
      const g = Math.exp(k * ((uj - ui) ** 2 + (vj - vi) ** 2));
      w += g; rx += g * res[j][0]; ry += g * res[j][1];
    }
    return [rx / w, ry / w];
  };
  const memoC = new Map<number, Point>(), memoS = new Map<number, Point>();
  const coarse = (i: number): Point => {
    let p = memoC.get(i);
    if (!p) {
      const c = smooth(SIGMA_COARSE, i);
      memoC.set(i, (p = [fitted[i][0] + c[0], fitted[i][1] + c[1]]));
    }
    return p;
  };
  const shape = (i: number): Point => {
    let p = memoS.get(i);
    if (!p) {
      const c = coarse(i), f = smooth(SIGMA_FINE, i);
      const r: Point = [c[0] - fitted[i][0], c[1] - fitted[i][1]];
      memoS.set(i, (p = [c[0] + FINE_SHARE * (f[0] - r[0]), c[1] + FINE_SHARE * (f[1] - r[1])]));
    }
    return p;
  };
  return { coarse, shape };
}
