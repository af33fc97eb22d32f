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

/**
 * A redness channel, 100·ln(R/G) of linear sRGB: haemoglobin absorbs green, so vessels (telangiectasia) show here,
 * while shading (a furrow's shadow) multiplies R and G alike and cancels [Dawson1980, log-ratio erythema index].
 */
export function rednessPlane(raster: Raster): Plane {
  const { width, height, channels, data } = raster;
  const out = new Float32Array(width * height);
  if (channels < 3) return { width, height, data: out };
  for (let i = 0, j = 0; i < out.length; i++, j += channels) out[i] = 100 * Math.log((data[j] + 0.005) / (data[j + 1] + 0.005));
  return { width, height, data: out };
}

/** Mid-grey reference of the log-luminance channel: Y = 0.18, where L* = 49.5 [CIE15]. */
const Y_REF = 0.18;
const L_REF = 116 * Math.cbrt(Y_REF) - 16;
/** Slope dL* / d(ln Y) at Y_REF: (116/3)·Y_REF^(1/3) [CIE15] derivative of 116·Y^(1/3) − 16. */
const LOG_SLOPE = (116 / 3) * Math.cbrt(Y_REF);
/** Floor of Y before the logarithm (a black pixel would be −∞). */
const Y_FLOOR = 1e-3;

/**
 * The wrinkle analysis channel: log-luminance in L*-like units, Lg = L*(0.18) + (slope of L* over ln Y at 0.18)·ln(Y/0.18) — equal to
 * L* in value and slope at 18 % grey, but a multiplicative change of Y (exposure, or haemoglobin/melanin absorbing
 * evenly over the skin) only shifts Lg by a constant, so a furrow's contrast, and every feature of the filter bank
 * (derivatives, local contrast), does not change with skin redness or exposure [Land1971 lightness as log ratios].
 */
export function logLuminancePlane(raster: Raster): Plane {
  const { width, height, channels, data } = raster;
  const [yr, yg, yb] = XYZ_FROM_LINEAR_SRGB[1];
  const out = new Float32Array(width * height);
  for (let i = 0, j = 0; i < out.length; i++, j += channels) {
    const Y = channels >= 3 ? yr * data[j] + yg * data[j + 1] + yb * data[j + 2] : data[j];
    out[i] = L_REF + LOG_SLOPE * Math.log(Math.max(Y, Y_FLOOR) / Y_REF);
  }
  return { width, height, data: out };
}
