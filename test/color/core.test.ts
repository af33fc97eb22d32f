/**
 * Tests of the colour core (src/color/{srgb,xyz,lab,convert,ciede2000,ita}) against outside references:
 * Sharma, Wu & Dalal (2005) Table 1, colour-science's sRGB->Lab vectors, colour-science's constants,
 * Lindbloom's published Bradford matrix. Fixture provenance: test/fixtures/color/SOURCES.md.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BRADFORD,
  LAB_EPSILON,
  LAB_KAPPA,
  WHITE_D50,
  WHITE_D65,
  XYZ_FROM_LINEAR_SRGB,
  adaptXyzBradford,
  bradfordMatrix,
  deltaE2000,
  itaDeg,
  labRasterToLinear,
  labToSrgb,
  labToXyz,
  linearRasterToLab,
  linearToLab,
  srgbDecode,
  srgbEncode,
  srgbToLab,
  xyzToLab,
} from '../../src/color';

const FIX = new URL('../fixtures/color/', import.meta.url);
const csv = (name: string) =>
  readFileSync(new URL(name, FIX), 'utf8')
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((l) => l.split(',').map(Number));
const constants = JSON.parse(readFileSync(new URL('colorimetry_constants.json', FIX), 'utf8'));

describe('CIEDE2000 [Sharma2005]', () => {
  const pairs = csv('ciede2000_sharma2005_pairs.csv');
  it('has the 34 pairs', () => expect(pairs).toHaveLength(34));
  it('reproduces all 34 pairs of Table 1 to 1e-4, in both argument orders', () => {
    let worst = 0;
    for (const [, L1, a1, b1, L2, a2, b2, dE] of pairs) {
      const d12 = deltaE2000([L1, a1, b1], [L2, a2, b2]);
      const d21 = deltaE2000([L2, a2, b2], [L1, a1, b1]);
      worst = Math.max(worst, Math.abs(d12 - dE), Math.abs(d21 - dE));
    }
    // The table is printed to 4 decimals, so the tabulated value is within 5e-5 of the exact one.
    expect(worst).toBeLessThan(1e-4);
  });
  it('is zero for identical colours and grows with the lightness weight kL shrinking', () => {
    expect(deltaE2000([50, 10, -10], [50, 10, -10])).toBe(0);
    const a = deltaE2000([50, 0, 0], [60, 0, 0]);
    expect(deltaE2000([50, 0, 0], [60, 0, 0], { kL: 2 })).toBeLessThan(a);
  });
});

describe('sRGB -> CIELAB D65 (colour-science 2018 vectors)', () => {
  const rows = csv('srgb_to_lab_d65_testvectors_colour2018.csv');
  it('has 1000 vectors', () => expect(rows).toHaveLength(1000));
  it('srgbToLab reproduces all 1000 to 1e-3 (IEC 4-decimal matrix convention)', () => {
    let worst = 0;
    for (const [r, g, b, L, A, B] of rows) {
      const lab = srgbToLab([r, g, b]);
      worst = Math.max(worst, Math.abs(lab[0] - L), Math.abs(lab[1] - A), Math.abs(lab[2] - B));
    }
    expect(worst).toBeLessThan(1e-3);
  });
  it('linearRasterToLab (Float32, whole raster) reproduces them to 1e-3', () => {
    const data = new Float32Array(rows.length * 3);
    rows.forEach(([r, g, b], i) => data.set([srgbDecode(r), srgbDecode(g), srgbDecode(b)], i * 3));
    const lab = linearRasterToLab({ width: rows.length, height: 1, channels: 3, data });
    let worst = 0;
    rows.forEach(([, , , L, A, B], i) => {
      worst = Math.max(worst, Math.abs(lab.data[i * 3] - L), Math.abs(lab.data[i * 3 + 1] - A), Math.abs(lab.data[i * 3 + 2] - B));
    });
    expect(worst).toBeLessThan(1e-3);
  });
});

describe('round trips', () => {
  const rows = csv('srgb_to_lab_d65_testvectors_colour2018.csv');
  it('sRGB -> Lab -> sRGB to 1e-9', () => {
    let worst = 0;
    for (const [r, g, b] of rows) {
      const back = labToSrgb(srgbToLab([r, g, b]));
      worst = Math.max(worst, Math.abs(back[0] - r), Math.abs(back[1] - g), Math.abs(back[2] - b));
    }
    expect(worst).toBeLessThan(1e-9);
  });
  it('transfer curve encode(decode(v)) = v over [0, 1], and decode is continuous at the 0.04045 knee', () => {
    for (let i = 0; i <= 1000; i++) expect(srgbEncode(srgbDecode(i / 1000))).toBeCloseTo(i / 1000, 12);
    expect(Math.abs(0.04045 / 12.92 - ((0.04045 + 0.055) / 1.055) ** 2.4)).toBeLessThan(1e-7); // [IEC61966]
    expect(srgbDecode(0.04045)).toBeCloseTo(0.04045 / 12.92, 12);
  });
  it('XYZ -> Lab -> XYZ for D65 and D50 whites, both branches of f(t)', () => {
    for (const white of [WHITE_D65, WHITE_D50]) {
      for (const xyz of [[0.2, 0.3, 0.4], [0.001, 0.002, 0.0005], [0.9, 1, 0.8], [0, 0, 0]]) {
        const back = labToXyz(xyzToLab(xyz, white), white);
        for (let c = 0; c < 3; c++) expect(back[c]).toBeCloseTo(xyz[c], 12);
      }
    }
  });
  it('linear raster -> Lab raster -> linear raster to float32 precision', () => {
    const data = new Float32Array(300).map((_, i) => ((i * 37) % 101) / 100);
    const back = labRasterToLinear(linearRasterToLab({ width: 100, height: 1, channels: 3, data }));
    for (let i = 0; i < data.length; i++) expect(Math.abs(back.data[i] - data[i])).toBeLessThan(2e-5);
  });
});

describe('constants against colour-science (colorimetry_constants.json)', () => {
  it('IEC 4-decimal sRGB -> XYZ matrix, Bradford cone matrix, epsilon and kappa', () => {
    expect(XYZ_FROM_LINEAR_SRGB.map((r) => [...r])).toEqual(constants['sRGB_IEC61966-2-1'].MATRIX_sRGB_TO_XYZ_4dp_IEC);
    expect(BRADFORD.map((r) => [...r])).toEqual(constants.CAT_BRADFORD);
    expect(LAB_EPSILON).toBe(216 / 24389);
    expect(LAB_KAPPA).toBe(24389 / 27);
  });
  it('white points are the CIE 1931 2° xy chromaticities of D65 and D50', () => {
    const xy = (w: readonly number[]) => [w[0] / (w[0] + w[1] + w[2]), w[1] / (w[0] + w[1] + w[2])];
    expect(xy(WHITE_D65)[0]).toBeCloseTo(constants.whitepoint_xy_CIE1931_2deg.D65[0], 12);
    expect(xy(WHITE_D65)[1]).toBeCloseTo(constants.whitepoint_xy_CIE1931_2deg.D65[1], 12);
    expect(xy(WHITE_D50)[0]).toBeCloseTo(constants.whitepoint_xy_CIE1931_2deg.D50[0], 12);
    expect(xy(WHITE_D50)[1]).toBeCloseTo(constants.whitepoint_xy_CIE1931_2deg.D50[1], 12);
  });
  it('the sRGB white (1,1,1) maps to the D65 white to the matrix rounding (4 decimals)', () => {
    const white = [0, 1, 2].map((r) => XYZ_FROM_LINEAR_SRGB[r][0] + XYZ_FROM_LINEAR_SRGB[r][1] + XYZ_FROM_LINEAR_SRGB[r][2]);
    for (let c = 0; c < 3; c++) expect(Math.abs(white[c] - WHITE_D65[c])).toBeLessThan(2e-4);
    const lab = linearToLab([1, 1, 1]);
    expect(lab[0]).toBeCloseTo(100, 2);
  });
});

describe('Bradford D65 <-> D50', () => {
  // Independent construction from the JSON's cone matrix and white points: M^-1 diag(rho_D50 / rho_D65) M [Lam1985].
  function expectedMatrix(from: number[], to: number[]): number[][] {
    const M: number[][] = constants.CAT_BRADFORD;
    const mv = (m: number[][], v: number[]) => m.map((r) => r[0] * v[0] + r[1] * v[1] + r[2] * v[2]);
    const rs = mv(M, from);
    const rd = mv(M, to);
    const d = M.map((row, i) => row.map((v) => (v * rd[i]) / rs[i])); // diag * M
    // solve M X = d for X = M^-1 d, column by column (Cramer's rule)
    const det = (m: number[][]) =>
      m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    const D = det(M);
    const X = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
    for (let j = 0; j < 3; j++)
      for (let i = 0; i < 3; i++) {
        const Mi = M.map((row, r) => row.map((v, c) => (c === i ? d[r][j] : v)));
        X[i][j] = det(Mi) / D;
      }
    return X;
  }
  const w = (xy: number[]) => [xy[0] / xy[1], 1, (1 - xy[0] - xy[1]) / xy[1]];
  const d65 = w(constants.whitepoint_xy_CIE1931_2deg.D65);
  const d50 = w(constants.whitepoint_xy_CIE1931_2deg.D50);

  it('equals M^-1 diag M built from colorimetry_constants.json, to 1e-12', () => {
    const got = bradfordMatrix(d65, d50);
    const want = expectedMatrix(d65, d50);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(Math.abs(got[i][j] - want[i][j])).toBeLessThan(1e-12);
  });
  it("agrees with Lindbloom's published D65->D50 Bradford matrix within the white-point rounding (5e-4)", () => {
    // [Lindbloom] "Chromatic Adaptation", Bradford, D65 -> D50 (his whites: D65 0.95047/1.08883, D50 0.96422/0.82521).
    const lindbloom = [
      [1.0478112, 0.0228866, -0.050127],
      [0.0295424, 0.9904844, -0.0170491],
      [-0.0092345, 0.0150436, 0.7521316],
    ];
    const got = bradfordMatrix(WHITE_D65, WHITE_D50);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(Math.abs(got[i][j] - lindbloom[i][j])).toBeLessThan(5e-4);
  });
  it('maps the D65 white exactly to D50 and back (round trip identity)', () => {
    const a = adaptXyzBradford(WHITE_D65, WHITE_D65, WHITE_D50);
    for (let c = 0; c < 3; c++) expect(a[c]).toBeCloseTo(WHITE_D50[c], 12);
    const x = [0.31, 0.27, 0.19];
    const back = adaptXyzBradford(adaptXyzBradford(x, WHITE_D65, WHITE_D50), WHITE_D50, WHITE_D65);
    for (let c = 0; c < 3; c++) expect(back[c]).toBeCloseTo(x[c], 12);
  });
});

describe('ITA° [Chardon1991]', () => {
  it('is arctan((L* - 50) / b*) in degrees', () => {
    expect(itaDeg(60, 10)).toBeCloseTo(45, 12);
    expect(itaDeg(50, 15)).toBeCloseTo(0, 12);
    expect(itaDeg(40, 10)).toBeCloseTo(-45, 12);
    expect(itaDeg(70, 20 / Math.sqrt(3))).toBeCloseTo(60, 10);
  });
});

describe('NaN, infinity and out-of-range input', () => {
  const notFinite = (v: number[] | number) => (Array.isArray(v) ? v.some((x) => !Number.isFinite(x)) : !Number.isFinite(v));
  it('NaN propagates (never becomes a plausible finite number)', () => {
    expect(srgbToLab([NaN, 0.5, 0.5]).every((x) => Number.isNaN(x) || !Number.isFinite(x))).toBe(true);
    expect(Number.isNaN(srgbDecode(NaN))).toBe(true);
    expect(Number.isNaN(deltaE2000([NaN, 0, 0], [50, 0, 0]))).toBe(true);
    expect(Number.isNaN(itaDeg(NaN, 10))).toBe(true);
    const lab = linearRasterToLab({ width: 1, height: 1, channels: 3, data: new Float32Array([NaN, 0.2, 0.2]) });
    expect(Array.from(lab.data).some(Number.isNaN)).toBe(true);
  });
  it('infinity never yields a finite result', () => {
    expect(notFinite(srgbToLab([Infinity, 0.5, 0.5]))).toBe(true);
    expect(notFinite(deltaE2000([Infinity, 0, 0], [50, 0, 0]))).toBe(true);
    expect(srgbDecode(Infinity)).toBe(Infinity);
  });
  it('out-of-range encoded values are extended symmetrically, not clipped (survive a round trip)', () => {
    expect(srgbDecode(-0.5)).toBeCloseTo(-srgbDecode(0.5), 15);
    expect(srgbDecode(1.2)).toBeGreaterThan(1);
    for (const rgb of [[-0.2, 0.5, 1.3], [1.1, -0.05, 0.4]]) {
      const back = labToSrgb(srgbToLab(rgb));
      for (let c = 0; c < 3; c++) expect(back[c]).toBeCloseTo(rgb[c], 9);
    }
  });
});
