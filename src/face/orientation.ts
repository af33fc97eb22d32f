import type { Raster } from '../image/raster';
import type { DetectorInput } from './detector-input';
import { LIPS_INNER, LIPS_OUTER, MESH } from './mesh-indices';

/**
 * Upside-down photos. On a photo turned by 180° (and without an EXIF orientation to undo it) the face model lays an
 * *upright* mesh on the upside-down face, often with full confidence: its eyes on the real eyes, its mouth on the
 * forehead. No single number of one detection tells the two apart on the 13 photos checked (docs/face.md,
 * Orientation): the mesh model's face score is 1.00 on both for some, BlazeFace's box score overlaps (0.86–0.96 right
 * way up, 0.46–0.91 turned), and so does how much redder the lips are than the cheeks (0.21–0.71 against −0.15–0.39).
 * Their sum, `uprightScore`, was higher for the right orientation on every photo (by 0.08 at least), and 2.08–2.59
 * right way up against 1.19–2.20 turned; on 20 further photos it was higher for the right orientation on 19 upright
 * and 18 turned ones, but one upright face with pale lips scored 0.07 lower than its turn. So detectFace compares the
 * photo with its 180° turn whenever the first face scores under CHECK_BELOW, takes the turn only when it scores more
 * than TURN_MARGIN higher, and between MAYBE_TURNED and TURN_MARGIN measures the photo as it is with a review flag.
 */
export const CHECK_BELOW = 2.3;
/** How much more upright the turned photo must score to be taken instead (flag `upside_down`). */
export const TURN_MARGIN = 0.3;
/** Above this (and up to TURN_MARGIN) the photo is measured as it is and flagged `maybe_upside_down`. */
export const MAYBE_TURNED = 0.05;

/** ln(ΣR / ΣG) over the pixels whose centres lie within r px of p (the pixel under p when none does). */
function discRedness(raster: Raster, p: { 0: number; 1: number }, r: number): number {
  const { width: W, height: H, channels: C, data } = raster;
  const x0 = Math.max(0, Math.floor(p[0] - r)), x1 = Math.min(W - 1, Math.floor(p[0] + r));
  const y0 = Math.max(0, Math.floor(p[1] - r)), y1 = Math.min(H - 1, Math.floor(p[1] + r));
  let sr = 0, sg = 0;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      if ((x + 0.5 - p[0]) ** 2 + (y + 0.5 - p[1]) ** 2 > r * r) continue;
      const j = (y * W + x) * C;
      sr += data[j];
      sg += data[j + 1];
    }
  }
  if (sg === 0) {
    const x = Math.min(W - 1, Math.max(0, Math.floor(p[0]))), y = Math.min(H - 1, Math.max(0, Math.floor(p[1])));
    const j = (y * W + x) * C;
    (sr = data[j]), (sg = data[j + 1]);
  }
  return Math.log(Math.max(1e-6, sr) / Math.max(1e-6, sg));
}

/** Mesh cheek centres (MediaPipe 50 and 280, the subject's right and left). */
const CHEEKS = [50, 280] as const;

/**
 * How much redder the lips are than the cheeks under a mesh (478 points in the raster's pixel coordinates, on a linear
 * RGB raster): the mean ln(R/G) in discs on the lips (midway between the outer and inner lip contours, radius 3 % of
 * the distance between the irises) minus that in discs on the two cheeks (radius 10 %).
 */
export function lipRedness(raster: Raster, mesh: readonly { 0: number; 1: number }[]): number {
  const a = mesh[MESH.irisA], b = mesh[MESH.irisB];
  const ipd = Math.max(1, Math.hypot(a[0] - b[0], a[1] - b[1]));
  let lips = 0;
  for (let k = 0; k < LIPS_OUTER.length; k++) {
    const o = mesh[LIPS_OUTER[k]], i = mesh[LIPS_INNER[k]];
    lips += discRedness(raster, [(o[0] + i[0]) / 2, (o[1] + i[1]) / 2], 0.03 * ipd);
  }
  let cheeks = 0;
  for (const c of CHEEKS) cheeks += discRedness(raster, mesh[c], 0.1 * ipd);
  return lips / LIPS_OUTER.length - cheeks / CHEEKS.length;
}

/** faceScore + boxScore of a Human face + its lipRedness on the detector's linear copy (`on`). */
export function uprightScore(face: { faceScore?: number; boxScore?: number; mesh: readonly { 0: number; 1: number }[] }, on: Raster): number {
  return (face.faceScore ?? 0) + (face.boxScore ?? 0) + lipRedness(on, face.mesh);
}

/** The pixels of an interleaved array (`channels` values each) in reverse order: the image turned by 180°. */
function reversedPixels<T extends Uint8Array | Float32Array>(src: T, channels: number, out: T): T {
  for (let i = 0, j = src.length - channels; j >= 0; i += channels, j -= channels) for (let c = 0; c < channels; c++) out[i + c] = src[j + c];
  return out;
}

/** The detector's input turned by 180° (its 8-bit RGB and its linear copy). */
export function turned180(input: DetectorInput): DetectorInput {
  const s = input.small;
  return {
    ...input,
    rgb: reversedPixels(input.rgb, 3, new Uint8Array(input.rgb.length)),
    small: { ...s, data: reversedPixels(s.data, s.channels, new Float32Array(s.data.length)) },
  };
}

/** Points on a turned W × H image (continuous pixel coordinates) back on the image before the turn. */
export function unturn180(mesh: [number, number, number][], width: number, height: number): [number, number, number][] {
  return mesh.map(([x, y, z]) => [width - x, height - y, z]);
}
