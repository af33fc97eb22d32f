import { XYZ_FROM_LINEAR_SRGB, LAB_EPSILON, LAB_KAPPA } from '../color/constants';
import type { Raster } from '../image/raster';
import type { Plane } from './filters';

/**
 * The analysis channel: CIE L* (D65/2°) computed from relative luminance Y of linear sRGB (the Y row of the IEC
 * matrix [IEC61966]), L* = 116·f(Y) − 16 [CIE15]. L* is close to perceived lightness, so a furrow's contrast in L*
 * units hardly depends on the exposure or the skin's own lightness.
 */
export function lightnessPlane(raster: Raster): Plane {
  const { width, height, channels, data } = raster;
  const [yr, yg, yb] = XYZ_FROM_LINEAR_SRGB[1];
  const out = new Float32Array(width * height);
  for (let i = 0, j = 0; i < out.length; i++, j += channels) {
    const Y = channels >= 3 ? yr * data[j] + yg * data[j + 1] + yb * data[j + 2] : data[j];
    out[i] = Y > LAB_EPSILON ? 116 * Math.cbrt(Y) - 16 : LAB_KAPPA * Y; // [CIE15] L* with exact ε, κ
  }
  return { width, height, data: out };
}

/** Mid-grey reference of the log-luminance channel: Y = 0.18, where L* = 49.5 [CIE15]. */
const Y_REF = 0.18;
const L_REF = 116 * Math.cbrt(Y_REF) - 16;
/** Slope dL* / d(ln Y) at Y_REF: (116/3)·Y_REF^(1/3) [CIE15] derivative of 116·Y^(1/3) − 16. */
const LOG_SLOPE = (116 / 3) * Math.cbrt(Y_REF);
/** Floor of linear values before a logarithm (a black pixel would be −∞). */
const V_FLOOR = 1e-3;

/**
 * The wrinkle analysis channels, from the logarithms of the three linear channels in one pass:
 * - `lg`, log-luminance in L*-like units: Lg = L*(0.18) + (slope of L* over ln Y at 0.18)·ln(Y_g/0.18), where Y_g is
 *   the geometric mean of R, G, B weighted by the luminance row of the IEC matrix [IEC61966] (Y_g = Y for grey). Lg
 *   equals L* in value and slope at 18 % grey [CIE15]; any per-channel gain — exposure, white balance, or
 *   haemoglobin/melanin absorbing evenly over the skin — only shifts Lg by a constant, whatever each pixel's colour,
 *   so a furrow's contrast and every feature of the filter bank (derivatives, local contrast) stay the same
 *   [Land1971 lightness as log ratios];
 * - `redness`, 100·ln(R/G): haemoglobin absorbs green, so vessels (telangiectasia) show here, while shading (a
 *   furrow's shadow) multiplies R and G alike and cancels [Dawson1980, log-ratio erythema index].
 * Values are floored at 1e-3 before the logarithm.
 */
export function logPlanes(raster: Raster): { lg: Plane; redness: Plane } {
  const { width, height, channels, data } = raster;
  const [yr, yg, yb] = XYZ_FROM_LINEAR_SRGB[1];
  const ws = yr + yg + yb;
  const lg = new Float32Array(width * height);
  const redness = new Float32Array(width * height);
  const lnRef = Math.log(Y_REF);
  for (let i = 0, j = 0; i < lg.length; i++, j += channels) {
    const lr = Math.log(Math.max(data[j], V_FLOOR));
    if (channels < 3) {
      lg[i] = L_REF + LOG_SLOPE * (lr - lnRef);
      continue;
    }
    const lgr = Math.log(Math.max(data[j + 1], V_FLOOR));
    const lb = Math.log(Math.max(data[j + 2], V_FLOOR));
    lg[i] = L_REF + LOG_SLOPE * ((yr * lr + yg * lgr + yb * lb) / ws - lnRef);
    redness[i] = 100 * (lr - lgr);
  }
  return { lg: { width, height, data: lg }, redness: { width, height, data: redness } };
}

/** The log-luminance channel Lg alone (see `logPlanes`). */
export function logLuminancePlane(raster: Raster): Plane {
  return logPlanes(raster).lg;
}
