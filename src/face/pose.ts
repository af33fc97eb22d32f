import type { HeadPose } from './types';
import { invert3 } from '../color/matrix3';
import { MESH } from './mesh-indices';

type P3 = readonly [number, number, number] | readonly number[];

function sub(a: P3, b: P3): number[] {
  return [a[0] - b[0], a[1] - b[1], (a[2] ?? 0) - (b[2] ?? 0)];
}
function dot(a: number[], b: number[]): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
function cross(a: number[], b: number[]): number[] {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

const DEG = 180 / Math.PI;

/**
 * Reference 3-D positions (cm; x to the image right, y up, z towards the camera) of rigid, well-localised mesh points
 * in the MediaPipe canonical face model [MediaPipeCanonical]: nose (tip 1, 4; bridge 6, 168; base 2; alae 98, 327),
 * canthi (33, 133, 362, 263), chin 152 and forehead 10, 151 — not the lips, lids or brows, which move with expression,
 * nor the silhouette, which slides round a turned head. Its nose tip stands 4.3 cm in front of the outer canthi,
 * 0.48 × their distance, as adult faces do; the z of Human's mesh gives 0.09–0.14 × on the development photos, which
 * flattened the head and read a 20° turn as 3–5° (docs/face.md, Pose).
 */
export const CANONICAL_FACE_CM: Readonly<Record<number, readonly [number, number, number]>> = {
  1: [0, -1.126865, 7.475604], 4: [0, -0.46317, 7.58658], 6: [0, 2.473255, 5.788627], 168: [0, 3.271027, 5.236015],
  2: [0, -2.089024, 6.058267], 98: [-1.405627, -1.714196, 5.241087], 327: [1.405627, -1.714196, 5.241087],
  33: [-4.445859, 2.663991, 3.173422], 133: [-1.856432, 2.585245, 3.757904], 362: [1.856432, 2.585245, 3.757904],
  263: [4.445859, 2.663991, 3.173422], 152: [0, -9.403378, 4.264492], 10: [0, 8.261778, 4.481535],
  151: [0, 6.54539, 5.027311],
};

/** The mesh points the pose fit uses. */
export const POSE_POINTS: readonly number[] = Object.keys(CANONICAL_FACE_CM).map(Number);

/** The model side of the fit, fixed: the pose points centred, as (x, −y, −z) (y down, z away), and the inverse of
 * their scatter matrix Σ q qᵀ. */
const MODEL = (() => {
  const Q = POSE_POINTS.map((i) => { const c = CANONICAL_FACE_CM[i]; return [c[0], -c[1], -c[2]]; });
  const mean = [0, 1, 2].map((k) => Q.reduce((s, q) => s + q[k], 0) / Q.length);
  const centred = Q.map((q) => q.map((v, k) => v - mean[k]));
  const scatter = [0, 1, 2].map((r) => [0, 1, 2].map((c) => centred.reduce((s, q) => s + q[r] * q[c], 0)));
  return { centred, scatterInverse: invert3(scatter) };
})();

/**
 * Rotation (rows r1, r2, r3; camera frame: x right, y down, z away from the camera) of the head from its landmarks by a
 * scaled-orthographic fit to the canonical model: the least-squares 2×3 map M = (Σ p qᵀ)(Σ q qᵀ)⁻¹ of the centred
 * model points q onto the centred image points p (an affine camera [Hartley2004] ch. 7), made a scaled rotation by
 * its polar factor (M Mᵀ)^(−1/2) M [Higham1986], r3 = r1 × r2.
 */
export function rotationFromPoints(image: readonly (readonly number[])[]): number[][] {
  const P = POSE_POINTS.map((i) => [image[i][0], image[i][1]]);
  const pm = [0, 1].map((k) => P.reduce((s, p) => s + p[k], 0) / P.length);
  const A = [0, 1].map((r) => [0, 1, 2].map((c) => P.reduce((s, p, i) => s + (p[r] - pm[r]) * MODEL.centred[i][c], 0))); // Σ p qᵀ
  const Bi = MODEL.scatterInverse;
  const M = A.map((row) => [0, 1, 2].map((c) => row[0] * Bi[0][c] + row[1] * Bi[1][c] + row[2] * Bi[2][c]));
  // polar factor of the 2×3 M: S = M Mᵀ, S^(1/2) = (S + √det·I)/√(tr S + 2√det) (2×2 closed form)
  const s00 = dot(M[0], M[0]), s01 = dot(M[0], M[1]), s11 = dot(M[1], M[1]);
  const sd = Math.sqrt(Math.max(0, s00 * s11 - s01 * s01));
  const t = Math.sqrt(s00 + s11 + 2 * sd) || 1;
  const h00 = (s00 + sd) / t, h01 = s01 / t, h11 = (s11 + sd) / t; // S^(1/2)
  const hd = h00 * h11 - h01 * h01 || 1;
  const i00 = h11 / hd, i01 = -h01 / hd, i11 = h00 / hd; // S^(−1/2)
  const r1 = [0, 1, 2].map((c) => i00 * M[0][c] + i01 * M[1][c]);
  const r2 = [0, 1, 2].map((c) => i01 * M[0][c] + i11 * M[1][c]);
  return [r1, r2, cross(r1, r2)];
}

/**
 * Head pose from the landmarks. Yaw and pitch: the face's forward axis n = R·(0, 0, −1) of the rotation fitted to the
 * canonical face model (`rotationFromPoints`); yaw = atan2(n_x, −n_z) (positive: nose towards the image right, i.e. the
 * subject turns to their own left), pitch = asin(−n_y) (positive: chin up). Roll: see below (positive: the face turned
 * clockwise in the image).
 */
export function poseFromMesh(mesh: readonly P3[]): HeadPose {
  const R = rotationFromPoints(mesh);
  const n = [-R[0][2], -R[1][2], -R[2][2]]; // face normal, towards the camera
  const yawDeg = Math.atan2(n[0], -n[2]) * DEG;
  const pitchDeg = Math.asin(Math.max(-1, Math.min(1, -n[1]))) * DEG;
  // Roll: mean of two in-plane axes, the iris line (right → left iris centre) and the midline (mesh top 10 → chin 152)
  // turned by −90°. Measured on obama.jpg rotated by ±5/10/20°: the canthus line alone follows only ~80 % of the
  // rotation, the iris line ~95 %, the midline ~105 %; their mean 100 ± 1 % (test/face/face.test.ts).
  const i1 = mesh[MESH.irisA], i2 = mesh[MESH.irisB];
  const near33 = (p: P3) => Math.hypot(p[0] - mesh[MESH.eyeOuterRight][0], p[1] - mesh[MESH.eyeOuterRight][1]);
  const [ir, il] = mesh.length > MESH.irisB && near33(i1) <= near33(i2) ? [i1, i2] : mesh.length > MESH.irisB ? [i2, i1] : [mesh[MESH.eyeOuterRight], mesh[MESH.eyeOuterLeft]];
  const irisAngle = Math.atan2(il[1] - ir[1], il[0] - ir[0]);
  const mid = sub(mesh[MESH.chin], mesh[MESH.top]);
  const midAngle = Math.atan2(mid[1], mid[0]) - Math.PI / 2;
  const rollDeg = Math.atan2(Math.sin(irisAngle) + Math.sin(midAngle), Math.cos(irisAngle) + Math.cos(midAngle)) * DEG;
  return { yawDeg, pitchDeg, rollDeg };
}
