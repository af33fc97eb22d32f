import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ERYTHEMA_0_4, fitCalibration } from '../../src/agreement/calibration';
import { createRng } from '../../src/random';
import { analyzePhoto } from '../../src/score/analyze';
import { canonicalJson } from '../../src/score/canonical';
import { validate } from './json-schema';

const ROOT = path.resolve(__dirname, '../..');
const schema = JSON.parse(readFileSync(path.join(ROOT, 'schema/photo-score.schema.json'), 'utf8'));

/** A uniform sRGB patch: its CIELAB D65/2° values are known from outside this code. */
async function patch(rgb: [number, number, number]): Promise<Buffer> {
  return sharp({ create: { width: 120, height: 100, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } }).png().toBuffer();
}

describe('analyzePhoto on caller regions (no face model)', () => {
  it("measures a uniform patch's CIELAB values as libvips and culori give them", async () => {
    // sRGB (200, 120, 110) → L*a*b* D65 = (58.824, 30.143, 18.888) by libvips 8.18 and culori lab65
    // (shared/findings/ecosystem.md §3); ITA° = atan((L* − 50)/b*) [Chardon1991] = 25.04°
    const s = await analyzePhoto(await patch([200, 120, 110]), { regions: 'whole', mmPerPx: 0.1, wrinkles: false });
    const v = (code: string) => s.measures.find((m) => m.region === 'whole' && m.paramcd === code)!.value!;
    expect(v('LSTMEAN')).toBeCloseTo(58.824, 1);
    expect(v('ASTMEAN')).toBeCloseTo(30.143, 1);
    expect(v('ITAMEAN')).toBeCloseTo((Math.atan((58.824 - 50) / 18.888) * 180) / Math.PI, 1);
    expect(s.face).toBeNull();
    expect(s.scale).toEqual({ mmPerPx: 0.1, source: 'caller' });
    expect(s.provenance.options).toMatchObject({ regions: 'whole', mmPerPx: 0.1, wrinkles: false, facePasses: null });
    await expect(analyzePhoto(await patch([200, 120, 110]), { regions: 'whole', mmPerPx: 0.1, facePasses: 0 })).rejects.toMatchObject({ code: 'E_INVALID_OPTION' });
    await expect(analyzePhoto(await patch([200, 120, 110]), { regions: 'whole', mmPerPx: 0.1, facePasses: 2.5 })).rejects.toMatchObject({ code: 'E_INVALID_OPTION' });
    // the wrinkle options are checked before any work, even when the photo itself is unreadable
    for (const wrinkle of [{ outlineGuardMm: -1 }, { threshold: 2 }, { fillOutside: 'yes' }, { model: '' }]) {
      await expect(analyzePhoto(Buffer.from('not an image'), { wrinkle } as never), JSON.stringify(wrinkle)).rejects.toMatchObject({ code: 'E_INVALID_OPTION' });
    }
    await expect(analyzePhoto(Buffer.from('not an image'), { wrinkles: 'yes' } as never)).rejects.toMatchObject({ code: 'E_INVALID_OPTION' });
    await expect(analyzePhoto(Buffer.from('not an image'), { wrinkle: 'fast' } as never)).rejects.toMatchObject({ code: 'E_INVALID_OPTION' });
    await expect(analyzePhoto(Buffer.from('not an image'), { threads: 0 })).rejects.toMatchObject({ code: 'E_INVALID_OPTION' });
    expect(validate(schema, s)).toEqual([]);
    // a redder patch has a larger a* (and the same bytes twice)
    const red = await analyzePhoto(await patch([215, 110, 110]), { regions: 'whole', mmPerPx: 0.1, wrinkles: false });
    expect(red.measures.find((m) => m.paramcd === 'ASTMEAN')!.value!).toBeGreaterThan(v('ASTMEAN') + 3);
    const again = await analyzePhoto(await patch([215, 110, 110]), { regions: 'whole', mmPerPx: 0.1, wrinkles: false });
    expect(canonicalJson(again)).toBe(canonicalJson(red));
  });

  it('reports the predicted grade of a saved calibration fitted on simulated ratings with known cut-points', async () => {
    // raters grade a* on 0-4 with cut-points 10, 18, 26, 34 plus logistic noise (scale 1.5): a* = 30.14 is grade 3
    const rng = createRng('calibration-fixture');
    const x: number[] = [];
    const g: number[] = [];
    for (let i = 0; i < 400; i++) {
      const a = rng.uniform(2, 42);
      const u = rng.next();
      const latent = a + 1.5 * Math.log(u / (1 - u));
      x.push(a);
      g.push([10, 18, 26, 34].filter((c) => latent > c).length);
    }
    const calibration = JSON.parse(JSON.stringify(fitCalibration({ grades: g, predictors: { ASTMEAN: x } }, { scale: ERYTHEMA_0_4 })));
    const s = await analyzePhoto(await patch([200, 120, 110]), { regions: 'whole', mmPerPx: 0.1, wrinkles: false, calibration, gradeRegion: 'whole' });
    expect(s.grade).toMatchObject({ scale: 'erythema_0_4', grade: 3 });
    expect(s.grade!.expectedGrade as number).toBeGreaterThan(2.5);
    expect(s.grade!.expectedGrade as number).toBeLessThan(3.5);
    expect(s.measures.find((m) => m.paramcd === 'PGRADE')).toMatchObject({ region: 'whole', value: 3 });
    expect(validate(schema, s)).toEqual([]);
  });
});
