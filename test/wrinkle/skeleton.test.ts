import { describe, expect, it } from 'vitest';
import { componentSizes, skeletonLengthPx, thin } from '../../src/wrinkle/skeleton';
import { thresholdMask } from '../../src/wrinkle/postprocess';

const setPixels = (m: Uint8Array): number[] => [...m.keys()].filter((i) => m[i] === 1);
import { lengthDensity, spearman } from '../../src/wrinkle/eval';

/** A band of half-width `hw` px around a segment or circle, the ground truth length known analytically. */
function band(n: number, dist: (x: number, y: number) => number, hw: number): Uint8Array {
  const m = new Uint8Array(n * n);
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) m[y * n + x] = dist(x + 0.5, y + 0.5) <= hw ? 1 : 0;
  return m;
}

function segDist(ax: number, ay: number, bx: number, by: number) {
  return (x: number, y: number): number => {
    const dx = bx - ax, dy = by - ay;
    const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(x - ax - t * dx, y - ay - t * dy);
  };
}

describe('skeleton length', () => {
  it('measures straight bands at any angle within 4 % of the centreline length less the half-width at each end', () => {
    for (const deg of [0, 10, 22.5, 45, 67, 90, 135]) {
      const a = (deg * Math.PI) / 180;
      const L = 120;
      const cx = 100, cy = 100;
      const ax = cx - (Math.cos(a) * L) / 2, ay = cy - (Math.sin(a) * L) / 2;
      const m = band(200, segDist(ax, ay, ax + Math.cos(a) * L, ay + Math.sin(a) * L), 2.5);
      const len = skeletonLengthPx(thin(m, 200, 200), 200, 200);
      // thinning shortens each end by about the half-width
      // Zhang–Suen thinning stops about one half-width short of each end of a band
      expect(Math.abs(len - (L - 2 * 2.5)) / L).toBeLessThan(0.04);
    }
  });

  it('measures a circle of radius 60 px within 3 % of 2πr', () => {
    const m = band(160, (x, y) => Math.abs(Math.hypot(x - 80, y - 80) - 60), 2);
    const len = skeletonLengthPx(thin(m, 160, 160), 160, 160);
    expect(Math.abs(len - 2 * Math.PI * 60) / (2 * Math.PI * 60)).toBeLessThan(0.03);
  });

  it('gives length density in mm/cm²: a 10 mm line in a 1 cm² patch is about 10 mm/cm²', () => {
    // thinning shortens a band touching the border by about its half-width at each end (1.5 px of 100)
    const m = band(100, segDist(0, 50, 100, 50), 1.5);
    expect(lengthDensity(m, 100, 100, 0.1)).toBeGreaterThan(9.2);
    expect(lengthDensity(m, 100, 100, 0.1)).toBeLessThan(10.1);
  });

  it('thins to one pixel and keeps connectivity', () => {
    const m = band(80, segDist(10, 10, 70, 60), 4);
    const s = thin(m, 80, 80);
    expect(componentSizes(setPixels(s), 80, new Int32Array(6400))).toHaveLength(1);
    let sum = 0;
    for (const v of s) sum += v;
    expect(sum).toBeGreaterThan(50);
    expect(sum).toBeLessThan(90);
  });

  it('finds 8-connected components of a pixel list (not across the row wrap), in any order, and drops small ones', () => {
    const m = new Uint8Array(25);
    [0, 6, 12, 4, 20, 24, 5].forEach((i) => (m[i] = 1)); // a diagonal of 3 plus (0,1) below its start; singletons at the other corners
    const slot = new Int32Array(25);
    expect(componentSizes(setPixels(m), 5, slot).sort()).toEqual([1, 1, 1, 4]); // 4 (x=4, y=0) and 5 (x=0, y=1) are not neighbours
    expect(componentSizes(setPixels(m).reverse(), 5, slot).sort()).toEqual([1, 1, 1, 4]);
    expect(slot.every((v) => v === 0)).toBe(true); // the scratch is left clean
    const map = Float32Array.from(m);
    expect([...thresholdMask(map, 5, 5, { threshold: 0.5, minPx: 2 })].reduce((a, b) => a + b, 0)).toBe(4);
  });
});

describe('spearman', () => {
  it('matches a hand-computed example with ties', () => {
    // ranks (1..5) and (2, 1, 3.5, 3.5, 5): Σ dev·dev = 8.5, Σ dev² = 10 and 9.5, so ρ = 8.5/√95
    expect(spearman([1, 2, 3, 4, 5], [2, 1, 4, 4, 6])).toBeCloseTo(8.5 / Math.sqrt(95), 12);
  });
});
