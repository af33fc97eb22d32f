import { describe, expect, it } from 'vitest';
import { alignedCrop, mirrorCrop, shiftCrop, type AlignedCrop } from '../../src/face/aligned-crop';
import { srgb8 } from '../../src/face/detector-input';
import { createRaster } from '../../src/image/raster';

// A ramp image whose value is known at every continuous position, so the crops' pixels and coordinate maps can be
// checked against closed-form values: linear light v(x, y) = 0.002·x + 0.001·y (pixel centres at +0.5).
const W = 300, H = 260;
const ramp = createRaster(W, H, 3);
for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) ramp.data.fill(0.002 * (x + 0.5) + 0.001 * (y + 0.5), 3 * (y * W + x), 3 * (y * W + x) + 3);
const rampAt = (x: number, y: number) => 0.002 * x + 0.001 * y;

// frame: rotated by 20°, RMS radius 60 source px, centre (150, 130); crop unit 40 px → 1.5 source px per crop px
const th = (20 * Math.PI) / 180;
const S = { a: 60 * Math.cos(th), b: 60 * Math.sin(th), tx: 150, ty: 130 };
const frame = { unitPx: 40, width: 81, height: 91, offset: [0.5, -0.25] as const, mirrored: false };

/** toSource ∘ fromSource = identity, and fromSource ∘ toSource too, over a grid of points. */
function roundTrips(c: AlignedCrop): void {
  for (const [x, y] of [[0, 0], [10.5, 3.25], [40, 45], [80.9, 90.1], [-5, 100]]) {
    const [u, v] = c.toSource(x, y);
    const [x2, y2] = c.fromSource(u, v);
    expect(x2).toBeCloseTo(x, 9);
    expect(y2).toBeCloseTo(y, 9);
  }
}

describe('aligned crops (src/face/aligned-crop.ts)', () => {
  it('samples the source through its similarity map: each pixel is the ramp at its centre (linear, so box + bilinear is exact)', () => {
    const c = alignedCrop(ramp, S, frame);
    expect(c.scale).toBeCloseTo(1.5, 12);
    for (const [x, y] of [[20, 30], [40, 45], [60, 70]]) {
      const [u, v] = c.toSource(x + 0.5, y + 0.5);
      expect(c.rgb[3 * (y * c.width + x)]).toBe(srgb8(rampAt(u, v)));
    }
    // the frame origin (the mesh centre) sits at the crop centre plus the offset
    const [u0, v0] = c.toSource(frame.width / 2 + frame.offset[0], frame.height / 2 + frame.offset[1]);
    expect(u0).toBeCloseTo(150, 9);
    expect(v0).toBeCloseTo(130, 9);
    roundTrips(c);
  });

  it('mirrorCrop flips left ↔ right, pixels and coordinates', () => {
    const c = alignedCrop(ramp, S, frame);
    const m = mirrorCrop(c);
    for (const [x, y] of [[0, 0], [13, 40], [80, 90]]) {
      expect(m.rgb[3 * (y * m.width + x)]).toBe(c.rgb[3 * (y * c.width + (c.width - 1 - x))]);
      expect(m.toSource(x + 0.5, y + 0.5)).toEqual(c.toSource(c.width - x - 0.5, y + 0.5));
    }
    roundTrips(m);
  });

  it('shiftCrop moves by whole pixels and repeats the edge where it uncovers; its coordinates follow', () => {
    const c = mirrorCrop(alignedCrop(ramp, S, frame));
    const s = shiftCrop(c, 7, -4);
    const px = (k: AlignedCrop, x: number, y: number) => k.rgb[3 * (y * k.width + x)];
    expect(px(s, 30, 30)).toBe(px(c, 23, 34));
    expect(px(s, 2, 50)).toBe(px(c, 0, 54)); // uncovered on the left: column 0 repeated
    expect(px(s, 40, s.height - 1)).toBe(px(c, 33, c.height - 1)); // uncovered at the bottom: last row repeated
    const [u, v] = s.toSource(30.5, 30.5);
    const [u2, v2] = c.toSource(23.5, 34.5);
    expect(u).toBeCloseTo(u2, 12);
    expect(v).toBeCloseTo(v2, 12);
    roundTrips(s);
    expect(shiftCrop(c, 0, 0)).toBe(c);
  });
});
