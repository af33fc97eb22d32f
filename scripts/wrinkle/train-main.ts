// The training run behind models/wrinkle-v3: synthetic data → fixed features → MLP head on the tfjs cpu backend, then
// the auto-context head on the first head's maps (trainContextHead).
// Run: node scripts/train-wrinkle.mjs [--train N] [--epochs E] [--out DIR] [--quick]
import { initBackend } from '../../src/model/backend';
import { createRng } from '../../src/random';
import type * as tfl from '@tensorflow/tfjs-layers';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadLayersModelDir } from '../../src/model/layers-store';
import { concatRows, createHead, featureStats, fitHead, gateThreshold, sampleContextRows, sampleRows } from '../../src/wrinkle/train';
import { CONTEXT_BANK, CONTEXT_COUNT, CONTEXT_NAMES } from '../../src/wrinkle/context';
import { FEATURE_BANK, FEATURE_NAMES } from '../../src/wrinkle/features';
import { WRINKLE_CONTEXT_FORMAT, WRINKLE_MODEL_FORMAT, type ContextManifest, type WrinkleModel, type WrinkleManifest } from '../../src/wrinkle/head';
import { computeWrinkleMaps } from '../../src/wrinkle/maps';
import { TRAIN_SETTINGS, VALIDATION_SETTINGS, SEED_BASE } from '../../src/wrinkle/synth/settings';
import { patches } from './dataset';
import { renderScene } from '../../src/wrinkle/synth/render';
import { sampleScene } from '../../src/wrinkle/synth/scene';
import { analysisMask, bestRule, patchMaps } from './evaluate';
import type { MaskRule } from '../../src/wrinkle/postprocess';

export interface TrainRunOptions {
  train: number;
  validation: number;
  epochs: number;
  seed: number;
  log?: (s: string) => void;
}

export interface TrainRunResult {
  model: WrinkleModel;
  manifestDraft: Omit<WrinkleManifest, 'weightsSha256'>;
  seconds: { data: number; fit: number; validation: number };
  rows: number;
  losses: number[];
  validationJaccard: { model: number; baseline: number };
}

/** Components under 0.15 mm² (15 px at 0.1 mm/px) are specks, not wrinkles. */
export const MIN_COMPONENT_PX = 15;

export async function trainWrinkleHead(o: TrainRunOptions): Promise<TrainRunResult> {
  const log = o.log ?? (() => {});
  await initBackend('cpu');
  const t0 = performance.now();
  const rng = createRng(o.seed);
  const parts = [];
  // resolution augmentation: each third of the patches is rendered at 1×, 1.5× or 2× the analysis pixel density and
  // area-resampled to 0.1 mm/px, as analyzeWrinkles does with photos of different resolution
  for (let k = 0; k < o.train; k++) {
    const f = [1, 1.5, 2][k % 3];
    const p = renderScene(sampleScene(SEED_BASE.train + k, TRAIN_SETTINGS), 0.1 / f);
    const { raster, mask } = analysisMask(p);
    parts.push(sampleRows(raster, mask, 0.1, rng));
  }
  const rows = concatRows(parts);
  const norm = featureStats(rows);
  const t1 = performance.now();
  log(`data: ${o.train} patches, ${rows.n} rows, ${((t1 - t0) / 1000).toFixed(1)} s`);
  const model = createHead(o.seed);
  const losses = await fitHead(model, rows, norm, { epochs: o.epochs, rng, onEpoch: (e, l) => log(`epoch ${e + 1}/${o.epochs} loss ${l.toFixed(4)}`) });
  const t2 = performance.now();
  log(`fit: ${((t2 - t1) / 1000).toFixed(1)} s`);
  const manifestDraft: Omit<WrinkleManifest, 'weightsSha256'> = {
    id: 'wrinkle-v3',
    format: WRINKLE_MODEL_FORMAT,
    mmPerPx: 0.1,
    featureNames: [...FEATURE_NAMES],
    featureBank: FEATURE_BANK,
    featureMean: norm.mean,
    featureStd: norm.std,
    threshold: 0.5,
    minComponentPx: MIN_COMPONENT_PX,
    gateHessHi: Math.round(gateThreshold(rows) * 1e4) / 1e4,
    ridgeThreshold: 0.5,
    parent: null,
  };
  const wm: WrinkleModel = { model, manifest: { ...manifestDraft, weightsSha256: '' }, dir: '(memory)', weightsSha256: '' };
  // thresholds for the model AND the baseline, chosen the same way on the validation split
  const v = chooseThresholds(wm, o.validation);
  Object.assign(manifestDraft, { threshold: v.threshold, minComponentPx: v.minComponentPx, ridgeThreshold: v.ridgeThreshold });
  wm.manifest = { ...manifestDraft, weightsSha256: '' };
  const bm = { jaccard: v.jaccardModel, threshold: v.threshold };
  const bb = { jaccard: v.jaccardBaseline, threshold: v.ridgeThreshold };
  const t3 = performance.now();
  log(`validation: model J=${bm.jaccard.toFixed(3)} @${bm.threshold.toFixed(2)} (components >= ${v.minComponentPx} px), baseline J=${bb.jaccard.toFixed(3)} @${bb.threshold.toFixed(3)}, ${((t3 - t2) / 1000).toFixed(1)} s`);
  return { model: wm, manifestDraft, seconds: { data: (t1 - t0) / 1000, fit: (t2 - t1) / 1000, validation: (t3 - t2) / 1000 }, rows: rows.n, losses, validationJaccard: { model: bm.jaccard, baseline: bb.jaccard } };
}

/** First-stage probability from which a pixel is a candidate of the context head (others get probability 0). */
export const CONTEXT_CANDIDATE = 0.05;
/** Hidden layer of the context head: one of 8 units (129 weights; 32 + 16 units did no better on the held-out splits
 * and cost 8× the multiply-adds per candidate pixel). */
export const CONTEXT_HIDDEN = [8] as const;

export interface ContextRunResult {
  model: tfl.Sequential;
  manifestDraft: Omit<ContextManifest, 'weightsSha256'>;
  seconds: { data: number; fit: number };
  rows: number;
  losses: number[];
}

/**
 * Train the auto-context head [Tu2010] on the first head's maps of `patches` fresh training patches (training settings,
 * their own seed range SEED_BASE.context, the same 1×/1.5×/2× resolution mix): the first head's output on data it
 * was not fitted to, as it will be at inference.
 */
export async function trainContextHead(stage1: WrinkleModel, o: { patches: number; epochs: number; /** of the context head (the CLI's default: the first head's + 100) */ seed: number; log?: (s: string) => void }): Promise<ContextRunResult> {
  const log = o.log ?? (() => {});
  await initBackend('cpu');
  const t0 = performance.now();
  const rng = createRng(o.seed);
  const first: WrinkleModel = { ...stage1, context: undefined };
  const parts = [];
  for (let k = 0; k < o.patches; k++) {
    const f = [1, 1.5, 2][k % 3];
    const p = renderScene(sampleScene(SEED_BASE.context + k, TRAIN_SETTINGS), 0.1 / f);
    const { raster, mask } = analysisMask(p);
    parts.push(sampleContextRows(computeWrinkleMaps(raster, 0.1, first), mask, 0.1, CONTEXT_CANDIDATE, rng));
  }
  const rows = concatRows(parts, CONTEXT_COUNT);
  const norm = featureStats(rows, CONTEXT_COUNT);
  const t1 = performance.now();
  log(`context data: ${o.patches} patches, ${rows.n} rows, ${((t1 - t0) / 1000).toFixed(1)} s`);
  const model = createHead(o.seed, CONTEXT_COUNT, CONTEXT_HIDDEN);
  const losses = await fitHead(model, rows, norm, { epochs: o.epochs, rng, onEpoch: (e, l) => log(`context epoch ${e + 1}/${o.epochs} loss ${l.toFixed(4)}`) });
  const t2 = performance.now();
  log(`context fit: ${((t2 - t1) / 1000).toFixed(1)} s`);
  const manifestDraft: Omit<ContextManifest, 'weightsSha256'> = {
    id: 'context',
    format: WRINKLE_CONTEXT_FORMAT,
    contextNames: [...CONTEXT_NAMES],
    contextBank: CONTEXT_BANK,
    featureMean: norm.mean,
    featureStd: norm.std,
    candidate: CONTEXT_CANDIDATE,
  };
  return { model, manifestDraft, seconds: { data: (t1 - t0) / 1000, fit: (t2 - t1) / 1000 }, rows: rows.n, losses };
}

/**
 * A trained first head from a model folder (fresh copy, its context head left out) in the form trainWrinkleHead
 * returns, with the training record of the folder's metrics.json when there is one: to train a context head on top
 * of an existing first head (`--stage1 DIR`).
 */
export async function loadStage1(dir: string): Promise<TrainRunResult> {
  const m = await loadLayersModelDir<WrinkleManifest>(dir, WRINKLE_MODEL_FORMAT);
  const file = path.join(m.dir, 'metrics.json');
  const prev = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
  const { weightsSha256: _hash, ...draft } = m.manifest;
  return {
    model: { ...m, manifest: { ...m.manifest, context: null } },
    manifestDraft: { ...draft, context: null },
    seconds: prev?.training?.seconds ?? { data: 0, fit: 0, validation: 0 },
    rows: prev?.training?.rows ?? 0,
    losses: prev?.training?.losses ?? [],
    validationJaccard: prev?.validation ?? { model: NaN, baseline: NaN },
  };
}

/**
 * Grid search on the validation split: probability threshold × minimum component size for the model, and Frangi
 * threshold for the baseline (with the same minimum component size), each maximising pooled Jaccard.
 */
export function chooseThresholds(wm: WrinkleModel, count: number) {
  const items = [...patches(VALIDATION_SETTINGS, SEED_BASE.validation, count)].map((p) => ({ p, m: patchMaps(p, wm) }));
  const round = (v: number): number => Math.round(v * 1000) / 1000;
  const rules: MaskRule[] = [];
  for (const minPx of [MIN_COMPONENT_PX, 25, 40, 60, 90, 130]) for (let i = 0; i < 19; i++) rules.push({ threshold: round(0.05 + 0.05 * i), minPx });
  const best = bestRule(items.map(({ p, m }) => ({ map: m.prob, truth: p.mask, width: m.width, height: m.height })), rules);
  const frRules = Array.from({ length: 30 }, (_, i) => ({ threshold: round(0.02 + 0.032 * i), minPx: best.rule.minPx }));
  const bb = bestRule(items.map(({ p, m }) => ({ map: m.frangi, truth: p.mask, width: m.width, height: m.height })), frRules);
  return { threshold: best.rule.threshold, minComponentPx: best.rule.minPx, jaccardModel: best.jaccard, ridgeThreshold: bb.rule.threshold, jaccardBaseline: bb.jaccard };
}
