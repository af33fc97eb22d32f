import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { DermametricsError, numberOption } from '../errors';
import { loadImage } from '../image/load';
import { resampleToScale } from '../image/resample';
import { initBackend, tf, type BackendName } from '../model/backend';
import { loadLayersModelDir, saveLayersModelDir } from '../model/layers-store';
import { createRng } from '../random';
import { JaccardPool } from './eval';
import { DEFAULT_WRINKLE_MODEL, loadContext, maskRule, WRINKLE_MODEL_FORMAT, type ContextManifest, type WrinkleManifest, type WrinkleModel } from './head';
import { computeWrinkleMaps } from './maps';
import { thresholdMask } from './postprocess';
import { CONTEXT_COUNT } from './context';
import { concatRows, fitHead, sampleContextRows, sampleRows } from './train';

export interface FineTuneOptions {
  /** folder of photos (JPEG, PNG, TIFF, WebP) */
  imagesDir: string;
  /** folder of binary masks with the same base file names (white = wrinkle) */
  masksDir: string;
  /** millimetres per pixel of the photos (all pairs) */
  mmPerPx: number;
  /** output model folder (its base name becomes the model id) */
  out: string;
  /** model to start from (default "wrinkle-v3") */
  base?: string;
  /** epochs (default 5) */
  epochs?: number;
  /** Adam learning rate (default 0.001: gentle, to stay near the base model) */
  learningRate?: number;
  /** seed of row sampling and shuffling (default 1) */
  seed?: number;
  log?: (line: string) => void;
}

export interface FineTuneResult {
  manifest: WrinkleManifest;
  pairs: string[];
  rows: number;
  losses: number[];
  /** the context head's losses (empty for a one-stage model) */
  contextLosses: number[];
  /** SHA-256 of the fine-tuned context head's weights (null for a one-stage model) */
  contextSha256: string | null;
  /** pooled Jaccard on the training pairs before and after (in-sample: NOT a validation) */
  inSampleJaccard: { before: number; after: number };
  seconds: number;
}

const IMAGE_EXT = /\.(jpe?g|png|tiff?|webp)$/i;

function pairFiles(imagesDir: string, masksDir: string): { image: string; mask: string; name: string }[] {
  for (const d of [imagesDir, masksDir]) {
    if (!existsSync(d) || !statSync(d).isDirectory()) throw new DermametricsError('E_NOT_FOUND', `Folder ${d} does not exist.`, { path: d });
  }
  const masks = new Map(readdirSync(masksDir).filter((f) => IMAGE_EXT.test(f)).map((f) => [path.parse(f).name, path.join(masksDir, f)] as const));
  const pairs = readdirSync(imagesDir)
    .filter((f) => IMAGE_EXT.test(f))
    .sort()
    .flatMap((f) => {
      const m = masks.get(path.parse(f).name);
      return m ? [{ image: path.join(imagesDir, f), mask: m, name: path.parse(f).name }] : [];
    });
  if (!pairs.length) throw new DermametricsError('E_NOT_FOUND', `No image in ${imagesDir} has a mask of the same base name in ${masksDir}.`, { imagesDir, masksDir });
  return pairs;
}

/** A binary mask (grey > 127) resampled to the analysis grid by nearest neighbour. */
async function loadMask(file: string, width: number, height: number, outW: number, outH: number): Promise<Uint8Array> {
  const { data, info } = await sharp(file).greyscale().raw().toBuffer({ resolveWithObject: true });
  if (info.width !== width || info.height !== height) {
    throw new DermametricsError('E_INVALID_OPTION', `Mask ${file} is ${info.width}×${info.height} but its photo is ${width}×${height}.`, { file });
  }
  const out = new Uint8Array(outW * outH);
  const ch = info.channels;
  for (let y = 0; y < outH; y++) {
    const sy = Math.min(height - 1, Math.floor(((y + 0.5) * height) / outH));
    for (let x = 0; x < outW; x++) {
      const sx = Math.min(width - 1, Math.floor(((x + 0.5) * width) / outW));
      out[y * outW + x] = data[(sy * width + sx) * ch] > 127 ? 1 : 0;
    }
  }
  return out;
}

/**
 * Fine-tune a wrinkle model's head on the user's own annotated photos (image + mask pairs matched by file name) and
 * write a new model folder with its own manifest and card. The features, their normalisation and the thresholds stay
 * those of the base model; only the heads' weights move. A two-stage model's context head is fine-tuned after the
 * first head, on the fine-tuned first head's maps of the same photos. Trains on the tfjs cpu backend.
 */
export async function fineTuneWrinkleModel(o: FineTuneOptions): Promise<FineTuneResult> {
  const log = o.log ?? (() => {});
  const mmPerPx = numberOption('mmPerPx', o.mmPerPx, NaN, { min: 1e-4, max: 10 });
  const epochs = numberOption('epochs', o.epochs, 5, { min: 1, max: 1000, integer: true });
  const lr = numberOption('learningRate', o.learningRate, 0.001, { min: 1e-6, max: 1 });
  const seed = numberOption('seed', o.seed, 1, { integer: true });
  const t0 = performance.now();
  const pairs = pairFiles(o.imagesDir, o.masksDir);
  const previous = tf.getBackend() as BackendName | undefined;
  await initBackend('cpu');
  // fresh copies (not loadWrinkleModel's shared cache): fitting changes their weights
  const base: WrinkleModel = await loadLayersModelDir<WrinkleManifest>(o.base ?? DEFAULT_WRINKLE_MODEL, WRINKLE_MODEL_FORMAT);
  base.context = await loadContext(base);
  const A = base.manifest.mmPerPx;
  const rng = createRng(seed);
  const data: { raster: import('../image/raster').Raster; mask: Uint8Array }[] = [];
  for (const p of pairs) {
    const img = await loadImage(p.image);
    const { raster } = resampleToScale(img.raster, mmPerPx, A);
    const mask = await loadMask(p.mask, img.raster.width, img.raster.height, raster.width, raster.height);
    data.push({ raster, mask });
    log(`${p.name}: ${raster.width}×${raster.height} px at ${A} mm/px`);
  }
  const rows = concatRows(data.map((d) => sampleRows(d.raster, d.mask, A, rng, { maxPositive: 4000, randomNegative: 3000, hardNegative: 3000 })));
  const jaccard = (m: WrinkleModel): number => {
    const pool = new JaccardPool();
    for (const d of data) {
      const maps = computeWrinkleMaps(d.raster, A, m);
      pool.add(thresholdMask(maps.prob, maps.width, maps.height, maskRule(m.manifest)), d.mask);
    }
    return pool.value;
  };
  const before = jaccard(base);
  const losses = await fitHead(base.model, rows, { mean: base.manifest.featureMean, std: base.manifest.featureStd }, { epochs, rng, learningRate: lr, onEpoch: (e, l) => log(`epoch ${e + 1}/${epochs} loss ${l.toFixed(4)}`) });
  const id = path.basename(path.resolve(o.out));
  const ctx = base.context;
  const contextLosses: number[] = [];
  let context: WrinkleModel['context'];
  if (ctx) {
    // the context head learns from the maps of the first head as it is now
    const first: WrinkleModel = { model: base.model, manifest: { ...base.manifest, context: null }, dir: base.dir, weightsSha256: '' };
    const c = ctx.manifest.candidate;
    const crow = concatRows(data.map((d) => sampleContextRows(computeWrinkleMaps(d.raster, A, first), d.mask, A, c, rng, { maxPositive: 4000, maxNegative: 4000 })), CONTEXT_COUNT);
    contextLosses.push(...(await fitHead(ctx.model, crow, { mean: ctx.manifest.featureMean, std: ctx.manifest.featureStd }, { epochs, rng, learningRate: lr, onEpoch: (e, l) => log(`context epoch ${e + 1}/${epochs} loss ${l.toFixed(4)}`) })));
    const dir = path.join(path.resolve(o.out), base.manifest.context!);
    const manifest = await saveLayersModelDir<ContextManifest>(ctx.model, dir, { ...ctx.manifest, id: 'context' });
    context = { model: ctx.model, manifest, dir, weightsSha256: manifest.weightsSha256 };
  }
  const manifest = await saveLayersModelDir<WrinkleManifest>(base.model, path.resolve(o.out), {
    ...base.manifest,
    id,
    parent: `${base.manifest.id}@${base.weightsSha256}`,
  });
  const after = jaccard({ model: base.model, manifest, dir: o.out, weightsSha256: manifest.weightsSha256, context });
  const seconds = (performance.now() - t0) / 1000;
  writeFileSync(
    path.join(path.resolve(o.out), 'MODEL_CARD.md'),
    `# ${id}: wrinkle model fine-tuned by \`dermametrics train-wrinkle\`

- **Parent:** ${base.manifest.id}, weights SHA-256 \`${base.weightsSha256}\` (its card describes the architecture and features).
- **Data:** ${pairs.length} annotated photo(s) from ${path.resolve(o.imagesDir)} with masks from ${path.resolve(o.masksDir)}, at ${mmPerPx} mm/px,
  resampled to ${A} mm/px; ${rows.n} sampled pixels (wrinkle, random and hard background). Pairs: ${pairs.map((p) => p.name).join(', ')}.
- **Training:** Adam lr ${lr}, ${epochs} epochs, batch 1024, seed ${seed}, tfjs cpu backend; features, normalisation and
  thresholds (probability ≥ ${manifest.threshold}, components ≥ ${manifest.minComponentPx} px) kept from the parent.
- **In-sample Jaccard** (on the training photos, NOT a validation): before ${before.toFixed(3)}, after ${after.toFixed(3)}.
  Validate on photos the model did not see before using it in a study.
- **Time:** ${seconds.toFixed(1)} s.
- **Weights:** SHA-256 \`${manifest.weightsSha256}\`${context ? `; context head (\`${base.manifest.context}/\`, fine-tuned after the first head on its maps of the same photos, same settings) SHA-256 \`${context.weightsSha256}\`` : ''}.
`,
  );
  if (previous && previous !== 'cpu') await initBackend(previous);
  return { manifest, pairs: pairs.map((p) => p.name), rows: rows.n, losses, contextLosses, contextSha256: context?.weightsSha256 ?? null, inSampleJaccard: { before, after }, seconds };
}
