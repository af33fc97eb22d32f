// Held-out evaluation of a wrinkle model on synthetic patches (training script, model card, CI tests).
import { resampleToScale } from '../../src/image/resample';
import type { WrinkleModel } from '../../src/wrinkle/head';
import { computeWrinkleMaps } from '../../src/wrinkle/maps';
import { thresholdMask, type MaskRule } from '../../src/wrinkle/postprocess';
import { JaccardPool, lengthDensity, spearman } from '../../src/wrinkle/eval';
import { renderScene, type SynthPatch } from '../../src/wrinkle/synth/render';
import { sampleScene } from '../../src/wrinkle/synth/scene';

export const ANALYSIS_MM = 0.1;

/** A patch and its truth mask at the analysis resolution (area-resampled, mask ≥ ½ covered), as the analysis sees it. */
export function analysisMask(p: SynthPatch): { raster: SynthPatch['raster']; mask: Uint8Array } {
  if (p.mmPerPx === ANALYSIS_MM) return { raster: p.raster, mask: p.mask };
  const { raster } = resampleToScale(p.raster, p.mmPerPx, ANALYSIS_MM);
  const m = resampleToScale({ width: p.raster.width, height: p.raster.height, channels: 1, data: Float32Array.from(p.mask) }, p.mmPerPx, ANALYSIS_MM).raster;
  return { raster, mask: Uint8Array.from(m.data, (v) => (v >= 0.5 ? 1 : 0)) };
}

/** Maps of a patch rendered at any resolution, after resampling to the analysis resolution. */
export function patchMaps(p: SynthPatch, model: WrinkleModel) {
  const r = p.mmPerPx === ANALYSIS_MM ? p.raster : resampleToScale(p.raster, p.mmPerPx, ANALYSIS_MM).raster;
  return computeWrinkleMaps(r, ANALYSIS_MM, model);
}

export interface SplitEvaluation {
  patches: number;
  jaccardModel: number;
  jaccardBaseline: number;
  spearmanLengthDensity: number;
  truth: number[];
  predicted: number[];
  severities: number[];
}

export function evaluateSplit(model: WrinkleModel, patches: Iterable<SynthPatch>, rule: MaskRule, ridgeThreshold: number): SplitEvaluation {
  const jm = new JaccardPool();
  const jb = new JaccardPool();
  const truth: number[] = [];
  const predicted: number[] = [];
  const severities: number[] = [];
  for (const p of patches) {
    const m = patchMaps(p, model);
    const pred = thresholdMask(m.prob, m.width, m.height, rule);
    const base = thresholdMask(m.frangi, m.width, m.height, { threshold: ridgeThreshold, minPx: rule.minPx });
    jm.add(pred, p.mask);
    jb.add(base, p.mask);
    truth.push(p.trueLengthDensity);
    predicted.push(lengthDensity(pred, m.width, m.height, ANALYSIS_MM));
    severities.push(p.scene.severity);
  }
  return { patches: truth.length, jaccardModel: jm.value, jaccardBaseline: jb.value, spearmanLengthDensity: spearman(truth, predicted), truth, predicted, severities };
}

/** Choose the rule that maximises pooled Jaccard over a grid of rules, from precomputed maps (first best wins). */
export function bestRule(items: { map: Float32Array; truth: Uint8Array; width: number; height: number }[], rules: MaskRule[]): { rule: MaskRule; jaccard: number } {
  let best = { rule: rules[0], jaccard: -1 };
  for (const rule of rules) {
    const pool = new JaccardPool();
    for (const it of items) pool.add(thresholdMask(it.map, it.width, it.height, rule), it.truth);
    if (pool.value > best.jaccard) best = { rule, jaccard: pool.value };
  }
  return best;
}

/** False-positive area (% of patch) on patches without wrinkles. */
export function falsePositiveArea(model: WrinkleModel, patches: Iterable<SynthPatch>, rule: MaskRule): number[] {
  const out: number[] = [];
  for (const p of patches) {
    const m = patchMaps(p, model);
    const pred = thresholdMask(m.prob, m.width, m.height, rule);
    let s = 0;
    for (const v of pred) s += v;
    out.push((100 * s) / pred.length);
  }
  return out;
}

/**
 * The same scene rendered at 1×, 1.5× and 2× the analysis pixel density (0.1, 0.0667, 0.05 mm/px), each resampled to
 * 0.1 mm/px and analysed: relative change of the predicted length density against 1× (scenes with wrinkles only).
 */
export function scaleConsistency(model: WrinkleModel, settings: import('../../src/wrinkle/synth/settings').SynthSettings, seedBase: number, count: number, rule: MaskRule, only?: number[]) {
  const rows: { seed: number; severity: number; density: number[]; relDiffPct: number[] }[] = [];
  for (let k = 0; k < count; k++) {
    if (only && !only.includes(k)) continue;
    const scene = sampleScene(seedBase + k, settings, { severity: ((k % 3) + 1) as 1 | 2 | 3 });
    const density = [1, 1.5, 2].map((f) => {
      const p = renderScene(scene, ANALYSIS_MM / f);
      const m = patchMaps(p, model);
      return lengthDensity(thresholdMask(m.prob, m.width, m.height, rule), m.width, m.height, ANALYSIS_MM);
    });
    rows.push({ seed: seedBase + k, severity: scene.severity, density, relDiffPct: density.slice(1).map((d) => (100 * Math.abs(d - density[0])) / Math.max(1e-9, density[0])) });
  }
  const all = rows.flatMap((r) => r.relDiffPct).sort((a, b) => a - b);
  return { rows, maxRelDiffPct: all[all.length - 1], medianRelDiffPct: all[Math.floor(all.length / 2)] };
}
