/** RegionSets for tests: rectangles (all pixels kept) with a physical scale. */
import type { Region, RegionSet } from '../../src/face/types';

export interface Rect {
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export function rectRegion(r: Rect, mask?: Uint8Array): Region {
  const m = mask ?? new Uint8Array(r.width * r.height).fill(1);
  let kept = 0;
  for (const v of m) if (v) kept++;
  return {
    name: r.name,
    polygon: [
      [r.x, r.y],
      [r.x + r.width, r.y],
      [r.x + r.width, r.y + r.height],
      [r.x, r.y + r.height],
    ],
    box: { x: r.x, y: r.y, width: r.width, height: r.height },
    mask: m,
    pixelsInside: r.width * r.height,
    pixelsKept: kept,
    removedFraction: 1 - kept / (r.width * r.height),
  };
}

export function rectRegionSet(imageWidth: number, imageHeight: number, rects: Rect[], mmPerPx: number | null): RegionSet {
  return {
    imageWidth,
    imageHeight,
    source: 'caller-polygons',
    regions: rects.map((r) => rectRegion(r)),
    scale: mmPerPx === null ? { mmPerPx: NaN, source: 'none' } : { mmPerPx, source: 'caller' },
    flags: [],
  };
}
