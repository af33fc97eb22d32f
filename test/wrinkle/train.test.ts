import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { srgbEncode } from '../../src/color/srgb';
import { saveLayersModelDir } from '../../src/model/layers-store';
import { initBackend, tf } from '../../src/model/backend';
import { analyzeWrinkles } from '../../src/wrinkle/analyze';
import { fineTuneWrinkleModel } from '../../src/wrinkle/finetune';
import { loadWrinkleModel, type WrinkleManifest } from '../../src/wrinkle/head';
import { sampleScene } from '../../src/wrinkle/synth/scene';
import { renderScene } from '../../src/wrinkle/synth/render';
import { SEED_BASE, TRAIN_SETTINGS } from '../../src/wrinkle/synth/settings';
import { trainWrinkleHead } from '../../scripts/wrinkle/train-main';
import { wholePatchRegions, tempDirs } from './helpers';

const tmp = tempDirs();

// CI smoke tests of training: seconds, not the full run (node scripts/train-wrinkle.mjs; see the model card).

describe('training smoke test', () => {
  it('trains a head on a few synthetic patches (cpu backend), saves it, and loads it back with its hash checked', async () => {
    const run = await trainWrinkleHead({ train: 3, validation: 1, epochs: 1, seed: 7 });
    expect(tf.getBackend()).toBe('cpu');
    expect(run.losses[0]).toBeGreaterThan(0);
    expect(run.losses[0]).toBeLessThan(2);
    const dir = path.join(tmp('dm-wr-'), 'smoke');
    const manifest = await saveLayersModelDir<WrinkleManifest>(run.model.model, dir, { ...run.manifestDraft, id: 'smoke' });
    const loaded = await loadWrinkleModel(dir);
    expect(loaded.weightsSha256).toBe(manifest.weightsSha256);
    await initBackend('wasm');
  });

  it('train-wrinkle fine-tunes wrinkle-v3 (both heads) on image + mask pairs and writes a model folder with its own card', async () => {
    const root = tmp('dm-ft-');
    const images = path.join(root, 'images');
    const masks = path.join(root, 'masks');
    mkdirSync(images);
    mkdirSync(masks);
    for (let k = 0; k < 2; k++) {
      const p = renderScene(sampleScene(SEED_BASE.smoke + k, TRAIN_SETTINGS, { severity: 2 }), 0.1);
      const W = p.raster.width;
      const rgb = Buffer.alloc(W * W * 3);
      for (let i = 0; i < rgb.length; i++) rgb[i] = Math.round(255 * srgbEncode(p.raster.data[i]));
      await sharp(rgb, { raw: { width: W, height: W, channels: 3 } }).png().toFile(path.join(images, `p${k}.png`));
      await sharp(Buffer.from(p.mask.map((v) => v * 255)), { raw: { width: W, height: W, channels: 1 } }).png().toFile(path.join(masks, `p${k}.png`));
    }
    const out = path.join(root, 'models', 'site-a');
    const r = await fineTuneWrinkleModel({ imagesDir: images, masksDir: masks, mmPerPx: 0.1, out, epochs: 1 });
    expect(r.pairs).toEqual(['p0', 'p1']);
    expect(existsSync(path.join(out, 'MODEL_CARD.md'))).toBe(true);
    expect(r.manifest.id).toBe('site-a');
    expect(r.manifest.parent).toMatch(/^wrinkle-v3@[0-9a-f]{64}$/);
    expect(r.manifest.context).toBe('context');
    expect(r.contextLosses.length).toBe(1);
    expect(existsSync(path.join(out, 'context', 'weights.bin'))).toBe(true);
    expect(readFileSync(path.join(out, 'MODEL_CARD.md'), 'utf8')).toContain(r.manifest.weightsSha256);
    const p = renderScene(sampleScene(SEED_BASE.smoke + 9, TRAIN_SETTINGS, { severity: 2 }), 0.1);
    const res = await analyzeWrinkles(p.raster, wholePatchRegions(p), { model: out });
    expect(res.regions[0].wrinkles.model).toBe('site-a');
    expect(res.model.contextSha256).toBe(r.contextSha256);
    expect(readFileSync(path.join(out, 'MODEL_CARD.md'), 'utf8')).toContain(r.contextSha256!);
    expect(res.model.backend).toBe('wasm');
  });

  it('refuses folders without pairs', async () => {
    const root = tmp('dm-ft-');
    await expect(fineTuneWrinkleModel({ imagesDir: root, masksDir: root, mmPerPx: 0.1, out: path.join(root, 'x') })).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
  });
});
