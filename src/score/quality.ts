import { flag, type QcFlag } from '../flags';
import type { Raster } from '../image/raster';
import { resizeArea } from '../image/resample';
import type { Region } from '../face/types';

/** Linear value at or above which a channel counts as clipped; at or below DARK as crushed black. */
export const CLIP_LEVEL = 0.995;
export const DARK_LEVEL = 0.002;
/** Flag thresholds (fractions of the face region's pixels). */
export const MAX_CLIPPED_FRACTION = 0.01;
export const MAX_DARK_FRACTION = 0.05;
/** Crété-Roffet blur above this is flagged `image_blurred` (0 = sharp … 1 = fully blurred). */
export const MAX_BLUR = 0.5;
/** The face box is resampled to this width before the blur metric, so photos of any resolution compare. */
export const BLUR_WORK_WIDTH = 384;

export interface QualityMetrics {
  /** fraction of the region's pixels with a channel ≥ CLIP_LEVEL (linear) */
  clippedFraction: number;
  /** fraction with every channel ≤ DARK_LEVEL */
  darkFraction: number;
  /** Crété-Roffet no-reference blur [CreteRoffet2007], 0 (sharp) … 1 */
  blur: number;
}

/** Exposure over the pixels inside `region`'s polygon (its box and mask, the skin mask included). */
function exposure(raster: Raster, region: Region): { clipped: number; dark: number } {
  const { box, mask } = region;
  const C = raster.channels;
  let n = 0;
  let clipped = 0;
  let dark = 0;
  for (let y = 0; y < box.height; y++) {
    for (let x = 0; x < box.width; x++) {
      if (!mask[y * box.width + x]) continue;
      const i = ((box.y + y) * raster.width + box.x + x) * C;
      const r = raster.data[i];
      const g = raster.data[i + 1];
      const b = raster.data[i + 2];
      n++;
      if (r >= CLIP_LEVEL || g >= CLIP_LEVEL || b >= CLIP_LEVEL) clipped++;
      else if (r <= DARK_LEVEL && g <= DARK_LEVEL && b <= DARK_LEVEL) dark++;
    }
  }
  return { clipped: n ? clipped / n : 0, dark: n ? dark / n : 0 };
}

/**
 * No-reference blur of a luminance plane [CreteRoffet2007]: re-blur with a 9-tap horizontal/vertical average and
 * measure how much of the neighbouring-pixel variation disappears; blur = max(1 − ΣΔV_h/ΣD_h, 1 − ΣΔV_v/ΣD_v).
 * Computed on the perceptual (sRGB-encoded) luminance of the region's box resampled to BLUR_WORK_WIDTH wide.
 */
export function blurMetric(raster: Raster, box: { x: number; y: number; width: number; height: number }): number {
  const C = raster.channels;
  const crop = new Float32Array(box.width * box.height);
  for (let y = 0; y < box.height; y++) {
    for (let x = 0; x < box.width; x++) {
      const i = ((box.y + y) * raster.width + box.x + x) * C;
      // Rec. 709 / sRGB luminance [ITU-R-BT709], then a cube root as a perceptual lightness proxy [CIE15]
      crop[y * box.width + x] = Math.cbrt(0.2126 * raster.data[i] + 0.7152 * raster.data[i + 1] + 0.0722 * raster.data[i + 2]);
    }
  }
  let plane: Raster = { width: box.width, height: box.height, channels: 1, data: crop };
  if (box.width > BLUR_WORK_WIDTH) {
    const h = Math.max(1, Math.round((box.height * BLUR_WORK_WIDTH) / box.width));
    plane = resizeArea(plane, BLUR_WORK_WIDTH, h);
  }
  const { width: w, height: h, data: F } = plane;
  if (w < 12 || h < 12) return 0;
  const k = 9; // [CreteRoffet2007] 1×9 and 9×1 averaging kernels
  const half = (k - 1) >> 1;
  const bv = new Float32Array(w * h);
  const bh = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sv = 0;
      let sh = 0;
      for (let t = -half; t <= half; t++) {
        sv += F[Math.min(h - 1, Math.max(0, y + t)) * w + x];
        sh += F[y * w + Math.min(w - 1, Math.max(0, x + t))];
      }
      bv[y * w + x] = sv / k;
      bh[y * w + x] = sh / k;
    }
  }
  let sFv = 0, sFh = 0, sVv = 0, sVh = 0;
  for (let y = 1; y < h; y++) {
    for (let x = 1; x < w; x++) {
      const i = y * w + x;
      const dFv = Math.abs(F[i] - F[i - w]);
      const dFh = Math.abs(F[i] - F[i - 1]);
      const dBv = Math.abs(bv[i] - bv[i - w]);
      const dBh = Math.abs(bh[i] - bh[i - 1]);
      sFv += dFv;
      sFh += dFh;
      sVv += Math.max(0, dFv - dBv);
      sVh += Math.max(0, dFh - dBh);
    }
  }
  const bV = sFv > 0 ? (sFv - sVv) / sFv : 1;
  const bH = sFh > 0 ? (sFh - sVh) / sFh : 1;
  return Math.max(bV, bH);
}

/** Exposure and blur over the face (or the largest region), with flags. */
export function photoQuality(raster: Raster, region: Region | undefined): { metrics: QualityMetrics | null; flags: QcFlag[] } {
  if (!region || region.box.width < 1 || region.box.height < 1) return { metrics: null, flags: [] };
  const { clipped, dark } = exposure(raster, region);
  const blur = blurMetric(raster, region.box);
  const flags: QcFlag[] = [];
  if (clipped > MAX_CLIPPED_FRACTION) {
    flags.push(flag('exposure_clipped', `${(100 * clipped).toFixed(1)} % of the ${region.name} pixels are clipped (a channel at ≥ ${CLIP_LEVEL} linear): redness there is underestimated. Reduce exposure or glare.`, { value: clipped, threshold: MAX_CLIPPED_FRACTION }));
  }
  if (dark > MAX_DARK_FRACTION) {
    flags.push(flag('exposure_dark', `${(100 * dark).toFixed(1)} % of the ${region.name} pixels are crushed black: the photo is underexposed.`, { value: dark, threshold: MAX_DARK_FRACTION }));
  }
  if (blur > MAX_BLUR) {
    flags.push(flag('image_blurred', `The ${region.name} looks blurred (Crété-Roffet blur ${blur.toFixed(2)} > ${MAX_BLUR}): wrinkle measures are unreliable. Retake in focus.`, { value: blur, threshold: MAX_BLUR }));
  }
  return { metrics: { clippedFraction: clipped, darkFraction: dark, blur }, flags };
}
