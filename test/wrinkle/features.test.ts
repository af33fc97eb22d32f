import { describe, expect, it } from 'vitest';
import { computeFeatures, FEATURE_COUNT } from '../../src/wrinkle/features';
import { renderScene } from '../../src/wrinkle/synth/render';
import { sampleScene } from '../../src/wrinkle/synth/scene';
import { SEED_BASE, TEST_SETTINGS } from '../../src/wrinkle/synth/settings';
import { createRng } from '../../src/random';

describe('wrinkle feature bank', () => {
  it('with a `need` mask, the wanted pixels get the same bytes as the full computation and the others 0', () => {
    const p = renderScene(sampleScene(SEED_BASE.test + 7, TEST_SETTINGS, { severity: 2 }), 0.1);
    const { width: w, height: h } = p.raster;
    const rng = createRng(5);
    // a blob of wanted pixels plus scattered single ones (odd and even rows and columns: the half-grid interpolation)
    const need = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) need[y * w + x] = (x - w / 2) ** 2 + (y - h / 3) ** 2 < (w / 4) ** 2 || rng.next() < 0.05 ? 1 : 0;
    const full = computeFeatures(p.raster, 0.1);
    const part = computeFeatures(p.raster, 0.1, need);
    const F = FEATURE_COUNT;
    let wanted = 0;
    for (let i = 0; i < w * h; i++) {
      const a = Buffer.from(full.data.buffer, 4 * i * F, 4 * F);
      const b = Buffer.from(part.data.buffer, 4 * i * F, 4 * F);
      if (need[i]) {
        wanted++;
        expect(b.equals(a)).toBe(true);
        expect([part.frangi[i], part.contrast[i], part.orientationDeg[i]]).toEqual([full.frangi[i], full.contrast[i], full.orientationDeg[i]]);
      } else {
        expect(part.data[i * F]).toBe(0); // the per-pixel stages were skipped
      }
    }
    expect(wanted).toBeGreaterThan(0.15 * w * h);
  });
});
