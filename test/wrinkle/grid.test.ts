import { describe, expect, it } from 'vitest';
import type { Region } from '../../src/face/types';
import { regionOnGrid, unionOnGrid } from '../../src/wrinkle/analyze';

// The regions' union on the analysis grid is built at the photo's resolution (one OR per region, one pass over the
// grid); it must mark exactly the grid pixels that some region's own grid mask marks (the per-region masks are made
// later, while the workers compute).
describe('regions on the analysis grid', () => {
  it('unionOnGrid equals the OR of every regionOnGrid mask, up- and downsampling, regions overlapping and at the box edge', () => {
    let seed = 11;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
    for (const factor of [1.75, 1, 0.45, 2.5, 0.8]) {
      const box = { x: 37, y: 12, width: 120, height: 90 };
      const regions: Region[] = Array.from({ length: 6 }, (_, k) => {
        const w = 10 + Math.floor(rand() * 80), h = 10 + Math.floor(rand() * 60);
        const x = box.x + Math.floor(rand() * (box.width - w + 1)), y = box.y + Math.floor(rand() * (box.height - h + 1));
        const mask = Uint8Array.from({ length: w * h }, () => (rand() < 0.7 ? 1 : 0));
        return { name: `r${k}`, polygon: [], box: { x, y, width: w, height: h }, mask, pixelsInside: w * h, pixelsKept: 0, removedFraction: 0 } as unknown as Region;
      });
      const W = Math.max(1, Math.round(box.width * factor)), H = Math.max(1, Math.round(box.height * factor));
      const union = unionOnGrid(regions, box, factor, W, H);
      const expected = new Uint8Array(W * H);
      for (const r of regions) {
        const g = regionOnGrid(r, box, factor, W, H);
        for (let y = 0; y < g.h; y++) for (let x = 0; x < g.w; x++) if (g.mask[y * g.w + x]) expected[(g.y0 + y) * W + g.x0 + x] = 1;
      }
      expect(union, `factor ${factor}`).toEqual(expected);
      expect(union.some((v) => v === 1)).toBe(true);
    }
  });
});
