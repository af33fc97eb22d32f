import { invalidOption, numberOption } from '../errors';
import { flag, type QcFlag } from '../flags';
import { cropRaster } from '../image/resample';
import type { Raster } from '../image/raster';
import { validateRaster } from './detect';
import { cachedDetectorInput } from './detector-input';
import { BROW_LEFT, BROW_RIGHT, EYE_LEFT, EYE_RIGHT, FACE_OVAL, LIPS_OUTER, MESH } from './mesh-indices';
import { convexHull, dedupe, insidePolygon, polygonBox, polygonCentroid, rasterizePolygon, removeSmallLoops, scalePolygon, selfIntersects, signedArea } from './polygon';
import { buildRegion, type KeepMask } from './region-build';
import { regularisedMesh } from './mesh-fit';
import { physicalScale, type ScaleOptions } from './scale';
import { classifySkin, type SkinModelOptions } from './skin';
import { findSpectacles, isFramePixel, spectacleParts } from './spectacles';
import { centreOf, dist, median, pt, pts } from './landmarks';
import type { Box, Face, Point, Region, RegionSet } from './types';

export interface FaceRegionOptions extends ScaleOptions {
  /** long side of the working copy the skin mask is computed on (px); default 1280 (the detector's copy) */
  workingMaxSidePx?: number;
  /** skin-model thresholds (see SkinModelOptions) */
  skin?: SkinModelOptions;
  /** forehead pixels whose texture (mean |∇L*|) exceeds this multiple of cheek skin's count as hair when finding the hairline; default 2.5 */
  hairTextureRatio?: number;
  /** the nose bridge counts as crossed by a dark or grey spectacle frame (flag `glasses`, lens areas and frame removed) above this non-skin fraction; default 0.25 (clear/amber frames are found by the nose-profile test) */
  glassesBridgeFraction?: number;
  /** false: no skin mask (every pixel inside a polygon is kept); default true */
  skinMask?: boolean;
}

// Region outlines as MediaPipe mesh indices (subject's right = image left in a frontal photo); drawn on the numbered
// mesh of the test portraits (docs/face.md). Starting points: findings/ecosystem.md §2 ROI sketch.
const GLABELLA = [107, 9, 336, 285, 417, 168, 193, 55];
const NOSE = [168, 417, 351, 419, 248, 281, 363, 360, 279, 358, 327, 326, 2, 97, 98, 129, 49, 131, 134, 51, 3, 196, 122, 193];
/** Malar cheek (ecosystem §2 lists): below the lower lid, medial to 123/147/187/207. Only the skin-colour reference now. */
const MALAR_RIGHT = [116, 117, 118, 119, 100, 142, 203, 206, 216, 207, 187, 147, 123];
const MALAR_LEFT = [345, 346, 347, 348, 329, 371, 423, 426, 436, 427, 411, 376, 352];
/**
 * Cheek regions: the malar cheek's upper and medial edges (below the lower lid 116…100, then the nasolabial side
 * 142…216), then out along the face contour, inset (see CHEEK_INSET), from the jaw (172) up to where the lower-lid
 * edge 117 → 116, extended, meets it (at most 234): investigators grade redness over the whole cheek, and
 * rosacea redness often extends onto the lateral cheek. Contour points are listed jaw → top.
 */
const CHEEK_RIGHT_INNER = [116, 117, 118, 119, 100, 142, 203, 206, 216];
const CHEEK_RIGHT_CONTOUR = [172, 58, 132, 93, 234];
/** The next mesh ring in, one point per contour point: on a side turned towards the camera it projects outside FACE_OVAL. */
const CHEEK_RIGHT_RING = [138, 215, 177, 137, 227];
const CHEEK_LEFT_INNER = [345, 346, 347, 348, 329, 371, 423, 426, 436];
const CHEEK_LEFT_CONTOUR = [397, 288, 361, 323, 454];
const CHEEK_LEFT_RING = [367, 435, 401, 366, 447];
/**
 * How far inside the mesh contour the cheeks stop: this fraction of the way to the nose tip (0.08 ≈ 0.04 face widths
 * ≈ 6 mm on a frontal face), keeping the mixed pixels at the edge (background, hair) out.
 */
const CHEEK_INSET = 0.08;
const PERIORAL = [164, 393, 391, 322, 410, 287, 273, 335, 406, 313, 18, 83, 182, 106, 43, 57, 186, 92, 165, 167];
const CHIN = [106, 182, 83, 18, 313, 406, 335, 424, 431, 395, 378, 400, 377, 152, 148, 176, 149, 170, 211, 204];
/** Forehead base: upper brow edges and the glabella top, image left → right. */
const BROW_TOP_LINE = [70, 63, 105, 66, 107, 9, 336, 296, 334, 293, 300];
// (the inner-lip points 11–16 are left out: with the mouth open or closed they can zigzag and fold the outline)
const MIDLINE_BELOW_BROWS = [9, 8, 168, 6, 197, 195, 5, 4, 1, 19, 94, 2, 164, 0, 17, 18, 200, 199, 175, 152];
/** Nostril openings: points of the lower alar rim, the alar base and the columella; their convex hull is cut. */
const NOSTRIL_RIGHT = [98, 64, 240, 75, 79, 166, 60, 20, 242, 141, 94, 2, 97];
const NOSTRIL_LEFT = [327, 294, 460, 305, 309, 392, 290, 250, 462, 370, 94, 2, 326];
const OVAL_LEFT_DOWN = FACE_OVAL.slice(FACE_OVAL.indexOf(389), FACE_OVAL.indexOf(152) + 1); // 389 … 152
const OVAL_RIGHT_UP = FACE_OVAL.slice(FACE_OVAL.indexOf(152), FACE_OVAL.indexOf(162) + 1); // 152 … 162

const RAYS_PER_SEGMENT = 3;


/**
 * The face's lateral edge at a FACE_OVAL point: on the cheek stretch of the contour, pushed out along the eye line
 * (`ux` points image-right) as far as its ring neighbour reaches when that lies further out (a side turned towards the
 * camera shows the ring beyond the oval); other points unchanged.
 */
function edgePoint(m: Face['landmarks'], i: number, ux: Point): Point {
  const c = pt(m, i);
  const k = CHEEK_RIGHT_CONTOUR.indexOf(i), j = CHEEK_LEFT_CONTOUR.indexOf(i);
  const ring = k >= 0 ? CHEEK_RIGHT_RING[k] : j >= 0 ? CHEEK_LEFT_RING[j] : -1;
  if (ring < 0) return c;
  const dir: Point = k >= 0 ? [-ux[0], -ux[1]] : ux; // the subject's right cheek is on the image left
  const r = pt(m, ring);
  const out = Math.max(0, (r[0] - c[0]) * dir[0] + (r[1] - c[1]) * dir[1]);
  return [c[0] + dir[0] * out, c[1] + dir[1] * out];
}

/**
 * Cheek outline: `inner` (116, 117, … medial) then the inset contour chain from the jaw up, cut where it crosses the
 * lower-lid line inner[1] → inner[0], extended (the crossing point replaces inner[0] as the upper-lateral corner); a
 * chain that stays below that line closes through inner[0]. The cut moves continuously with the landmarks, so the
 * outline does too.
 */
function cheekOutline(m: Face['landmarks'], inner: readonly number[], contour: readonly number[], ux: Point): Point[] {
  const nose = pt(m, MESH.noseTip);
  // the edge moved CHEEK_INSET of the way towards the nose tip: a smaller step on a foreshortened side
  const chain = contour.map((i): Point => {
    const e = edgePoint(m, i, ux);
    return [e[0] + CHEEK_INSET * (nose[0] - e[0]), e[1] + CHEEK_INSET * (nose[1] - e[1])];
  });
  const a = pt(m, inner[1]), b = pt(m, inner[0]);
  // along the lower-lid edge 117 → 116 (a line along the eye axis instead folded far-side cheeks of turned faces)
  const side = (p: Point) => (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
  const below = Math.sign(side(chain[0]));
  const out: Point[] = [...pts(m, inner.slice(1)), chain[0]];
  for (let k = 1; k < chain.length; k++) {
    const s0 = side(chain[k - 1]), s1 = side(chain[k]);
    if (Math.sign(s1) === below) {
      out.push(chain[k]);
      continue;
    }
    const t = s0 / (s0 - s1);
    out.push([chain[k - 1][0] + t * (chain[k][0] - chain[k - 1][0]), chain[k - 1][1] + t * (chain[k][1] - chain[k - 1][1])]);
    return out;
  }
  return [b, ...out];
}

/** Rectangle lateral to an outer canthus `c`, along the unit eye axis `u` pointing outwards (crow's-feet area). */
function lateralBox(c: Point, u: Point, from: number, to: number, above: number, below: number, down: Point): Point[] {
  const p = (s: number, t: number): Point => [c[0] + u[0] * s + down[0] * t, c[1] + u[1] * s + down[1] * t];
  const box = [p(from, -above), p(to, -above), p(to, below), p(from, below)];
  return signedArea(box) < 0 ? box.reverse() : box;
}

/** Densify a polyline: each segment split into `k` equal steps (returns the points, ending with the last vertex). */
function densify(line: Point[], k: number): Point[] {
  const out: Point[] = [];
  for (let i = 0; i + 1 < line.length; i++) {
    for (let s = 0; s < k; s++) out.push([line[i][0] + ((line[i + 1][0] - line[i][0]) * s) / k, line[i][1] + ((line[i + 1][1] - line[i][1]) * s) / k]);
  }
  out.push(line[line.length - 1]);
  return out;
}

function toWork(p: readonly Point[], sx: number, sy: number, box: Box): Point[] {
  return p.map(([x, y]) => [x * sx - box.x, y * sy - box.y]);
}

function rasterIntoRoi(poly: readonly Point[], roi: { width: number; height: number }): Uint8Array {
  const b = polygonBox(poly, roi.width, roi.height);
  const out = new Uint8Array(roi.width * roi.height);
  if (b.width === 0 || b.height === 0) return out;
  const m = rasterizePolygon(poly, b);
  for (let r = 0; r < b.height; r++) out.set(m.subarray(r * b.width, (r + 1) * b.width), (b.y + r) * roi.width + b.x);
  return out;
}

/** Band removed around each nostril hull (working px: the mesh's error there is in detector px, not mm). */
const NOSTRIL_GUARD_PX = 2;

/** Width of the band removed around each eye outline (mm; a project choice): lashes and the lid margin are not skin to
 * grade, and the mesh puts the canthus about a detector pixel short on small faces (the astronaut's lateral canthus
 * was in her crow's-feet box: 0.943 → 0.966 skin against the hand-drawn fixture; crow's-feet boxes lose ≤ 2 % on the
 * 12 MP-class portraits). */
const EYE_GUARD_MM = 1;

/** Width of the band removed around each brow outline (mm). */
const BROW_GUARD_MM = 0.75;

/** A mask (width × height) grown by `r` pixels (disc); r ≤ 0 returns it unchanged. */
function dilate(mask: Uint8Array, width: number, height: number, r: number): Uint8Array {
  if (r <= 0) return mask;
  const out = new Uint8Array(mask.length);
  const offsets: [number, number][] = [];
  for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) if (dx * dx + dy * dy <= r * r) offsets.push([dx, dy]);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!mask[y * width + x]) continue;
      for (const [dx, dy] of offsets) {
        const X = x + dx, Y = y + dy;
        if (X >= 0 && Y >= 0 && X < width && Y < height) out[Y * width + X] = 1;
      }
    }
  }
  return out;
}


/**
 * Hair-like pixels (`hairLike`) connected (8-neighbours) to the top row of the ROI: the scalp hair, headwear and the
 * background above the head. Hair-like patches inside the forehead (rough skin above the brows, frown lines, moles) are
 * not connected to it and do not stop the hairline search; the brows (`cuts`, mesh outlines) are taken out first so a
 * brow tail touching the temple hair does not connect them.
 */
function scalpMask(w: number, h: number, hairLike: (i: number) => boolean, cuts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(w * h);
  const ok = (i: number) => out[i] === 0 && hairLike(i) && cuts.every((c) => c[i] === 0);
  const queue = new Int32Array(w * h);
  let head = 0, tail = 0;
  for (let x = 0; x < w; x++) if (ok(x)) (out[x] = 1), (queue[tail++] = x);
  while (head < tail) {
    const i = queue[head++];
    const x = i % w, y = (i - x) / w;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx, yy = y + dy;
        if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
        const j = yy * w + xx;
        if (ok(j)) (out[j] = 1), (queue[tail++] = j);
      }
    }
  }
  return out;
}

/**
 * The perioral ring without the lips: the outer ring, a slit in from 18 to the lower-lip point 17, the outer lip
 * contour in the opposite direction, and back out. The slit's two edges coincide, so the outline does not cross itself
 * and the even–odd fill leaves the lips out. A lip point the mesh puts outside the ring (a wide mouth, a corner point
 * jittering by a few pixels) is pulled in towards the lips' centre to just inside the ring, so the hole stays inside.
 */
function perioralRing(m: Face['landmarks']): Point[] {
  const outer = pts(m, PERIORAL);
  const at18 = PERIORAL.indexOf(18);
  const ring = [...outer.slice(at18), ...outer.slice(0, at18)]; // starts at 18
  const lips = containedIn(scalePolygon(pts(m, LIPS_OUTER), 1.04), ring);
  const at17 = LIPS_OUTER.indexOf(17);
  const lipsFrom17 = [...lips.slice(at17), ...lips.slice(0, at17)];
  const clockwise = signedArea(ring) > 0;
  const inner = signedArea(lipsFrom17) > 0 === clockwise ? [lipsFrom17[0], ...lipsFrom17.slice(1).reverse()] : lipsFrom17;
  return [...ring, ring[0], ...inner, inner[0]];
}

/** `poly` with each vertex outside `bound` moved towards poly's centroid until it is 98 % of the way to bound's edge. */
function containedIn(poly: Point[], bound: readonly Point[]): Point[] {
  const c = polygonCentroid(poly);
  if (!insidePolygon(c, bound)) return poly;
  return poly.map((q) => {
    if (insidePolygon(q, bound)) return q;
    // the largest s in (0, 1) with c + s(q − c) on bound's edge (ray from c, which lies inside)
    let s = 1;
    for (let i = 0, j = bound.length - 1; i < bound.length; j = i++) {
      const [ax, ay] = bound[j];
      const ex = bound[i][0] - ax, ey = bound[i][1] - ay;
      const dx = q[0] - c[0], dy = q[1] - c[1];
      const den = dx * ey - dy * ex;
      if (den === 0) continue;
      const u = ((ax - c[0]) * ey - (ay - c[1]) * ex) / den; // along the ray
      const v = ((ax - c[0]) * dy - (ay - c[1]) * dx) / den; // along the edge
      if (u > 0 && u < s && v >= 0 && v <= 1) s = u;
    }
    return [c[0] + 0.98 * s * (q[0] - c[0]), c[1] + 0.98 * s * (q[1] - c[1])] as Point;
  });
}

/**
 * Anatomical regions of a detected face, as polygons in full-resolution image coordinates, with a skin mask.
 * The forehead's upper edge follows the hairline: rays from the brow line go up (perpendicular to the eye line) until
 * they meet a sustained run of scalp hair — hair-like pixels (not skin colour, or rougher than cheek skin) connected to
 * the top of the working area: hair, headwear, background — capped at 0.65 × brow–chin.
 * The cheeks reach from the malar outline out to (just inside) the face contour, and full_face contains them
 * (score-changing within 0.1.0: earlier builds had malar-only cheeks; CHANGELOG.md).
 */
export function faceRegions(face: Face, raster: Raster, options: FaceRegionOptions = {}): RegionSet {
  validateRaster(raster);
  if (!face || !Array.isArray(face.landmarks) || face.landmarks.length < 468) throw invalidOption('face', 'the result of detectFace() (478 landmarks)', face);
  if (face.imageWidth !== raster.width || face.imageHeight !== raster.height) {
    throw invalidOption('face', `a face detected on this ${raster.width}×${raster.height} raster`, `${face.imageWidth}×${face.imageHeight}`);
  }
  const maxSide = numberOption('options.workingMaxSidePx', options.workingMaxSidePx, 1280, { min: 128, max: 16384, integer: true });
  const useSkin = options.skinMask ?? true;
  const W = raster.width, H = raster.height;
  const m = face.landmarks;
  const raw = m;
  // Damped mesh (mesh-fit.ts): the small regions' sizes follow the whole face, not a jittery local landmark distance.
  const { coarse, shape } = regularisedMesh(raw);
  /** The mesh with the points `idx` replaced by their damped shape, placed at the raw points' centroid. */
  const shaped = (idx: readonly number[]): Face['landmarks'] => {
    const out = raw.map((p) => [p[0], p[1], p[2]] as [number, number, number]);
    const c0 = centreOf(raw, idx), c1 = centreOf(shape, idx);
    for (const i of idx) out[i] = [c0[0] + shape(i)[0] - c1[0], c0[1] + shape(i)[1] - c1[1], raw[i][2]];
    return out;
  };
  const flags: QcFlag[] = [];

  // Face geometry.
  const eR = pt(m, MESH.eyeOuterRight), eL = pt(m, MESH.eyeOuterLeft);
  const eyeLen = dist(eR, eL) || 1;
  const ux: Point = [(eL[0] - eR[0]) / eyeLen, (eL[1] - eR[1]) / eyeLen]; // image-right along the eye line
  const up: Point = [ux[1], -ux[0]]; // perpendicular, pointing to the top of the head
  const browChin = dist(pt(m, 9), pt(m, MESH.chin));
  const maxRise = 0.65 * browChin; // forehead ≈ 1/2 of brow–chin by the facial thirds [Farkas1994]; 0.65 allows receding hairlines

  // Forehead rays (full resolution), image left → right; the middle ray starts at 9 (glabella top, midline).
  const base = densify(pts(m, BROW_TOP_LINE), RAYS_PER_SEGMENT);
  const midRay = 5 * RAYS_PER_SEGMENT;

  // Working copy and ROI: everything any region could reach.
  const work = cachedDetectorInput(raster, maxSide);
  const sx = work.scaleX, sy = work.scaleY;
  const reach: Point[] = [...pts(m, FACE_OVAL as unknown as number[]), ...base.map((b) => [b[0] + up[0] * maxRise, b[1] + up[1] * maxRise] as Point)];
  // Crow's-feet area: lateral to the outer canthus along the eye line, from 0.03 to 0.16 face widths out (≈ 4–22 mm),
  // 0.05 face widths above the canthus (below the brow tail) to 0.08 below (ecosystem.md §2 sketch, lowered off the brow).
  const down: Point = [-up[0], -up[1]];
  // Sized by the outer-canthus distance (≈ 0.64 face widths) of the damped mesh: the raw canthi jitter by ±2–3 %
  // (their distance changed by up to 2.6 % on a copy rotated by 3°), the fit over 468 points by < 0.5 %.
  const unit = dist(coarse(MESH.eyeOuterRight), coarse(MESH.eyeOuterLeft)) / 0.64;
  // Anchored at the outer corner (mean of the canthus and three lid neighbours), placed from the eye's centre (mean of
  // its 16 outline points) by the damped mesh's centre → corner offset: one corner point jitters (up to 10 px).
  const eyeAnchor = (corner: number[], eye: readonly number[]): Point => {
    const e = centreOf(raw, eye), a = centreOf(coarse, corner), b = centreOf(coarse, eye);
    return [e[0] + a[0] - b[0], e[1] + a[1] - b[1]];
  };
  const cfR = lateralBox(eyeAnchor([33, 246, 7, 130], EYE_RIGHT), [-ux[0], -ux[1]], 0.03 * unit, 0.16 * unit, 0.05 * unit, 0.08 * unit, down);
  const cfL = lateralBox(eyeAnchor([263, 466, 249, 359], EYE_LEFT), ux, 0.03 * unit, 0.16 * unit, 0.05 * unit, 0.08 * unit, down);
  reach.push(...cfR, ...cfL);
  const roiFull = polygonBox(reach, W, H);
  const roi = polygonBox(
    [
      [roiFull.x * sx - 2, roiFull.y * sy - 2],
      [(roiFull.x + roiFull.width) * sx + 2, (roiFull.y + roiFull.height) * sy + 2],
    ],
    work.width,
    work.height,
  );
  const roiRaster = cropRaster(work.small, roi);
  const w = (p: readonly Point[]) => toWork(p, sx, sy, roi);

  // Skin colour model from the upper cheeks, minus a margin around the eyes.
  // Kept on the malar cheek, not the whole cheek region: the lateral cheek carries sideburns and beard (which leaked into
  // the model on deepface/img24 when tried) and rosacea redness (docs/face.md, "Cheeks extended to the face contour").
  const ref = rasterIntoRoi(w(scalePolygon(pts(m, MALAR_RIGHT), 0.8)), roi);
  const refL = rasterIntoRoi(w(scalePolygon(pts(m, MALAR_LEFT), 0.8)), roi);
  // Extra references (forehead strip, chin centre) were tried: they helped red-cheeked rosacea faces keep their paler
  // forehead, but let translucent grey hair through on biden2 (failing the hand-drawn ground truth), so the model stays
  // on the cheeks. classifySkin accepts extra patches for callers who know their photos.
  const cls = classifySkin(roiRaster, roi, [ref, refL], options.skin);
  const colourSkin = cls.skin;

  // Hairline: walk each ray up until a sustained run of scalp hair (hair-like pixels connected to the top of the ROI).
  const rw = roi.width, rh = roi.height;
  // Hair on the forehead: colour unlike skin, or texture much rougher than cheek skin (grey hair over skin
  // passes the colour test but not this one).
  const maxTexture = options.hairTextureRatio ?? 2.5;
  const hairLike = (i: number): boolean => !((colourSkin[i] || cls.reason[i] === 3) && cls.texture[i] <= maxTexture); // glare is not hair
  // Only hair-like pixels connected to the scalp stop a ray: rough patches inside the forehead (brow-edge hairs above
  // the mesh's brow line, frown lines, moles) used to end the middle rays at once, and whether 4 or 5 of 7 rays did
  // moved the outline by up to 67 % between shifted copies of one photo (docs/face.md, Stability).
  const brows = [BROW_RIGHT, BROW_LEFT].map((b) => rasterIntoRoi(w(scalePolygon(pts(m, b), 1.6)), roi));
  const scalp = scalpMask(rw, rh, hairLike, brows);
  const skinAt = (x: number, y: number): number => {
    const ix = Math.floor(x * sx - roi.x), iy = Math.floor(y * sy - roi.y);
    if (ix < 0 || iy < 0 || ix >= rw || iy >= rh) return 0;
    return scalp[iy * rw + ix] ? 0 : 1;
  };
  const stepPx = 1 / Math.max(sx, 1e-9); // one working pixel, in full-resolution px
  const window = 0.06 * maxRise;
  const rise: number[] = base.map((b) => {
    if (!useSkin) return maxRise;
    const nWin = Math.max(3, Math.round(window / stepPx));
    const samples: number[] = [];
    for (let t = 0; t <= maxRise + window; t += stepPx) samples.push(skinAt(b[0] + up[0] * t, b[1] + up[1] * t));
    // The base runs along the top of the brow: skip brow pixels up to the first skin (within a quarter of the range).
    let k0 = 0;
    const skipMax = Math.round((0.25 * maxRise) / stepPx);
    while (k0 < samples.length && k0 <= skipMax && !(samples[k0] && samples[k0 + 1] && samples[k0 + 2])) k0++;
    if (k0 > skipMax) return 0;
    // Then the first position whose following window is at least half non-skin.
    let run = 0;
    for (let k = k0; k < Math.min(k0 + nWin, samples.length); k++) run += 1 - samples[k];
    for (let k = k0; k + nWin < samples.length; k++) {
      if (run >= 0.5 * nWin) return Math.min(maxRise, k * stepPx);
      run += (1 - samples[k + nWin]) - (1 - samples[k]);
    }
    return maxRise;
  });
  // Median of 7 neighbouring rays (the window shifted inward at the ends, so it always holds 7): one stray dark pixel
  // column does not notch the hairline, and one stray ray at a temple does not lift the end of it.
  const smooth = rise.map((_, i) => {
    const from = Math.max(0, Math.min(i - 3, rise.length - 7));
    return median(rise.slice(from, from + 7));
  });
  // The hairline does not climb steeply between neighbouring rays: limit each ray to its neighbours' rise plus
  // 1.5 × the ray spacing (forward and backward pass; only ever lowers a ray, so hair spikes are cut off).
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 1; i < smooth.length; i++) smooth[i] = Math.min(smooth[i], smooth[i - 1] + 1.5 * dist(base[i], base[i - 1]));
    for (let i = smooth.length - 2; i >= 0; i--) smooth[i] = Math.min(smooth[i], smooth[i + 1] + 1.5 * dist(base[i], base[i + 1]));
  }
  // Stop a little short of the detected boundary (5 % of the range ≈ 3–4 mm): the hair/skin transition is mixed
  // pixels, and sparse grey hair over skin passes the colour test.
  const margin = 0.05 * maxRise;
  for (let i = 0; i < smooth.length; i++) smooth[i] = Math.max(0, smooth[i] - margin);
  const top: Point[] = base.map((b, i) => [b[0] + up[0] * smooth[i], b[1] + up[1] * smooth[i]]);
  const riseMid = smooth[midRay];
  if (useSkin && median(smooth) < 0.15 * maxRise) {
    flags.push(flag('forehead_occluded', 'Hair or headwear covers most of the forehead; forehead measures are unreliable.', { region: 'forehead', value: median(smooth) / maxRise, threshold: 0.15 }));
  }

  // Glasses: a frame crossing the nose (dark, grey, clear/amber or thin; spectacles.ts).
  const spectacles = useSkin ? findSpectacles(m, cls.lab.data, cls.stats, colourSkin, sx, sy, roi, options.glassesBridgeFraction ?? 0.25) : null;
  const glasses = spectacles?.found === true;
  if (glasses) {
    flags.push(flag('glasses', 'The subject wears glasses: the lens areas (periorbital skin) and the frame (bridge, rims: glabella and nasal root) were removed from the skin mask. Photograph without glasses for periorbital and glabella measures.', { region: 'periorbital_left' }));
  }

  // Polygons (full resolution).
  const forehead = [...top, ...[...base].reverse()];
  const midline = pts(m, MIDLINE_BELOW_BROWS);
  const hairMid = top[midRay];
  // The jaw/cheek silhouette reaches as far out as the cheek regions' edge (edgePoint), so they lie inside it.
  const ovalLeftDown = OVAL_LEFT_DOWN.map((i) => edgePoint(m, i, ux));
  const ovalRightUp = OVAL_RIGHT_UP.map((i) => edgePoint(m, i, ux));
  let fullFace: Point[] = [...ovalLeftDown, ...ovalRightUp.slice(1), ...top];
  let hemiRight: Point[] = [...ovalRightUp, ...top.slice(0, midRay + 1), ...midline.slice(0, -1)];
  let hemiLeft: Point[] = [...[...midline].reverse(), hairMid, ...top.slice(midRay + 1), ...ovalLeftDown.slice(0, -1)];
  if (riseMid <= 0) hemiLeft = hemiLeft.filter((_, i) => i !== midline.length);
  const polygons: [string, Point[]][] = [
    ['forehead', forehead],
    ['glabella', pts(shaped(GLABELLA), GLABELLA)],
    ['periorbital_left', cfL],
    ['periorbital_right', cfR],
    ['cheek_left', cheekOutline(shaped(CHEEK_LEFT_INNER), CHEEK_LEFT_INNER, CHEEK_LEFT_CONTOUR, ux)],
    ['cheek_right', cheekOutline(shaped(CHEEK_RIGHT_INNER), CHEEK_RIGHT_INNER, CHEEK_RIGHT_CONTOUR, ux)],
    ['nose', pts(m, NOSE)],
    ['perioral', perioralRing(m)],
    ['chin', pts(m, CHIN)],
    ['hemiface_left', hemiLeft],
    ['hemiface_right', hemiRight],
    ['full_face', fullFace],
  ];
  for (const entry of polygons) {
    const p = dedupe(entry[1]);
    if (selfIntersects(p)) {
      // Where two landmark chains meet (contour and hairline at the temple) the outline can wiggle across itself by a
      // few pixels: those small loops are cut out. Extreme poses fold a whole outline; then the convex hull, a simple
      // polygon over the same points, is used and flagged.
      const repaired = removeSmallLoops(p);
      if (repaired) entry[1] = repaired;
      else {
        flags.push(flag('region_outline_folded', `The ${entry[0]} outline crossed itself (extreme pose?); its convex hull is used instead.`, { region: entry[0] }));
        entry[1] = convexHull(p);
      }
    } else entry[1] = p;
  }
  fullFace = polygons[11][1];
  hemiRight = polygons[10][1];

  const { scale, flags: scaleFlags } = physicalScale(options, face.ipdPx, face.pose?.yawDeg);
  // Keep-mask: colour skin minus eyes, brows, lips and nostrils (from the mesh, with margins).
  let keep: KeepMask | undefined;
  if (useSkin) {
    const keepData = Uint8Array.from(colourSkin);
    const cut = (poly: Point[], guardPx = 0) => {
      const r = dilate(rasterIntoRoi(w(poly), roi), rw, rh, guardPx);
      for (let i = 0; i < r.length; i++) if (r[i]) keepData[i] = 0;
    };
    const mmWork = scale.mmPerPx / Math.min(sx, sy);
    const guardOf = (mm: number) => (Number.isFinite(mmWork) && mmWork > 0 ? Math.round(mm / mmWork) : 0);
    // Eyes: the mesh outline 1.5× about its centre plus EYE_GUARD_MM all round (lashes, lid margin, and the canthus the
    // mesh places a detector pixel short on small faces)
    cut(scalePolygon(pts(m, EYE_RIGHT), 1.5), guardOf(EYE_GUARD_MM));
    cut(scalePolygon(pts(m, EYE_LEFT), 1.5), guardOf(EYE_GUARD_MM));
    // Brows: the mesh outline, 1.35× about its centre, plus a guard band of BROW_GUARD_MM all round — scaling a thin
    // polygon lengthens it more than it widens it, and the sparse hairs at a brow's lower and upper edge pass the colour
    // test and read as short dark lines (wrinkle false positives on real photos, docs/face.md)
    const guard = guardOf(BROW_GUARD_MM);
    cut(scalePolygon(pts(m, BROW_RIGHT), 1.35), guard);
    cut(scalePolygon(pts(m, BROW_LEFT), 1.35), guard);
    if (glasses && spectacles) {
      const profile = spectacles.profile;
      // Skin seen through lenses is tinted and the frames hide the periorbital skin: drop both lens areas and the bridge;
      // then, near the lenses and the bridge, the pixels that look like the frame
      const parts = spectacleParts(m, profile, ux, sx);
      for (const poly of parts.cut) cut(poly);
      const zone = new Uint8Array(rw * rh);
      for (const poly of parts.zone) {
        const z = rasterIntoRoi(w(poly), roi);
        for (let i = 0; i < z.length; i++) zone[i] |= z[i];
      }
      for (let i = 0; i < zone.length; i++) if (zone[i] && keepData[i] && isFramePixel(cls.lab.data, cls.texture, i, profile.ref)) keepData[i] = 0;
    }
    cut(scalePolygon(pts(m, LIPS_OUTER), 1.06));
    // Nostrils: the mesh hull plus NOSTRIL_GUARD_PX working px all round — the mesh places the openings ~1–2 detector px
    // off on small faces, leaving the dark rim of the opening in the nose (astronaut 0.928, grace_hopper 0.93 skin)
    cut(convexHull(pts(m, NOSTRIL_RIGHT)), NOSTRIL_GUARD_PX);
    cut(convexHull(pts(m, NOSTRIL_LEFT)), NOSTRIL_GUARD_PX);
    keep = { box: roi, data: keepData, sx, sy };
  }

  const regions: Region[] = polygons.map(([name, poly]) => buildRegion(name, poly, W, H, keep));
  for (const r of regions) {
    if (r.pixelsInside > 0 && r.removedFraction > 0.6 && !r.name.startsWith('hemiface') && r.name !== 'full_face') {
      flags.push(flag('region_mostly_masked', `${Math.round(r.removedFraction * 100)} % of ${r.name} is not skin (hair, shadow, glare…); its measures rest on few pixels.`, { region: r.name, value: r.removedFraction, threshold: 0.6 }));
    }
  }
  return { imageWidth: W, imageHeight: H, source: 'landmarks', regions, scale, flags: [...flags, ...scaleFlags] };
}

/** The skin-model statistics faceRegions used, for overlays and debugging. */
export type { SkinStats } from './skin';
