import { BRADFORD, LINEAR_SRGB_FROM_XYZ, XYZ_FROM_LINEAR_SRGB } from './constants';
import { invert3, matmul3, mul3, type Vec3 } from './matrix3';

/** Linear sRGB (D65, [0, 1]) → CIE XYZ (D65, Y of white = 1) [IEC61966] eq. (5). */
export function linearSrgbToXyz(rgb: readonly number[]): Vec3 {
  return mul3(XYZ_FROM_LINEAR_SRGB, rgb);
}

/** CIE XYZ (D65, Y of white = 1) → linear sRGB, unclipped. */
export function xyzToLinearSrgb(xyz: readonly number[]): Vec3 {
  return mul3(LINEAR_SRGB_FROM_XYZ, xyz);
}

const BRADFORD_INV = invert3(BRADFORD);

/** The 3×3 von Kries matrix in Bradford cone space that maps colours seen under `fromWhite` to `toWhite` [Lindbloom]. */
export function bradfordMatrix(fromWhite: readonly number[], toWhite: readonly number[]): number[][] {
  const src = mul3(BRADFORD, fromWhite);
  const dst = mul3(BRADFORD, toWhite);
  const scale = [
    [dst[0] / src[0], 0, 0],
    [0, dst[1] / src[1], 0],
    [0, 0, dst[2] / src[2]],
  ];
  return matmul3(BRADFORD_INV, matmul3(scale, BRADFORD));
}

/** Chromatic adaptation of an XYZ colour from one white to another with the Bradford transform [Lam1985]. */
export function adaptXyzBradford(xyz: readonly number[], fromWhite: readonly number[], toWhite: readonly number[]): Vec3 {
  return mul3(bradfordMatrix(fromWhite, toWhite), xyz);
}
