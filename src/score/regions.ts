import { DermametricsError } from '../errors';
import { buildRegion } from '../face/region-build';
import type { Point, RegionSet } from '../face/types';
import type { Raster } from '../image/raster';

/** Regions the caller gives: 'whole' (one region `whole` = the full photo) or named polygons in image pixels. */
export function callerRegions(raster: Raster, spec: 'whole' | Record<string, Point[]>, options: { mmPerPx?: number }): RegionSet {
  const { width, height } = raster;
  const entries: [string, Point[]][] =
    spec === 'whole'
      ? [['whole', [[0, 0], [width, 0], [width, height], [0, height]]]]
      : Object.entries(spec);
  if (entries.length === 0) throw new DermametricsError('E_BAD_REGIONS', 'options.regions has no polygons. Give { name: [[x, y], ...] } in image pixels, or "whole".', {});
  const regions = entries.map(([name, poly]) => buildRegion(name, poly, width, height));
  const scale = options.mmPerPx ? { mmPerPx: options.mmPerPx, source: 'caller' as const } : { mmPerPx: NaN, source: 'none' as const };
  return { imageWidth: width, imageHeight: height, source: spec === 'whole' ? 'whole' : 'caller-polygons', regions, scale, flags: [] };
}
