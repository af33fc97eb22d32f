import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/model/backend';
import { sha256Hex } from '../../src/model/layers-store';
import { packageRoot } from '../../src/model/package-root';
import { loadWrinkleModel, maskRule } from '../../src/wrinkle/head';
import { computeWrinkleMaps } from '../../src/wrinkle/maps';
import { sampleScene } from '../../src/wrinkle/synth/scene';
import { renderScene } from '../../src/wrinkle/synth/render';
import { HARD_NEGATIVE_SETTINGS, SEED_BASE, TEST_SETTINGS } from '../../src/wrinkle/synth/settings';
import { patches } from '../../scripts/wrinkle/dataset';
import { evaluateSplit, falsePositiveArea, scaleConsistency } from '../../scripts/wrinkle/evaluate';
import { tempDirs } from './helpers';

const tmp = tempDirs();

// Regression guards, set below the full held-out figures so that a 16-patch subset passes reliably; they do NOT
// certify the targets (Jaccard >= 0.6, FP <= 0.5 %, scale within 5 %): see MODEL_CARD.md for where those stand.
const JACCARD_MIN = 0.45;
const SPEARMAN_MIN = 0.8;
const FP_MEAN_MAX = 1.5;
// 12 %, not 10 %: wrinkle-v1 measured 8.8–11.2 % on the card's 15 scenes; wrinkle-v2 8.4 %, wrinkle-v3 7.8 %
const SCALE_MAX_PCT = 12;

// Held-out checks on the first 24 patches of the test split (seeds and settings never used in training or threshold
// choice); the full figures (120 patches) are in models/wrinkle-v3/MODEL_CARD.md. Targets of issue 5 that wrinkle-v3
// does NOT reach yet are written as it.fails(...): they pass while the gap exists and will flag when it closes.

/** A copy of the bundled wrinkle-v3 folder (both heads) to alter. */
function copyV3(name: string): string {
  const src = path.join(packageRoot(), 'models', 'wrinkle-v3');
  const dir = path.join(tmp('dm-wr-'), name);
  mkdirSync(path.join(dir, 'context'), { recursive: true });
  for (const f of ['model.json', 'weights.bin', 'manifest.json']) {
    copyFileSync(path.join(src, f), path.join(dir, f));
    copyFileSync(path.join(src, 'context', f), path.join(dir, 'context', f));
  }
  return dir;
}

describe('wrinkle-v3 model files', () => {
  it('load from the package folder with their context head, and both heads match the SHA-256 in their manifests and the card', async () => {
    const dir = path.join(packageRoot(), 'models', 'wrinkle-v3');
    const hash = sha256Hex(readFileSync(path.join(dir, 'weights.bin')));
    const contextHash = sha256Hex(readFileSync(path.join(dir, 'context', 'weights.bin')));
    const m = await loadWrinkleModel();
    expect(m.manifest.id).toBe('wrinkle-v3');
    expect(m.weightsSha256).toBe(hash);
    expect(m.manifest.weightsSha256).toBe(hash);
    expect(m.context!.weightsSha256).toBe(contextHash);
    const card = readFileSync(path.join(dir, 'MODEL_CARD.md'), 'utf8');
    expect(card).toContain(hash);
    expect(card).toContain(contextHash);
  });

  it('refuses tampered weights of either head with E_MODEL', async () => {
    for (const file of ['weights.bin', path.join('context', 'weights.bin')]) {
      const dir = copyV3('tampered');
      const w = readFileSync(path.join(dir, file));
      w[10] ^= 0xff;
      writeFileSync(path.join(dir, file), w);
      await expect(loadWrinkleModel(dir)).rejects.toMatchObject({ code: 'E_MODEL', message: expect.stringMatching(/SHA-256/) });
    }
  });

  it('refuses a model whose manifest names a context head that is not there, saying which files are missing', async () => {
    const dir = copyV3('no-context');
    rmSync(path.join(dir, 'context'), { recursive: true });
    await expect(loadWrinkleModel(dir)).rejects.toMatchObject({ code: 'E_MODEL', message: expect.stringMatching(/context.*lacks model\.json, weights\.bin, manifest\.json/) });
  });

  it('refuses a context head of another context bank, and keeps wrinkle-v2 (one stage) loadable for studies scored with it', async () => {
    const dir = copyV3('old-context');
    const manifest = JSON.parse(readFileSync(path.join(dir, 'context', 'manifest.json'), 'utf8'));
    manifest.contextBank = 0;
    writeFileSync(path.join(dir, 'context', 'manifest.json'), JSON.stringify(manifest));
    await expect(loadWrinkleModel(dir)).rejects.toMatchObject({ code: 'E_MODEL', message: expect.stringMatching(/context features.*retrain/) });
    const v2 = await loadWrinkleModel('wrinkle-v2');
    expect(v2.context).toBeUndefined();
  });
});

describe('wrinkle models of another feature bank', () => {
  it('are refused with E_MODEL and told to retrain (a wrinkle-v1-era manifest has no featureBank: bank 1)', async () => {
    const dir = copyV3('old-bank');
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    delete manifest.featureBank;
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    await expect(loadWrinkleModel(dir)).rejects.toMatchObject({ code: 'E_MODEL', message: expect.stringMatching(/other features.*retrain/) });
  });
});

describe('wrinkle-v3 on held-out synthetic patches', () => {
  it('beats the ridge baseline by >= 0.1 Jaccard and ranks length density (24 test-split patches)', async () => {
    await initBackend('wasm');
    const m = await loadWrinkleModel();
    const ev = evaluateSplit(m, patches(TEST_SETTINGS, SEED_BASE.test, 24), maskRule(m.manifest), m.manifest.ridgeThreshold);
    expect(ev.jaccardModel).toBeGreaterThanOrEqual(JACCARD_MIN);
    expect(ev.jaccardModel - ev.jaccardBaseline).toBeGreaterThanOrEqual(0.1);
    expect(ev.spearmanLengthDensity).toBeGreaterThanOrEqual(SPEARMAN_MIN);
  });

  it('reaches the issue target Jaccard >= 0.6 on the whole held-out test split (120 patches; wrinkle-v2: 0.548)', async () => {
    await initBackend('wasm');
    const m = await loadWrinkleModel();
    const ev = evaluateSplit(m, patches(TEST_SETTINGS, SEED_BASE.test, 120), maskRule(m.manifest), m.manifest.ridgeThreshold);
    expect(ev.jaccardModel).toBeGreaterThanOrEqual(0.6);
    expect(ev.spearmanLengthDensity).toBeGreaterThanOrEqual(0.9);
  }, 60_000);

  it('hard negatives (hair, eyebrows, vessels, pores, shadows, glare; no wrinkles): small mean false-positive area', async () => {
    await initBackend('wasm');
    const m = await loadWrinkleModel();
    const fp = falsePositiveArea(m, patches(HARD_NEGATIVE_SETTINGS, SEED_BASE.hardNegative, 8, 0.1, { severity: 0 }), maskRule(m.manifest));
    const mean = fp.reduce((a, b) => a + b, 0) / fp.length;
    expect(mean).toBeLessThanOrEqual(FP_MEAN_MAX);
  });

  it.fails('keeps false positives <= 0.5 % on EVERY hard-negative patch (known gap: wrinkle-v3 reaches 1.8 % on the worst of 40 held-out patches, wrinkle-v2 4.3 %)', async () => {
    await initBackend('wasm');
    const m = await loadWrinkleModel();
    const fp = falsePositiveArea(m, patches(HARD_NEGATIVE_SETTINGS, SEED_BASE.hardNegative, 8, 0.1, { severity: 0 }), maskRule(m.manifest));
    expect(Math.max(...fp)).toBeLessThanOrEqual(0.5);
  });

  it('length density at 1×, 1.5× and 2× pixel density: severe scenes agree within 12 % (median)', async () => {
    await initBackend('wasm');
    const m = await loadWrinkleModel();
    // the card's scale scenes cycle severity 1, 2, 3: k = 2, 5, 8 are the severe ones (one of them differs by ~40 %)
    const s = scaleConsistency(m, TEST_SETTINGS, SEED_BASE.test + 100_000, 9, maskRule(m.manifest), [2, 5, 8]);
    expect(s.rows.every((r) => r.severity === 3)).toBe(true);
    expect(s.medianRelDiffPct).toBeLessThanOrEqual(SCALE_MAX_PCT);
  });

  it.fails('length density within 5 % at 1×, 1.5× and 2× for mild and moderate wrinkles too (known gap: fine lines are found more often at higher resolution)', async () => {
    await initBackend('wasm');
    const m = await loadWrinkleModel();
    const s = scaleConsistency(m, TEST_SETTINGS, SEED_BASE.test + 100_000, 2, maskRule(m.manifest));
    expect(s.maxRelDiffPct).toBeLessThanOrEqual(5);
  });

  it('wasm and cpu backends agree to 1e-4 on the probability map', async () => {
    const m = await loadWrinkleModel();
    const p = renderScene(sampleScene(SEED_BASE.test + 7777, TEST_SETTINGS, { severity: 3 }), 0.1);
    await initBackend('wasm');
    const a = computeWrinkleMaps(p.raster, 0.1, m).prob;
    await initBackend('cpu');
    const b = computeWrinkleMaps(p.raster, 0.1, m).prob;
    await initBackend('wasm');
    let d = 0;
    for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
    expect(d).toBeLessThanOrEqual(1e-4);
  });

  it('tiling does not change the maps: the same bytes untiled and in tiles of any size', async () => {
    await initBackend('wasm');
    const m = await loadWrinkleModel();
    const p = renderScene(sampleScene(SEED_BASE.test + 7778, TEST_SETTINGS, { severity: 2 }), 0.1);
    const a = computeWrinkleMaps(p.raster, 0.1, m, 4096);
    for (const tilePx of [64, 100, 333]) {
      const b = computeWrinkleMaps(p.raster, 0.1, m, tilePx);
      for (const k of ['prob', 'frangi', 'contrast', 'orientationDeg'] as const) expect(Buffer.from(b[k].buffer).equals(Buffer.from(a[k].buffer)), `${k} at tilePx ${tilePx}`).toBe(true);
    }
  });
});
