import { describe, expect, it } from 'vitest';
import { cropRaster, resizeArea } from '../../src/image/resample';

describe('resizeArea', () => {
  it('preserves the mean exactly (area averaging conserves light)', () => {
    const w = 37, h = 23;
    const data = new Float32Array(w * h * 3).map((_, i) => (Math.sin(i * 0.37) + 1) / 2);
    const src = { width: w, height: h, channels: 3, data };
    const out = resizeArea(src, 10, 7);
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(out.data)).toBeCloseTo(mean(data), 5);
  });
  it('gives a constant out for a constant in', () => {
    const src = { width: 9, height: 9, channels: 1, data: new Float32Array(81).fill(0.25) };
    const out = resizeArea(src, 4, 4);
    for (const v of out.data) expect(v).toBeCloseTo(0.25, 6);
  });
  it('crops the requested box', () => {
    const src = { width: 4, height: 3, channels: 1, data: Float32Array.from({ length: 12 }, (_, i) => i) };
    expect(Array.from(cropRaster(src, { x: 1, y: 1, width: 2, height: 2 }).data)).toEqual([5, 6, 9, 10]);
  });
});
