import type { Raster } from '../image/raster';
import { LAB_EPSILON, LAB_KAPPA, WHITE_D65, XYZ_FROM_LINEAR_SRGB } from './constants';
import { labToXyz, xyzToLab } from './lab';
import type { Vec3 } from './matrix3';
import { srgbDecode, srgbEncode } from './srgb';
import { linearSrgbToXyz, xyzToLinearSrgb } from './xyz';

/**
 * Conversions routed through one hub (linear sRGB D65 → XYZ D65), after culori's converter (STYLE.md).
 * Lab values are CIELAB D65 / 2° observer throughout.
 */

/** Linear sRGB [0, 1] → CIELAB D65/2°. */
export function linearToLab(rgb: readonly number[]): Vec3 {
  return xyzToLab(linearSrgbToXyz(rgb), WHITE_D65);
}

/** CIELAB D65/2° → linear sRGB (unclipped). */
export function labToLinear(lab: readonly number[]): Vec3 {
  return xyzToLinearSrgb(labToXyz(lab, WHITE_D65));
}

/** Encoded sRGB [0, 1] → CIELAB D65/2° (reproduces colour-science's vectors: test/color). */
export function srgbToLab(rgb: readonly number[]): Vec3 {
  return linearToLab([srgbDecode(rgb[0]), srgbDecode(rgb[1]), srgbDecode(rgb[2])]);
}

/** CIELAB D65/2° → encoded sRGB [0, 1] (unclipped: check the range if you need in-gamut values). */
export function labToSrgb(lab: readonly number[]): Vec3 {
  const l = labToLinear(lab);
  return [srgbEncode(l[0]), srgbEncode(l[1]), srgbEncode(l[2])];
}

/**
 * A linear sRGB raster → a Lab raster (3 channels L*, a*, b*; D65/2°), in one pass over typed arrays.
 * Same formulas as `linearToLab`, inlined (no object per pixel); results agree to float32 precision.
 */
export function linearRasterToLab(raster: Raster): Raster {
  const { width, height, channels, data } = raster;
  const n = width * height;
  const out = new Float32Array(n * 3);
  const M = XYZ_FROM_LINEAR_SRGB;
  const [Xn, Yn, Zn] = WHITE_D65;
  const f = (t: number) => (t > LAB_EPSILON ? Math.cbrt(t) : (LAB_KAPPA * t + 16) / 116); // [CIE15] eq. (8.3)
  for (let i = 0, j = 0, k = 0; i < n; i++, j += channels, k += 3) {
    const r = data[j], g = data[j + 1], b = data[j + 2];
    const fx = f((M[0][0] * r + M[0][1] * g + M[0][2] * b) / Xn);
    const fy = f((M[1][0] * r + M[1][1] * g + M[1][2] * b) / Yn);
    const fz = f((M[2][0] * r + M[2][1] * g + M[2][2] * b) / Zn);
    out[k] = 116 * fy - 16;
    out[k + 1] = 500 * (fx - fy);
    out[k + 2] = 200 * (fy - fz);
  }
  return { width, height, channels: 3, data: out };
}

/** A Lab raster (D65/2°) → linear sRGB raster (unclipped). */
export function labRasterToLinear(lab: Raster): Raster {
  const n = lab.width * lab.height;
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const rgb = labToLinear([lab.data[i * lab.channels], lab.data[i * lab.channels + 1], lab.data[i * lab.channels + 2]]);
    out.set(rgb, i * 3);
  }
  return { width: lab.width, height: lab.height, channels: 3, data: out };
}

