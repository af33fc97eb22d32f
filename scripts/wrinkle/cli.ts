// Entry of scripts/train-wrinkle.mjs: train, evaluate on held-out synthetic splits, save the model and its card.
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend } from '../../src/model/backend';
import { saveLayersModelDir } from '../../src/model/layers-store';
import { loadWrinkleModel, maskRule, type ContextManifest, type WrinkleManifest, type WrinkleModel } from '../../src/wrinkle/head';
import { HARD_NEGATIVE_SETTINGS, SEED_BASE, TEST_SETTINGS, TRAIN_SETTINGS, VALIDATION_SETTINGS } from '../../src/wrinkle/synth/settings';
import { patches } from './dataset';
import { evaluateSplit, falsePositiveArea, scaleConsistency } from './evaluate';
import { chooseThresholds, loadStage1, trainContextHead, trainWrinkleHead } from './train-main';
import { modelCard } from './card';

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

export async function main(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const oi = args.indexOf('--out');
  const seed = arg(args, 'seed', 2);
  // --quick never overwrites the shipped model unless --out says so
  const out = path.resolve(oi >= 0 ? args[oi + 1] : quick ? 'node_modules/.cache/dermametrics/wrinkle-quick' : 'models/wrinkle-v3');
  const o = {
    train: arg(args, 'train', quick ? 20 : 270),
    validation: arg(args, 'validation', quick ? 6 : 40),
    test: arg(args, 'test', quick ? 10 : 120),
    hard: arg(args, 'hard', quick ? 5 : 40),
    scale: arg(args, 'scale', quick ? 3 : 15),
    epochs: arg(args, 'epochs', quick ? 2 : 8),
    // the auto-context head (second stage): fresh training patches and epochs; 0 patches = a one-stage model
    context: arg(args, 'context', quick ? 6 : 150),
    contextEpochs: arg(args, 'context-epochs', quick ? 2 : 10),
    // the first head is seed 2 (wrinkle-v2's weights, reproduced bit for bit by this run): seeds 1 and 2 were trained and the one with the better VALIDATION Jaccard kept (0.530 vs
    // 0.523; held-out test figures of both in docs/wrinkle.md)
    seed,
    contextSeed: arg(args, 'context-seed', seed + 100),
    // an existing first head to put the context head on (its folder), instead of training one
    stage1: args.indexOf('--stage1') >= 0 ? args[args.indexOf('--stage1') + 1] : null,
  };
  const log = (s: string): void => console.log(s);
  log(`train-wrinkle: ${JSON.stringify(o)} -> ${out}`);
  let model: WrinkleModel;
  let manifest: WrinkleManifest;
  let training: { rows: number; losses: number[]; seconds: Record<string, number>; backend: string; context?: { rows: number; losses: number[]; seconds: Record<string, number> } };
  let validation: { model: number; baseline: number };
  if (args.includes('--evaluate-only')) {
    // re-run the held-out evaluation of an existing model folder, keeping the training record of its metrics.json
    const prev = JSON.parse(readFileSync(path.join(out, 'metrics.json'), 'utf8'));
    model = await loadWrinkleModel(out);
    manifest = model.manifest;
    if (args.includes('--retune')) {
      // choose the decision thresholds again on the validation split (weights unchanged, so the hash stays)
      await initBackend('wasm');
      const v = chooseThresholds(model, prev.options.validation);
      Object.assign(manifest, { threshold: v.threshold, minComponentPx: v.minComponentPx, ridgeThreshold: v.ridgeThreshold });
      model.manifest = manifest;
      writeFileSync(path.join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
      prev.validation = { model: v.jaccardModel, baseline: v.jaccardBaseline };
      log(`retuned on validation: model J=${v.jaccardModel.toFixed(3)} @${v.threshold} (components >= ${v.minComponentPx} px), baseline J=${v.jaccardBaseline.toFixed(3)} @${v.ridgeThreshold}`);
    }
    training = prev.training;
    validation = prev.validation;
    Object.assign(o, prev.options);
  } else {
    const t0 = performance.now();
    const run = o.stage1 ? await loadStage1(o.stage1) : await trainWrinkleHead({ ...o, log });
    if (o.stage1) log(`first head from ${o.stage1} (weights ${run.model.weightsSha256})`);
    let contextRun: Awaited<ReturnType<typeof trainContextHead>> | undefined;
    if (o.context > 0) {
      // second stage on the first head's maps; then the decision rule is chosen again, on the two-stage output
      contextRun = await trainContextHead(run.model, { patches: o.context, epochs: o.contextEpochs, seed: o.contextSeed, log });
      const ctx = await saveLayersModelDir<ContextManifest>(contextRun.model, path.join(out, 'context'), contextRun.manifestDraft);
      run.model.context = { model: contextRun.model, manifest: ctx, dir: path.join(out, 'context'), weightsSha256: ctx.weightsSha256 };
      run.model.manifest = { ...run.model.manifest, context: 'context' };
      const v = chooseThresholds(run.model, o.validation);
      Object.assign(run.manifestDraft, { context: 'context', threshold: v.threshold, minComponentPx: v.minComponentPx, ridgeThreshold: v.ridgeThreshold });
      run.validationJaccard = { model: v.jaccardModel, baseline: v.jaccardBaseline };
      log(`validation (two stages): model J=${v.jaccardModel.toFixed(3)} @${v.threshold} (components >= ${v.minComponentPx} px)`);
    }
    const trainSeconds = (performance.now() - t0) / 1000;
    manifest = await saveLayersModelDir<WrinkleManifest>(run.model.model, out, { ...run.manifestDraft, id: path.basename(out) });
    run.model.manifest = manifest;
    model = run.model;
    training = { rows: run.rows, losses: run.losses, seconds: { ...run.seconds, total: trainSeconds }, backend: 'cpu' };
    if (contextRun) training.context = { rows: contextRun.rows, losses: contextRun.losses, seconds: contextRun.seconds };
    validation = run.validationJaccard;
  }
  // held-out evaluation on the default inference backend
  const backend = await initBackend('wasm'); // the embedded default backend, as users run it
  const t1 = performance.now();
  const { threshold, ridgeThreshold, minComponentPx } = manifest;
  const rule = maskRule(manifest);
  const test = evaluateSplit(model, patches(TEST_SETTINGS, SEED_BASE.test, o.test), rule, ridgeThreshold);
  log(`test (${test.patches}): Jaccard model ${test.jaccardModel.toFixed(3)}, baseline ${test.jaccardBaseline.toFixed(3)}, Spearman ${test.spearmanLengthDensity.toFixed(3)}`);
  const fp = falsePositiveArea(model, patches(HARD_NEGATIVE_SETTINGS, SEED_BASE.hardNegative, o.hard, 0.1, { severity: 0 }), rule);
  const fpSorted = [...fp].sort((a, b) => a - b);
  log(`hard negatives (${fp.length}): FP area mean ${(fp.reduce((a, b) => a + b, 0) / fp.length).toFixed(3)} %, max ${fpSorted[fpSorted.length - 1].toFixed(3)} %`);
  const scale = scaleConsistency(model, TEST_SETTINGS, SEED_BASE.test + 100_000, o.scale, rule);
  log(`scale (${scale.rows.length}): max |Δ| vs 1x ${scale.maxRelDiffPct.toFixed(2)} %, median ${scale.medianRelDiffPct.toFixed(2)} %`);
  const evalSeconds = (performance.now() - t1) / 1000;
  const metrics = {
    model: manifest.id,
    weightsSha256: manifest.weightsSha256,
    contextWeightsSha256: model.context?.weightsSha256 ?? null,
    options: o,
    settings: { train: TRAIN_SETTINGS, validation: VALIDATION_SETTINGS, test: TEST_SETTINGS, hardNegative: HARD_NEGATIVE_SETTINGS },
    seedBase: SEED_BASE,
    training,
    validation,
    thresholds: { model: threshold, ridge: ridgeThreshold, minComponentPx, gateHessHi: manifest.gateHessHi },
    test: { patches: test.patches, jaccardModel: test.jaccardModel, jaccardBaseline: test.jaccardBaseline, spearmanLengthDensity: test.spearmanLengthDensity, truth: test.truth, predicted: test.predicted, severities: test.severities },
    hardNegatives: { patches: fp.length, falsePositiveAreaPct: fp, meanPct: fp.reduce((a, b) => a + b, 0) / fp.length, maxPct: fpSorted[fpSorted.length - 1] },
    scale,
    evaluation: { backend: backend.name, seconds: evalSeconds },
    machine: { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? '?' },
  };
  writeFileSync(path.join(out, 'metrics.json'), JSON.stringify(metrics, null, 1) + '\n');
  writeFileSync(path.join(out, 'MODEL_CARD.md'), modelCard(manifest, metrics));
  log(`wrote ${out} (train ${training.seconds.total.toFixed(0)} s, evaluation ${evalSeconds.toFixed(0)} s)`);
}
