import { DermametricsError, invalidOption, numberOption } from '../errors';
import { flag, type QcFlag } from '../flags';
import type { Raster } from '../image/raster';
import { cropRaster, resampleToScale } from '../image/resample';
import type { Box, Region, RegionSet } from '../face/types';
import { initBackend, type BackendName } from '../model/backend';
import { DEFAULT_WRINKLE_MODEL, loadWrinkleModel } from './head';
import { fillOutside, outlineBand, outsideOf } from './outline';
import { computeWrinkleMapsThreaded, TILE_PX } from './maps';
import { defaultThreads } from './threads';
import { thresholdPixels } from './postprocess';
import { componentSizes, skeletonLengthOf, thinPixels } from './skeleton';

/** The fixed analysis resolution: every region is resampled to this many mm per pixel before analysis. */
export const WRINKLE_ANALYSIS_MM_PER_PX = 0.1;

export interface WrinkleOptions {
  /** bundled model id (default "wrinkle-v3"; "wrinkle-v2" is kept for studies scored with it) or a model folder written by `dermametrics train-wrinkle` */
  model?: string;
  /** force a TensorFlow.js backend (default: tfjs-node if installed, else wasm, else cpu) */
  backend?: BackendName;
  /** override the model's probability threshold (0-1) */
  threshold?: number;
  /** return the probability map of the analysed area (for overlays) */
  includeMap?: boolean;
  /** tile side in analysis pixels (memory bound; default 1024) */
  tilePx?: number;
  /** worker threads for the filter bank (default: the cores, at most 4; 1 = this thread only). Results are identical
   * for any number; in a batch with one process per core, use 1. */
  threads?: number;
  /** paint what lies outside the regions (pixels of no region connected to the analysed box's border) with the skin
   * colour around it before the filter bank, so a region's measures do not depend on the hair or background beyond it
   * (outline.ts; docs/wrinkle.md, Real photos); default true. `false` (with `outlineGuardMm: 0`) gives the measures of
   * versions before the default changed. */
  fillOutside?: boolean;
  /** width (mm) of a band along the regions' outline (next to what is outside them) left out of every measure;
   * default DEFAULT_OUTLINE_GUARD_MM (1.5); 0 = none */
  outlineGuardMm?: number;
}

/** Default width (mm) of the band along the regions' outline left out of the wrinkle measures: with the fill, a region
 * in a near-black surround measures as in skin within 0–2.5 % (test/wrinkle/outline.test.ts). */
export const DEFAULT_OUTLINE_GUARD_MM = 1.5;

/** Per-region wrinkle measures (JSON field `wrinkles` of a region). null only when the region is empty (flagged). */
export interface WrinkleMeasures {
  /** % of the region's skin pixels on a wrinkle */
  areaFraction: number | null;
  /** wrinkle centreline length, mm per cm² of region (skeleton of the thresholded mask) */
  lengthDensity: number | null;
  /** connected wrinkle segments */
  count: number | null;
  /** mean width (mm) = wrinkle area / centreline length */
  meanWidthMm: number | null;
  /** mean darkness of wrinkle pixels below their 1.5 mm surroundings, in log-luminance Lg units (= L* units at 18 % grey; a contrast proxy for depth) */
  depthProxy: number | null;
  /** dominant wrinkle direction, degrees in [0, 180): 0 = horizontal, 90 = vertical (counter-clockwise on screen) */
  orientationDeg: number | null;
  /** baseline: Frangi ridge (dark valley) centreline length, mm per cm² */
  ridgeDensity: number | null;
  /** model id */
  model: string;
}

export interface WrinkleRegionResult {
  name: string;
  /** region skin area analysed (cm²) */
  areaCm2: number;
  wrinkles: WrinkleMeasures;
}

export interface WrinkleResult {
  /** weightsSha256: the first head's weights; contextSha256: the auto-context head's (null for a one-stage model) */
  model: { id: string; weightsSha256: string; contextSha256: string | null; backend: BackendName; tfjsVersion: string; threshold: number; ridgeThreshold: number };
  analysisMmPerPx: number;
  /** whether what lies beyond the regions was painted with the skin colour around it (options.fillOutside) */
  fillOutside: boolean;
  /** the band along the regions' outline left out of every region (mm; 0 = none; options.outlineGuardMm) */
  outlineGuardMm: number;
  regions: WrinkleRegionResult[];
  flags: QcFlag[];
  /** when options.includeMap: over `box` (image pixels) at the analysis resolution, the model's probability and the
   * wrinkle mask that was measured (threshold and minimum component applied; 1 = wrinkle) */
  map?: { box: Box; width: number; height: number; mmPerPx: number; prob: Float32Array; mask: Uint8Array };
}

function unionBox(regions: Region[], w: number, h: number): Box {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const r of regions) {
    x0 = Math.min(x0, r.box.x);
    y0 = Math.min(y0, r.box.y);
    x1 = Math.max(x1, r.box.x + r.box.width);
    y1 = Math.max(y1, r.box.y + r.box.height);
  }
  x0 = Math.max(0, Math.floor(x0));
  y0 = Math.max(0, Math.floor(y0));
  x1 = Math.min(w, Math.ceil(x1));
  y1 = Math.min(h, Math.ceil(y1));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** A region's box on the analysis grid (box = the analysed crop in image pixels, `factor` = grid px per image px) and
 * its mask there, each grid pixel taking the mask value of the image pixel under its centre. */
export function regionOnGrid(r: Region, box: Box, factor: number, W: number, H: number): { x0: number; y0: number; w: number; h: number; mask: Uint8Array; kept: number } {
  const x0 = Math.max(0, Math.floor((r.box.x - box.x) * factor)), y0 = Math.max(0, Math.floor((r.box.y - box.y) * factor));
  const x1 = Math.min(W, Math.ceil((r.box.x + r.box.width - box.x) * factor)), y1 = Math.min(H, Math.ceil((r.box.y + r.box.height - box.y) * factor));
  const w = Math.max(0, x1 - x0), h = Math.max(0, y1 - y0);
  const mask = new Uint8Array(w * h);
  let kept = 0;
  // source column of each grid column; the grid columns whose source lies inside the region's box are a run [xa, xb)
  const sx = new Int32Array(w);
  let xa = w, xb = 0;
  for (let x = 0; x < w; x++) {
    sx[x] = Math.floor(box.x + (x0 + x + 0.5) / factor) - r.box.x;
    if (sx[x] >= 0 && sx[x] < r.box.width) (xa = Math.min(xa, x)), (xb = x + 1);
  }
  for (let y = 0; y < h; y++) {
    const sy = Math.floor(box.y + (y0 + y + 0.5) / factor) - r.box.y;
    if (sy < 0 || sy >= r.box.height) continue;
    const src = sy * r.box.width, dst = y * w;
    for (let x = xa; x < xb; x++) {
      if (r.mask[src + sx[x]] === 0) continue;
      mask[dst + x] = 1;
      kept++;
    }
  }
  return { x0, y0, w, h, mask, kept };
}

/**
 * The union of the regions' masks on the analysis grid (W × H over `box`), as regionOnGrid would mark it region by
 * region: the masks are OR-ed at the photo's resolution over the box, then each grid pixel takes the value of the
 * photo pixel under its centre (the same source pixel regionOnGrid reads).
 */
export function unionOnGrid(regions: readonly Region[], box: Box, factor: number, W: number, H: number): Uint8Array {
  const bw = box.width, bh = box.height;
  const src = new Uint8Array(bw * bh);
  for (const r of regions) {
    const ox = r.box.x - box.x, oy = r.box.y - box.y, rw = r.box.width;
    const xa = Math.max(0, -ox), xb = Math.min(rw, bw - ox);
    for (let y = Math.max(0, -oy); y < Math.min(r.box.height, bh - oy); y++) {
      for (let x = xa, i = y * rw + xa, o = (oy + y) * bw + ox + xa; x < xb; x++, i++, o++) if (r.mask[i] !== 0) src[o] = 1;
    }
  }
  const union = new Uint8Array(W * H);
  const sx = new Int32Array(W);
  for (let x = 0; x < W; x++) sx[x] = Math.floor(box.x + (x + 0.5) / factor) - box.x;
  for (let y = 0; y < H; y++) {
    const sy = Math.floor(box.y + (y + 0.5) / factor) - box.y;
    if (sy < 0 || sy >= bh) continue;
    const row = sy * bw, dst = y * W;
    for (let x = 0; x < W; x++) {
      const c = sx[x];
      if (c >= 0 && c < bw && src[row + c] !== 0) union[dst + x] = 1;
    }
  }
  return union;
}

/** Takes the pixels of `list` (indices on a grid W wide) out of a region's mask on that grid. */
function leaveOut(g: { x0: number; y0: number; w: number; h: number; mask: Uint8Array; kept: number }, list: Int32Array, W: number): void {
  let kept = g.kept;
  for (let b = 0; b < list.length; b++) {
    const i = list[b], y = ((i / W) | 0) - g.y0, x = (i % W) - g.x0;
    if (x < 0 || y < 0 || x >= g.w || y >= g.h) continue;
    const k = y * g.w + x;
    if (g.mask[k]) (g.mask[k] = 0), kept--;
  }
  g.kept = kept;
}

/** First position in an ascending list whose value is ≥ v. */
function lowerBound(list: readonly number[], v: number): number {
  let lo = 0, hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function validate(raster: Raster, regions: RegionSet): void {
  if (!raster || !(raster.data instanceof Float32Array) || raster.channels < 3 || raster.data.length !== raster.width * raster.height * raster.channels) {
    throw invalidOption('raster', 'a linear-light sRGB Raster with 3 channels', raster);
  }
  if (!regions || !Array.isArray(regions.regions) || regions.regions.length === 0) {
    throw new DermametricsError('E_BAD_REGIONS', 'analyzeWrinkles needs at least one region: pass the RegionSet from the face module (or your own polygons).', {});
  }
  const mm = regions.scale?.mmPerPx;
  if (typeof mm !== 'number' || !(mm > 0) || !Number.isFinite(mm)) {
    throw new DermametricsError('E_BAD_REGIONS', 'Wrinkle measures are physical (mm, mm/cm²): RegionSet.scale.mmPerPx must be a positive number. Give the scale from a chart, the inter-pupillary distance, or --mm-per-px.', { mmPerPx: mm });
  }
  for (const r of regions.regions) {
    if (r.mask.length !== r.box.width * r.box.height) {
      throw new DermametricsError('E_BAD_REGIONS', `Region ${r.name}: mask has ${r.mask.length} bytes but its box is ${r.box.width}×${r.box.height}.`, { region: r.name });
    }
  }
}

/**
 * The options of analyzeWrinkles checked and resolved (the threshold only checked: its default is the model's), so a
 * caller that runs many photos (analyzePhoto, batch) can refuse a bad option before the first photo.
 * @throws DermametricsError E_INVALID_OPTION
 */
export function wrinkleOptions(options: WrinkleOptions = {}): { tilePx: number; threads: number; guardMm: number; fill: boolean } {
  if (options === null || typeof options !== 'object') throw invalidOption('options', 'an object', options);
  const tilePx = numberOption('options.tilePx', options.tilePx, TILE_PX, { min: 64, max: 4096, integer: true });
  const threads = numberOption('options.threads', options.threads, defaultThreads(), { min: 1, max: 64, integer: true });
  if (options.model !== undefined && (typeof options.model !== 'string' || options.model.length === 0)) throw invalidOption('options.model', 'a model id or folder path', options.model);
  if (options.threshold !== undefined) numberOption('options.threshold', options.threshold, 0, { min: 0, max: 1 });
  const guardMm = numberOption('options.outlineGuardMm', options.outlineGuardMm, DEFAULT_OUTLINE_GUARD_MM, { min: 0, max: 20 });
  if (options.fillOutside !== undefined && typeof options.fillOutside !== 'boolean') throw invalidOption('options.fillOutside', 'true or false', options.fillOutside);
  return { tilePx, threads, guardMm, fill: options.fillOutside ?? true };
}

/**
 * Wrinkle measures per region. The union of the regions' boxes is resampled to 0.1 mm/px (area averaging
 * downwards, bilinear upwards), analysed on log-luminance (see `logLuminancePlane`) by the fixed filter bank and the trained per-pixel head (tiled,
 * batched inference on the chosen TensorFlow.js backend), thresholded, and measured inside each region's mask.
 * Deterministic: the same input, options and backend give the same numbers.
 */
export async function analyzeWrinkles(raster: Raster, regions: RegionSet, options: WrinkleOptions = {}): Promise<WrinkleResult> {
  validate(raster, regions);
  const { tilePx, threads, guardMm, fill } = wrinkleOptions(options);
  const backend = await initBackend(options.backend);
  const m = await loadWrinkleModel(options.model ?? DEFAULT_WRINKLE_MODEL);
  const threshold = options.threshold ?? m.manifest.threshold;
  const A = WRINKLE_ANALYSIS_MM_PER_PX;
  const srcMm = regions.scale.mmPerPx;
  const flags: QcFlag[] = [];
  if (srcMm > A * 1.05) {
    flags.push(flag('wrinkle_low_resolution', `The photo has ${srcMm.toFixed(3)} mm per pixel, coarser than the ${A} mm/px analysis resolution: it is upsampled, and wrinkles narrower than about ${(2 * srcMm).toFixed(2)} mm cannot be seen. Use a higher-resolution photo for fine lines.`, { value: srcMm, threshold: A }));
  }
  const box = unionBox(regions.regions, raster.width, raster.height);
  const crop = cropRaster(raster, box);
  const { raster: work, factor } = resampleToScale(crop, srcMm, A);
  const W = work.width, H = work.height;
  // each region's mask on the analysis grid (nearest source pixel), and their union: the model runs only there
  const skin = unionOnGrid(regions.regions, box, factor, W, H);
  // with fillOutside, what lies beyond the regions is painted with the skin colour around it, so a region's measures do
  // not depend on it (outline.ts): hair or a dark background otherwise reach the filter bank as a step along the outline
  const outside = fill || guardMm > 0 ? outsideOf(skin, W, H) : new Uint8Array(0);
  if (fill) fillOutside(work, skin, outside, A);
  const minPx = m.manifest.minComponentPx;
  const slot = new Int32Array(W * H); // scratch of the component searches (left all 0 by each)
  // skeletons once for the whole analysed area; each region measures the part of them inside its mask. The baseline's
  // needs only the first stage's maps: it is made while the auto-context bands finish on the workers
  let ridgeSkel: ReturnType<typeof thinPixels> | undefined;
  const ridgeOf = (f: Float32Array) => thinPixels(thresholdPixels(f, W, H, { threshold: m.manifest.ridgeThreshold, minPx }, slot).mask, W, H);
  // with outlineGuardMm, a band along the outline (outline.ts) is left out of the measured maps and of every region. It
  // is made while the workers compute the first tiles (this thread waits for them anyway); the maps the context bands
  // read stay as they are (a band on a worker may still be reading them): the baseline is thresholded on a trimmed
  // copy, the probability once all bands are back.
  let band: Int32Array | undefined;
  const bandOf = (): Int32Array => (band ??= outlineBand(skin, outside, W, H, guardMm / A));
  const trim = (map: Float32Array): Float32Array => {
    for (const i of bandOf()) map[i] = 0;
    return map;
  };
  const baseline = (frangi: Float32Array): Float32Array => (guardMm > 0 ? trim(frangi.slice()) : frangi);
  const mapsDone = computeWrinkleMapsThreaded(work, A, m, tilePx, skin, threads, (first) => (ridgeSkel = ridgeOf(baseline(first.frangi))));
  // each region's own mask on the grid is needed only to measure: made while the workers compute the first tiles
  const grids = regions.regions.map((r) => regionOnGrid(r, box, factor, W, H));
  if (guardMm > 0) bandOf();
  const maps = await mapsDone;
  ridgeSkel ??= ridgeOf(baseline(maps.frangi));
  if (guardMm > 0) {
    trim(maps.prob);
    for (const g of grids) leaveOut(g, bandOf(), W);
  }
  const wrinkleMask = thresholdPixels(maps.prob, W, H, { threshold, minPx }, slot);
  const id = m.manifest.id;
  const results: WrinkleRegionResult[] = [];
  const modelSkel = thinPixels(wrinkleMask.mask, W, H);
  const skelAll = modelSkel.skeleton, ridgeSkelAll = ridgeSkel.skeleton;
  // the few mask and skeleton pixels as lists (raster order): each region walks these, not its whole box
  const modelPx = wrinkleMask.pixels, skelPx = modelSkel.pixels, ridgePx = ridgeSkel.pixels;
  regions.regions.forEach((r, ri) => {
    const g = grids[ri];
    const inside = (x: number, y: number): boolean => {
      const lx = x - g.x0, ly = y - g.y0;
      return lx >= 0 && ly >= 0 && lx < g.w && ly < g.h && g.mask[ly * g.w + lx] === 1;
    };
    const insideIndex = (q: number): boolean => inside(q % W, Math.floor(q / W));
    // the part of a raster-ordered list inside the region: its box's rows found by bisection, then the mask
    const within = (list: number[]): number[] => list.slice(lowerBound(list, g.y0 * W), lowerBound(list, (g.y0 + g.h) * W)).filter(insideIndex);
    const onRegion = (grid: Uint8Array) => (x: number, y: number): boolean => inside(x, y) && grid[y * W + x] === 1;
    const areaPx = g.kept;
    const areaCm2 = (areaPx * A * A) / 100;
    if (areaPx === 0) {
      flags.push(flag('wrinkle_empty_region', `Region ${r.name} has no skin pixels: no wrinkle measures.`, { region: r.name }));
      results.push({ name: r.name, areaCm2: 0, wrinkles: { areaFraction: null, lengthDensity: null, count: null, meanWidthMm: null, depthProxy: null, orientationDeg: null, ridgeDensity: null, model: id } });
      return;
    }
    const wrinkle = within(modelPx);
    let depth = 0;
    for (const q of wrinkle) depth -= maps.contrast[q];
    const area = wrinkle.length;
    const skel = within(skelPx);
    const lenMm = skeletonLengthOf(skel, W, onRegion(skelAll)) * A;
    const ridgeLenMm = skeletonLengthOf(within(ridgePx), W, onRegion(ridgeSkelAll)) * A;
    let c2 = 0, s2 = 0;
    for (const q of skel) {
      const t = (2 * maps.orientationDeg[q] * Math.PI) / 180;
      c2 += Math.cos(t);
      s2 += Math.sin(t);
    }
    let orientation: number | null = null;
    if (c2 !== 0 || s2 !== 0) {
      orientation = (Math.atan2(s2, c2) * 90) / Math.PI; // doubled-angle mean of axial data [Mardia2000] §3.5.5
      if (orientation < 0) orientation += 180;
    }
    const segments = componentSizes(wrinkle, W, slot).filter((n) => n >= minPx).length;
    const round = (v: number, d: number): number => Math.round(v * 10 ** d) / 10 ** d;
    results.push({
      name: r.name,
      areaCm2: round(areaCm2, 4),
      wrinkles: {
        areaFraction: round((100 * area) / areaPx, 4),
        lengthDensity: round(lenMm / areaCm2, 3),
        count: segments,
        meanWidthMm: lenMm > 0 ? round((area * A * A) / lenMm, 4) : 0,
        depthProxy: area > 0 ? round(depth / area, 3) : 0,
        orientationDeg: orientation === null ? null : round(orientation, 2),
        ridgeDensity: round(ridgeLenMm / areaCm2, 3),
        model: id,
      },
    });
    if (orientation === null) flags.push(flag('wrinkle_none_found', `No wrinkle found in ${r.name}: orientationDeg is null.`, { region: r.name }));
  });
  const out: WrinkleResult = {
    model: { id, weightsSha256: m.weightsSha256, contextSha256: m.context?.weightsSha256 ?? null, backend: backend.name, tfjsVersion: backend.tfjsVersion, threshold, ridgeThreshold: m.manifest.ridgeThreshold },
    analysisMmPerPx: A,
    fillOutside: fill,
    outlineGuardMm: guardMm,
    regions: results,
    flags,
  };
  if (options.includeMap) out.map = { box, width: W, height: H, mmPerPx: A, prob: maps.prob, mask: wrinkleMask.mask };
  return out;
}
