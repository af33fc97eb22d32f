import { DermametricsError, invalidOption, numberOption } from '../errors';
import { flag, type QcFlag } from '../flags';
import type { Raster } from '../image/raster';
import { cachedDetectorInput, type DetectorInput } from './detector-input';
import { CHECK_BELOW, MAYBE_TURNED, TURN_MARGIN, turned180, unturn180, uprightScore } from './orientation';
import { dist } from './landmarks';
import { exclusive, runFaceModel } from './human';
import { MESH } from './mesh-indices';
import { averagedMesh, DEFAULT_PASSES, MAX_PASSES } from './passes';
import { poseFromMesh } from './pose';
import type { Box, Face, Point } from './types';

export interface DetectFaceOptions {
  /** long side of the downscaled copy the detector sees (px); default 1280 */
  detectorMaxSidePx?: number;
  /** |yaw| above this (degrees) raises `pose_yaw`; default 20 */
  maxYawDeg?: number;
  /** |roll| above this (degrees) raises `pose_roll`; default 15 */
  maxRollDeg?: number;
  /** detector passes averaged (extra passes see the face resampled upright at a fixed size, alternately mirrored); default 4, 1 = fastest (and keeps Human's right-eye bias, docs/face.md) */
  passes?: number;
  /** mesh confidence (0..1) a detection needs to count as a face; default 0.6 */
  minFaceScore?: number;
  /** eye opening / eye width below this raises `eyes_closed`; default 0.12 */
  minEyeOpenness?: number;
  /** look for an upside-down face (a photo turned by 180° without an EXIF orientation): when the first face does not
   * look clearly upright, the photo turned back is tried too (one more detector call, ~0.1 s); a clearly more upright
   * turn is taken (flag `upside_down`), a slightly more upright one flagged (`maybe_upside_down`). Default false here
   * (pipelines that know their photos are upright pay nothing); analyzePhoto turns it on (orientation.ts). */
  checkUpsideDown?: boolean;
}

export function validateRaster(raster: unknown, name = 'raster'): Raster {
  const r = raster as Raster;
  if (
    !r ||
    typeof r !== 'object' ||
    !(r.data instanceof Float32Array) ||
    !Number.isInteger(r.width) ||
    !Number.isInteger(r.height) ||
    r.width < 1 ||
    r.height < 1 ||
    ![1, 3, 4].includes(r.channels) ||
    r.data.length !== r.width * r.height * r.channels
  ) {
    throw invalidOption(name, 'a Raster {width, height, channels: 1|3|4, data: Float32Array} (linear-light sRGB in [0, 1])', raster);
  }
  return r;
}

/** Eye opening (upper–lower lid distance) over eye width (outer–inner canthus), [Soukupova2016]-style aspect ratio. */
function openness(m: [number, number, number][], upper: number, lower: number, outer: number, inner: number): number {
  return dist(m[upper], m[lower]) / Math.max(1e-6, dist(m[outer], m[inner]));
}

/**
 * Find the face in a photo: box, 478-point mesh, head pose, iris centres and inter-pupillary distance, all in the
 * full-resolution pixel coordinates of `raster`. The detector runs on a copy downscaled to `detectorMaxSidePx`.
 * Several faces: the largest is returned and `multiple_faces` is flagged. No face: throws E_NO_FACE.
 */
export async function detectFace(raster: Raster, options: DetectFaceOptions = {}): Promise<Face> {
  validateRaster(raster);
  const maxSide = numberOption('options.detectorMaxSidePx', options.detectorMaxSidePx, 1280, { min: 128, max: 8192, integer: true });
  const maxYaw = numberOption('options.maxYawDeg', options.maxYawDeg, 20, { min: 0, max: 90 });
  const maxRoll = numberOption('options.maxRollDeg', options.maxRollDeg, 15, { min: 0, max: 180 });
  const minScore = numberOption('options.minFaceScore', options.minFaceScore, 0.6, { min: 0, max: 1 });
  const minOpen = numberOption('options.minEyeOpenness', options.minEyeOpenness, 0.12, { min: 0, max: 1 });

  const passes = numberOption('options.passes', options.passes, DEFAULT_PASSES, { min: 1, max: MAX_PASSES, integer: true });
  if (options.checkUpsideDown !== undefined && typeof options.checkUpsideDown !== 'boolean') throw invalidOption('options.checkUpsideDown', 'true or false', options.checkUpsideDown);
  const input = cachedDetectorInput(raster, maxSide);
  // Human's tracking state lives between its calls: this photo's passes run with the model to themselves.
  const { model, mesh, f, usable, turned, turnedLooksBetter } = await exclusive(async () => {
    // A face counts when the mesh model confirms it (faceScore) and the detector is not guessing (boxScore):
    // on biden2.jpg a background patch gave boxScore 0.30 / faceScore 0.56, the real face 0.91 / 1.00.
    // Largest face first; ties broken by position so the choice never depends on the detector's output order.
    const facesIn = async (on: DetectorInput) => {
      const { faces, model } = await runFaceModel(on.rgb, on.width, on.height);
      const usable = faces.filter((g) => g.mesh && g.mesh.length >= 478 && (g.faceScore ?? 0) >= minScore && (g.boxScore ?? 0) >= 0.4);
      const area = (g: (typeof usable)[number]) => g.box[2] * g.box[3];
      usable.sort((a, b) => area(b) - area(a) || a.box[0] - b.box[0] || a.box[1] - b.box[1]);
      return { usable, model };
    };
    const upright = (found: Awaited<ReturnType<typeof facesIn>>, on: DetectorInput) =>
      found.usable.length ? uprightScore(found.usable[0], on.small) : -Infinity;
    let on = input;
    let found = await facesIn(input);
    let turned = false;
    let turnedLooksBetter = 0; // by how much the photo turned by 180° looks more upright, when it was tried
    // An upside-down photo gets an upright mesh (orientation.ts): unless the first face is clearly the right way up, the
    // photo turned by 180° is tried too; the turn is taken when it looks clearly more upright, and flagged when a little.
    const first = options.checkUpsideDown === true ? upright(found, input) : Infinity;
    if (!(first >= CHECK_BELOW)) {
      const turnedInput = turned180(input);
      const other = await facesIn(turnedInput);
      turnedLooksBetter = upright(other, turnedInput) - first;
      if (turnedLooksBetter > TURN_MARGIN) (on = turnedInput), (found = other), (turned = true);
    }
    const { usable, model } = found;
    if (usable.length === 0) {
      throw new DermametricsError(
        'E_NO_FACE',
        'No face was found in the photo. Check that the photo shows one face, frontal, well lit and at least ~300 px wide; or pass your own regions (regionsFromPolygons, regionsFromMask, or wholeRegions for a cropped skin patch).',
        { width: raster.width, height: raster.height, detectorInput: { width: input.width, height: input.height } },
      );
    }
    const f = usable[0];
    // Averaging passes (passes.ts): extra runs on the face resampled upright at a fixed size, alternately mirrored.
    const averaged = await averagedMesh(f.mesh, on, passes);
    return { model, mesh: turned ? unturn180(averaged, input.width, input.height) : averaged, f, usable, turned, turnedLooksBetter };
  });
  const sx = 1 / input.scaleX;
  const sy = 1 / input.scaleY;
  const sz = (sx + sy) / 2;
  const landmarks = mesh.map((p) => [p[0] * sx, p[1] * sy, p[2] * sz] as [number, number, number]);

  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let i = 0; i < 468; i++) {
    const [x, y] = landmarks[i];
    if (x < x0) x0 = x;
    if (y < y0) y0 = y;
    if (x > x1) x1 = x;
    if (y > y1) y1 = y;
  }
  const bx = Math.max(0, Math.floor(x0));
  const by = Math.max(0, Math.floor(y0));
  const box: Box = { x: bx, y: by, width: Math.min(raster.width, Math.ceil(x1)) - bx, height: Math.min(raster.height, Math.ceil(y1)) - by };

  // Iris centres: of the two iris groups (468–472, 473–477) the one nearer the right eye's corners is the subject's right.
  const rightEyeMid = [(landmarks[MESH.eyeOuterRight][0] + landmarks[MESH.eyeInnerRight][0]) / 2, (landmarks[MESH.eyeOuterRight][1] + landmarks[MESH.eyeInnerRight][1]) / 2];
  const a = landmarks[MESH.irisA];
  const b = landmarks[MESH.irisB];
  const aIsRight = dist(a, rightEyeMid) <= dist(b, rightEyeMid);
  const right: Point = aIsRight ? [a[0], a[1]] : [b[0], b[1]];
  const left: Point = aIsRight ? [b[0], b[1]] : [a[0], a[1]];
  const ipdPx = dist(left, right);

  const pose = poseFromMesh(landmarks);
  const eyeOpenness = {
    right: openness(landmarks, MESH.eyeUpperRight, MESH.eyeLowerRight, MESH.eyeOuterRight, MESH.eyeInnerRight),
    left: openness(landmarks, MESH.eyeUpperLeft, MESH.eyeLowerLeft, MESH.eyeOuterLeft, MESH.eyeInnerLeft),
  };

  const flags: QcFlag[] = [];
  if (usable.length > 1) {
    flags.push(flag('multiple_faces', `${usable.length} faces were found; the largest was analysed. Crop the photo to one face if that is not the subject.`, { value: usable.length, threshold: 1 }));
  }
  if (Math.abs(pose.yawDeg) > maxYaw) {
    flags.push(flag('pose_yaw', `The head is turned ${pose.yawDeg.toFixed(1)}° (limit ±${maxYaw}°): left/right regions are foreshortened and not comparable with a frontal photo.`, { value: pose.yawDeg, threshold: maxYaw }));
  }
  if (Math.abs(pose.rollDeg) > maxRoll) {
    flags.push(flag('pose_roll', `The head is tilted ${pose.rollDeg.toFixed(1)}° in the image plane (limit ±${maxRoll}°).`, { value: pose.rollDeg, threshold: maxRoll }));
  }
  for (const side of ['right', 'left'] as const) {
    if (eyeOpenness[side] < minOpen) {
      flags.push(flag('eyes_closed', `The subject's ${side} eye looks closed or covered (opening/width ${eyeOpenness[side].toFixed(2)} < ${minOpen}): the iris centre, and so the IPD scale, is unreliable.`, { region: `periorbital_${side}`, value: eyeOpenness[side], threshold: minOpen }));
    }
  }
  if (turned) {
    flags.push(flag('upside_down', 'The face is upside down in the photo (turned by about 180°, with no EXIF orientation to undo it): it was found on the photo turned back, and its landmarks and regions are given on the photo as it is. Check the overlay.', Number.isFinite(turnedLooksBetter) ? { value: turnedLooksBetter, threshold: TURN_MARGIN } : {}));
  } else if (turnedLooksBetter > MAYBE_TURNED) {
    flags.push(flag('maybe_upside_down', 'The photo may be upside down (turned by 180°): the face found on it turned back looks a little more upright. It was measured as it is; check the overlay, and if the face is upside down, turn the photo (or set its EXIF orientation) and score it again.', { value: turnedLooksBetter, threshold: MAYBE_TURNED }));
  }
  const score = Math.round((f.score ?? 0) * 1e4) / 1e4;
  if (score < 0.5) flags.push(flag('low_face_confidence', `The face detector's confidence is low (${score}); check the overlay.`, { value: score, threshold: 0.5 }));

  return {
    imageWidth: raster.width,
    imageHeight: raster.height,
    box,
    landmarks,
    pose,
    eyes: { left, right },
    ipdPx,
    eyeOpenness,
    faceCount: usable.length,
    score,
    detectorInput: { width: input.width, height: input.height, scale: (input.scaleX + input.scaleY) / 2 },
    modelId: model.modelId,
    backend: model.backend,
    flags,
  };
}
