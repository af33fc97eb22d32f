/**
 * The sRGB transfer function [IEC61966] eqs. (1)–(2). Encoded and linear values in [0, 1] (values outside are
 * extended symmetrically, so out-of-gamut results survive a round trip). Scalar; raster code uses LUTs built from it.
 */

/** Encoded sRGB → linear light [IEC61966] eq. (1). */
export function srgbDecode(v: number): number {
  const a = Math.abs(v);
  const l = a <= 0.04045 ? a / 12.92 : ((a + 0.055) / 1.055) ** 2.4;
  return v < 0 ? -l : l;
}

/** Linear light → encoded sRGB [IEC61966] eq. (2). */
export function srgbEncode(v: number): number {
  const a = Math.abs(v);
  const e = a <= 0.0031308 ? a * 12.92 : 1.055 * a ** (1 / 2.4) - 0.055;
  return v < 0 ? -e : e;
}
