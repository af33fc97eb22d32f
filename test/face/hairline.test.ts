import { beforeAll, describe, expect, it } from 'vitest';
import { detectFace } from '../../src/face/detect';
import { faceRegions } from '../../src/face/regions';
import { polygonArea } from '../../src/face/polygon';
import type { Face, RegionSet } from '../../src/face/types';
import type { Raster } from '../../src/image/raster';
import { loadLinear } from './load-image';
import { portrait } from './helpers';

// Ground truth the test constructs: a dark, hair-coloured band painted across the middle of the forehead, not touching
// the hair. It is not the hairline, so the forehead must still reach the real hairline (its pixels are simply not kept
// as skin).
let raster: Raster;
let face: Face;
let regions: RegionSet;

beforeAll(async () => {
  raster = await loadLinear(portrait('obama.jpg'));
  face = await detectFace(raster);
  regions = faceRegions(face, raster);
});

/** A copy with an ellipse (centre c, half-axes a along x, b along y) painted dark brown (linear sRGB). */
function paint(r: Raster, c: [number, number], a: number, b: number): Raster {
  const out: Raster = { ...r, data: Float32Array.from(r.data) };
  for (let y = Math.floor(c[1] - b); y <= c[1] + b; y++) {
    for (let x = Math.floor(c[0] - a); x <= c[0] + a; x++) {
      if (((x - c[0]) / a) ** 2 + ((y - c[1]) / b) ** 2 > 1) continue;
      out.data.set([0.03, 0.018, 0.012], 3 * (y * r.width + x));
    }
  }
  return out;
}

describe('hairline: only hair connected to the scalp ends the forehead', () => {
  it('a dark band across the mid-forehead, apart from the hair, leaves the forehead outline within 3 %', () => {
    const fh = regions.regions.find((r) => r.name === 'forehead')!;
    const lm = face.landmarks;
    const faceW = Math.hypot(lm[454][0] - lm[234][0], lm[454][1] - lm[234][1]);
    // from mesh point 9 (glabella top) a third of the way up to the forehead's top edge at the midline
    const top = Math.min(...fh.polygon.filter((p) => Math.abs(p[0] - lm[9][0]) < 0.05 * faceW).map((p) => p[1]));
    const c: [number, number] = [lm[9][0], lm[9][1] - (lm[9][1] - top) / 3];
    const painted = paint(raster, c, 0.14 * faceW, 0.025 * faceW); // ~28 % of the face width: a third of the rays
    const again = faceRegions(face, painted).regions.find((r) => r.name === 'forehead')!;
    const change = Math.abs(polygonArea(again.polygon) - polygonArea(fh.polygon)) / polygonArea(fh.polygon);
    expect(change).toBeLessThan(0.03);
    expect(again.pixelsKept).toBeLessThan(fh.pixelsKept); // the band itself is not skin
  });
});
