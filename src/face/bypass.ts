import { DermametricsError, invalidOption } from '../errors';
import type { Mask, Raster } from '../image/raster';
import { validateRaster } from './detect';
import { buildRegion, checkPolygon } from './region-build';
import { physicalScale, type ScaleOptions } from './scale';
import type { Point, Region, RegionSet } from './types';

/** Options for caller-supplied regions: the scale comes from `mmPerPx` or `chart` (there is no face to measure an IPD on). */
export type CallerRegionOptions = Omit<ScaleOptions, 'ipdMm'>;

function scaleOf(options: CallerRegionOptions) {
  const o = options ?? {};
  if (typeof o !== 'object') throw invalidOption('options', 'an object', o);
  return physicalScale(o);
}

function checkName(name: string): void {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) {
    throw new DermametricsError('E_BAD_REGIONS', `Region name "${name.slice(0, 80)}" is not allowed: use 1–64 letters, digits, '_', '-' or '.'.`, { region: name });
  }
}

/**
 * The caller's own regions: `{ name: [[x, y], …] }` in full-resolution image pixels (JSON-compatible). Every pixel
 * inside a polygon is kept (no skin mask: the caller drew the skin). Names are free; the standard ones (REGION_NAMES)
 * are recommended so downstream tables line up.
 */
export function regionsFromPolygons(polygons: Record<string, unknown>, raster: Raster, options: CallerRegionOptions = {}): RegionSet {
  validateRaster(raster);
  if (!polygons || typeof polygons !== 'object' || Array.isArray(polygons)) {
    throw new DermametricsError('E_BAD_REGIONS', 'Regions must be a JSON object {"name": [[x, y], ...], ...} in image pixels.', {});
  }
  const names = Object.keys(polygons).sort();
  if (names.length === 0) throw new DermametricsError('E_BAD_REGIONS', 'The regions object is empty: give at least one {"name": [[x, y], ...]}.', {});
  const regions: Region[] = names.map((name) => {
    checkName(name);
    const poly = checkPolygon(name, polygons[name]);
    const r = buildRegion(name, poly, raster.width, raster.height);
    if (r.pixelsInside === 0) {
      throw new DermametricsError('E_BAD_REGIONS', `Region "${name}" lies outside the ${raster.width}×${raster.height} image (no pixel centre inside it). Coordinates are full-resolution pixels.`, { region: name });
    }
    return r;
  });
  const { scale, flags } = scaleOf(options);
  return { imageWidth: raster.width, imageHeight: raster.height, source: 'caller-polygons', regions, scale, flags };
}

/**
 * Regions from a label mask the size of the photo: `labels` maps a mask value (1–255) to a region name; pixels with
 * other values belong to no region. A plain binary mask (any non-zero = skin) becomes one region named `name`
 * (default 'whole'). The region polygon is the mask's bounding rectangle; its `mask` holds the exact pixels.
 */
export function regionsFromMask(mask: Mask, raster: Raster, options: CallerRegionOptions & { labels?: Record<number, string>; name?: string } = {}): RegionSet {
  validateRaster(raster);
  if (!mask || !(mask.data instanceof Uint8Array) || mask.width !== raster.width || mask.height !== raster.height || mask.data.length !== mask.width * mask.height) {
    throw new DermametricsError('E_BAD_REGIONS', `The mask must be a Mask {width, height, data: Uint8Array} of the photo's size (${raster.width}×${raster.height}).`, {
      expected: [raster.width, raster.height],
      actual: mask ? [mask.width, mask.height] : null,
    });
  }
  const labels: [number, string][] = options.labels
    ? Object.entries(options.labels).map(([k, v]) => [Number(k), String(v)] as [number, string])
    : [[-1, options.name ?? 'whole']];
  for (const [value, name] of labels) {
    checkName(name);
    if (value !== -1 && (!Number.isInteger(value) || value < 1 || value > 255)) {
      throw new DermametricsError('E_BAD_REGIONS', `Mask label ${value} must be an integer 1–255.`, { value });
    }
  }
  labels.sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const W = raster.width;
  const regions: Region[] = labels.map(([value, name]) => {
    const hit = (v: number) => (value === -1 ? v !== 0 : v === value);
    let x0 = W, y0 = raster.height, x1 = -1, y1 = -1;
    for (let y = 0; y < raster.height; y++) {
      for (let x = 0; x < W; x++) {
        if (!hit(mask.data[y * W + x])) continue;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
    if (x1 < 0) throw new DermametricsError('E_BAD_REGIONS', `The mask has no pixel for region "${name}"${value === -1 ? ' (all zero)' : ` (value ${value})`}.`, { region: name });
    const box = { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
    const m = new Uint8Array(box.width * box.height);
    let n = 0;
    for (let y = 0; y < box.height; y++) {
      for (let x = 0; x < box.width; x++) {
        if (hit(mask.data[(y + y0) * W + x + x0])) {
          m[y * box.width + x] = 1;
          n++;
        }
      }
    }
    const polygon: Point[] = [[x0, y0], [x1 + 1, y0], [x1 + 1, y1 + 1], [x0, y1 + 1]];
    return { name, polygon, box, mask: m, pixelsInside: n, pixelsKept: n, removedFraction: 0 };
  });
  const { scale, flags } = scaleOf(options);
  return { imageWidth: raster.width, imageHeight: raster.height, source: 'caller-mask', regions, scale, flags };
}

/** One region 'whole' covering the photo: for a photo that is already a cropped skin patch. */
export function wholeRegions(raster: Raster, options: CallerRegionOptions = {}): RegionSet {
  validateRaster(raster);
  const poly: Point[] = [[0, 0], [raster.width, 0], [raster.width, raster.height], [0, raster.height]];
  const { scale, flags } = scaleOf(options);
  return { imageWidth: raster.width, imageHeight: raster.height, source: 'whole', regions: [buildRegion('whole', poly, raster.width, raster.height)], scale, flags };
}
