import type { Face, Point } from './types';

/** Small helpers on the mesh: one landmark as a 2-D point, several, their mean, and the distance of two points. */
export function pt(m: Face['landmarks'], i: number): Point {
  return [m[i][0], m[i][1]];
}
export function pts(m: Face['landmarks'], idx: readonly number[]): Point[] {
  return idx.map((i) => pt(m, i));
}
/** Mean of the points `idx`, taken from a mesh or from an accessor (a damped mesh, mesh-fit.ts). */
export function centreOf(m: Face['landmarks'] | ((i: number) => readonly number[]), idx: readonly number[]): Point {
  const at = typeof m === 'function' ? m : (i: number) => m[i];
  return idx.reduce<Point>((a, i) => [a[0] + at(i)[0] / idx.length, a[1] + at(i)[1] / idx.length], [0, 0]);
}
export function dist(a: readonly number[], b: readonly number[]): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}
/** Median of a list (mean of the two middle values for an even count). */
export function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
