import sharp from 'sharp';
import { srgbEncode } from '../color/srgb';
import { DermametricsError, numberOption } from '../errors';
import type { RegionSet } from '../face/types';
import type { Raster } from '../image/raster';
import { cropRaster, resizeArea, resizeBilinear } from '../image/resample';
import { escapeXml } from '../markup';
import type { WrinkleResult } from './analyze';

export interface WrinkleOverlayOptions {
  /** outline these regions (e.g. the RegionSet the result was measured on) */
  regions?: RegionSet;
  /** long side of the PNG (px); default 1600 (never larger than the analysis grid) */
  maxSidePx?: number;
  /** opacity of the wrinkle colour over the photo, 0–1; default 0.85 */
  alpha?: number;
}

export interface WrinkleOverlay {
  png: Buffer;
  width: number;
  height: number;
  /** wrinkle pixels drawn (of the output) */
  painted: number;
}

/** The wrinkle colour (sRGB). */
const WRINKLE_RGB = [255, 32, 32] as const;

/**
 * The measured wrinkle mask over the photo, as PNG, for a person to check what the model counted: the analysed area of
 * the photo (the regions' bounding box) at the analysis resolution or smaller, wrinkle pixels in red, optional region
 * outlines, a 1 cm scale bar and the model's id and threshold. Needs a result of `analyzeWrinkles(…, { includeMap: true })`.
 */
export async function renderWrinkleOverlay(photo: Raster, result: WrinkleResult, options: WrinkleOverlayOptions = {}): Promise<WrinkleOverlay> {
  const map = result.map;
  if (!map) throw new DermametricsError('E_INVALID_OPTION', 'renderWrinkleOverlay needs the wrinkle map: call analyzeWrinkles(raster, regions, { includeMap: true }).', {});
  const maxSide = numberOption('options.maxSidePx', options.maxSidePx, 1600, { min: 64, max: 16384, integer: true });
  const alpha = numberOption('options.alpha', options.alpha, 0.85, { min: 0, max: 1 });
  const { box, width: W, height: H } = map;
  const s = Math.min(1, maxSide / Math.max(W, H));
  const outW = Math.max(1, Math.round(W * s)), outH = Math.max(1, Math.round(H * s));
  const crop = cropRaster(photo, box);
  const small = crop.width >= outW && crop.height >= outH ? resizeArea(crop, outW, outH) : resizeBilinear(crop, outW, outH);
  const C = small.channels;
  const rgb = Buffer.alloc(outW * outH * 3);
  let painted = 0;
  for (let y = 0; y < outH; y++) {
    const my = Math.min(H - 1, Math.floor(((y + 0.5) * H) / outH));
    for (let x = 0; x < outW; x++) {
      const mx = Math.min(W - 1, Math.floor(((x + 0.5) * W) / outW));
      const on = map.mask[my * W + mx] === 1;
      if (on) painted++;
      for (let c = 0; c < 3; c++) {
        const v = 255 * srgbEncode(small.data[(y * outW + x) * C + Math.min(c, C - 1)]);
        rgb[(y * outW + x) * 3 + c] = Math.round(on ? (1 - alpha) * v + alpha * WRINKLE_RGB[c] : v);
      }
    }
  }
  // region outlines, scale bar and caption as SVG on top
  const fx = outW / box.width, fy = outH / box.height;
  const svg: string[] = [];
  for (const r of options.regions?.regions ?? []) {
    const pts = r.polygon.map(([px, py]) => `${((px - box.x) * fx).toFixed(1)},${((py - box.y) * fy).toFixed(1)}`).join(' ');
    svg.push(`<polygon points="${pts}" fill="none" stroke="#00e5ff" stroke-opacity="0.7" stroke-width="1"/>`);
  }
  const cm = (10 / map.mmPerPx) * s; // 1 cm in output pixels
  const font = Math.max(10, Math.round(outW / 60));
  svg.push(`<rect x="8" y="${outH - 30}" width="${(cm + 12).toFixed(1)}" height="24" fill="#000" fill-opacity="0.5"/>`);
  svg.push(`<rect x="14" y="${outH - 14}" width="${cm.toFixed(1)}" height="4" fill="#fff"/>`);
  svg.push(`<text x="14" y="${outH - 17}" font-family="sans-serif" font-size="${font}" fill="#fff">1 cm</text>`);
  const caption = `${result.model.id}: p ≥ ${result.model.threshold}, ${painted} px`;
  svg.push(`<rect x="0" y="0" width="${Math.min(outW, Math.round(caption.length * font * 0.62) + 16)}" height="${font + 10}" fill="#000" fill-opacity="0.5"/>`);
  svg.push(`<text x="8" y="${font + 3}" font-family="sans-serif" font-size="${font}" fill="#fff">${escapeXml(caption)}</text>`);
  const png = await sharp(rgb, { raw: { width: outW, height: outH, channels: 3 } })
    .composite([{ input: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${outW}" height="${outH}">${svg.join('')}</svg>`), top: 0, left: 0 }])
    .png()
    .toBuffer();
  return { png, width: outW, height: outH, painted };
}
