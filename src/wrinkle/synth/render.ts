import { createRng } from '../../random';
import { srgbDecode, srgbEncode } from '../../color/srgb';
import type { Raster } from '../../image/raster';
import { resizeArea } from '../../image/resample';
import { gaussianBlur } from '../filters';
import { fractalNoise } from './noise';
import { jpegQuantise } from './jpeg';
import type { Scene, Stroke } from './scene';

/** One rendered patch: the camera's linear-light sRGB image and the exact wrinkle mask, both at `mmPerPx`. */
export interface SynthPatch {
  raster: Raster;
  /** 1 where the pixel centre lies within the furrow's half-width of a wrinkle centreline, or within MIN_MASK_HALF_WIDTH_MM
   * for furrows narrower than 0.2 mm (the annotation convention: a line is drawn at least 0.2 mm wide) */
  mask: Uint8Array;
  mmPerPx: number;
  scene: Scene;
  /** true wrinkle length density: centreline mm per cm² of patch */
  trueLengthDensity: number;
}

/** The optical scene is rendered at about 0.05 mm/px (an integer fraction of the camera pixel), then area-averaged. */
/** Darkening of a furrow's floor by ambient occlusion: exp(−κ·depth), κ per mm (depth capped at 0.15 mm). */
const CAVITY_PER_MM = 6;
/** Minimum half-width of a drawn wrinkle in the truth mask (mm). */
export const MIN_MASK_HALF_WIDTH_MM = 0.1;
const OPTICAL_MM = 0.05;

/** Visit the pixels within `pad` mm of each segment: cb(index, distance mm, t along stroke, segment index). */
function rasterStroke(st: Stroke, q: number, w: number, h: number, padMm: number, cb: (i: number, dist: number, hw: number, val: number) => void): void {
  const maxHw = Math.max(...st.width) / 2;
  for (let k = 0; k + 3 < st.pts.length; k += 2) {
    const ax = st.pts[k], ay = st.pts[k + 1], bx = st.pts[k + 2], by = st.pts[k + 3];
    const r = maxHw + padMm;
    const x0 = Math.max(0, Math.floor((Math.min(ax, bx) - r) / q)), x1 = Math.min(w - 1, Math.ceil((Math.max(ax, bx) + r) / q));
    const y0 = Math.max(0, Math.floor((Math.min(ay, by) - r) / q)), y1 = Math.min(h - 1, Math.ceil((Math.max(ay, by) + r) / q));
    if (x0 > x1 || y0 > y1) continue;
    const dx = bx - ax, dy = by - ay;
    const len2 = dx * dx + dy * dy || 1e-12;
    const v = k >> 1;
    for (let y = y0; y <= y1; y++) {
      const py = (y + 0.5) * q;
      for (let x = x0; x <= x1; x++) {
        const px = (x + 0.5) * q;
        let t = ((px - ax) * dx + (py - ay) * dy) / len2;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        const dist = Math.hypot(px - ax - t * dx, py - ay - t * dy);
        const hw = 0.5 * (st.width[v] + t * (st.width[v + 1] - st.width[v]));
        if (dist <= hw + padMm) cb(y * w + x, dist, hw, st.depth[v] + t * (st.depth[v + 1] - st.depth[v]));
      }
    }
  }
}

/** Render a scene at `mmPerPx` (camera pixels). The same scene at two resolutions shows the same skin. */
export function renderScene(scene: Scene, mmPerPx: number): SynthPatch {
  const P = scene.patchMm;
  const W = Math.round(P / mmPerPx);
  const ss = Math.max(1, Math.round(mmPerPx / OPTICAL_MM));
  const Wo = W * ss;
  const q = mmPerPx / ss;
  const n = Wo * Wo;
  const tex = createRng(scene.textureSeed);

  // height field (mm; furrows negative)
  const H = new Float32Array(n);
  for (const st of scene.microRelief) rasterStroke(st, q, Wo, Wo, 0, (i, d, hw, depth) => {
    const u = d / hw;
    const v = -depth * (1 - u * u) ** 2;
    if (v < H[i]) H[i] = v;
  });
  const poreDark = new Float32Array(n);
  for (const p of scene.pores) {
    const r = 2.5 * p.r;
    const x0 = Math.max(0, Math.floor((p.x - r) / q)), x1 = Math.min(Wo - 1, Math.ceil((p.x + r) / q));
    const y0 = Math.max(0, Math.floor((p.y - r) / q)), y1 = Math.min(Wo - 1, Math.ceil((p.y + r) / q));
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) {
      const d2 = ((x + 0.5) * q - p.x) ** 2 + ((y + 0.5) * q - p.y) ** 2;
      const g = Math.exp(-d2 / (2 * p.r * p.r));
      const i = y * Wo + x;
      H[i] -= p.d * g;
      poreDark[i] = Math.max(poreDark[i], 0.15 * g);
    }
  }
  for (const st of scene.wrinkles) rasterStroke(st, q, Wo, Wo, 0, (i, d, hw, depth) => {
    const u = d / hw;
    const v = -depth * (1 - u * u) ** 2; // furrow cross-section: smooth U-shaped valley
    if (v < H[i]) H[i] = v;
  });

  // albedo (linear sRGB): skin tone × texture, pores, freckles, erythema blotches, vessels
  const albedo = new Float32Array(3 * n);
  const t1 = fractalNoise(tex, Wo, Wo, q, P, 4, 3);
  const t2 = fractalNoise(tex, Wo, Wo, q, P, 0.5, 2);
  const blotch = fractalNoise(tex, Wo, Wo, q, P, 6, 2);
  const sheen = fractalNoise(tex, Wo, Wo, q, P, 1.5, 2);
  const [sr, sg, sb] = scene.skinLinear;
  for (let i = 0; i < n; i++) {
    const f = (1 + 0.06 * t1[i] + 0.04 * t2[i]) * (1 - poreDark[i]);
    const e = 0.07 * Math.max(0, blotch[i]);
    albedo[3 * i] = sr * f;
    albedo[3 * i + 1] = sg * f * (1 - e);
    albedo[3 * i + 2] = sb * f * (1 - 0.8 * e);
  }
  for (const fr of scene.freckles) {
    const r = 2 * fr.r;
    const x0 = Math.max(0, Math.floor((fr.x - r) / q)), x1 = Math.min(Wo - 1, Math.ceil((fr.x + r) / q));
    const y0 = Math.max(0, Math.floor((fr.y - r) / q)), y1 = Math.min(Wo - 1, Math.ceil((fr.y + r) / q));
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) {
      const d = Math.hypot((x + 0.5) * q - fr.x, (y + 0.5) * q - fr.y) / fr.r;
      const o = fr.o / (1 + Math.exp(6 * (d - 1)));
      const i = y * Wo + x;
      albedo[3 * i] *= 1 - 0.5 * o;
      albedo[3 * i + 1] *= 1 - 0.7 * o;
      albedo[3 * i + 2] *= 1 - 0.85 * o;
    }
  }
  const vesselO = new Float32Array(n);
  for (const st of scene.vessels) rasterStroke(st, q, Wo, Wo, 0.05, (i, d, hw, o) => {
    const v = o / (1 + Math.exp((d - hw) / 0.015)); // soft edge: the vessel lies under the epidermis
    if (v > vesselO[i]) vesselO[i] = v;
  });
  for (let i = 0; i < n; i++) {
    const o = vesselO[i];
    if (!o) continue;
    albedo[3 * i] *= 1 - 0.12 * o; // haemoglobin absorbs green and blue far more than red
    albedo[3 * i + 1] *= 1 - 0.6 * o;
    albedo[3 * i + 2] *= 1 - 0.5 * o;
  }

  // shading: Lambertian with ambient, normalised so flat skin = 1, and cavity darkening inside furrows
  const lz = Math.sin(scene.lightElevationRad);
  const lx = Math.cos(scene.lightElevationRad) * Math.cos(scene.lightAzimuthRad);
  const ly = Math.cos(scene.lightElevationRad) * Math.sin(scene.lightAzimuthRad);
  const amb = 0.35;
  const img = new Float32Array(3 * n);
  for (let y = 0; y < Wo; y++) {
    for (let x = 0; x < Wo; x++) {
      const i = y * Wo + x;
      const hx = (H[y * Wo + Math.min(Wo - 1, x + 1)] - H[y * Wo + Math.max(0, x - 1)]) / (2 * q);
      const hy = (H[Math.min(Wo - 1, y + 1) * Wo + x] - H[Math.max(0, y - 1) * Wo + x]) / (2 * q);
      const nn = Math.hypot(hx, hy, 1);
      const ndotl = (-hx * lx - hy * ly + lz) / nn;
      const s = (amb + (1 - amb) * Math.max(0, ndotl) / lz) * Math.exp(CAVITY_PER_MM * Math.max(H[i], -0.15)); // cavity (ambient occlusion) darkening
      img[3 * i] = albedo[3 * i] * s;
      img[3 * i + 1] = albedo[3 * i + 1] * s;
      img[3 * i + 2] = albedo[3 * i + 2] * s;
    }
  }
  // hairs lie on the surface: anti-aliased coverage × opacity over the shaded skin
  for (const hr of scene.hairs) {
    rasterStroke(hr, q, Wo, Wo, q, (i, d, hw, o) => {
      const c = Math.min(1, Math.max(0, (hw - d) / q + 0.5)) * o;
      if (c <= 0) return;
      for (let ch = 0; ch < 3; ch++) img[3 * i + ch] = img[3 * i + ch] * (1 - c) + hr.color[ch] * c;
    });
  }
  // illumination: uneven light, contour shadow, specular glare
  for (let y = 0; y < Wo; y++) {
    for (let x = 0; x < Wo; x++) {
      const i = y * Wo + x;
      const mx = (x + 0.5) * q, my = (y + 0.5) * q;
      let f = 1 + scene.uneven.amp * ((mx - P / 2) * scene.uneven.gx + (my - P / 2) * scene.uneven.gy) / P;
      if (scene.shadow) {
        const sh = scene.shadow;
        const sd = (Math.hypot(mx - sh.cx, my - sh.cy) - sh.radius) / sh.edgeMm;
        f *= 1 - sh.dark / (1 + Math.exp(-4 * sd));
      }
      let g = 0;
      for (const gl of scene.glare) {
        const d2 = ((mx - gl.x) ** 2 + (my - gl.y) ** 2) / (gl.r * gl.r);
        g += gl.g * Math.exp(-2 * d2) * (0.6 + 0.4 * sheen[i]);
      }
      for (let ch = 0; ch < 3; ch++) img[3 * i + ch] = img[3 * i + ch] * f + g;
    }
  }

  // camera: area-average to the sensor pixels, optical blur, noise, 8-bit sRGB, JPEG
  let cam = resizeArea({ width: Wo, height: Wo, channels: 3, data: img }, W, W);
  if (scene.blurMm > 0) {
    const out = new Float32Array(3 * W * W);
    for (let ch = 0; ch < 3; ch++) {
      const plane = new Float32Array(W * W);
      for (let i = 0; i < W * W; i++) plane[i] = cam.data[3 * i + ch];
      const b = gaussianBlur({ width: W, height: W, data: plane }, scene.blurMm / mmPerPx);
      for (let i = 0; i < W * W; i++) out[3 * i + ch] = b.data[i];
    }
    cam = { width: W, height: W, channels: 3, data: out };
  }
  const nr = createRng(scene.noiseSeed ^ Math.round(mmPerPx * 1e6));
  const enc = new Float32Array(3 * W * W);
  for (let i = 0; i < enc.length; i++) {
    const v = cam.data[i];
    const noisy = v + nr.normal(0, scene.noiseSd * Math.sqrt(Math.max(0.02, v))); // signal-dependent (shot) + floor
    enc[i] = Math.round(255 * srgbEncode(Math.min(1, Math.max(0, noisy))));
  }
  if (scene.jpegQuality > 0) jpegQuantise(enc, W, W, scene.jpegQuality);
  const lut = Float32Array.from({ length: 256 }, (_, k) => srgbDecode(k / 255));
  const data = new Float32Array(3 * W * W);
  for (let i = 0; i < data.length; i++) data[i] = lut[enc[i]];

  // exact mask at the camera pixels
  const mask = new Uint8Array(W * W);
  for (const st of scene.wrinkles) rasterStroke(st, mmPerPx, W, W, Math.max(MIN_MASK_HALF_WIDTH_MM, mmPerPx / 2), (i, d, hw) => {
    if (d <= Math.max(hw, MIN_MASK_HALF_WIDTH_MM, mmPerPx / 2)) mask[i] = 1;
  });
  return { raster: { width: W, height: W, channels: 3, data }, mask, mmPerPx, scene, trueLengthDensity: scene.trueLengthMm / ((P * P) / 100) };
}
