import sharp from 'sharp';
import { srgbEncode } from '../color/srgb';
import { escapeXml } from '../markup';
import { choiceOption, invalidOption, numberOption } from '../errors';
import type { RegionSet } from '../face/types';
import type { Raster } from '../image/raster';
import { resizeArea } from '../image/resample';
import type { ErythemaMaps } from './analyze';
import { binArea, maskToCells } from './bin';
import { colormapLut, COLORMAPS, type ColormapName } from './colormap';
import { MAP_NAMES, type ErythemaMapName } from './maps';
import { quantilesInPlace } from './stats';

export interface OverlayOptions {
  /** which map to draw (default 'hemoglobin') */
  map?: ErythemaMapName;
  /** perceptual colour map (default 'magma') */
  colormap?: ColormapName;
  /** value range mapped to the colour map ends (default: p2–p98 of the drawn cells) — fix it to compare photos */
  range?: [number, number];
  /** opacity of the heat map over the photo, 0–1 (default 0.6); 1 draws the map alone */
  alpha?: number;
  /** only draw over the kept skin of these regions (default: every valid analysis pixel — with maps: true the
   * regions' bounding box, maps.extent; with maps: 'full' the whole photo) */
  regions?: RegionSet;
  /** longest side of the output photo area in pixels (default 1600) */
  maxSidePx?: number;
}

export interface Overlay {
  png: Buffer;
  width: number;
  height: number;
  map: ErythemaMapName;
  range: [number, number];
}

/** Legend titles: two short lines each (name; units / definition). */
const LABELS: Record<ErythemaMapName, [string, string]> = {
  aStar: ['CIELAB a*', 'D65/2°'],
  lStar: ['CIELAB L*', 'D65/2°'],
  bStar: ['CIELAB b*', 'D65/2°'],
  ita: ['ITA°', 'Chardon 1991'],
  erythemaIndex: ['Erythema index', '100·log10(R/G)'],
  melaninIndex: ['Melanin index', '100·log10(1/R)'],
  hemoglobin: ['Haemoglobin index', 'OD × 100 (Tsumura)'],
  melanin: ['Melanin (OD sep.)', 'OD × 100 (Tsumura)'],
};

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/**
 * A heat-map overlay of one erythema map on the photo, as PNG: perceptual colour map [vanderWalt2015], a colour bar
 * legend with the value range and the map's name and units, and a scale bar (when the photo has a physical scale).
 * The map is drawn at the analysis resolution (bilinear between analysis pixels) over the photo downscaled in linear
 * light. Deterministic: same input → same bytes (sharp/libvips PNG encoder, no timestamps).
 */
export async function renderErythemaOverlay(photo: Raster, maps: ErythemaMaps, options: OverlayOptions = {}): Promise<Overlay> {
  if (!maps || !maps.valid || !maps.hemoglobin) throw invalidOption('maps', 'the maps of analyzeErythema(..., { maps: true })', maps);
  if (!photo || photo.width !== maps.imageWidth || photo.height !== maps.imageHeight) {
    throw invalidOption('photo', `the ${maps.imageWidth}×${maps.imageHeight} raster the maps were computed from`, photo);
  }
  const mapName = choiceOption('options.map', options.map, MAP_NAMES, 'hemoglobin');
  const cmap = choiceOption('options.colormap', options.colormap, COLORMAPS, 'magma');
  const alpha = numberOption('options.alpha', options.alpha, 0.6, { min: 0, max: 1 });
  const maxSide = numberOption('options.maxSidePx', options.maxSidePx, 1600, { min: 64, max: 20000, integer: true });
  const m = maps[mapName];
  const gw = m.width;
  const gh = m.height;

  // Which analysis cells to draw.
  let draw = maps.valid;
  if (options.regions) {
    draw = new Uint8Array(gw * gh);
    const grid = { width: gw, height: gh, imageWidth: maps.imageWidth, imageHeight: maps.imageHeight };
    for (const r of options.regions.regions) for (const c of maskToCells(r.mask, r.box, maps.binPx, grid, maps.valid)) draw[c] = 1;
  }
  let range = options.range;
  if (range !== undefined) {
    if (!Array.isArray(range) || range.length !== 2 || !range.every(Number.isFinite) || !(range[1] > range[0])) {
      throw invalidOption('options.range', '[low, high] with high > low', range);
    }
  } else {
    const vals: number[] = [];
    for (let i = 0; i < gw * gh; i++) if (draw[i]) vals.push(m.data[i]);
    if (vals.length === 0) range = [0, 1];
    else {
      const [lo, hi] = quantilesInPlace(Float64Array.from(vals), [0.02, 0.98]);
      range = hi > lo ? [lo, hi] : [lo - 1, lo + 1];
    }
  }
  const [lo, hi] = range;

  // Photo, downscaled in linear light, encoded to 8-bit sRGB.
  const s = Math.min(1, maxSide / Math.max(photo.width, photo.height));
  const W = Math.max(1, Math.round(photo.width * s));
  const H = Math.max(1, Math.round(photo.height * s));
  // Integer pre-binning (one fast pass), then exact area resampling of the remainder, all in linear light.
  const pre = Math.max(1, Math.floor(Math.min(photo.width / W, photo.height / H)));
  const binned = pre > 1 ? binArea(photo, pre, Infinity).raster : photo;
  const small = binned.width !== W || binned.height !== H ? resizeArea(binned, W, H) : binned;
  const enc = new Uint8Array(4096);
  for (let i = 0; i < 4096; i++) enc[i] = Math.round(255 * srgbEncode(i / 4095));
  const panel = 150;
  const outW = W + panel;
  const rgb = Buffer.alloc(outW * H * 3, 255);
  const lut = colormapLut(cmap);
  const cellPerOut = photo.width / W / maps.binPx; // analysis cells per output pixel
  for (let y = 0; y < H; y++) {
    const fy = Math.min(gh - 1, Math.max(0, (y + 0.5) * (photo.height / H / maps.binPx) - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(gh - 1, y0 + 1);
    const ty = fy - y0;
    const ny = Math.min(gh - 1, Math.floor((y + 0.5) * (photo.height / H / maps.binPx)));
    for (let x = 0; x < W; x++) {
      const si = (y * W + x) * small.channels;
      const o = (y * outW + x) * 3;
      let r = enc[Math.max(0, Math.min(4095, Math.round(small.data[si] * 4095)))];
      let g = enc[Math.max(0, Math.min(4095, Math.round(small.data[si + 1] * 4095)))];
      let b = enc[Math.max(0, Math.min(4095, Math.round(small.data[si + 2] * 4095)))];
      const nx = Math.min(gw - 1, Math.floor((x + 0.5) * cellPerOut));
      if (draw[ny * gw + nx]) {
        const fx = Math.min(gw - 1, Math.max(0, (x + 0.5) * cellPerOut - 0.5));
        const x0 = Math.floor(fx);
        const x1 = Math.min(gw - 1, x0 + 1);
        const tx = fx - x0;
        const d = m.data;
        const bilinear = (d[y0 * gw + x0] * (1 - tx) + d[y0 * gw + x1] * tx) * (1 - ty) + (d[y1 * gw + x0] * (1 - tx) + d[y1 * gw + x1] * tx) * ty;
        const v = bilinear === bilinear ? bilinear : d[ny * gw + nx]; // a neighbour outside the maps' extent (NaN): nearest cell
        const t = Math.max(0, Math.min(255, Math.round(((v - lo) / (hi - lo)) * 255)));
        r = Math.round(r * (1 - alpha) + lut[3 * t] * alpha);
        g = Math.round(g * (1 - alpha) + lut[3 * t + 1] * alpha);
        b = Math.round(b * (1 - alpha) + lut[3 * t + 2] * alpha);
      }
      rgb[o] = r;
      rgb[o + 1] = g;
      rgb[o + 2] = b;
    }
  }
  // Colour bar in the panel.
  const barX = W + 20;
  const barW = 24;
  const barTop = 44;
  const barH = Math.max(40, Math.min(H - 80, 400));
  for (let y = 0; y < barH; y++) {
    const t = Math.round(255 * (1 - y / (barH - 1)));
    for (let x = barX; x < barX + barW; x++) {
      const o = ((barTop + y) * outW + x) * 3;
      if (barTop + y >= H) continue;
      rgb[o] = lut[3 * t];
      rgb[o + 1] = lut[3 * t + 1];
      rgb[o + 2] = lut[3 * t + 2];
    }
  }
  // Text and scale bar as SVG.
  const svg: string[] = [];
  const fontSize = 13;
  const label = LABELS[mapName];
  svg.push(`<text x="${W + 6}" y="14" font-family="sans-serif" font-size="${fontSize - 1}" fill="#000">${escapeXml(label[0])}</text>`);
  svg.push(`<text x="${W + 6}" y="28" font-family="sans-serif" font-size="${fontSize - 3}" fill="#000">${escapeXml(label[1])}</text>`);
  for (let i = 0; i <= 4; i++) {
    const y = barTop + ((barH - 1) * i) / 4;
    const v = hi - ((hi - lo) * i) / 4;
    svg.push(`<line x1="${barX + barW}" y1="${y.toFixed(1)}" x2="${barX + barW + 5}" y2="${y.toFixed(1)}" stroke="#000"/>`);
    svg.push(`<text x="${barX + barW + 8}" y="${(y + 4).toFixed(1)}" font-family="sans-serif" font-size="${fontSize}" fill="#000">${escapeXml(fmt(v))}</text>`);
  }
  const mmPerOut = maps.mmPerPx !== null ? (maps.mmPerPx / maps.binPx) * (photo.width / W) : null;
  if (mmPerOut !== null) {
    const candidates = [1, 2, 5, 10, 20, 50, 100];
    const mm = candidates.find((c) => c / mmPerOut >= W * 0.1) ?? 100;
    const len = mm / mmPerOut;
    const y = H - 18;
    svg.push(`<rect x="14" y="${y - 14}" width="${(len + 12).toFixed(1)}" height="26" fill="#000" fill-opacity="0.45"/>`);
    svg.push(`<rect x="20" y="${y}" width="${len.toFixed(1)}" height="5" fill="#fff"/>`);
    svg.push(`<text x="20" y="${y - 3}" font-family="sans-serif" font-size="${fontSize}" fill="#fff">${mm} mm</text>`);
    svg.push(`<text x="${W + 6}" y="${Math.min(H - 6, barTop + barH + 24)}" font-family="sans-serif" font-size="${fontSize - 2}" fill="#000">${escapeXml(`${(maps.mmPerPx as number).toFixed(2)} mm/px analysis`)}</text>`);
  } else {
    svg.push(`<text x="${W + 6}" y="${Math.min(H - 6, barTop + barH + 24)}" font-family="sans-serif" font-size="${fontSize - 2}" fill="#000">no physical scale</text>`);
  }
  const svgDoc = `<svg xmlns="http://www.w3.org/2000/svg" width="${outW}" height="${H}">${svg.join('')}</svg>`;
  const png = await sharp(rgb, { raw: { width: outW, height: H, channels: 3 } })
    .composite([{ input: Buffer.from(svgDoc), top: 0, left: 0 }])
    .png({ compressionLevel: 6 })
    .toBuffer();
  return { png, width: outW, height: H, map: mapName, range: [lo, hi] };
}
