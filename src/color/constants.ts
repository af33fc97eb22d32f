import { invert3, type Vec3 } from './matrix3';

/**
 * Colorimetric constants, one set for the whole library (STYLE.md: pick one set, state and cite it).
 * Values as in colour-science 0.4 (colour/colorimetry/datasets, models/rgb/datasets/srgb.py) [CIE15] [IEC61966].
 */

/** xy chromaticity → XYZ with Y = 1. */
function whiteFromXy(x: number, y: number): Vec3 {
  return [x / y, 1, (1 - x - y) / y];
}

/** CIE D65, 1931 2° observer, xy (0.3127, 0.3290) [CIE15] Table T.3 (4-decimal, as IEC 61966-2-1 uses). */
export const WHITE_D65: Vec3 = whiteFromXy(0.3127, 0.329);
/** CIE D50, 1931 2° observer, xy (0.3457, 0.3585) [CIE15] Table T.3. */
export const WHITE_D50: Vec3 = whiteFromXy(0.3457, 0.3585);

/**
 * Linear sRGB → XYZ (D65), the IEC 61966-2-1:1999 4-decimal matrix [IEC61966] eq. (5).
 * This is the convention of the README: it reproduces colour-science's sRGB→Lab vectors to < 1e-5.
 * The inverse is the exact inverse of this matrix (not IEC's separately rounded one), so round trips are exact.
 */
export const XYZ_FROM_LINEAR_SRGB = [
  [0.4124, 0.3576, 0.1805],
  [0.2126, 0.7152, 0.0722],
  [0.0193, 0.1192, 0.9505],
] as const;
export const LINEAR_SRGB_FROM_XYZ = invert3(XYZ_FROM_LINEAR_SRGB);

/** Bradford cone-response matrix [Lam1985] (as tabulated by [Lindbloom]). */
export const BRADFORD = [
  [0.8951, 0.2664, -0.1614],
  [-0.7502, 1.7135, 0.0367],
  [0.0389, -0.0685, 1.0296],
] as const;

/** CIELAB ε = 216/24389 and κ = 24389/27, the exact CIE ratios [CIE15] §8.2.1 note 5 (not 0.008856 / 903.3). */
export const LAB_EPSILON = 216 / 24389;
export const LAB_KAPPA = 24389 / 27;
