import { DermametricsError } from '../errors';
import { dedupe, polygonArea, polygonBox, rasterizePolygon, selfIntersects } from './polygon';
import type { Box, Point, Region } from './types';

/** A keep-mask (1 = skin) at some working resolution: `sx`, `sy` are working px per full-resolution px. */
export interface KeepMask {
  box: Box;
  data: Uint8Array;
  sx: number;
  sy: number;
}

/** Rasterise `polygon` at full resolution and AND it with the keep-mask (pixels outside the keep-mask's box are dropped). */
export function buildRegion(name: string, polygon: readonly Point[], width: number, height: number, keep?: KeepMask): Region {
  const poly = dedupe(polygon);
  const box = polygonBox(poly, width, height);
  const mask = box.width > 0 && box.height > 0 ? rasterizePolygon(poly, box) : new Uint8Array(0);
  let inside = 0;
  let kept = 0;
  if (keep) {
    const kx = new Int32Array(box.width);
    for (let c = 0; c < box.width; c++) kx[c] = Math.floor((box.x + c + 0.5) * keep.sx) - keep.box.x;
    for (let r = 0; r < box.height; r++) {
      const ky = Math.floor((box.y + r + 0.5) * keep.sy) - keep.box.y;
      const rowOk = ky >= 0 && ky < keep.box.height;
      const base = ky * keep.box.width;
      for (let c = 0, i = r * box.width; c < box.width; c++, i++) {
        if (!mask[i]) continue;
        inside++;
        const x = kx[c];
        if (rowOk && x >= 0 && x < keep.box.width && keep.data[base + x]) kept++;
        else mask[i] = 0;
      }
    }
  } else {
    for (let i = 0; i < mask.length; i++) inside += mask[i];
    kept = inside;
  }
  return {
    name,
    polygon: poly,
    box,
    mask,
    pixelsInside: inside,
    pixelsKept: kept,
    removedFraction: inside > 0 ? Math.round((1 - kept / inside) * 1e6) / 1e6 : 1,
  };
}

/** Validate one caller polygon: ≥ 3 finite vertices, non-zero area, no crossing edges. */
export function checkPolygon(name: string, poly: unknown): Point[] {
  if (!Array.isArray(poly) || poly.length < 3 || !poly.every((p) => Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]))) {
    throw new DermametricsError('E_BAD_REGIONS', `Region "${name}" must be an array of at least 3 [x, y] points in image pixels (finite numbers).`, { region: name });
  }
  const p = dedupe((poly as number[][]).map((q) => [q[0], q[1]] as Point));
  if (selfIntersects(p)) {
    throw new DermametricsError('E_BAD_REGIONS', `Region "${name}" crosses itself; give its outline in order around the region (clockwise or anticlockwise).`, { region: name });
  }
  if (p.length < 3 || polygonArea(p) < 1) {
    throw new DermametricsError('E_BAD_REGIONS', `Region "${name}" has (almost) no area; give its outline as ≥ 3 distinct [x, y] points.`, { region: name });
  }
  return p;
}
