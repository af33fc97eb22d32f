/**
 * The default pigment vectors in src/erythema/vectors.ts are re-derived here from the spectral tables
 * (Prahl haemoglobin, Jacques melanosome absorption and scattering, CIE 1931 2° observer, D65; test/fixtures/erythema)
 * through the two-layer Kubelka–Munk skin model, exactly as vectors.ts documents.
 */
import { describe, expect, test } from 'vitest';
import { DEFAULT_HEMOGLOBIN_OD, DEFAULT_MELANIN_OD, HEMOGLOBIN_OD_PER_LN_BLOOD } from '../../src/erythema';
import { skinLinearRgb } from '../utils/phantom-spectra';

/** Least squares y ≈ X·β for 3 columns via the normal equations (Cramer's rule). */
function lstsq3(X: number[][], y: number[]): number[] {
  const A = [0, 1, 2].map((i) => [0, 1, 2].map((j) => X.reduce((s, r) => s + r[i] * r[j], 0)));
  const b = [0, 1, 2].map((i) => X.reduce((s, r, k) => s + r[i] * y[k], 0));
  const det = (M: number[][]) =>
    M[0][0] * (M[1][1] * M[2][2] - M[1][2] * M[2][1]) - M[0][1] * (M[1][0] * M[2][2] - M[1][2] * M[2][0]) + M[0][2] * (M[1][0] * M[2][1] - M[1][1] * M[2][0]);
  const D = det(A);
  return [0, 1, 2].map((c) => det(A.map((r, i) => r.map((v, j) => (j === c ? b[i] : v)))) / D);
}

const project = (v: number[]) => {
  const m = (v[0] + v[1] + v[2]) / 3;
  const p = v.map((x) => x - m);
  const n = Math.hypot(...p);
  return p.map((x) => x / n);
};

describe('default pigment vectors', () => {
  test('re-derived from the spectra: regression of OD on [ln fBlood, ln fMel, 1] over fMel 0.01–0.15 × fBlood 0.002–0.05', () => {
    const X: number[][] = [];
    const Y: number[][] = [];
    for (let i = 0; i < 9; i++) {
      for (let j = 0; j < 9; j++) {
        const fMel = 0.01 * 15 ** (i / 8);
        const fBlood = 0.002 * 25 ** (j / 8);
        X.push([Math.log(fBlood), Math.log(fMel), 1]);
        Y.push(skinLinearRgb({ fMel, fBlood }).map((v) => -Math.log10(v)));
      }
    }
    const coef = [0, 1, 2].map((c) => lstsq3(X, Y.map((r) => r[c])));
    const hRaw = coef.map((r) => r[0]);
    const h = project(hRaw);
    const m = project(coef.map((r) => r[1]));
    for (let c = 0; c < 3; c++) {
      expect(DEFAULT_HEMOGLOBIN_OD[c]).toBeCloseTo(h[c], 5);
      expect(DEFAULT_MELANIN_OD[c]).toBeCloseTo(m[c], 5);
      expect(HEMOGLOBIN_OD_PER_LN_BLOOD[c]).toBeCloseTo(hRaw[c], 5);
    }
    // Sanity against the physics: blood absorbs most in green (Q bands 540/576 nm), melanin most in blue.
    expect(hRaw[1]).toBeGreaterThan(hRaw[0]);
    expect(hRaw[1]).toBeGreaterThan(hRaw[2]);
    expect(m[2]).toBeGreaterThan(m[1]);
    expect(m[1]).toBeGreaterThan(m[0]);
  });
});
