import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Config as HumanConfig, FaceResult, Human as HumanT } from '@vladmandic/human';
import { DermametricsError } from '../errors';
import { initBackend, tf, type BackendName } from '../model/backend';

/**
 * The face model: @vladmandic/human 3.3.6 (BlazeFace detector + MediaPipe FaceMesh 468 points + iris 10 points),
 * weights from the installed package's own models/ folder, never from the network.
 *
 * Three workarounds (see findings/ecosystem.md §2):
 * 1. Human's package.json `exports` only has condition keys, so `require('@vladmandic/human')` always gives the tfjs-node
 *    build; we resolve the main file (without running it) and load its sibling `human.node-wasm.js` by absolute path.
 *    That build requires plain `@tensorflow/tfjs-core`, the same module (and so the same engine) src/model/backend.ts uses.
 * 2. Human loads models through global `fetch()`, which cannot read file:// in Node: fetch is patched only around load().
 * 3. `human.init()` runs before any tensor is created.
 */

const require = createRequire(import.meta.url);

export interface FaceModel {
  human: HumanT;
  backend: BackendName;
  modelId: string;
}

let loading: Promise<FaceModel> | undefined;

function humanDist(): string {
  try {
    return path.dirname(require.resolve('@vladmandic/human'));
  } catch (e) {
    throw new DermametricsError('E_MODEL', 'The face model package @vladmandic/human is not installed. Reinstall dermametrics (npm ci).', {}, { cause: e });
  }
}

/** The face model files detectFace loads (blazeface + facemesh + iris from @vladmandic/human/models). */
export const FACE_MODEL_FILES = ['blazeface.json', 'blazeface.bin', 'facemesh.json', 'facemesh.bin', 'iris.json', 'iris.bin'];

let faceHash: string | undefined;

/** SHA-256 over the face model files (each file's bytes, in FACE_MODEL_FILES order), for provenance; computed once per process. */
export function faceModelSha256(): string {
  if (faceHash) return faceHash;
  const h = createHash('sha256');
  try {
    const dir = path.join(humanDist(), '..', 'models');
    for (const f of FACE_MODEL_FILES) h.update(readFileSync(path.join(dir, f)));
    faceHash = h.digest('hex');
  } catch {
    faceHash = 'unavailable';
  }
  return faceHash;
}

async function withFileFetch<T>(fn: () => Promise<T>): Promise<T> {
  const orig = globalThis.fetch;
  globalThis.fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    const u = typeof url === 'string' ? url : url instanceof URL ? url.href : url.url;
    if (u.startsWith('file://')) return new Response(await readFile(fileURLToPath(u)));
    return orig(url, init);
  }) as typeof fetch;
  try {
    return await fn();
  } finally {
    globalThis.fetch = orig;
  }
}

async function load(): Promise<FaceModel> {
  const backend = await initBackend();
  const dist = humanDist();
  const { Human } = require(path.join(dist, 'human.node-wasm.js')) as { Human: new (c: Partial<HumanConfig>) => HumanT };
  const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + path.sep;
  const config: Partial<HumanConfig> = {
    backend: backend.name as HumanConfig['backend'],
    wasmPath: wasmDir,
    modelBasePath: pathToFileURL(path.join(dist, '..', 'models')).href + '/',
    cacheModels: false,
    warmup: 'none',
    debug: false,
    cacheSensitivity: 0, // still photos: no frame-to-frame cache, so results never depend on the previous call
    filter: { enabled: false } as HumanConfig['filter'],
    gesture: { enabled: false },
    body: { enabled: false } as HumanConfig['body'],
    hand: { enabled: false } as HumanConfig['hand'],
    object: { enabled: false } as HumanConfig['object'],
    segmentation: { enabled: false } as HumanConfig['segmentation'],
    face: {
      enabled: true,
      detector: { enabled: true, rotation: true, maxDetected: 10, minConfidence: 0.3, iouThreshold: 0.1, return: false, skipFrames: 0, skipTime: 0 },
      mesh: { enabled: true, keepInvalid: false },
      iris: { enabled: true },
      attention: { enabled: false },
      emotion: { enabled: false },
      description: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
      gear: { enabled: false },
      ssrnet: { enabled: false },
      mobilefacenet: { enabled: false },
      insightface: { enabled: false },
    } as unknown as HumanConfig['face'],
  };
  const human = new Human(config);
  await human.init();
  if (human.tf.engine() !== tf.engine()) {
    throw new DermametricsError('E_MODEL', 'The face model loaded a second copy of @tensorflow/tfjs-core. Reinstall dermametrics (npm ci) so that only one tfjs-core 4.22.0 is installed.');
  }
  if (tf.getBackend() !== backend.name) {
    throw new DermametricsError('E_MODEL', `The face model switched the TensorFlow.js backend from ${backend.name} to ${tf.getBackend()}.`, { backend: backend.name });
  }
  await withFileFetch(() => human.load());
  return { human, backend: backend.name, modelId: `@vladmandic/human@${human.version} blazeface+facemesh+iris` };
}

/** Load the face model once per process (lazy); later calls share it. */
export function loadFaceModel(): Promise<FaceModel> {
  loading ??= load().catch((e) => {
    loading = undefined;
    throw e;
  });
  return loading;
}

/**
 * How runFaceModel places the face: `detect` runs the face detector (BlazeFace, about half of a call's time);
 * `detect-to-track` too, and keeps the image (Human's copy) for a `track` call after it; `track` reuses the face box
 * Human centred on the previous call's mesh (its video tracking) when the image has the previous one's size, and
 * detects otherwise. Tracking is only for a sequence of images with the face at the same place, in one `exclusive` section.
 */
export type FacePlacement = 'detect' | 'detect-to-track' | 'track';

/**
 * Run the detector on an sRGB-encoded 8-bit RGB image (row-major, interleaved). Human's tracking state (the previous
 * input and boxes) is module-level: `cacheSensitivity` 0 neither reuses a box nor keeps the input; −1 never reuses a
 * box but keeps the input to compare the next one with; 1e30 (above any frame difference) reuses the boxes whenever
 * the size matches, with `skipFrames`/`skipTime` large enough for any run of tracked calls.
 */
export async function runFaceModel(rgb: Uint8Array, width: number, height: number, placement: FacePlacement = 'detect'): Promise<{ faces: FaceResult[]; model: FaceModel }> {
  const model = await loadFaceModel();
  const t = tf.tensor3d(new Int32Array(rgb), [height, width, 3], 'int32');
  const track = placement === 'track';
  const config = { cacheSensitivity: track ? 1e30 : placement === 'detect' ? 0 : -1, face: { detector: { skipFrames: track ? 99 : 0, skipTime: track ? 1e15 : 0 } } };
  try {
    const res = await model.human.detect(t as never, config as Partial<HumanConfig>);
    return { faces: res.face, model };
  } finally {
    t.dispose();
  }
}

let queue: Promise<unknown> = Promise.resolve();

/** Run `fn` with the face model to itself: a detection and the calls that track from it never interleave with another photo's. */
export function exclusive<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
}
