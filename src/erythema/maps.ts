import { LAB_EPSILON, LAB_KAPPA, WHITE_D65, XYZ_FROM_LINEAR_SRGB } from '../color/constants';
import type { Raster } from '../image/raster';

/** Per-cell erythema maps at the analysis resolution (Float32, row-major, width × height). */
export interface ErythemaMapArrays {
  lStar: Float32Array;
  aStar: Float32Array;
  bStar: Float32Array;
  ita: Float32Array;
  erythemaIndex: Float32Array;
  melaninIndex: Float32Array;
  hemoglobin: Float32Array;
  melanin: Float32Array;
}

export const MAP_NAMES = ['aStar', 'lStar', 'bStar', 'ita', 'erythemaIndex', 'melaninIndex', 'hemoglobin', 'melanin'] as const;
export type ErythemaMapName = (typeof MAP_NAMES)[number];

/**
 * CIELAB f(t) [CIE15] eq. (8.3) by table: t ∈ [0, 1.25] on 16384 steps with linear interpolation (|error| < 2e-6 in
 * f for t > ε, i.e. < 0.001 in a* and b*; checked against colour-science vectors in test/erythema), exact outside.
 */
const F_STEPS = 16384;
const F_MAX = 1.25;
const F_LUT = Float64Array.from({ length: F_STEPS + 2 }, (_, i) => {
  const t = (i * F_MAX) / F_STEPS;
  return t > LAB_EPSILON ? Math.cbrt(t) : (LAB_KAPPA * t + 16) / 116;
});
function labF(t: number): number {
  if (t >= 0 && t < F_MAX) {
    const u = t * (F_STEPS / F_MAX);
    const i = u | 0;
    const a = F_LUT[i];
    return a + (u - i) * (F_LUT[i + 1] - a);
  }
  return t > LAB_EPSILON ? Math.cbrt(t) : (LAB_KAPPA * t + 16) / 116;
}

/** Smallest linear value entering a logarithm (OD ≤ 4). */
const V_MIN = 1e-4;
const LOG10E = Math.LOG10E;

/**
 * All maps in one pass over a linear sRGB raster (D65):
 * - CIELAB L*, a*, b* (D65/2°) [CIE15] eqs. (8.1)–(8.3), via the IEC matrix [IEC61966];
 * - ITA° = atan2(L* − 50, b*)·180/π [Chardon1991];
 * - erythema index EI = 100·[log10(1/G) − log10(1/R)] and melanin index MI = 100·log10(1/R) [Diffey1984]
 *   (R, G: linear red and green as the reflectances);
 * - haemoglobin and melanin indices: S = −log10(v), (c_h, c_m) = rows 0–1 of W·S, ×100 [Tsumura2003] eq. (3),
 *   where W = [h m 1]⁻¹ (separationMatrix) removes shading along (1,1,1).
 */
/** Smallest and largest value of each map over the valid cells (±Infinity when there are none). */
export type MapRanges = Record<ErythemaMapName, { min: number; max: number }>;

/** Every cell of `src` (the analysed extent, binned). */
export function computeMaps(src: Raster, W: number[][], valid?: Uint8Array): ErythemaMapArrays & { ranges: MapRanges } {
  const n = src.width * src.height;
  const C = src.channels;
  const d = src.data;
  const m = { lStar: new Float32Array(n), aStar: new Float32Array(n), bStar: new Float32Array(n), ita: new Float32Array(n) };
  const ei = new Float32Array(n);
  const mi = new Float32Array(n);
  const hb = new Float32Array(n);
  const mel = new Float32Array(n);
  const M = XYZ_FROM_LINEAR_SRGB;
  const [Xn, Yn, Zn] = WHITE_D65;
  const m00 = M[0][0] / Xn, m01 = M[0][1] / Xn, m02 = M[0][2] / Xn;
  const m10 = M[1][0] / Yn, m11 = M[1][1] / Yn, m12 = M[1][2] / Yn;
  const m20 = M[2][0] / Zn, m21 = M[2][1] / Zn, m22 = M[2][2] / Zn;
  const w00 = 100 * W[0][0], w01 = 100 * W[0][1], w02 = 100 * W[0][2];
  const w10 = 100 * W[1][0], w11 = 100 * W[1][1], w12 = 100 * W[1][2];
  const f = labF;
  const RAD = 180 / Math.PI;
  // ranges over valid cells, gathered in the same pass (saves re-reading the eight maps)
  let lLo = Infinity, lHi = -Infinity, aLo = Infinity, aHi = -Infinity, bLo = Infinity, bHi = -Infinity, tLo = Infinity, tHi = -Infinity;
  let eLo = Infinity, eHi = -Infinity, iLo = Infinity, iHi = -Infinity, hLo = Infinity, hHi = -Infinity, mLo = Infinity, mHi = -Infinity;
  const lS = m.lStar, aS = m.aStar, bS = m.bStar, it = m.ita;
  const ranged = valid !== undefined;
  for (let i = 0, j = 0; i < n; i++, j += C) {
    const r = d[j];
    const g = d[j + 1];
    const b = d[j + 2];
    const fx = f(m00 * r + m01 * g + m02 * b);
    const fy = f(m10 * r + m11 * g + m12 * b);
    const fz = f(m20 * r + m21 * g + m22 * b);
    const L = 116 * fy - 16;
    const B = 200 * (fy - fz);
    const sr = -LOG10E * Math.log(r > V_MIN ? r : V_MIN);
    const sg = -LOG10E * Math.log(g > V_MIN ? g : V_MIN);
    const sb = -LOG10E * Math.log(b > V_MIN ? b : V_MIN);
    // each value rounded to Float32 as stored: the ranges bound exactly what the statistics read
    const fl = Math.fround(L);
    const fa = Math.fround(500 * (fx - fy));
    const fb = Math.fround(B);
    const ft = Math.fround(Math.atan2(L - 50, B) * RAD); // [Chardon1991]
    const fe = Math.fround(100 * (sg - sr)); // [Diffey1984] EI = 100·(log10 1/G − log10 1/R)
    const fi = Math.fround(100 * sr); // [Diffey1984] MI = 100·log10 1/R
    const fh = Math.fround(w00 * sr + w01 * sg + w02 * sb); // [Tsumura2003] eq. (3)
    const fm = Math.fround(w10 * sr + w11 * sg + w12 * sb);
    lS[i] = fl;
    aS[i] = fa;
    bS[i] = fb;
    it[i] = ft;
    ei[i] = fe;
    mi[i] = fi;
    hb[i] = fh;
    mel[i] = fm;
    if (ranged && valid[i]) {
      if (fl < lLo) lLo = fl;
      if (fl > lHi) lHi = fl;
      if (fa < aLo) aLo = fa;
      if (fa > aHi) aHi = fa;
      if (fb < bLo) bLo = fb;
      if (fb > bHi) bHi = fb;
      if (ft < tLo) tLo = ft;
      if (ft > tHi) tHi = ft;
      if (fe < eLo) eLo = fe;
      if (fe > eHi) eHi = fe;
      if (fi < iLo) iLo = fi;
      if (fi > iHi) iHi = fi;
      if (fh < hLo) hLo = fh;
      if (fh > hHi) hHi = fh;
      if (fm < mLo) mLo = fm;
      if (fm > mHi) mHi = fm;
    }
  }
  const maps = { ...m, erythemaIndex: ei, melaninIndex: mi, hemoglobin: hb, melanin: mel };
  const ranges: MapRanges = {
    lStar: { min: lLo, max: lHi },
    aStar: { min: aLo, max: aHi },
    bStar: { min: bLo, max: bHi },
    ita: { min: tLo, max: tHi },
    erythemaIndex: { min: eLo, max: eHi },
    melaninIndex: { min: iLo, max: iHi },
    hemoglobin: { min: hLo, max: hHi },
    melanin: { min: mLo, max: mHi },
  };
  return { ...maps, ranges };
}
