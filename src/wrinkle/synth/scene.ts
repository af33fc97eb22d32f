import { createRng, type Rng } from '../../random';
import { labToLinear } from '../../color/convert';
import type { SynthSettings } from './settings';

/** A polyline in mm with a per-vertex width (mm) and depth (mm, furrows) or opacity (hairs, vessels). */
export interface Stroke {
  pts: number[]; // x0, y0, x1, y1, ... (mm)
  width: number[]; // per vertex (mm)
  depth: number[]; // per vertex: depth (mm) or opacity
}

/** Everything about one synthetic patch, in millimetres: independent of the pixel resolution it is rendered at. */
export interface Scene {
  seed: number;
  settings: string;
  patchMm: number;
  severity: 0 | 1 | 2 | 3;
  skinLinear: [number, number, number];
  textureSeed: number;
  noiseSeed: number;
  lightAzimuthRad: number;
  lightElevationRad: number;
  wrinkles: Stroke[];
  microRelief: Stroke[];
  pores: { x: number; y: number; r: number; d: number }[];
  freckles: { x: number; y: number; r: number; o: number }[];
  hairs: (Stroke & { color: [number, number, number] })[];
  vessels: Stroke[];
  glare: { x: number; y: number; r: number; g: number }[];
  shadow: { cx: number; cy: number; radius: number; edgeMm: number; dark: number } | null;
  uneven: { gx: number; gy: number; amp: number };
  blurMm: number;
  noiseSd: number;
  jpegQuality: number;
  /** total centreline length of wrinkles inside the patch (mm) */
  trueLengthMm: number;
}

const DEG = Math.PI / 180;
/** Minimum depth of a wrinkle (mm). */
export const MIN_DEPTH_MM = 0.03;
const logUniform = (rng: Rng, a: number, b: number): number => Math.exp(rng.uniform(Math.log(a), Math.log(b)));
const smoothstep = (t: number): number => (t <= 0 ? 0 : t >= 1 ? 1 : t * t * (3 - 2 * t));

function pickWeighted(rng: Rng, w: readonly number[]): number {
  const total = w.reduce((a, b) => a + b, 0);
  let u = rng.next() * total;
  for (let i = 0; i < w.length; i++) {
    u -= w[i];
    if (u < 0) return i;
  }
  return w.length - 1;
}

/** A curved path by a random walk of the heading: `kappa` rad/mm drift plus `jitter` rad per step. */
function walk(rng: Rng, x: number, y: number, theta: number, lengthMm: number, stepMm: number, kappa: number, jitter: number): number[] {
  const pts = [x, y];
  const n = Math.max(1, Math.round(lengthMm / stepMm));
  for (let i = 0; i < n; i++) {
    theta += kappa * stepMm + rng.normal(0, jitter);
    x += Math.cos(theta) * stepMm;
    y += Math.sin(theta) * stepMm;
    pts.push(x, y);
  }
  return pts;
}

/** A furrow centred on (x, y): walks both ways, tapered width and depth towards the ends. */
function furrow(rng: Rng, x: number, y: number, theta: number, lengthMm: number, widthMm: number, depthMm: number): Stroke {
  const kappa = rng.normal(0, 0.04);
  const half = walk(rng, x, y, theta, lengthMm / 2, 0.2, kappa, 0.015);
  const back = walk(rng, x, y, theta + Math.PI, lengthMm / 2, 0.2, -kappa, 0.015);
  const pts: number[] = [];
  for (let i = back.length - 2; i >= 2; i -= 2) pts.push(back[i], back[i + 1]);
  pts.push(...half);
  const n = pts.length / 2;
  const width: number[] = [];
  const depth: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = Math.min(i, n - 1 - i) / Math.max(1, 0.2 * (n - 1));
    const taper = 0.35 + 0.65 * smoothstep(s);
    width.push(widthMm * taper);
    depth.push(depthMm * taper);
  }
  return { pts, width, depth };
}

function inside(x: number, y: number, p: number): boolean {
  return x >= 0 && y >= 0 && x < p && y < p;
}

/** Sample one scene from a seed and the split's settings; `severity` may be forced (e.g. 0 for hard negatives). */
export function sampleScene(seed: number, s: SynthSettings, force: { severity?: 0 | 1 | 2 | 3 } = {}): Scene {
  const rng = createRng(seed);
  const P = s.patchMm;
  const severity = (force.severity ?? pickWeighted(rng, s.severityWeights)) as 0 | 1 | 2 | 3;
  const areaScale = (P * P) / 256;

  // skin colour: CIELAB (D65) L*, a*, b* of facial skin → linear sRGB
  const L = rng.uniform(s.skinL[0], s.skinL[1]);
  const lab = [L, rng.uniform(7, 17), rng.uniform(11, 24)];
  const lin = labToLinear(lab).map((v) => Math.min(0.95, Math.max(0.005, v))) as [number, number, number];

  const lightAzimuthRad = rng.uniform(0, 2 * Math.PI);
  const lightElevationRad = rng.uniform(s.lightElevationDeg[0], s.lightElevationDeg[1]) * DEG;

  // wrinkles
  const wrinkles: Stroke[] = [];
  const counts = [[0, 0], [1, 3], [3, 6], [6, 12]][severity];
  const widthFactor = [0, 0.4, 0.65, 1][severity];
  const depthFactor = [0, 0.65, 0.85, 1.1][severity];
  const nW = severity === 0 ? 0 : Math.max(1, Math.round(rng.int(counts[0], counts[1]) * areaScale));
  const theta0 = rng.uniform(0, Math.PI);
  for (let k = 0; k < nW; k++) {
    // wider furrows with severity: mild [1, 0.4], moderate [1.5, 0.65], severe [2.5, 1] × the settings' width range
    const w = logUniform(rng, s.widthMm[0] * [1, 1.5, 2.5][severity - 1], s.widthMm[1] * widthFactor);
    // an annotated wrinkle is a visible one: at least 0.03 mm deep (about 16 % darker floor, see render.ts)
    const d = Math.max(MIN_DEPTH_MM, w * rng.uniform(s.depthRatio[0], s.depthRatio[1]) * depthFactor);
    const len = rng.uniform(s.lengthMm[0], s.lengthMm[1]);
    const theta = theta0 + rng.normal(0, s.orientationSpreadDeg * DEG);
    const x = rng.uniform(-0.1 * P, 1.1 * P);
    const y = rng.uniform(0.05 * P, 0.95 * P);
    const main = furrow(rng, x, y, theta, len, w, d);
    wrinkles.push(main);
    if (rng.next() < 0.3) {
      const vi = rng.int(1, main.pts.length / 2 - 2);
      const bl = len * rng.uniform(0.25, 0.5);
      const bt = theta + (rng.next() < 0.5 ? -1 : 1) * rng.uniform(20, 50) * DEG;
      const bx = main.pts[2 * vi] + Math.cos(bt) * (bl / 2);
      const by = main.pts[2 * vi + 1] + Math.sin(bt) * (bl / 2);
      wrinkles.push(furrow(rng, bx, by, bt, bl, Math.max(s.widthMm[0], w * 0.6), Math.max(MIN_DEPTH_MM, d * 0.6)));
    }
  }
  let trueLengthMm = 0;
  for (const st of wrinkles) {
    for (let i = 0; i + 3 < st.pts.length; i += 2) {
      const mx = 0.5 * (st.pts[i] + st.pts[i + 2]);
      const my = 0.5 * (st.pts[i + 1] + st.pts[i + 3]);
      if (inside(mx, my, P)) trueLengthMm += Math.hypot(st.pts[i + 2] - st.pts[i], st.pts[i + 3] - st.pts[i + 1]);
    }
  }

  // micro-relief: the shallow criss-cross lines of the skin surface (not wrinkles), two or three directions
  const microRelief: Stroke[] = [];
  const dirs = [rng.uniform(0, Math.PI)];
  dirs.push(dirs[0] + rng.uniform(50, 80) * DEG);
  if (rng.next() < 0.5) dirs.push(dirs[0] - rng.uniform(50, 80) * DEG);
  const nMicro = Math.round(rng.uniform(150, 320) * areaScale);
  for (let k = 0; k < nMicro; k++) {
    const t = dirs[k % dirs.length] + rng.normal(0, 0.12);
    const x = rng.uniform(0, P), y = rng.uniform(0, P), l = rng.uniform(0.5, 2.2);
    const w = rng.uniform(0.04, 0.09), d = rng.uniform(0.002, 0.007);
    microRelief.push({ pts: [x, y, x + Math.cos(t) * l, y + Math.sin(t) * l], width: [w, w], depth: [d, d] });
  }

  const pores: Scene['pores'] = [];
  const nPores = Math.round((rng.uniform(s.poresPerCm2[0], s.poresPerCm2[1]) * P * P) / 100);
  for (let k = 0; k < nPores; k++) pores.push({ x: rng.uniform(0, P), y: rng.uniform(0, P), r: rng.uniform(0.03, 0.1), d: rng.uniform(0.01, 0.04) });

  const freckles: Scene['freckles'] = [];
  if (rng.next() < s.frecklesProb) {
    const n = rng.int(2, 18);
    for (let k = 0; k < n; k++) freckles.push({ x: rng.uniform(0, P), y: rng.uniform(0, P), r: rng.uniform(0.25, 1.4), o: rng.uniform(0.1, 0.45) });
  }

  const hairs: Scene['hairs'] = [];
  const addHair = (x: number, y: number, t: number, len: number, w: number, color: [number, number, number], o: number): void => {
    const pts = walk(rng, x, y, t, len, 0.1, rng.normal(0, 0.08), 0.004);
    const n = pts.length / 2;
    hairs.push({ pts, width: Array(n).fill(w), depth: Array.from({ length: n }, (_, i) => o * (0.4 + 0.6 * smoothstep(Math.min(i, n - 1 - i) / Math.max(1, 0.15 * n)))), color });
  };
  if (rng.next() < s.hairProb) {
    const n = rng.int(2, 14);
    for (let k = 0; k < n; k++) {
      const terminal = rng.next() < 0.5;
      const c = terminal ? ([0.015, 0.011, 0.008].map((v) => v * rng.uniform(0.6, 4)) as [number, number, number]) : (lin.map((v) => v * rng.uniform(0.7, 1.1)) as [number, number, number]);
      addHair(rng.uniform(-0.1 * P, 1.1 * P), rng.uniform(-0.1 * P, 1.1 * P), rng.uniform(0, 2 * Math.PI), rng.uniform(2, 12), terminal ? rng.uniform(0.04, 0.1) : rng.uniform(0.015, 0.04), c, terminal ? rng.uniform(0.7, 1) : rng.uniform(0.2, 0.5));
    }
  }
  if (rng.next() < s.eyebrowProb) {
    const t = rng.uniform(0, Math.PI);
    const cy = rng.uniform(0.2 * P, 0.8 * P);
    const bandMm = rng.uniform(2, 6);
    const n = Math.round(rng.uniform(40, 110) * areaScale);
    const c = [0.015, 0.011, 0.008].map((v) => v * rng.uniform(0.6, 5)) as [number, number, number];
    for (let k = 0; k < n; k++) {
      const u = rng.uniform(-0.2 * P, 1.2 * P);
      const v = cy + rng.uniform(-bandMm, bandMm);
      const x = P / 2 + (u - P / 2) * Math.cos(t) - (v - P / 2) * Math.sin(t);
      const y = P / 2 + (u - P / 2) * Math.sin(t) + (v - P / 2) * Math.cos(t);
      addHair(x, y, t + rng.normal(0, 0.25), rng.uniform(3, 9), rng.uniform(0.05, 0.11), c, rng.uniform(0.75, 1));
    }
  }

  const vessels: Stroke[] = [];
  if (rng.next() < s.vesselProb) {
    const n = rng.int(1, 5);
    for (let k = 0; k < n; k++) {
      const w = rng.uniform(0.04, 0.22), o = rng.uniform(0.3, 0.85);
      const pts = walk(rng, rng.uniform(0, P), rng.uniform(0, P), rng.uniform(0, 2 * Math.PI), rng.uniform(3, 14), 0.1, 0, 0.12);
      vessels.push({ pts, width: Array(pts.length / 2).fill(w), depth: Array(pts.length / 2).fill(o) });
      if (rng.next() < 0.5) {
        const vi = 2 * rng.int(1, pts.length / 2 - 1);
        const bp = walk(rng, pts[vi], pts[vi + 1], rng.uniform(0, 2 * Math.PI), rng.uniform(1, 5), 0.1, 0, 0.15);
        vessels.push({ pts: bp, width: Array(bp.length / 2).fill(w * 0.7), depth: Array(bp.length / 2).fill(o * 0.8) });
      }
    }
  }

  const glare: Scene['glare'] = [];
  if (rng.next() < s.glareProb) {
    const n = rng.int(1, 3);
    for (let k = 0; k < n; k++) glare.push({ x: rng.uniform(0, P), y: rng.uniform(0, P), r: rng.uniform(0.5, 4), g: rng.uniform(0.1, 0.6) });
  }

  let shadow: Scene['shadow'] = null;
  if (rng.next() < s.shadowProb) {
    const radius = rng.uniform(20, 80);
    const a = rng.uniform(0, 2 * Math.PI);
    const off = rng.uniform(-0.3 * P, 0.3 * P);
    shadow = { cx: P / 2 + Math.cos(a) * (radius + off), cy: P / 2 + Math.sin(a) * (radius + off), radius, edgeMm: rng.uniform(1.5, 6), dark: rng.uniform(0.3, 0.7) };
  }
  const ua = rng.uniform(0, 2 * Math.PI);
  const uneven = { gx: Math.cos(ua), gy: Math.sin(ua), amp: rng.uniform(s.unevenLight[0], s.unevenLight[1]) };

  return {
    seed,
    settings: s.name,
    patchMm: P,
    severity,
    skinLinear: lin,
    textureSeed: rng.int(0, 2 ** 31),
    noiseSeed: rng.int(0, 2 ** 31),
    lightAzimuthRad,
    lightElevationRad,
    wrinkles,
    microRelief,
    pores,
    freckles,
    hairs,
    vessels,
    glare,
    shadow,
    uneven,
    blurMm: rng.uniform(s.blurMm[0], s.blurMm[1]),
    noiseSd: rng.uniform(s.noiseSd[0], s.noiseSd[1]),
    jpegQuality: s.jpegQuality[1] > 0 ? rng.int(s.jpegQuality[0], s.jpegQuality[1]) : 0,
    trueLengthMm,
  };
}
