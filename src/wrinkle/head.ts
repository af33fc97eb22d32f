import type * as tfl from '@tensorflow/tfjs-layers';
import { tf } from '../model/backend';
import path from 'node:path';
import { loadLayersModelDir, type LoadedLayersModel, type ModelManifest } from '../model/layers-store';
import { resolveModelDir } from '../model/package-root';
import { DermametricsError } from '../errors';
import type { MaskRule } from './postprocess';
import { CONTEXT_BANK, CONTEXT_NAMES } from './context';
import { FEATURE_BANK, FEATURE_NAMES } from './features';

export const WRINKLE_MODEL_FORMAT = 'dermametrics-wrinkle-head/1';
export const WRINKLE_CONTEXT_FORMAT = 'dermametrics-wrinkle-context/1';
export const DEFAULT_WRINKLE_MODEL = 'wrinkle-v3';

/** manifest.json of a wrinkle model: the per-pixel head's inputs, their normalisation and the decision rule. */
export interface WrinkleManifest extends ModelManifest {
  /** analysis resolution the features assume (mm per pixel) */
  mmPerPx: number;
  featureNames: string[];
  /** FEATURE_BANK version the model was trained on (absent in the first models: 1) */
  featureBank?: number;
  featureMean: number[];
  featureStd: number[];
  /** probability threshold for the wrinkle mask (chosen on validation data) */
  threshold: number;
  /** connected components smaller than this (pixels at mmPerPx) are dropped from the mask */
  minComponentPx: number;
  /** baseline: Frangi vesselness threshold chosen on the same validation data */
  ridgeThreshold: number;
  /** pixels whose largest Hessian eigenvalue (max over the feature scales, L* units) is below this curve nowhere like
   * a valley and get probability 0 without running the head (chosen so 99.5 % of training wrinkle pixels pass) */
  gateHessHi: number;
  /** the model this one was fine-tuned from, if any */
  parent?: string | null;
  /** sub-folder of the second, auto-context head (src/wrinkle/context.ts); absent or null: one stage. With it,
   * `threshold` and `minComponentPx` apply to the second head's probability */
  context?: string | null;
}

/** manifest.json of an auto-context head: its inputs (CONTEXT_NAMES of `contextBank`), their normalisation, and which
 * pixels it runs on (first-stage probability ≥ `candidate`; the others get probability 0). */
export interface ContextManifest extends ModelManifest {
  contextNames: string[];
  contextBank: number;
  featureMean: number[];
  featureStd: number[];
  candidate: number;
}

export type ContextModel = LoadedLayersModel<ContextManifest>;

export interface WrinkleModel {
  model: tfl.LayersModel;
  manifest: WrinkleManifest;
  dir: string;
  weightsSha256: string;
  /** the second (auto-context) head, when the manifest names one */
  context?: ContextModel;
}

/** Load (a fresh copy of) the auto-context head of a model folder, checking its format, inputs and SHA-256. */
export async function loadContext(m: Pick<WrinkleModel, 'manifest' | 'dir'>): Promise<ContextModel | undefined> {
  if (!m.manifest.context) return undefined;
  const c = await loadLayersModelDir<ContextManifest>(path.join(m.dir, m.manifest.context), WRINKLE_CONTEXT_FORMAT);
  if (c.manifest.contextNames.join() !== CONTEXT_NAMES.join() || c.manifest.contextBank !== CONTEXT_BANK) {
    throw new DermametricsError('E_MODEL', `The context head of model ${m.dir} was trained on other context features than this version of dermametrics computes; retrain it with "dermametrics train-wrinkle".`, { dir: c.dir });
  }
  return c;
}

const cache = new Map<string, Promise<WrinkleModel>>();

/** Load (once per process and folder) a wrinkle model by bundled id or folder, with its context head when it has one;
 * checks format, features and SHA-256 of both. */
export function loadWrinkleModel(idOrPath: string = DEFAULT_WRINKLE_MODEL): Promise<WrinkleModel> {
  const dir = resolveModelDir(idOrPath);
  let p = cache.get(dir);
  if (!p) {
    p = loadLayersModelDir<WrinkleManifest>(idOrPath, WRINKLE_MODEL_FORMAT).then(async (m: WrinkleModel) => {
      if (m.manifest.featureNames.join() !== FEATURE_NAMES.join() || (m.manifest.featureBank ?? 1) !== FEATURE_BANK) {
        throw new DermametricsError('E_MODEL', `Model ${m.dir} was trained on other features than this version of dermametrics computes; retrain it with "dermametrics train-wrinkle".`, { dir: m.dir });
      }
      m.context = await loadContext(m);
      return m;
    });
    cache.set(dir, p);
    p.catch(() => cache.delete(dir));
  }
  return p;
}

/** Rows per predict() call: bounds the tensor memory (rows × features × 4 bytes) whatever the image size. */
export const PREDICT_BATCH_ROWS = 65536;

/** Activations the head may use (fused into the matrix product on every backend). */
const FUSABLE = ['linear', 'relu', 'sigmoid'] as const;

interface DenseLayer {
  w: tf.Tensor2D;
  b: tf.Tensor1D;
  act: (typeof FUSABLE)[number];
}

/** A dense head to evaluate: its LayersModel and the normalisation of its inputs (features per row = mean.length). */
interface DenseHead {
  model: tfl.LayersModel;
  manifest: { featureMean: number[]; featureStd: number[] };
}

// keyed by the loaded model object (a WrinkleModel or its ContextModel): a fine-tuned copy is a new object, so it never
// reads another's folded weights
const dense = new WeakMap<DenseHead, Map<string, DenseLayer[]>>();

/**
 * The head's dense layers as plain tensors on the active backend, with the input normalisation (x − mean)/std folded
 * into the first layer (W' = W/std, b' = b − Σ mean·W/std). Plain matMul/add/activation ops run fast and identically
 * on wasm and cpu; tfjs-layers' predict() was found to be ~100× slower on wasm here.
 */
function denseLayers(m: DenseHead): DenseLayer[] {
  let perBackend = dense.get(m);
  if (!perBackend) dense.set(m, (perBackend = new Map()));
  const backend = tf.getBackend();
  let layers = perBackend.get(backend);
  if (layers) return layers;
  const { featureMean: mu, featureStd: sd } = m.manifest;
  layers = m.model.layers.map((layer, li) => {
    const [k, b] = layer.getWeights();
    const [rows, cols] = k.shape as [number, number];
    const kd = Float32Array.from(k.dataSync());
    const bd = Float32Array.from(b.dataSync());
    if (li === 0) {
      for (let c = 0; c < cols; c++) {
        let shift = 0;
        for (let r = 0; r < rows; r++) {
          kd[r * cols + c] /= sd[r];
          shift += mu[r] * kd[r * cols + c];
        }
        bd[c] -= shift;
      }
    }
    const act = String((layer.getConfig() as { activation?: string }).activation ?? 'linear');
    if (!(FUSABLE as readonly string[]).includes(act)) throw new DermametricsError('E_MODEL', `Unsupported activation '${act}' in the wrinkle head`, { activation: act });
    return { w: tf.keep(tf.tensor2d(kd, [rows, cols])), b: tf.keep(tf.tensor1d(bd)), act: act as (typeof FUSABLE)[number] };
  });
  perBackend.set(backend, layers);
  return layers;
}

/**
 * Probabilities of `count` packed rows (the head's input count of values each, standardisation folded into the first
 * layer), in batches of PREDICT_BATCH_ROWS on the active backend. `m` is a WrinkleModel (filter-bank rows) or its
 * ContextModel (context rows).
 */
export function predictRows(m: DenseHead, rows: Float32Array, count: number): Float32Array {
  const F = m.manifest.featureMean.length;
  const out = new Float32Array(count);
  const layers = denseLayers(m);
  for (let start = 0; start < count; start += PREDICT_BATCH_ROWS) {
    const n = Math.min(PREDICT_BATCH_ROWS, count - start);
    const y = tf.tidy(() => {
      let x: tf.Tensor2D = tf.tensor2d(rows.subarray(start * F, (start + n) * F), [n, F]);
      for (const l of layers) {
        // one fused kernel per layer (product, bias, activation): ~30 % less time than three ops on wasm
        x = tf.fused.matMul({ a: x, b: l.w, bias: l.b, activation: l.act }) as tf.Tensor2D;
      }
      return x;
    });
    out.set(y.dataSync() as Float32Array, start); // outside tidy: tidy would walk a returned typed array element by element
    y.dispose();
  }
  return out;
}

/** The decision rule of a model's manifest. */
export function maskRule(m: WrinkleManifest): MaskRule {
  return { threshold: m.threshold, minPx: m.minComponentPx };
}
