import { LAB_EPSILON, LAB_KAPPA, WHITE_D65 } from './constants';
import type { Vec3 } from './matrix3';

/** CIELAB f(t) [CIE15] eq. (8.3), with the exact ε, κ. */
function f(t: number): number {
  return t > LAB_EPSILON ? Math.cbrt(t) : (LAB_KAPPA * t + 16) / 116;
}

function fInv(ft: number): number {
  const t3 = ft * ft * ft;
  return t3 > LAB_EPSILON ? t3 : (116 * ft - 16) / LAB_KAPPA;
}

/** XYZ (Y of white = 1) → CIELAB relative to `white` (default D65, 2° observer) [CIE15] eqs. (8.1)–(8.3). */
export function xyzToLab(xyz: readonly number[], white: readonly number[] = WHITE_D65): Vec3 {
  const fx = f(xyz[0] / white[0]);
  const fy = f(xyz[1] / white[1]);
  const fz = f(xyz[2] / white[2]);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** CIELAB → XYZ (Y of white = 1) relative to `white` (default D65) [CIE15] eq. (8.4)–(8.6). */
export function labToXyz(lab: readonly number[], white: readonly number[] = WHITE_D65): Vec3 {
  const fy = (lab[0] + 16) / 116;
  const fx = fy + lab[1] / 500;
  const fz = fy - lab[2] / 200;
  const y = lab[0] > LAB_KAPPA * LAB_EPSILON ? fy * fy * fy : lab[0] / LAB_KAPPA;
  return [fInv(fx) * white[0], y * white[1], fInv(fz) * white[2]];
}
