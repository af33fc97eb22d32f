import { DermametricsError } from '../errors';

/**
 * Default pigment vectors for the optical-density separation [Tsumura1999] [Tsumura2003]: directions in the space of
 * S = −log10(linear sRGB) along which haemoglobin and melanin move the pixel, with the shading direction (1,1,1)
 * projected out and the remainder scaled to unit length (so an index of 1 = 0.01 OD along the vector; ×100 below).
 *
 * How they were derived (re-derived by test/erythema/vectors.test.ts from the tables in test/fixtures/erythema):
 * spectral reflectance of a two-layer Kubelka–Munk skin [Kubelka1948] [Doi2003] — epidermis 60 µm with melanosome
 * volume fraction fMel (μa.mel = 6.6e11·λ^−3.33 cm⁻¹ [Jacques1998]), dermis with blood volume fraction fBlood at
 * 75 % oxygen saturation (Prahl's HbO2/Hb molar extinction [Prahl1999]), scattering μs' = 2e5·λ^−1.5 + 2e12·λ^−4
 * [Jacques1998], Saunderson surface correction [Saunderson1942] — integrated with D65 and the CIE 1931 2° observer
 * [CIE15] into linear sRGB [IEC61966] (i.e. an ideal colorimetric sRGB camera) on a 9 × 9 log-spaced grid
 * fMel 0.01–0.15 (ITA° +65 to −55) × fBlood 0.002–0.05. Each channel's OD was regressed on [ln fBlood, ln fMel, 1]
 * by least squares; the ln fBlood coefficient vector, projected orthogonal to (1,1,1) and normalised, is the
 * haemoglobin vector. The melanin vector is the unit direction ⟂ (1,1,1) that minimises the largest melanin
 * cross-talk of the haemoglobin index on that grid: max over the 9 blood levels of |index(fMel 0.15) − index(fMel 0.01)|
 * ÷ the index's range over blood at fMel 0.01 (8.1 %; the regression's ln fMel direction, 0.91° away, gives 11.8 %),
 * found on a 0.001° grid within ±20° of that regression direction. Minimax, because the index must not read dark skin as more (or less) blood at any blood level.
 */
export const DEFAULT_HEMOGLOBIN_OD: readonly [number, number, number] = [-0.471446, 0.813048, -0.341602];
export const DEFAULT_MELANIN_OD: readonly [number, number, number] = [-0.708755, 0.003308, 0.705447];

/**
 * The haemoglobin absorbance per unit ln(fBlood) before projection (OD per channel, all positive), from the same
 * regression: a physical direction to ADD haemoglobin to a photo (simulate.ts). Doubling dermal blood adds
 * ln 2 × these ≈ [0.026, 0.060, 0.030] OD.
 */
export const HEMOGLOBIN_OD_PER_LN_BLOOD: readonly [number, number, number] = [0.037773, 0.086779, 0.042727];

export type Vec3 = [number, number, number];

/** Remove the (1,1,1) component and scale to unit length (throws on a vector parallel to (1,1,1)). */
export function projectPigmentVector(v: readonly number[], name = 'vector'): Vec3 {
  const m = (v[0] + v[1] + v[2]) / 3;
  const p: Vec3 = [v[0] - m, v[1] - m, v[2] - m];
  const n = Math.hypot(p[0], p[1], p[2]);
  if (!(n > 1e-9) || !Number.isFinite(n)) {
    throw new DermametricsError('E_INVALID_OPTION', `${name} must have a component orthogonal to (1,1,1) (shading); got [${v.join(', ')}]`, {
      option: name,
    });
  }
  return [p[0] / n, p[1] / n, p[2] / n];
}

/** Angle in degrees between two pigment vectors (after projection). */
export function vectorAngleDeg(a: readonly number[], b: readonly number[]): number {
  const pa = projectPigmentVector(a);
  const pb = projectPigmentVector(b);
  const c = Math.max(-1, Math.min(1, pa[0] * pb[0] + pa[1] * pb[1] + pa[2] * pb[2]));
  return (Math.acos(c) * 180) / Math.PI;
}

/**
 * The rows of [h m 1]⁻¹: per pixel, (hemoglobin, melanin, shading) densities = W · S, exactly solving
 * S = c_h·h + c_m·m + s·(1,1,1) [Tsumura2003] eq. (3) (shading along (1,1,1) removed by construction).
 */
export function separationMatrix(hemoglobin: readonly number[], melanin: readonly number[]): number[][] {
  const h = projectPigmentVector(hemoglobin, 'options.pigmentVectors.hemoglobin');
  const m = projectPigmentVector(melanin, 'options.pigmentVectors.melanin');
  const A = [
    [h[0], m[0], 1],
    [h[1], m[1], 1],
    [h[2], m[2], 1],
  ];
  const [[a, b, c], [d, e, f], [g, hh, i]] = A;
  const Aa = e * i - f * hh;
  const Bb = -(d * i - f * g);
  const Cc = d * hh - e * g;
  const det = a * Aa + b * Bb + c * Cc;
  if (Math.abs(det) < 1e-6) {
    throw new DermametricsError('E_INVALID_OPTION', 'options.pigmentVectors: haemoglobin and melanin vectors are (nearly) parallel after removing shading; give two distinct directions', {
      option: 'options.pigmentVectors',
    });
  }
  return [
    [Aa / det, -(b * i - c * hh) / det, (b * f - c * e) / det],
    [Bb / det, (a * i - c * g) / det, -(a * f - c * d) / det],
    [Cc / det, -(a * hh - b * g) / det, (a * e - b * d) / det],
  ];
}
