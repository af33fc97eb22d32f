import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import { DermametricsError } from '../errors';
import { initBackend, tf } from './backend';
import { resolveModelDir } from './package-root';

/** What dermametrics keeps beside a TensorFlow.js LayersModel (manifest.json in the model folder). */
export interface ModelManifest {
  /** model id, e.g. "wrinkle-v3" */
  id: string;
  /** what the model is and how its inputs are made (a format tag the loader checks) */
  format: string;
  /** SHA-256 (hex) of weights.bin; checked on every load */
  weightsSha256: string;
}

export interface LoadedLayersModel<M extends ModelManifest = ModelManifest> {
  model: tfl.LayersModel;
  manifest: M;
  dir: string;
  weightsSha256: string;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Load a LayersModel (model.json + weights.bin + manifest.json) from a bundled id or a folder, through an in-memory
 * IOHandler (no fetch, no network), after checking the weights' SHA-256 against the manifest.
 */
export async function loadLayersModelDir<M extends ModelManifest>(idOrPath: string, format: string): Promise<LoadedLayersModel<M>> {
  const dir = resolveModelDir(idOrPath);
  const files = ['model.json', 'weights.bin', 'manifest.json'].map((f) => path.join(dir, f));
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length) {
    throw new DermametricsError('E_MODEL', `Model folder ${dir} lacks ${missing.map((f) => path.basename(f)).join(', ')}. Pass a bundled model id (e.g. "wrinkle-v3") or a folder written by "dermametrics train-wrinkle".`, { dir, missing });
  }
  await initBackend(); // tensors need a started backend (keeps the one already active)
  const manifest = JSON.parse(readFileSync(files[2], 'utf8')) as M;
  if (manifest.format !== format) {
    throw new DermametricsError('E_MODEL', `Model ${dir} has format "${String(manifest.format)}", expected "${format}".`, { dir, format: manifest.format });
  }
  const weights = readFileSync(files[1]);
  const hash = sha256Hex(weights);
  if (hash !== manifest.weightsSha256) {
    throw new DermametricsError('E_MODEL', `Model weights ${files[1]} have SHA-256 ${hash}, but the manifest says ${manifest.weightsSha256}: the file is corrupt or was changed. Reinstall or retrain the model.`, { dir, expected: manifest.weightsSha256, actual: hash });
  }
  const json = JSON.parse(readFileSync(files[0], 'utf8')) as { modelTopology: object; weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  const model = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData }));
  return { model, manifest, dir, weightsSha256: hash };
}

/** Save a LayersModel as model.json + weights.bin, and manifest.json with the weights' SHA-256 filled in. */
export async function saveLayersModelDir<M extends ModelManifest>(model: tfl.LayersModel, dir: string, manifest: Omit<M, 'weightsSha256'>): Promise<M> {
  mkdirSync(dir, { recursive: true });
  let full: M | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = new Uint8Array(artifacts.weightData as ArrayBuffer);
      const modelJson = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tfl.version_layers}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
      };
      writeFileSync(path.join(dir, 'model.json'), JSON.stringify(modelJson));
      writeFileSync(path.join(dir, 'weights.bin'), weights);
      full = { ...manifest, weightsSha256: sha256Hex(weights) } as M;
      writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(full, null, 2) + '\n');
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
    }),
  );
  return full!;
}
