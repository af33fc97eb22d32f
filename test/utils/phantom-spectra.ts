/**
 * Spectral two-layer skin model for the erythema phantoms (test utility, not shipped).
 *
 * Reflectance R(λ) of skin = epidermis (finite layer, melanosome volume fraction fMel) over a semi-infinite dermis
 * (blood volume fraction fBlood at oxygen saturation sO2), each layer a Kubelka–Munk medium:
 * - absorption: melanosomes μa.mel = 6.6e11·λ^−3.33 cm⁻¹ and baseline μa.base = 0.244 + 85.3·exp(−(λ−154)/66.2)
 *   [Jacques1998]; blood μa = 2.303·ε(λ)·150/64500 cm⁻¹ from Prahl's molar extinction table [Prahl1999];
 * - reduced scattering μs' = 2e5·λ^−1.5 + 2e12·λ^−4 cm⁻¹ (Mie + Rayleigh, [Jacques1998]), same in both layers;
 * - KM coefficients K = 2μa, S = (3/4)μs' [vanGemert1987] (the −μa/4 correction term is dropped: it makes S
 *   negative in heavily pigmented epidermis at 400 nm);
 * - finite-layer R, T and the semi-infinite R∞ [Kubelka1948]; layers combined by the adding rule
 *   R = R1 + T1²·R2 / (1 − R1·R2) [Kubelka1954], as in two-layer KM skin models [Doi2003].
 * Colour: XYZ = Σ R·D65·x̄ȳz̄ / Σ D65·ȳ (5 nm, 380–780 nm) [CIE15], then linear sRGB with the IEC matrix.
 * Tables: test/fixtures/erythema (see SOURCES.md there).
 */
import { readFileSync } from 'node:fs';
import { LINEAR_SRGB_FROM_XYZ } from '../../src/color';

const FIXTURES = new URL('../fixtures/erythema/', import.meta.url);

function readCsv(name: string): number[][] {
  const text = readFileSync(new URL(name, FIXTURES), 'utf8');
  return text
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.split(',').map(Number));
}

/** The common wavelength grid: 380–780 nm every 5 nm. */
export const WAVELENGTHS_NM: number[] = Array.from({ length: 81 }, (_, i) => 380 + 5 * i);

/** Linear interpolation of a table (first column = wavelength) at λ, column `col`. */
function interp(table: number[][], nm: number, col: number): number {
  let lo = 0;
  let hi = table.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (table[mid][0] <= nm) lo = mid;
    else hi = mid;
  }
  const a = table[lo];
  const b = table[hi];
  if (nm <= a[0]) return a[col];
  if (nm >= b[0]) return b[col];
  const t = (nm - a[0]) / (b[0] - a[0]);
  return a[col] + t * (b[col] - a[col]);
}

interface Spectra {
  cmf: number[][]; // [λ][x̄,ȳ,z̄]
  d65: number[];
  /** μa of whole blood (150 g/L), oxy and deoxy, cm⁻¹ */
  muaHbO2: number[];
  muaHb: number[];
  muaMel: number[];
  muaBase: number[];
  musp: number[];
  /** normaliser Σ D65·ȳ */
  k: number;
}

let cached: Spectra | undefined;

export function spectra(): Spectra {
  if (cached) return cached;
  const cmfT = readCsv('cie1931_2deg_cmf_5nm.csv');
  const d65T = readCsv('illuminant_D65_spd.csv');
  const hbT = readCsv('hemoglobin_molar_extinction_prahl.csv');
  const cmf = WAVELENGTHS_NM.map((nm) => [interp(cmfT, nm, 1), interp(cmfT, nm, 2), interp(cmfT, nm, 3)]);
  const d65 = WAVELENGTHS_NM.map((nm) => interp(d65T, nm, 1));
  const hbToMua = 2.303 * (150 / 64500); // [Prahl1999] μa = 2.303·ε·c/M, c = 150 g/L, M = 64 500 g/mol
  const muaHbO2 = WAVELENGTHS_NM.map((nm) => hbToMua * interp(hbT, nm, 1));
  const muaHb = WAVELENGTHS_NM.map((nm) => hbToMua * interp(hbT, nm, 2));
  const muaMel = WAVELENGTHS_NM.map((nm) => 6.6e11 * nm ** -3.33); // [Jacques1998] melanosome μa
  const muaBase = WAVELENGTHS_NM.map((nm) => 0.244 + 85.3 * Math.exp(-(nm - 154) / 66.2)); // [Jacques1998] baseline
  const musp = WAVELENGTHS_NM.map((nm) => 2e5 * nm ** -1.5 + 2e12 * nm ** -4); // [Jacques1998] μs' Mie + Rayleigh
  let k = 0;
  for (let i = 0; i < d65.length; i++) k += d65[i] * cmf[i][1];
  cached = { cmf, d65, muaHbO2, muaHb, muaMel, muaBase, musp, k };
  return cached;
}

export interface SkinParams {
  /** melanosome volume fraction of the epidermis, 0.01 (very light) … 0.43 (very dark) [Jacques1998] */
  fMel: number;
  /** blood volume fraction of the dermis, e.g. 0.002 … 0.08 */
  fBlood: number;
  /** haemoglobin oxygen saturation, default 0.75 (mixed arterial/venous dermal blood) */
  sO2?: number;
  /** epidermal thickness in cm, default 0.006 (60 µm) [Jacques1998] */
  epidermisCm?: number;
}

/**
 * Surface (refractive index ≈ 1.4) reflection coefficients for the Saunderson correction [Saunderson1942]:
 * external specular 0.03 (removed, as with cross-polarised photography) and internal diffuse 0.5.
 */
const rExt = 0.03;
const rInt = 0.5;

/** KM finite layer of thickness d: reflectance and transmittance [Kubelka1948]. */
function kmLayer(K: number, S: number, d: number): [number, number] {
  const a = 1 + K / S;
  const b = Math.sqrt(a * a - 1);
  const bSd = b * S * d;
  const sh = Math.sinh(bSd);
  const ch = Math.cosh(bSd);
  const den = a * sh + b * ch;
  return [sh / den, b / den];
}

/** Diffuse reflectance spectrum of the two-layer skin on WAVELENGTHS_NM. */
export function skinReflectance(p: SkinParams): Float64Array {
  const s = spectra();
  const sO2 = p.sO2 ?? 0.75;
  const d = p.epidermisCm ?? 0.006;
  const out = new Float64Array(WAVELENGTHS_NM.length);
  for (let i = 0; i < out.length; i++) {
    const muaEpi = p.fMel * s.muaMel[i] + (1 - p.fMel) * s.muaBase[i];
    const muaBlood = sO2 * s.muaHbO2[i] + (1 - sO2) * s.muaHb[i];
    const muaDerm = p.fBlood * muaBlood + (1 - p.fBlood) * s.muaBase[i];
    const S = 0.75 * s.musp[i]; // [vanGemert1987]
    const [R1, T1] = kmLayer(2 * muaEpi, S, d);
    const a2 = 1 + (2 * muaDerm) / S;
    const R2 = a2 - Math.sqrt(a2 * a2 - 1); // [Kubelka1948] R∞ = a − b
    const Rkm = R1 + (T1 * T1 * R2) / (1 - R1 * R2); // [Kubelka1954] adding two layers
    out[i] = ((1 - rExt) * (1 - rInt) * Rkm) / (1 - rInt * Rkm); // [Saunderson1942] surface correction
  }
  return out;
}

/** Reflectance spectrum (on WAVELENGTHS_NM) → XYZ (Y of the perfect white = 1) under D65, CIE 1931 2° [CIE15]. */
export function spectrumToXyz(R: ArrayLike<number>): [number, number, number] {
  const s = spectra();
  let X = 0;
  let Y = 0;
  let Z = 0;
  for (let i = 0; i < s.d65.length; i++) {
    const e = R[i] * s.d65[i];
    X += e * s.cmf[i][0];
    Y += e * s.cmf[i][1];
    Z += e * s.cmf[i][2];
  }
  return [X / s.k, Y / s.k, Z / s.k];
}

/** Reflectance spectrum → linear sRGB (D65, unclipped) via the IEC matrix. */
export function spectrumToLinearSrgb(R: ArrayLike<number>): [number, number, number] {
  const [X, Y, Z] = spectrumToXyz(R);
  const M = LINEAR_SRGB_FROM_XYZ;
  return [
    M[0][0] * X + M[0][1] * Y + M[0][2] * Z,
    M[1][0] * X + M[1][1] * Y + M[1][2] * Z,
    M[2][0] * X + M[2][1] * Y + M[2][2] * Z,
  ];
}

/** Linear sRGB of skin with the given parameters. */
export function skinLinearRgb(p: SkinParams): [number, number, number] {
  return spectrumToLinearSrgb(skinReflectance(p));
}

/** The 24 ColorChecker patches (Ohta 1997 spectra) rendered under D65 as linear sRGB, row-major 4×6. */
export function colorCheckerLinearRgb(): [number, number, number][] {
  const t = readCsv('colorchecker24_ohta1997_reflectance.csv');
  const out: [number, number, number][] = [];
  for (let p = 0; p < 24; p++) {
    const R = WAVELENGTHS_NM.map((nm) => interp(t, nm, p + 1));
    out.push(spectrumToLinearSrgb(R));
  }
  return out;
}
