import { describe, expect, it } from 'vitest';
import { CANONICAL_FACE_CM, POSE_POINTS, poseFromMesh } from '../../src/face/pose';
import { physicalScale } from '../../src/face/scale';

// Ground truth constructed here: the canonical face model's points [MediaPipeCanonical] turned by a known rotation and
// projected through a camera, then read back by poseFromMesh. Rotation convention of HeadPose: yaw > 0 moves the nose to
// the image right, pitch > 0 lifts the chin; the camera frame is x right, y down, z away from the camera.
const rad = Math.PI / 180;
type M3 = number[][];
const mul = (a: M3, b: M3): M3 => a.map((r) => [0, 1, 2].map((c) => r[0] * b[0][c] + r[1] * b[1][c] + r[2] * b[2][c]));
function rotation(yaw: number, pitch: number, roll: number): M3 {
  const [cy, sy, cp, sp, cr, sr] = [Math.cos(yaw * rad), Math.sin(yaw * rad), Math.cos(pitch * rad), Math.sin(pitch * rad), Math.cos(roll * rad), Math.sin(roll * rad)];
  const turn = [[cy, 0, -sy], [0, 1, 0], [sy, 0, cy]]; // nose (towards the camera, z < 0) goes to +x
  const nod = [[1, 0, 0], [0, cp, -sp], [0, sp, cp]]; // nose goes up (−y): chin up
  const tilt = [[cr, -sr, 0], [sr, cr, 0], [0, 0, 1]];
  return mul(tilt, mul(turn, nod));
}

/** A 478-point mesh: the pose points seen through a pinhole camera `distanceCm` away (Infinity: orthographic), the
 * others at the centre (they are not read; the iris points sit on the canthi for the roll). */
function meshAt(yaw: number, pitch: number, roll: number, distanceCm: number): number[][] {
  const R = rotation(yaw, pitch, roll);
  const mesh: number[][] = Array.from({ length: 478 }, () => [500, 500, 0]);
  const f = Number.isFinite(distanceCm) ? 10 * distanceCm : 10; // 10 px per cm of face at the face's distance
  for (const i of POSE_POINTS) {
    const [x, y, z] = CANONICAL_FACE_CM[i];
    const q = [x, -y, -z];
    const c = R.map((r) => r[0] * q[0] + r[1] * q[1] + r[2] * q[2]);
    const depth = Number.isFinite(distanceCm) ? distanceCm + c[2] : 1;
    mesh[i] = [500 + (f * c[0]) / depth, 500 + (f * c[1]) / depth, 0];
  }
  mesh[468] = mesh[33];
  mesh[473] = mesh[263];
  return mesh;
}

const POSES: [number, number, number][] = [[0, 0, 0], [10, 0, 3], [-20, 5, -4], [25, -10, 8], [-35, 12, 0], [45, 0, -10]];

describe('poseFromMesh (scaled-orthographic fit to the canonical face)', () => {
  it.each(POSES)('recovers yaw %d°, pitch %d° (roll %d°) exactly from an orthographic view', (yaw, pitch, roll) => {
    const p = poseFromMesh(meshAt(yaw, pitch, roll, Infinity));
    // yaw and pitch of HeadPose are those of the face normal: equal to the construction's when one of them is 0,
    // within a few tenths otherwise (the angles do not compose additively); the normal itself is recovered exactly
    const R = rotation(yaw, pitch, roll);
    const n = [-R[0][2], -R[1][2], -R[2][2]];
    expect(p.yawDeg).toBeCloseTo(Math.atan2(n[0], -n[2]) / rad, 6);
    expect(p.pitchDeg).toBeCloseTo(Math.asin(-n[1]) / rad, 6);
    if (yaw === 0) expect(Math.abs(p.yawDeg)).toBeLessThan(1e-9);
    else expect(Math.sign(p.yawDeg)).toBe(Math.sign(yaw));
  });

  it('through a pinhole camera overstates the turn a little (near features are magnified), never understates it', () => {
    for (const [yaw, pitch, roll] of POSES.filter((q) => q[0] !== 0)) {
      const truth = poseFromMesh(meshAt(yaw, pitch, roll, Infinity)).yawDeg;
      const at1m = poseFromMesh(meshAt(yaw, pitch, roll, 100)).yawDeg;
      const at40 = poseFromMesh(meshAt(yaw, pitch, roll, 40)).yawDeg;
      // measured: +6–11 % at 1 m (clinical set-ups), +16–30 % at 40 cm (arm's length)
      expect(at1m / truth).toBeGreaterThanOrEqual(1);
      expect(at1m / truth).toBeLessThan(1.15);
      expect(at40 / truth).toBeLessThan(1.4);
    }
  });

  it('a head turned 25° exceeds the 20° pose_yaw limit (the mesh-depth estimate it replaces read about 5°)', () => {
    expect(poseFromMesh(meshAt(25, 0, 0, 100)).yawDeg).toBeGreaterThan(20);
    expect(poseFromMesh(meshAt(-25, 0, 0, 100)).yawDeg).toBeLessThan(-20);
    expect(Math.abs(poseFromMesh(meshAt(15, 0, 0, 100)).yawDeg)).toBeLessThan(20);
  });
});

describe('physical scale of a turned head', () => {
  it('the IPD foreshortened by the turn is restored with the fitted yaw: the frontal scale to 2 % up to 40° (uncorrected: 1.5–34 % off)', () => {
    // 10 px per cm of face (orthographic) or at 1 m (pinhole): the frontal scale is 1 mm/px; the eye points here are the
    // outer canthi (meshAt puts the iris points there), 8.89 cm apart in the canonical model
    const canthi = Math.hypot(CANONICAL_FACE_CM[263][0] - CANONICAL_FACE_CM[33][0], CANONICAL_FACE_CM[263][1] - CANONICAL_FACE_CM[33][1]) * 10; // mm
    for (const distance of [Infinity, 100]) {
      for (const yaw of [0, 10, 25, 40]) {
        const mesh = meshAt(yaw, 0, 0, distance);
        const ipdPx = Math.hypot(mesh[473][0] - mesh[468][0], mesh[473][1] - mesh[468][1]);
        const fitted = poseFromMesh(mesh).yawDeg;
        const corrected = physicalScale({ ipdMm: canthi }, ipdPx, fitted).scale.mmPerPx;
        const plain = physicalScale({ ipdMm: canthi }, ipdPx).scale.mmPerPx;
        const frontal = Number.isFinite(distance) ? (distance - CANONICAL_FACE_CM[33][2]) / distance : 1; // the canthi 3.2 cm nearer than 1 m: magnified
        expect(Math.abs(corrected / frontal - 1), `yaw ${yaw} at ${distance}`).toBeLessThan(0.02); // measured: exact orthographically; −0.2, −1.1, −1.9 % at 10, 25, 40° through a pinhole at 1 m
        if (yaw >= 25) expect(Math.abs(plain / frontal - 1)).toBeGreaterThan(0.09); // uncorrected: 1/cos 25° − 1 = 10 %
      }
    }
  });
});
