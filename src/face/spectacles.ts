import { EYE_LEFT, EYE_RIGHT, MESH } from './mesh-indices';
import { centreOf, dist, median, pt } from './landmarks';
import { scalePolygon } from './polygon';
import type { Box, Face, Point } from './types';

/**
 * Spectacles on a face: whether the subject wears them (the frame's bridge over the nose), and the parts of the skin
 * mask they spoil (lens areas, bridge band, frame-coloured rims). All thresholds and the photos they rest on are in
 * docs/face.md, "Spectacles". Coordinates: full-resolution image px; `lab`, `skin`, `texture` are the working copy's
 * planes over `roi` (working px = full-resolution px × sx, sy).
 */

/** Ellipse (24 vertices) over one eye, the size of a spectacle lens: 1.6 × 1.2 eye widths, aligned with the eye line. */
function lensEllipse(m: Face['landmarks'], eye: readonly number[], outer: number, inner: number, ux: Point): Point[] {
  const w = dist(pt(m, outer), pt(m, inner));
  const c = centreOf(m, eye);
  const out: Point[] = [];
  for (let k = 0; k < 24; k++) {
    const t = (2 * Math.PI * k) / 24;
    const a = 0.8 * w * Math.cos(t), b = 0.6 * w * Math.sin(t);
    out.push([c[0] + a * ux[0] - b * ux[1], c[1] + a * ux[1] + b * ux[0]]);
  }
  return out;
}

/**
 * Fraction of non-skin (colour or dark, not glare) pixels in a strip over the nose bridge: from the nasal root (168)
 * to mesh point 6, as wide as 40 % of the inner-canthus distance. A spectacle bridge makes it high.
 */
function bridgeNonSkinFraction(m: Face['landmarks'], lab: Float32Array, ref: { L: number; saturation: number }, skin: Uint8Array, sx: number, sy: number, roi: Box): number {
  const a = pt(m, 168), b = pt(m, 6);
  const half = 0.2 * dist(pt(m, MESH.eyeInnerRight), pt(m, MESH.eyeInnerLeft));
  const len = dist(a, b) || 1;
  const u: Point = [(b[0] - a[0]) / len, (b[1] - a[1]) / len];
  const n: Point = [-u[1], u[0]];
  let total = 0, bad = 0;
  const steps = 12;
  for (let i = 0; i <= steps; i++) {
    for (let j = -steps; j <= steps; j++) {
      const x = a[0] + u[0] * ((len * i) / steps) + n[0] * ((half * j) / steps);
      const y = a[1] + u[1] * ((len * i) / steps) + n[1] * ((half * j) / steps);
      const ix = Math.floor(x * sx - roi.x), iy = Math.floor(y * sy - roi.y);
      if (ix < 0 || iy < 0 || ix >= roi.width || iy >= roi.height) continue;
      const k = iy * roi.width + ix;
      total++;
      // a frame is dark or grey (metal, black, tortoiseshell); red skin on the bridge (erythema) is neither. Grey counts
      // only when not brighter than the cheek reference: a pale, flash-lit nose bridge (SAM/1287, no glasses) is bright
      // and desaturated like glare, and was flagged as a frame (42 % of the strip)
      const L = lab[k * 3], S = Math.hypot(lab[k * 3 + 1], lab[k * 3 + 2]) / Math.max(1, L);
      if (!skin[k] && (L < 0.75 * ref.L || (S < 0.5 * ref.saturation && L <= ref.L))) bad++;
    }
  }
  return total ? bad / total : 0;
}

/** Own-skin reference and frame bar found on the nose's midline profile (bridgeProfile). */
export interface BridgeProfile {
  /** the frame-bar score: the highest min(chroma, b*) ratio to the nose's own median, over 2 consecutive rows between 8 and 197 */
  amber: number;
  /** the darkest 2 consecutive rows between 8 and 197, as (the lighter of the two) ÷ the nose's median L* */
  dark: number;
  /** along-midline span [t0, t1] (full-resolution px from mesh point 9) of the rows that look like a frame bar; null when none */
  bar: [number, number] | null;
  /** medians of the profile (the subject's own nasal skin): L*, chroma C*ab, b*, hue angle (degrees) */
  ref: { L: number; c: number; b: number; h: number };
  /** start (point 9) and unit direction of the midline, full-resolution px */
  origin: Point;
  u: Point;
}

/** Minimum frame-bar score for a clear/amber (skin-coloured) spectacle bridge; see docs/face.md "Spectacles". */
const AMBER_BAR_MIN = 1.6;
/** A thin dark bridge: 2 rows on the nose profile darker than this × the nose's L* (0.01–0.35 with frames, ≥ 0.54 without). */
const DARK_BAR_MAX = 0.45;
/** A row counts as frame bar when its chroma and b* are both this far above the nose's own, or it is this dark. */
const BAR_ROW_RATIO = 1.3;
const BAR_ROW_DARK = 0.6;

/**
 * Rows across the nose midline (mesh 9 → 4, half-width 0.15 × inner-canthus distance, one working px apart): the
 * subject's own nasal skin (profile medians; a frame bar covers well under half the rows) and the rows that differ from
 * it as a spectacle bridge does — a clear amber bridge is more chromatic and yellower (b*) than the skin above and below
 * it (grace_hopper: b* 46 against 25 on the nose), not redder (erythema is redder and is not a frame); a dark bridge is
 * darker than 0.6 × the nose's L*.
 */
function bridgeProfile(m: Face['landmarks'], lab: Float32Array, sx: number, sy: number, roi: Box): BridgeProfile {
  const a = pt(m, 9), b = pt(m, 4);
  const len = dist(a, b) || 1;
  const u: Point = [(b[0] - a[0]) / len, (b[1] - a[1]) / len];
  const n: Point = [-u[1], u[0]];
  const half = 0.15 * dist(pt(m, MESH.eyeInnerRight), pt(m, MESH.eyeInnerLeft));
  const step = 1 / Math.max(sx, 1e-9);
  const rows: { t: number; L: number; c: number; b: number; h: number }[] = [];
  for (let t = 0; t <= len; t += step) {
    let L = 0, A = 0, B = 0, k = 0;
    for (let j = -half; j <= half; j += step) {
      const ix = Math.floor((a[0] + u[0] * t + n[0] * j) * sx - roi.x), iy = Math.floor((a[1] + u[1] * t + n[1] * j) * sy - roi.y);
      if (ix < 0 || iy < 0 || ix >= roi.width || iy >= roi.height) continue;
      const q = (iy * roi.width + ix) * 3;
      L += lab[q]; A += lab[q + 1]; B += lab[q + 2]; k++;
    }
    if (k) rows.push({ t, L: L / k, c: Math.hypot(A, B) / k, b: B / k, h: (Math.atan2(B, A) * 180) / Math.PI });
  }
  const ref = { L: median(rows.map((r) => r.L)), c: median(rows.map((r) => r.c)), b: median(rows.map((r) => r.b)), h: median(rows.map((r) => r.h)) };
  const proj = (i: number) => (m[i][0] - a[0]) * u[0] + (m[i][1] - a[1]) * u[1];
  const z0 = proj(8), z1 = proj(197);
  const ratio = (r: (typeof rows)[number]) => Math.min(r.c / Math.max(ref.c, 1e-6), r.b / Math.max(ref.b, 1e-6));
  const amberRow = (r: (typeof rows)[number]) => r.L >= BAR_ROW_DARK * ref.L && r.h > ref.h - 2;
  let amber = 0, dark = Infinity;
  let t0 = Infinity, t1 = -Infinity;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r.t < z0 || r.t > z1) continue;
    const barRow = (amberRow(r) && ratio(r) >= BAR_ROW_RATIO) || r.L < BAR_ROW_DARK * ref.L;
    if (barRow) {
      t0 = Math.min(t0, r.t);
      t1 = Math.max(t1, r.t);
    }
    if (i > 0 && rows[i - 1].t >= z0 && amberRow(r) && amberRow(rows[i - 1])) amber = Math.max(amber, Math.min(ratio(r), ratio(rows[i - 1])));
    if (i > 0 && rows[i - 1].t >= z0) dark = Math.min(dark, Math.max(r.L, rows[i - 1].L) / Math.max(ref.L, 1e-6));
  }
  return { amber, dark, bar: t1 >= t0 ? [t0, t1] : null, ref, origin: a, u };
}

/** What findSpectacles saw. */
export interface Spectacles {
  /** a frame crosses the nose: dark or grey (non-skin strip), clear/amber (chromatic bar) or thin and dark (dark rows) */
  found: boolean;
  /** non-skin fraction of the strip over the nose bridge (bridgeNonSkinFraction) */
  bridgeNonSkin: number;
  profile: BridgeProfile;
}

/**
 * Look for a spectacle frame on the nose: the bridge strip is mostly non-skin (a dark or grey frame), or the nose's own
 * midline profile shows a clear or amber (skin-coloured) bar, or two rows much darker than the nose (a thin dark
 * bridge, which covers too little of the strip).
 */
export function findSpectacles(
  m: Face['landmarks'],
  lab: Float32Array,
  ref: { L: number; saturation: number },
  skin: Uint8Array,
  sx: number,
  sy: number,
  roi: Box,
  bridgeFraction: number,
): Spectacles {
  const bridgeNonSkin = bridgeNonSkinFraction(m, lab, ref, skin, sx, sy, roi);
  const profile = bridgeProfile(m, lab, sx, sy, roi);
  const found = bridgeNonSkin > bridgeFraction || profile.amber >= AMBER_BAR_MIN || profile.dark < DARK_BAR_MAX;
  return { found, bridgeNonSkin, profile };
}

/**
 * The polygons to remove when spectacles are worn (`cut`: both lens areas and a band across the nose between the lens
 * centres, from the lens tops down to the last profile row that looks like a frame bar + 1.5 working px, or to mesh
 * point 6 when none stands out), and the zone where frame-coloured pixels are removed too (`zone`: each lens outline
 * × 1.3 and the band widened by 3 working px). `ux`: unit vector along the eye line, image left → right.
 */
export function spectacleParts(m: Face['landmarks'], profile: BridgeProfile, ux: Point, sx: number): { cut: Point[][]; zone: Point[][] } {
  const lensR = lensEllipse(m, EYE_RIGHT, MESH.eyeOuterRight, MESH.eyeInnerRight, ux);
  const lensL = lensEllipse(m, EYE_LEFT, MESH.eyeOuterLeft, MESH.eyeInnerLeft, ux);
  const o = profile.origin, u = profile.u;
  const along = (q: readonly number[]) => (q[0] - o[0]) * u[0] + (q[1] - o[1]) * u[1];
  const [b0, t1] = profile.bar ?? [along(m[168]), along(m[6])];
  const mg = 1.5 / Math.max(sx, 1e-9);
  const S = 0.5 * dist(centreOf(m, EYE_RIGHT), centreOf(m, EYE_LEFT));
  // up to the lens tops (the top rim joins them across the nose: grace_hopper's bar continues as the top rim)
  const lensTop = (poly: Point[]) => Math.min(...poly.map(along));
  const t0 = Math.min(b0, (lensTop(lensR) + lensTop(lensL)) / 2);
  const P = (t: number, k: number): Point => [o[0] + u[0] * t + ux[0] * k, o[1] + u[1] * t + ux[1] * k];
  const band = (g: number): Point[] => [P(t0 - g, -S), P(t0 - g, S), P(t1 + g, S), P(t1 + g, -S)];
  return { cut: [lensR, lensL, band(mg)], zone: [scalePolygon(lensR, 1.3), scalePolygon(lensL, 1.3), band(3 * mg)] };
}

/**
 * Whether working pixel `i` looks like the frame: coloured like the bar (chroma and b* ≥ 1.3 × the nose's, not redder),
 * dark (< 0.6 × the nose's L*), or darkish with a sharp edge (the rim's dark red-brown outer edge on grace_hopper:
 * L* 33–46 against the nose's 75, texture 2.8–5 × cheek skin).
 */
export function isFramePixel(lab: Float32Array, texture: Float32Array, i: number, ref: BridgeProfile['ref']): boolean {
  const L = lab[i * 3], A = lab[i * 3 + 1], B = lab[i * 3 + 2];
  const c = Math.hypot(A, B), h = (Math.atan2(B, A) * 180) / Math.PI;
  const frameColour = L >= BAR_ROW_DARK * ref.L && h > ref.h - 2 && c >= BAR_ROW_RATIO * ref.c && B >= BAR_ROW_RATIO * ref.b;
  const rimEdge = L < 0.75 * ref.L && texture[i] > 2.5;
  return frameColour || L < BAR_ROW_DARK * ref.L || rimEdge;
}
