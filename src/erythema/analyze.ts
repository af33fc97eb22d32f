import { DermametricsError, choiceOption, invalidOption, numberOption } from '../errors';
import { flag, type QcFlag } from '../flags';
import type { Point, Raster } from '../image/raster';
import type { Region, RegionSet } from '../face/types';
import { binArea, boxToCellWindow, maskToCells, polygonToCells, unionWindow, type CellGrid, type CellWindow } from './bin';
import { estimatePigmentVectors, type PigmentEstimate } from './estimate';
import { computeMaps, MAP_NAMES, type ErythemaMapArrays, type ErythemaMapName } from './maps';
import { summarizeCells, type ErythemaStat } from './stats';
import { DEFAULT_HEMOGLOBIN_OD, DEFAULT_MELANIN_OD, projectPigmentVector, separationMatrix, type Vec3 } from './vectors';

export type AreaMeasure = 'hemoglobin' | 'aStar' | 'erythemaIndex';
const AREA_MEASURES: readonly AreaMeasure[] = ['hemoglobin', 'aStar', 'erythemaIndex'];
/** Default area thresholds above reference skin: +3 hemoglobin-index units ≈ doubling dermal blood near 1 %
 * (phantom calibration, docs/erythema.md); Δa* = 3 (about one just-noticeable step of redness); EI +4. */
export const DEFAULT_AREA_THRESHOLDS: Readonly<Record<AreaMeasure, number>> = { hemoglobin: 3, aStar: 3, erythemaIndex: 4 };

export interface ErythemaOptions {
  /** analysis resolution: area-average (linear light) to about this many mm per pixel first (default 0.2) */
  analysisMmPerPx?: number;
  /** 'default' (literature-derived, fixed: comparable across photos), 'estimate' (per-photo ICA, falls back to
   * the defaults when implausible), or explicit vectors in −log10(linear sRGB) space */
  pigmentVectors?: 'default' | 'estimate' | { hemoglobin: readonly number[]; melanin: readonly number[] };
  /** largest angle (deg) an estimated vector may differ from its default before the estimate is rejected (25) */
  maxEstimateAngleDeg?: number;
  /** reference skin for deltas and the area baseline: a region name of `regions`, or a polygon in image pixels */
  reference?: string | Point[];
  /** which map the erythema area fraction thresholds (default 'hemoglobin') */
  areaMeasure?: AreaMeasure;
  /** threshold above the reference median, in the measure's units (defaults: DEFAULT_AREA_THRESHOLDS) */
  areaThreshold?: number;
  /** linear value at or above which a pixel counts as clipped (default 0.995) */
  clipLevel?: number;
  /** return the per-pixel maps (rasters at the analysis resolution) under `maps` (default false): `true` computes
   * them over the analysed extent (the bounding box of the regions and the reference; NaN and invalid outside it),
   * `'full'` over the whole photo (slower: every pixel of the photo is read) */
  maps?: boolean | 'full';
}

/** Statistics per measure for one region (JSON names used by the CLI and PhotoScore). */
export interface ErythemaMeasures {
  aStar: ErythemaStat;
  lStar: ErythemaStat;
  bStar: ErythemaStat;
  ita: ErythemaStat;
  erythemaIndex: ErythemaStat;
  melaninIndex: ErythemaStat;
  hemoglobin: ErythemaStat;
  melanin: ErythemaStat;
  /** fraction of kept cells whose areaMeasure exceeds the reference median + threshold (null without pixels) */
  areaFraction: number | null;
}

/** Region mean minus reference mean. */
export interface ErythemaDelta {
  aStar: number | null;
  erythemaIndex: number | null;
  hemoglobin: number | null;
  melanin: number | null;
}

export interface ErythemaRegionResult {
  name: string;
  /** analysis cells kept (skin, valid, majority inside the region) */
  pixels: number;
  erythema: ErythemaMeasures;
  /** vs the reference region (null without a reference) */
  delta: ErythemaDelta | null;
}

/** The per-pixel maps as single-channel rasters at the analysis resolution, plus the validity mask. */
export type ErythemaMaps = Record<ErythemaMapName, Raster> & {
  valid: Uint8Array;
  /** the analysis pixels the maps were computed for (the rest are NaN and not valid); the whole grid with maps: 'full' */
  extent: AnalysisExtent;
  /** full-resolution pixels per analysis pixel (side) */
  binPx: number;
  mmPerPx: number | null;
  imageWidth: number;
  imageHeight: number;
};

/** A rectangle of analysis pixels. */
export interface AnalysisExtent {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ErythemaResult {
  analysis: {
    /** side of the square of full-resolution pixels averaged into one analysis pixel */
    binPx: number;
    /** physical size of an analysis pixel (null when the photo has no scale) */
    mmPerPx: number | null;
    width: number;
    height: number;
    /** analysis pixels computed: the bounding box of the regions and the reference (whole grid with maps: 'full',
     * or without regions); pixels outside it are never read */
    extent: AnalysisExtent;
    /** fraction of the extent's analysis pixels rejected as clipped / black */
    clippedFraction: number;
    darkFraction: number;
    whitePoint: 'D65';
    observer: '2deg';
  };
  pigmentVectors: {
    used: 'default' | 'estimate' | 'caller';
    hemoglobin: Vec3;
    melanin: Vec3;
    defaults: { hemoglobin: Vec3; melanin: Vec3 };
    estimate: PigmentEstimate | null;
  };
  area: { measure: AreaMeasure; threshold: number; baseline: number | null; baselineSource: string };
  reference: { name: string; pixels: number; erythema: ErythemaMeasures } | null;
  regions: ErythemaRegionResult[];
  flags: QcFlag[];
  maps?: ErythemaMaps;
}

function validateRaster(raster: Raster): void {
  if (!raster || !(raster.data instanceof Float32Array) || raster.channels < 3 || raster.width < 1 || raster.height < 1) {
    throw invalidOption('raster', 'a linear sRGB Raster with >= 3 channels (loadImage(...).raster)', raster);
  }
  if (raster.data.length < raster.width * raster.height * raster.channels) {
    throw new DermametricsError('E_INVALID_OPTION', `raster.data holds ${raster.data.length} values, fewer than width × height × channels`, {
      option: 'raster',
    });
  }
}

function validateRegions(regions: RegionSet, raster: Raster): void {
  if (!regions || !Array.isArray(regions.regions)) {
    throw new DermametricsError('E_BAD_REGIONS', 'regions must be a RegionSet (from findFaceRegions, regionsFromPolygons or wholeImageRegions)', {});
  }
  if (regions.imageWidth !== raster.width || regions.imageHeight !== raster.height) {
    throw new DermametricsError(
      'E_BAD_REGIONS',
      `regions were made for a ${regions.imageWidth}×${regions.imageHeight} image but the raster is ${raster.width}×${raster.height}; build the regions on the same (oriented) photo`,
      { imageWidth: regions.imageWidth, imageHeight: regions.imageHeight },
    );
  }
  for (const r of regions.regions) {
    if (!r.box || !(r.mask instanceof Uint8Array) || r.mask.length !== r.box.width * r.box.height) {
      throw new DermametricsError('E_BAD_REGIONS', `region '${r.name}': mask must be a Uint8Array of box.width × box.height bytes`, { region: r.name });
    }
  }
}

/**
 * Erythema maps and per-region statistics of one photo.
 *
 * Input: a linear-light sRGB (D65) raster — ideally chart-corrected — and where to measure (a RegionSet).
 * The raster is area-averaged in linear light by an integer factor to ≈ `analysisMmPerPx` (redness is a
 * low-frequency signal; this also averages sensor noise before any logarithm), then per analysis pixel:
 * CIELAB (D65/2°), ITA° [Chardon1991], the Diffey erythema and melanin indices [Diffey1984], and haemoglobin /
 * melanin indices by optical-density separation [Tsumura2003]. Per region: mean, median, SD, p10, p90 over kept
 * cells, the fraction of cells above reference + threshold, and mean differences to the reference.
 *
 * @throws DermametricsError E_INVALID_OPTION (bad raster or option), E_BAD_REGIONS (regions for another image,
 *   unknown reference name)
 */
export function analyzeErythema(raster: Raster, regions: RegionSet, options: ErythemaOptions = {}): ErythemaResult {
  validateRaster(raster);
  validateRegions(regions, raster);
  const targetMm = numberOption('options.analysisMmPerPx', options.analysisMmPerPx, 0.2, { min: 0.01, max: 10 });
  const clipLevel = numberOption('options.clipLevel', options.clipLevel, 0.995, { min: 0.5, max: 10 });
  const maxAngle = numberOption('options.maxEstimateAngleDeg', options.maxEstimateAngleDeg, 25, { min: 0, max: 90 });
  const areaMeasure = choiceOption('options.areaMeasure', options.areaMeasure, AREA_MEASURES, 'hemoglobin');
  const areaThreshold = numberOption('options.areaThreshold', options.areaThreshold, DEFAULT_AREA_THRESHOLDS[areaMeasure]);
  const flags: QcFlag[] = []; // region-level flags stay with the RegionSet

  // 1. Analysis resolution.
  const mmPerPx = regions.scale?.mmPerPx;
  const hasScale = regions.scale?.source !== 'none' && typeof mmPerPx === 'number' && Number.isFinite(mmPerPx) && mmPerPx > 0;
  let k = 1;
  if (hasScale) k = Math.max(1, Math.round(targetMm / (mmPerPx as number)));
  else flags.push(flag('erythema_no_scale', 'The photo has no physical scale: maps are computed at full resolution (no area averaging); statistics are not comparable between photos of different resolution'));
  const grid = { width: Math.ceil(raster.width / k), height: Math.ceil(raster.height / k), imageWidth: raster.width, imageHeight: raster.height };
  const extent = analysisWindow(regions, options, k, grid);
  // Everything below works on the extent's cells only (cell indices local to it): a 12 MP face photo (~0.18 mm/px) is
  // binned 1×1, and its face box is a seventh of the grid; whole-grid maps are made only when asked for.
  const local: CellGrid = { ...grid, x0: extent.x0, y0: extent.y0, width: extent.x1 - extent.x0, height: extent.y1 - extent.y0 };
  const nExtent = local.width * local.height;
  const binned = binArea(raster, k, clipLevel, extent);

  // 2. Regions → analysis cells.
  const regionCells = regions.regions.map((r: Region) => maskToCells(r.mask, r.box, k, local, binned.valid));

  // 3. Pigment vectors.
  const defaults = { hemoglobin: projectPigmentVector(DEFAULT_HEMOGLOBIN_OD), melanin: projectPigmentVector(DEFAULT_MELANIN_OD) };
  let used: 'default' | 'estimate' | 'caller' = 'default';
  let hVec: Vec3 = defaults.hemoglobin;
  let mVec: Vec3 = defaults.melanin;
  let estimate: PigmentEstimate | null = null;
  const pv = options.pigmentVectors ?? 'default';
  if (typeof pv === 'object' && pv !== null) {
    if (!Array.isArray(pv.hemoglobin) || pv.hemoglobin.length !== 3 || !Array.isArray(pv.melanin) || pv.melanin.length !== 3) {
      throw invalidOption('options.pigmentVectors', "'default', 'estimate' or { hemoglobin: [r, g, b], melanin: [r, g, b] }", pv);
    }
    hVec = projectPigmentVector(pv.hemoglobin, 'options.pigmentVectors.hemoglobin');
    mVec = projectPigmentVector(pv.melanin, 'options.pigmentVectors.melanin');
    used = 'caller';
  } else if (pv === 'estimate') {
    const union = unionCells(regionCells, nExtent);
    const od = new Float64Array(union.length * 3);
    const d = binned.raster.data;
    for (let i = 0; i < union.length; i++) {
      for (let c = 0; c < 3; c++) od[3 * i + c] = -Math.log10(Math.max(1e-4, d[3 * union[i] + c]));
    }
    estimate = estimatePigmentVectors(od, defaults, maxAngle);
    if (estimate.accepted) {
      hVec = estimate.hemoglobin;
      mVec = estimate.melanin;
      used = 'estimate';
    } else {
      flags.push(flag('erythema_estimate_rejected', `Per-photo pigment vectors not used (${estimate.reason}); the default vectors were used`));
    }
  } else if (pv !== 'default') {
    throw invalidOption('options.pigmentVectors', "'default', 'estimate' or { hemoglobin: [r, g, b], melanin: [r, g, b] }", pv);
  }
  const W = separationMatrix(hVec, mVec);

  // 4. Maps (one pass).
  const maps = computeMaps(binned.raster, W, binned.valid);

  // 5. Reference.
  let refCells: Uint32Array | null = null;
  let refName = '';
  if (options.reference !== undefined) {
    if (typeof options.reference === 'string') {
      const idx = regions.regions.findIndex((r) => r.name === options.reference);
      if (idx < 0) {
        throw new DermametricsError(
          'E_BAD_REGIONS',
          `options.reference '${options.reference}' is not one of the regions (${regions.regions.map((r) => r.name).join(', ')}); pass a region name or a polygon`,
          { option: 'options.reference' },
        );
      }
      refCells = regionCells[idx];
      refName = options.reference;
    } else if (isPolygon(options.reference)) {
      refCells = polygonToCells(options.reference, k, local, binned.valid);
      refName = 'reference_polygon';
    } else {
      throw invalidOption('options.reference', 'a region name or a polygon of >= 3 [x, y] points', options.reference);
    }
    if (refCells.length === 0) flags.push(flag('erythema_reference_empty', `The reference '${refName}' has no kept pixels: no deltas, area baseline from other skin`, { region: refName }));
  }

  // 6. Area baseline: reference median, else full_face, else all kept cells.
  let baselineCells: Uint32Array;
  let baselineSource: string;
  const fullIdx = regions.regions.findIndex((r) => r.name === 'full_face');
  if (refCells && refCells.length > 0) {
    baselineCells = refCells;
    baselineSource = refName;
  } else if (fullIdx >= 0 && regionCells[fullIdx].length > 0) {
    baselineCells = regionCells[fullIdx];
    baselineSource = 'full_face';
  } else {
    baselineCells = unionCells(regionCells, nExtent);
    baselineSource = 'all_regions';
  }
  const areaMap = maps[areaMeasure];
  const baseline = baselineCells.length > 0 ? summarizeCells(areaMap, baselineCells).median : null;
  if (baseline === null) flags.push(flag('erythema_no_skin', 'No kept skin pixels in any region: every statistic is null'));
  const cut = baseline === null ? null : baseline + areaThreshold;

  // Bounds of each map over valid cells (from the maps pass): every region's statistics run in one pass plus the bucket pass.
  const ranges = maps.ranges;
  const measure = (cells: Uint32Array, name: string): ErythemaMeasures => {
    const out = {} as ErythemaMeasures;
    for (const key of MAP_NAMES) out[key] = summarizeCells(maps[key], cells, ranges[key]);
    let above = 0;
    if (cut !== null) for (let i = 0; i < cells.length; i++) if (areaMap[cells[i]] > cut) above++;
    out.areaFraction = cells.length > 0 && cut !== null ? above / cells.length : null;
    if (cells.length === 0) flags.push(flag('erythema_region_empty', `Region '${name}' has no kept skin pixels at the analysis resolution: its statistics are null`, { region: name }));
    return out;
  };

  const perRegion = regions.regions.map((r, i) => measure(regionCells[i], r.name));
  const refIdx = typeof options.reference === 'string' ? regions.regions.findIndex((r) => r.name === options.reference) : -1;
  const reference = refCells
    ? { name: refName, pixels: refCells.length, erythema: refIdx >= 0 ? perRegion[refIdx] : measure(refCells, refName) }
    : null;
  const results: ErythemaRegionResult[] = regions.regions.map((r, i) => {
    const erythema = perRegion[i];
    let delta: ErythemaDelta | null = null;
    if (reference) {
      const d = (a: ErythemaStat, b: ErythemaStat) => (a.mean === null || b.mean === null ? null : a.mean - b.mean);
      delta = {
        aStar: d(erythema.aStar, reference.erythema.aStar),
        erythemaIndex: d(erythema.erythemaIndex, reference.erythema.erythemaIndex),
        hemoglobin: d(erythema.hemoglobin, reference.erythema.hemoglobin),
        melanin: d(erythema.melanin, reference.erythema.melanin),
      };
    }
    return { name: r.name, pixels: regionCells[i].length, erythema, delta };
  });

  const outMm = hasScale ? k * (mmPerPx as number) : null;
  const result: ErythemaResult = {
    analysis: {
      binPx: k,
      mmPerPx: outMm,
      width: grid.width,
      height: grid.height,
      extent: { x: extent.x0, y: extent.y0, width: extent.x1 - extent.x0, height: extent.y1 - extent.y0 },
      clippedFraction: nExtent > 0 ? binned.clippedCells / nExtent : 0,
      darkFraction: nExtent > 0 ? binned.darkCells / nExtent : 0,
      whitePoint: 'D65',
      observer: '2deg',
    },
    pigmentVectors: { used, hemoglobin: hVec, melanin: mVec, defaults, estimate },
    area: { measure: areaMeasure, threshold: areaThreshold, baseline, baselineSource },
    reference,
    regions: results,
    flags,
  };
  if (options.maps) result.maps = toMaps(maps, binned.valid, local, grid, k, outMm, result.analysis.extent);
  return result;
}

/**
 * The analysis cells to compute: the bounding box of the regions' boxes and of a reference polygon (one cell of
 * margin: its cells are chosen by their centres). The whole grid with maps: 'full' or without regions.
 */
function analysisWindow(
  regions: RegionSet,
  options: ErythemaOptions,
  k: number,
  grid: { width: number; height: number; imageWidth: number; imageHeight: number },
): CellWindow {
  const whole = { x0: 0, y0: 0, x1: grid.width, y1: grid.height };
  if (options.maps === 'full' || regions.regions.length === 0) return whole;
  const windows = regions.regions.map((r) => boxToCellWindow(r.box, k, grid));
  const ref = options.reference;
  if (isPolygon(ref)) {
    const xs = ref.map((p) => p[0]);
    const ys = ref.map((p) => p[1]);
    const x = Math.min(...xs) - k;
    const y = Math.min(...ys) - k;
    windows.push(boxToCellWindow({ x, y, width: Math.max(...xs) + k - x, height: Math.max(...ys) + k - y }, k, grid));
  }
  return unionWindow(windows);
}

/** A reference polygon as the options accept it: ≥ 3 finite [x, y] points. */
function isPolygon(p: unknown): p is Point[] {
  return Array.isArray(p) && p.length >= 3 && p.every((q) => Array.isArray(q) && q.length === 2 && q.every(Number.isFinite));
}

function unionCells(lists: Uint32Array[], n: number): Uint32Array {
  const seen = new Uint8Array(n);
  let count = 0;
  for (const l of lists) for (let i = 0; i < l.length; i++) if (!seen[l[i]]) (seen[l[i]] = 1), count++;
  const out = new Uint32Array(count);
  for (let i = 0, j = 0; i < n; i++) if (seen[i]) out[j++] = i;
  return out;
}

function toMaps(
  m: ErythemaMapArrays,
  valid: Uint8Array,
  local: CellGrid,
  grid: { width: number; height: number; imageWidth: number; imageHeight: number },
  k: number,
  mmPerPx: number | null,
  extent: AnalysisExtent,
): ErythemaMaps {
  // the extent's cells placed on the whole grid: NaN (and not valid) outside it
  const x0 = local.x0 ?? 0, y0 = local.y0 ?? 0;
  const W = grid.width;
  const whole = x0 === 0 && y0 === 0 && local.width === W && local.height === grid.height; // maps: 'full'
  const place = <T extends Float32Array | Uint8Array>(src: T, out: T, outside: number): T => {
    if (whole) return src;
    out.fill(outside, 0, y0 * W);
    for (let y = 0; y < local.height; y++) {
      const row = (y0 + y) * W;
      out.fill(outside, row, row + x0);
      out.set(src.subarray(y * local.width, (y + 1) * local.width), row + x0);
      out.fill(outside, row + x0 + local.width, row + W);
    }
    out.fill(outside, (y0 + local.height) * W);
    return out;
  };
  const r = (data: Float32Array): Raster => ({ width: W, height: grid.height, channels: 1, data: place(data, new Float32Array(whole ? 0 : W * grid.height), NaN) });
  return {
    aStar: r(m.aStar),
    lStar: r(m.lStar),
    bStar: r(m.bStar),
    ita: r(m.ita),
    erythemaIndex: r(m.erythemaIndex),
    melaninIndex: r(m.melaninIndex),
    hemoglobin: r(m.hemoglobin),
    melanin: r(m.melanin),
    valid: place(valid, new Uint8Array(whole ? 0 : W * grid.height), 0),
    extent,
    binPx: k,
    mmPerPx,
    imageWidth: grid.imageWidth,
    imageHeight: grid.imageHeight,
  };
}
