import type { FaceResult } from '@vladmandic/human';
import type { DetectorInput } from './detector-input';
import { alignedCrop, meshFrame, mirrorCrop, shiftCrop, type AlignedCrop } from './aligned-crop';
import { mirrorIndex } from './canonical';
import { runFaceModel } from './human';
import { dist } from './landmarks';
import { IRIS_REFINED_LEFT, IRIS_REFINED_RIGHT } from './mesh-indices';

/**
 * The extra passes' frames (aligned-crop.ts): each sees the face resampled upright, at a fixed size (the mesh's RMS
 * radius, ≈ 0.35 face widths, is FRAME_UNIT_PX; the crop ≈ 2.0 × 2.2 face widths), its centre at a fixed sub-pixel place, so that
 * shifted, scaled or rotated copies of a photo give the detector nearly the same input. Human's iris stage mis-reads
 * the subject's right eye unless the face is mirrored (IRIS_REFINED_RIGHT): the first two extra passes are mirrored,
 * so with the default 4 passes (the first, plain; two mirrored; one plain) each eye is read twice correctly and every
 * other point four times, and `passes: 3` (about 45 ms less) still reads the right eye twice, the left once. The
 * half-pixel offsets decorrelate the mesh's whole-pixel truncation; a mirrored frame with offset (x, y) is the plain
 * one with (−x, y) flipped, so the four frames need two resamplings. Only the first extra pass runs Human's face
 * detector; the later ones track (human.ts, FacePlacement), their crop moved by whole pixels onto the tracked box.
 */
const FRAME_UNIT_PX = 80;
const FRAME_WIDTH_PX = 457;
const FRAME_HEIGHT_PX = 503;
const PASS_FRAMES: { offset: [number, number]; mirrored: boolean }[] = [
  { offset: [0, 0], mirrored: true },
  { offset: [0.5, 0.5], mirrored: true },
  { offset: [0, 0], mirrored: false },
  { offset: [-0.5, 0.5], mirrored: false },
];

/** Most detector passes `averagedMesh` can run (the first + one per frame). */
export const MAX_PASSES = PASS_FRAMES.length + 1;
/** detectFace's default number of passes. */
export const DEFAULT_PASSES = 4;

/** Centre of the bounding box of all the points (as Human centres its tracking box on a mesh). */
function boxCentre(p: readonly (readonly [number, number, number?])[]): [number, number] {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const q of p) (x0 = Math.min(x0, q[0])), (y0 = Math.min(y0, q[1])), (x1 = Math.max(x1, q[0])), (y1 = Math.max(y1, q[1]));
  return [(x0 + x1) / 2, (y0 + y1) / 2];
}

/**
 * The first pass's mesh (478 points as Human gives them on the detector's copy) averaged with `passes − 1` extra
 * passes, in continuous detector px ([x, y, z]). The mesh depends on where the detector's (integer) face box falls and
 * on the face's roll and size: extra passes see the face in a fixed frame (PASS_FRAMES), and their landmarks are
 * mapped back. Human truncates mesh coordinates to whole pixels of the image it was given; +0.5 (in that image's
 * pixels) removes the truncation's mean bias.
 */
export async function averagedMesh(firstMesh: FaceResult['mesh'], input: DetectorInput, passes: number): Promise<[number, number, number][]> {
  const passMeshes: { mesh: [number, number, number][]; mirrored: boolean }[] = [
    { mesh: firstMesh.map((p) => [p[0] + 0.5, p[1] + 0.5, p[2] ?? 0]), mirrored: false },
  ];
  if (passes > 1) {
    const first = passMeshes[0].mesh;
    const frame = meshFrame(first);
    const faceWidth = Math.hypot(frame.a, frame.b) / 0.35; // the RMS radius is ≈ 0.35 face widths
    const crops = new Map<string, AlignedCrop>();
    // the previous pass's face, when it found one: Human's tracking box is centred on its mesh's bounding box
    let prev: { mesh: [number, number, number][]; centre: [number, number] } | undefined;
    for (const pf of PASS_FRAMES.slice(0, passes - 1)) {
      // a mirrored frame is the plain one with the x offset negated, flipped: one resampling serves both
      const offset: [number, number] = [pf.mirrored ? -pf.offset[0] : pf.offset[0], pf.offset[1]];
      const key = offset.join();
      let plain = crops.get(key);
      if (!plain) {
        plain = alignedCrop(input.small, frame, { unitPx: FRAME_UNIT_PX, width: FRAME_WIDTH_PX, height: FRAME_HEIGHT_PX, offset, mirrored: false });
        crops.set(key, plain);
      }
      let crop = pf.mirrored ? mirrorCrop(plain) : plain;
      // After a pass that found the face, Human's tracking reuses that mesh's box instead of running BlazeFace again:
      // the crop is moved by whole pixels so the face's mesh box (estimated from the last pass's mesh) lands on it.
      if (prev) {
        const c = boxCentre(prev.mesh.map((p) => crop.fromSource(p[0], p[1])));
        crop = shiftCrop(crop, Math.round(prev.centre[0] - (c[0] - 0.5)), Math.round(prev.centre[1] - (c[1] - 0.5)));
      }
      const again = (await runFaceModel(crop.rgb, crop.width, crop.height, prev ? 'track' : 'detect-to-track')).faces;
      // The face found here, mapped back to the detector's copy: the candidate nearest the first pass's mesh (mean
      // distance over the 468 points under 0.2 face widths; a turned face's mesh box lies off the frame origin).
      let best: [number, number, number][] | undefined, bestD = 0.2 * faceWidth, bestRaw: FaceResult['mesh'] = [];
      for (const g of again) {
        if (g.mesh.length < 478) continue;
        const mesh: [number, number, number][] = new Array(g.mesh.length);
        for (let i = 0; i < g.mesh.length; i++) {
          const q = g.mesh[i];
          const [x, y] = crop.toSource(q[0] + 0.5, q[1] + 0.5);
          mesh[pf.mirrored ? mirrorIndex(i) : i] = [x, y, (q[2] ?? 0) * crop.scale];
        }
        let d = 0;
        for (let i = 0; i < 468; i++) d += dist(mesh[i], first[i]) / 468;
        if (d < bestD) (bestD = d), (best = mesh), (bestRaw = g.mesh);
      }
      prev = best && { mesh: best, centre: boxCentre(bestRaw) };
      if (best) passMeshes.push({ mesh: best, mirrored: pf.mirrored });
    }
  }
  // Each point is the mean over the passes that read it correctly: the subject's right eye and brow (Human's iris stage)
  // from mirrored passes only, when there is one; the left from plain passes (the first pass is plain).
  const mirroredPasses = passMeshes.some((p) => p.mirrored);
  const rightRefined = new Set<number>(IRIS_REFINED_RIGHT), leftRefined = new Set<number>(IRIS_REFINED_LEFT);
  const meshSum = firstMesh.map(() => [0, 0, 0, 0]);
  for (const pm of passMeshes) {
    for (let i = 0; i < meshSum.length; i++) {
      if (pm.mirrored ? leftRefined.has(i) : mirroredPasses && rightRefined.has(i)) continue;
      for (let c = 0; c < 3; c++) meshSum[i][c] += pm.mesh[i][c];
      meshSum[i][3]++;
    }
  }
  return meshSum.map((p) => [p[0] / p[3], p[1] / p[3], p[2] / p[3]]);
}
