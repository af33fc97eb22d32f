import { linearRasterToLab } from '../color';
import type { Raster } from '../image/raster';
import type { Box } from './types';

/**
 * Skin classification on the working-resolution copy (the detector's downscaled raster): a pixel is skin when its
 * CIELAB colour (D65/2°) is near the subject's own skin colour, measured robustly (median, MAD) on reference patches
 * the landmarks place on the upper cheeks. No fixed skin-colour box, so it works across ITA° categories; it removes
 * what differs from the subject's own cheek skin. Colour is compared as hue angle h_ab and saturation s_ab = C*ab / L*
 * [CIE15] §8.2.1, which change little when the same skin is shaded, so side-lit faces keep their darker half:
 *  - hair, beard, brows, background: hue more yellow than the reference by more than `maxChromaZ` robust SDs, or
 *    saturation below it by as much; redder and more saturated skin is always kept (that is erythema, the measurand),
 *    down to `maxRedHueShiftDeg` below the reference hue;
 *  - grey/white hair, white background, glare: s_ab below `minSaturationRatio` × the reference;
 *  - deep shadow, dark hair, nostrils: L* below `minLightnessRatio` × the reference median (0.5 ≈ 3 stops darker in luminance);
 *  - specular highlights: L* more than `maxLightL` above the median with lower saturation, or any channel clipped.
 * Robust SD = 1.4826 × MAD [Rousseeuw1993].
 */
export interface SkinModelOptions {
  /** (hue, saturation) distance in robust SDs beyond which a pixel is not skin; default 4 */
  maxChromaZ?: number;
  /** saturation below this fraction of the reference is not skin (grey hair, glare, white background); default 0.5 */
  minSaturationRatio?: number;
  /** L* below this fraction of the reference median is deep shadow or dark hair; default 0.5 */
  minLightnessRatio?: number;
  /** how much redder (lower h_ab) than the reference a pixel may be and still be skin (degrees); default 40 */
  maxRedHueShiftDeg?: number;
  /** L* more than this above the reference median with lower saturation is a highlight; default 15 */
  maxLightL?: number;
}

export interface SkinStats {
  /** medians of L*, hue angle h_ab (degrees), saturation s_ab = C*ab/L* */
  L: number;
  hueDeg: number;
  saturation: number;
  /** robust SDs */
  sdL: number;
  sdHueDeg: number;
  sdSaturation: number;
  /** reference pixels */
  n: number;
}

export interface SkinClassification {
  /** the ROI in working-resolution pixels */
  box: Box;
  /** box.width × box.height, 1 = skin */
  skin: Uint8Array;
  /** why a pixel is not skin: 0 skin, 1 colour (hue/saturation), 2 deep shadow/dark, 3 highlight or clipped (before smoothing) */
  reason: Uint8Array;
  stats: SkinStats;
  /** one model per reference patch */
  models: SkinStats[];
  /** L*, a*, b* of the ROI (3×3 smoothed) */
  lab: Raster;
  /** local texture: mean |∇L*| over a 5×5 window, divided by its median on the reference patch (1 = like cheek skin) */
  texture: Float32Array;
}

function median(v: Float32Array): number {
  const s = Float32Array.from(v).sort();
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) >> 1] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

function mad(v: Float32Array, m: number): number {
  const d = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) d[i] = Math.abs(v[i] - m);
  return median(d);
}

const DEG = 180 / Math.PI;

/** Robust skin statistics of the pixels where `ref` (ROI-sized) is 1. */
export function skinStats(lab: Raster, ref: Uint8Array): SkinStats {
  let n = 0;
  for (let i = 0; i < ref.length; i++) n += ref[i];
  const L = new Float32Array(n), Hh = new Float32Array(n), S = new Float32Array(n);
  for (let i = 0, k = 0; i < ref.length; i++) {
    if (!ref[i]) continue;
    const l = lab.data[i * 3], a = lab.data[i * 3 + 1], b = lab.data[i * 3 + 2];
    L[k] = l;
    Hh[k] = Math.atan2(b, a) * DEG; // skin hues lie near 30–70°, far from the ±180° wrap
    S[k] = Math.hypot(a, b) / Math.max(l, 1);
    k++;
  }
  const mL = median(L), mH = median(Hh), mS = median(S);
  // Centre the model on the less red half of the reference: hue at its 75th percentile (more yellow), saturation at
  // its 25th. Redder skin is always accepted anyway, so on erythematous cheeks the model still describes normal skin.
  const q = (v: Float32Array, p: number) => {
    const s = Float32Array.from(v).sort();
    return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN;
  };
  return {
    L: mL,
    hueDeg: q(Hh, 0.75),
    saturation: q(S, 0.25),
    sdL: 1.4826 * mad(L, mL), // [Rousseeuw1993] MAD consistency factor
    sdHueDeg: 1.4826 * mad(Hh, mH),
    sdSaturation: 1.4826 * mad(S, mS),
    n,
  };
}

/** 3×3 box blur of an interleaved 3-channel raster (borders replicate), separable: pixel noise and JPEG blocking down ~3×. */
function blur3(r: Raster): Raster {
  const { width: w, height: h, data } = r;
  const tmp = new Float32Array(data.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const l = (y * w + (x > 0 ? x - 1 : 0)) * 3, m = (y * w + x) * 3, rr = (y * w + (x < w - 1 ? x + 1 : x)) * 3;
      tmp[m] = data[l] + data[m] + data[rr];
      tmp[m + 1] = data[l + 1] + data[m + 1] + data[rr + 1];
      tmp[m + 2] = data[l + 2] + data[m + 2] + data[rr + 2];
    }
  }
  const out = new Float32Array(data.length);
  for (let y = 0; y < h; y++) {
    const u = (y > 0 ? y - 1 : 0) * w * 3, c = y * w * 3, d = (y < h - 1 ? y + 1 : y) * w * 3;
    for (let k = 0; k < w * 3; k++) out[c + k] = (tmp[u + k] + tmp[c + k] + tmp[d + k]) / 9;
  }
  return { width: w, height: h, channels: 3, data: out };
}

/**
 * Classify every ROI pixel as skin (1) or not (0). `linearRoi` is the working raster cropped to `box`; `refs` are
 * reference masks (e.g. right and left cheek): a pixel is skin when it matches any of their models, so a face lit
 * differently from each side keeps both sides.
 */
export function classifySkin(linearRoi: Raster, box: Box, refs: Uint8Array[], options: SkinModelOptions = {}, extraRefs: Uint8Array[] = []): SkinClassification {
  const labRaw = linearRasterToLab(linearRoi);
  const lab = blur3(labRaw);
  const models = refs.map((r) => skinStats(lab, r)).filter((m) => m.n >= 20);
  // Extra patches (forehead, chin) add a model only when they look like the same skin as the cheeks (hue within 12°,
  // not much darker): a red cheek reference alone would call the paler normal skin elsewhere "not skin", but a patch
  // of bangs or beard must not become a skin model.
  for (const r of extraRefs) {
    const e = skinStats(lab, r);
    if (e.n < 20 || models.length === 0) continue;
    if (models.some((m) => Math.abs(e.hueDeg - m.hueDeg) <= 12 && e.L >= 0.8 * m.L && e.saturation >= 0.5 * m.saturation)) models.push(e);
  }
  const all = new Uint8Array(refs[0].length);
  for (const r of refs) for (let i = 0; i < r.length; i++) all[i] |= r[i];
  const stats = skinStats(lab, all);
  if (models.length === 0) models.push(stats);
  const maxZ = options.maxChromaZ ?? 4;
  const lightL = options.maxLightL ?? 15;
  const redShift = options.maxRedHueShiftDeg ?? 40;
  const n = linearRoi.width * linearRoi.height;
  const skin = new Uint8Array(n);
  const reason = new Uint8Array(n).fill(1);
  const d = linearRoi.data;
  const ch = linearRoi.channels;
  // saturation s_ab and hue angle h_ab of every pixel, once for all the models
  const sat = new Float64Array(n), hue = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const L = lab.data[i * 3], a = lab.data[i * 3 + 1], b = lab.data[i * 3 + 2];
    sat[i] = Math.hypot(a, b) / Math.max(L, 1);
    hue[i] = Math.atan2(b, a) * DEG;
  }
  for (const m of models) {
    const minL = (options.minLightnessRatio ?? 0.5) * m.L;
    const minS = (options.minSaturationRatio ?? 0.5) * m.saturation;
    // Floors keep a very uniform reference patch from making the model razor-thin.
    const sH = Math.max(m.sdHueDeg, 6);
    const sS = Math.max(m.sdSaturation, 0.06);
    for (let i = 0; i < n; i++) {
      if (reason[i] === 0) continue;
      const L = lab.data[i * 3];
      if (L < minL) {
        reason[i] = 2;
        continue;
      }
      const S = sat[i];
      const j = i * ch;
      if ((L > m.L + lightL && S < 0.6 * m.saturation) || d[j] >= 0.98 || d[j + 1] >= 0.98 || d[j + 2] >= 0.98) {
        reason[i] = 3; // specular highlight (bright and nearly white), or clipped (no colour information)
        continue;
      }
      reason[i] = 1;
      if (S < minS) continue;
      const dh = hue[i] - m.hueDeg;
      if (dh < -redShift) continue;
      const zh = dh > 0 ? dh / sH : 0; // redder than the reference: not penalised
      const zs = S < m.saturation ? (S - m.saturation) / sS : 0; // more saturated: not penalised
      if (zh * zh + zs * zs > maxZ * maxZ) continue;
      reason[i] = 0;
      skin[i] = 1;
    }
  }
  const texture = textureMap(labRaw, all);
  return { box, reason, skin: majority3(majority3(skin, linearRoi.width, linearRoi.height), linearRoi.width, linearRoi.height), stats, models, lab, texture };
}

/** Mean gradient magnitude of L* (central differences) over 5×5 windows, relative to its median on `ref`. */
export function textureMap(lab: Raster, ref: Uint8Array): Float32Array {
  const { width: w, height: h } = lab;
  const g = new Float64Array((w + 1) * (h + 1)); // integral image of |∇L*|
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      const xl = x > 0 ? x - 1 : x, xr = x < w - 1 ? x + 1 : x, yu = y > 0 ? y - 1 : y, yd = y < h - 1 ? y + 1 : y;
      const gx = (lab.data[(y * w + xr) * 3] - lab.data[(y * w + xl) * 3]) / 2;
      const gy = (lab.data[(yd * w + x) * 3] - lab.data[(yu * w + x) * 3]) / 2;
      row += Math.hypot(gx, gy);
      g[(y + 1) * (w + 1) + x + 1] = g[y * (w + 1) + x + 1] + row;
    }
  }
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const y0 = Math.max(0, y - 2), y1 = Math.min(h, y + 3);
    for (let x = 0; x < w; x++) {
      const x0 = Math.max(0, x - 2), x1 = Math.min(w, x + 3);
      const s = g[y1 * (w + 1) + x1] - g[y0 * (w + 1) + x1] - g[y1 * (w + 1) + x0] + g[y0 * (w + 1) + x0];
      out[y * w + x] = s / ((y1 - y0) * (x1 - x0));
    }
  }
  let n = 0;
  for (let i = 0; i < ref.length; i++) n += ref[i];
  const r = new Float32Array(n);
  for (let i = 0, k = 0; i < ref.length; i++) if (ref[i]) r[k++] = out[i];
  const m = Math.max(median(r), 1e-3);
  for (let i = 0; i < out.length; i++) out[i] /= m;
  return out;
}

/** 3×3 majority filter on a binary image (borders replicate): removes isolated pixels and fills pinholes. */
export function majority3(m: Uint8Array, w: number, h: number): Uint8Array {
  const out = new Uint8Array(m.length);
  for (let y = 0; y < h; y++) {
    const y0 = y > 0 ? y - 1 : 0, y1 = y < h - 1 ? y + 1 : h - 1;
    for (let x = 0; x < w; x++) {
      const x0 = x > 0 ? x - 1 : 0, x1 = x < w - 1 ? x + 1 : w - 1;
      const s =
        m[y0 * w + x0] + m[y0 * w + x] + m[y0 * w + x1] +
        m[y * w + x0] + m[y * w + x] + m[y * w + x1] +
        m[y1 * w + x0] + m[y1 * w + x] + m[y1 * w + x1];
      out[y * w + x] = s >= 5 ? 1 : 0;
    }
  }
  return out;
}
