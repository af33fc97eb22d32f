import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { analyzeWrinkles } from '../../src/wrinkle/analyze';
import { renderWrinkleOverlay } from '../../src/wrinkle/overlay';
import { sampleScene } from '../../src/wrinkle/synth/scene';
import { renderScene } from '../../src/wrinkle/synth/render';
import { SEED_BASE, TEST_SETTINGS } from '../../src/wrinkle/synth/settings';
import { wholePatchRegions } from './helpers';

describe('renderWrinkleOverlay', () => {
  it('paints exactly the measured wrinkle pixels (at the analysis resolution) and agrees with areaFraction', async () => {
    const p = renderScene(sampleScene(SEED_BASE.test + 8000, TEST_SETTINGS, { severity: 3 }), 0.1);
    const regions = wholePatchRegions(p);
    const r = await analyzeWrinkles(p.raster, regions, { includeMap: true });
    const o = await renderWrinkleOverlay(p.raster, r, { alpha: 1, regions });
    expect([o.width, o.height]).toEqual([p.raster.width, p.raster.height]);
    let mask = 0;
    for (const v of r.map!.mask) mask += v;
    expect(o.painted).toBe(mask);
    expect((100 * mask) / (o.width * o.height)).toBeCloseTo(r.regions[0].wrinkles.areaFraction!, 3);
    // the PNG shows them: pure wrinkle red at every painted pixel away from the caption, scale bar and outline
    const { data, info } = await sharp(o.png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([o.width, o.height]);
    let red = 0;
    for (let y = 30; y < o.height - 40; y++) for (let x = 2; x < o.width - 2; x++) {
      const i = (y * o.width + x) * 3;
      if (data[i] === 255 && data[i + 1] === 32 && data[i + 2] === 32) red++;
    }
    let inner = 0;
    for (let y = 30; y < o.height - 40; y++) for (let x = 2; x < o.width - 2; x++) inner += r.map!.mask[y * o.width + x];
    expect(red).toBe(inner);
  });

  it('downscales to maxSidePx, and asks for includeMap when the result has no map', async () => {
    const p = renderScene(sampleScene(SEED_BASE.test + 8001, TEST_SETTINGS, { severity: 2 }), 0.1);
    const r = await analyzeWrinkles(p.raster, wholePatchRegions(p), { includeMap: true });
    const o = await renderWrinkleOverlay(p.raster, r, { maxSidePx: 96 });
    expect(Math.max(o.width, o.height)).toBe(96);
    const bare = await analyzeWrinkles(p.raster, wholePatchRegions(p));
    await expect(renderWrinkleOverlay(p.raster, bare)).rejects.toMatchObject({ code: 'E_INVALID_OPTION', message: expect.stringMatching(/includeMap: true/) });
  });
});
