import { describe, expect, it } from 'vitest';
import { regionsFromPolygons } from '../../src/face/bypass';
import { createRaster, type Raster } from '../../src/image/raster';
import { initBackend } from '../../src/model/backend';
import { analyzeWrinkles } from '../../src/wrinkle/analyze';
import { outlineBand, outsideOf } from '../../src/wrinkle/outline';
import { renderScene } from '../../src/wrinkle/synth/render';
import { sampleScene } from '../../src/wrinkle/synth/scene';
import { SEED_BASE, TEST_SETTINGS } from '../../src/wrinkle/synth/settings';

describe('outside and the outline band (src/wrinkle/outline.ts)', () => {
  it('outside is what connects to the border; the band is the region within r of it (3-4 chamfer on 2 × 2 blocks: within 8 % + 2 px of Euclidean)', () => {
    const W = 80, H = 60;
    const keep = new Uint8Array(W * H);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) keep[y * W + x] = ((x + 0.5 - 40) / 32) ** 2 + ((y + 0.5 - 30) / 24) ** 2 <= 1 ? 1 : 0;
    for (let y = 25; y < 35; y++) for (let x = 35; x < 45; x++) keep[y * W + x] = 0; // a hole (an eye): not outside
    const outside = outsideOf(keep, W, H);
    expect(outside[30 * W + 40]).toBe(0);
    expect(outside[0]).toBe(1);
    const r = 12;
    const pixels = outlineBand(keep, outside, W, H, r);
    expect(new Set(pixels).size).toBe(pixels.length); // each pixel once
    const band = new Uint8Array(W * H);
    for (const i of pixels) band[i] = 1;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        if (!keep[y * W + x]) continue;
        let d = Infinity; // brute-force Euclidean distance to the outside
        for (let q = 0; q < W * H; q++) if (outside[q]) d = Math.min(d, Math.hypot((q % W) - x, Math.floor(q / W) - y));
        if (d <= 0.92 * r - 2) expect(band[y * W + x], `(${x}, ${y}) at ${d.toFixed(2)}`).toBe(1);
        if (d > 1.08 * r + 2) expect(band[y * W + x], `(${x}, ${y}) at ${d.toFixed(2)}`).toBe(0);
      }
    }
    expect(outlineBand(new Uint8Array(W * H).fill(1), new Uint8Array(W * H), W, H, r).length).toBe(0);
  });

  it('outside equals a pixel-by-pixel flood fill from the border (4-connected) on random masks, U shapes and spirals', () => {
    const flood = (keep: Uint8Array, W: number, H: number): Uint8Array => {
      const out = new Uint8Array(W * H);
      const queue: number[] = [];
      const push = (x: number, y: number) => {
        const i = y * W + x;
        if (x >= 0 && y >= 0 && x < W && y < H && !keep[i] && !out[i]) (out[i] = 1), queue.push(i);
      };
      for (let x = 0; x < W; x++) (push(x, 0), push(x, H - 1));
      for (let y = 0; y < H; y++) (push(0, y), push(W - 1, y));
      while (queue.length) {
        const i = queue.pop()!;
        const x = i % W, y = (i / W) | 0;
        push(x - 1, y), push(x + 1, y), push(x, y - 1), push(x, y + 1);
      }
      return out;
    };
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
    const cases: [Uint8Array, number, number][] = [];
    for (const density of [0.3, 0.45, 0.55, 0.7]) {
      const W = 37, H = 29;
      cases.push([Uint8Array.from({ length: W * H }, () => (rand() < density ? 1 : 0)), W, H]);
    }
    {
      // a spiral wall: its corridor reaches the centre only by winding round, and joins the outside at one end
      const W = 41, H = 41;
      const keep = new Uint8Array(W * H);
      let x0 = 2, y0 = 2, x1 = W - 3, y1 = H - 3;
      while (x1 - x0 > 3 && y1 - y0 > 3) {
        for (let x = x0; x <= x1; x++) (keep[y0 * W + x] = 1), (keep[y1 * W + x] = 1);
        for (let y = y0; y <= y1; y++) (keep[y * W + x0] = 1), (keep[y * W + x1] = 1);
        keep[y0 * W + x0 + 1] = 0; // a gap into the next ring
        (x0 += 2), (y0 += 2), (x1 -= 2), (y1 -= 2);
      }
      cases.push([keep, W, H]);
      // a U open at the bottom and a closed box
      const U = new Uint8Array(W * H);
      for (let y = 5; y < 35; y++) (U[y * W + 10] = 1), (U[y * W + 30] = 1);
      for (let x = 10; x <= 30; x++) (U[5 * W + x] = 1), (U[20 * W + x] = 1);
      cases.push([U, W, H]);
    }
    for (const [keep, W, H] of cases) expect(outsideOf(keep, W, H)).toEqual(flood(keep, W, H));
  });

  // A rendered wrinkle scene (known furrows) measured inside an elliptical region, once with skin all round it and once
  // with a near-black surround (hair, background): a region's measures should not depend on what lies beyond it.
  function scene(seed: number, darkSurround: boolean): { raster: Raster; polygon: number[][] } {
    const p = renderScene(sampleScene(SEED_BASE.test + 911 + seed, TEST_SETTINGS, { severity: 2 }), 0.1);
    const { width: W, height: H } = p.raster;
    const raster = createRaster(W, H, 3);
    raster.data.set(p.raster.data);
    const cx = W / 2, cy = H / 2, rx = 0.42 * W, ry = 0.46 * H;
    if (darkSurround) {
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          if (((x + 0.5 - cx) / rx) ** 2 + ((y + 0.5 - cy) / ry) ** 2 <= 1) continue;
          const n = 0.004 * Math.sin(x * 12.9898 + y * 78.233); // a little texture
          raster.data.set([0.01 + n, 0.008 + n, 0.007 + n], 3 * (y * W + x));
        }
      }
    }
    const polygon = Array.from({ length: 64 }, (_, k) => [cx + rx * Math.cos((2 * Math.PI * k) / 64), cy + ry * Math.sin((2 * Math.PI * k) / 64)]);
    return { raster, polygon };
  }
  const measure = async (s: { raster: Raster; polygon: number[][] }, options = {}) =>
    (await analyzeWrinkles(s.raster, regionsFromPolygons({ full_face: s.polygon }, s.raster, { mmPerPx: 0.1 }), { threads: 1, ...options })).regions[0].wrinkles;

  it('fillOutside makes a dark surround measure like skin: with the 1.5 mm band, every seed within 5 % (without it: 2× and more)', async () => {
    await initBackend('wasm');
    const diffs: number[] = [];
    for (let seed = 0; seed < 6; seed++) {
      // reference: the region inside skin, no fill (only the same band left out)
      const skin = await measure(scene(seed, false), { outlineGuardMm: 1.5 });
      const dark = await measure(scene(seed, true), { fillOutside: true, outlineGuardMm: 1.5 });
      diffs.push(Math.abs(dark.lengthDensity! / skin.lengthDensity! - 1));
      // the problem it solves: the same scenes without either option
      const plainSkin = await measure(scene(seed, false), { fillOutside: false, outlineGuardMm: 0 });
      const plainDark = await measure(scene(seed, true), { fillOutside: false, outlineGuardMm: 0 });
      // the defaults are the fill and the 1.5 mm band
      expect(await measure(scene(seed, true))).toEqual(dark);
      expect(plainDark.lengthDensity! / plainSkin.lengthDensity!, `seed ${seed}`).toBeGreaterThan(2);
    }
    expect(Math.max(...diffs)).toBeLessThan(0.05); // 0–2.5 % measured (docs/wrinkle.md)
  });

  it('the options are validated and reported; on by default (fill and a 1.5 mm band)', async () => {
    await initBackend('wasm');
    const s = scene(0, false);
    const regions = regionsFromPolygons({ full_face: s.polygon }, s.raster, { mmPerPx: 0.1 });
    await expect(analyzeWrinkles(s.raster, regions, { fillOutside: 'yes' as never })).rejects.toMatchObject({ code: 'E_INVALID_OPTION' });
    await expect(analyzeWrinkles(s.raster, regions, { outlineGuardMm: -1 })).rejects.toMatchObject({ code: 'E_INVALID_OPTION' });
    expect(await analyzeWrinkles(s.raster, regions, { threads: 1 })).toMatchObject({ fillOutside: true, outlineGuardMm: 1.5 });
    expect(await analyzeWrinkles(s.raster, regions, { threads: 1, fillOutside: false, outlineGuardMm: 0 })).toMatchObject({ fillOutside: false, outlineGuardMm: 0 });
  });
});
