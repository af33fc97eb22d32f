import { DermametricsError, invalidOption } from '../errors';
import type { Mask, Raster } from '../image/raster';
import { DEFAULT_HEMOGLOBIN_OD, DEFAULT_MELANIN_OD, HEMOGLOBIN_OD_PER_LN_BLOOD, separationMatrix } from './vectors';

/** The haemoglobin absorbance direction scaled so that the green channel's OD rises by 1. */
const H_UNIT_GREEN = HEMOGLOBIN_OD_PER_LN_BLOOD.map((v) => v / HEMOGLOBIN_OD_PER_LN_BLOOD[1]) as [number, number, number];

/**
 * Green-channel haemoglobin OD that corresponds to multiplying dermal blood volume by `ratio` in the two-layer skin
 * model that produced the default vectors (vectors.ts): ΔOD_G = ln(ratio) × 0.086779. E.g. ratio 2 → 0.0602.
 */
export function bloodRatioToHemoglobinOD(ratio: number): number {
  if (!(typeof ratio === 'number' && ratio > 0 && Number.isFinite(ratio))) throw invalidOption('ratio', 'a positive number', ratio);
  return Math.log(ratio) * HEMOGLOBIN_OD_PER_LN_BLOOD[1];
}

/**
 * Simulated erythema: add haemoglobin absorbance in optical-density space [Tsumura2003] — each linear channel is
 * multiplied by 10^(−w·ΔOD·ĥ_c), where ĥ is the haemoglobin absorbance direction (per-channel OD per unit
 * ln blood volume from the skin model, scaled to ĥ_G = 1), ΔOD = `deltaHemoglobinOD` (green-channel OD added at
 * full mask weight) and w = mask/255 (0–255 weights allow feathered edges; a 0/1 mask counts 1 as full weight).
 * Returns a new raster (the input is not changed). Negative ΔOD blanches.
 *
 * In index units the change is ΔhemoglobinIndex ≈ 100·ΔOD·(h·ĥ)-projection, reported by
 * `hemoglobinIndexPerOD()` for the default vectors; for a blood ratio use bloodRatioToHemoglobinOD().
 */
export function addErythema(raster: Raster, mask: Mask, deltaHemoglobinOD: number): Raster {
  if (!raster || !(raster.data instanceof Float32Array) || raster.channels < 3) throw invalidOption('raster', 'a linear sRGB Raster with >= 3 channels', raster);
  if (!mask || !(mask.data instanceof Uint8Array) || mask.width !== raster.width || mask.height !== raster.height) {
    throw new DermametricsError('E_INVALID_OPTION', `mask must be a Mask of the raster's size (${raster.width}×${raster.height})`, { option: 'mask' });
  }
  if (typeof deltaHemoglobinOD !== 'number' || !Number.isFinite(deltaHemoglobinOD)) throw invalidOption('deltaHemoglobinOD', 'a finite number (OD, e.g. 0.06)', deltaHemoglobinOD);
  let maxM = 0;
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i] > maxM) maxM = mask.data[i];
  const scale = maxM <= 1 ? 1 : 1 / 255;
  const data = new Float32Array(raster.data);
  const C = raster.channels;
  // 256-entry LUTs of the per-channel transmission factor per mask weight.
  const lut = [0, 1, 2].map((c) => Float32Array.from({ length: 256 }, (_, w) => 10 ** (-w * scale * deltaHemoglobinOD * H_UNIT_GREEN[c])));
  for (let i = 0, j = 0; i < mask.data.length; i++, j += C) {
    const w = mask.data[i];
    if (w === 0) continue;
    data[j] *= lut[0][w];
    data[j + 1] *= lut[1][w];
    data[j + 2] *= lut[2][w];
  }
  return { width: raster.width, height: raster.height, channels: C, data };
}

/**
 * Haemoglobin-index units per unit of `deltaHemoglobinOD` in addErythema: 100 × (row 0 of [h m 1]⁻¹) · ĥ
 * [Tsumura2003] eq. (3), for the given (default: the library's) pigment vectors.
 */
export function hemoglobinIndexPerOD(
  vectors: { hemoglobin: readonly number[]; melanin: readonly number[] } = { hemoglobin: DEFAULT_HEMOGLOBIN_OD, melanin: DEFAULT_MELANIN_OD },
): number {
  const W = separationMatrix(vectors.hemoglobin, vectors.melanin);
  return 100 * (W[0][0] * H_UNIT_GREEN[0] + W[0][1] * H_UNIT_GREEN[1] + W[0][2] * H_UNIT_GREEN[2]);
}
