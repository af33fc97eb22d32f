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

/** 8-bit sRGB-encoded RGB bytes of a linear raster (1, 3 or 4 channels; grey is replicated, alpha ignored). */
export function encodeSrgb8(raster: Raster): Uint8Array {
  const { width, height, channels, data } = raster;
  const table = lut();
  const out = new Uint8Array(width * height * 3);
  const n = width * height;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) {
      const v = data[i * channels + (channels >= 3 ? c : 0)];
      const k = v <= 0 || v !== v ? 0 : v >= 1 ? LUT_SIZE - 1 : Math.round(v * (LUT_SIZE - 1));
      out[i * 3 + c] = table[k];
    }
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
}

/** Downscale (exact area averaging in linear light) so the long side is at most `maxSidePx`, then sRGB-encode to 8 bits. */
export function detectorInput(raster: Raster, maxSidePx: number): DetectorInput {
  const s = Math.min(1, maxSidePx / Math.max(raster.width, raster.height));
  const width = Math.max(1, Math.round(raster.width * s));
  const height = Math.max(1, Math.round(raster.height * s));
  const small = s < 1 ? resizeArea(raster, width, height) : raster;
  return { rgb: encodeSrgb8(small), width, height, scaleX: width / raster.width, scaleY: height / raster.height, small };
}

const cache = new WeakMap<Raster, DetectorInput>();

/** `detectorInput`, remembered per raster object (detectFace and faceRegions on one photo downscale it once). */
export function cachedDetectorInput(raster: Raster, maxSidePx: number): DetectorInput {
  const hit = cache.get(raster);
  if (hit && hit.width === Math.max(1, Math.round(raster.width * Math.min(1, maxSidePx / Math.max(raster.width, raster.height))))) return hit;
  const made = detectorInput(raster, maxSidePx);
  cache.set(raster, made);
  return made;
}
