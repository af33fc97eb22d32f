import { srgbEncode } from '../color';
import { resizeArea } from '../image/resample';
import type { Raster } from '../image/raster';

const LUT_SIZE = 65536;
let encodeLut: Uint8Array | undefined;

/** Linear light (quantised to 1/65535) → 8-bit sRGB code value [IEC61966] eq. (2), rounded. */
function lut(): Uint8Array {
  if (!encodeLut) {
    encodeLut = new Uint8Array(LUT_SIZE);
    for (let i = 0; i < LUT_SIZE; i++) encodeLut[i] = Math.round(255 * srgbEncode(i / (LUT_SIZE - 1)));
  }
  return encodeLut;
}

/** The table's code value of a linear-light value (NaN and negatives give 0). */
function code8(table: Uint8Array, v: number): number {
  const top = LUT_SIZE - 1;
  const i = v * top + 0.5;
  return table[i >= top ? top : i > 0 ? i | 0 : 0];
}

/** The 8-bit sRGB code value of a linear-light value (the table lut() builds; NaN and negatives give 0). */
export function srgb8(v: number): number {
  return code8(lut(), v);
}

/** 8-bit sRGB-encoded RGB bytes of a linear raster (1, 3 or 4 channels; grey is replicated, alpha ignored). */
export function encodeSrgb8(raster: Raster): Uint8Array {
  const { width, height, channels, data } = raster;
  const table = lut();
  const out = new Uint8Array(width * height * 3);
  const n = width * height;
  if (channels >= 3) {
    for (let i = 0, j = 0, o = 0; i < n; i++, j += channels, o += 3) {
      out[o] = code8(table, data[j]);
      out[o + 1] = code8(table, data[j + 1]);
      out[o + 2] = code8(table, data[j + 2]);
    }
  } else {
    for (let i = 0; i < n; i++) out[i * 3] = out[i * 3 + 1] = out[i * 3 + 2] = code8(table, data[i * channels]);
  }
  return out;
}

export interface DetectorInput {
  rgb: Uint8Array;
  width: number;
  height: number;
  /** detector px per full-resolution px, per axis */
  scaleX: number;
  scaleY: number;
  /** the downscaled linear raster (shared with the skin mask, which works at this resolution too) */
  small: Raster;
  maxSidePx?: number;
}

/**
 * Mean of each k×k block (the exact area average for an integer factor), first 3 channels; the last W mod k columns
 * and H mod k rows are dropped. One pass over the data: a 12 MP photo reduces in a fraction of resizeArea's time.
 */
function boxReduce(r: Raster, k: number): Raster {
  const w = Math.floor(r.width / k), h = Math.floor(r.height / k);
  const out = new Float32Array(w * h * 3);
  const acc = new Float64Array(w * 3);
  const { channels: ch, data } = r;
  const g = ch >= 3 ? 1 : 0, b = 2 * g, step = k * ch; // grey is replicated
  const norm = 1 / (k * k);
  for (let y = 0; y < h; y++) {
    acc.fill(0);
    for (let dy = 0; dy < k; dy++) {
      let j = (y * k + dy) * r.width * ch;
      for (let a = 0; a < w * 3; a += 3) {
        let s0 = 0, s1 = 0, s2 = 0;
        for (const e = j + step; j < e; j += ch) {
          s0 += data[j];
          s1 += data[j + g];
          s2 += data[j + b];
        }
        acc[a] += s0;
        acc[a + 1] += s1;
        acc[a + 2] += s2;
      }
    }
    for (let i = 0, o = y * w * 3; i < w * 3; i++) out[o + i] = acc[i] * norm;
  }
  return { width: w, height: h, channels: 3, data: out };
}

/**
 * Downscale by area averaging in linear light so the long side is at most `maxSidePx`, then sRGB-encode to 8 bits.
 * Large reductions first average whole k×k blocks (k = the integer part of the factor), then finish with resizeArea.
 */
export function detectorInput(raster: Raster, maxSidePx: number): DetectorInput {
  const s = Math.min(1, maxSidePx / Math.max(raster.width, raster.height));
  const k = Math.floor(1 / s);
  const pre = k >= 2 ? boxReduce(raster, k) : raster;
  // the area the pre-reduced image covers, in full-resolution px (the dropped edge strip lies right/bottom)
  const coveredW = k >= 2 ? pre.width * k : raster.width;
  const coveredH = k >= 2 ? pre.height * k : raster.height;
  // A block-averaged copy up to 10 % over the limit is used as it is (a second resampling costs more than it gives).
  const fits = Math.max(pre.width, pre.height) <= 1.1 * maxSidePx;
  const width = fits ? pre.width : Math.max(1, Math.round(coveredW * s));
  const height = fits ? pre.height : Math.max(1, Math.round(coveredH * s));
  const small = width !== pre.width || height !== pre.height ? resizeArea(pre, width, height) : pre;
  return { rgb: encodeSrgb8(small), width, height, scaleX: width / coveredW, scaleY: height / coveredH, small };
}

const cache = new WeakMap<Raster, DetectorInput>();

/** `detectorInput`, remembered per raster object (detectFace and faceRegions on one photo downscale it once). */
export function cachedDetectorInput(raster: Raster, maxSidePx: number): DetectorInput {
  const hit = cache.get(raster);
  if (hit && hit.maxSidePx === maxSidePx) return hit;
  const made = { ...detectorInput(raster, maxSidePx), maxSidePx };
  cache.set(raster, made);
  return made;
}
