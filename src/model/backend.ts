import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { DermametricsError } from '../errors';

/** Which TensorFlow.js backend runs inference: `tensorflow` (tfjs-node), `wasm` (embedded default), or `cpu`. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendInfo {
  name: BackendName;
  tfjsVersion: string;
}

const require = createRequire(import.meta.url);
let active: Promise<BackendInfo> | undefined;

async function tryTensorflow(): Promise<boolean> {
  try {
    // Optional peer: registers the 'tensorflow' backend when the user has installed it.
    require('@tensorflow/tfjs-node');
    return tf.findBackend('tensorflow') !== undefined || tf.engine().registryFactory.tensorflow !== undefined;
  } catch {
    return false;
  }
}

async function start(preferred?: BackendName): Promise<BackendInfo> {
  const order: BackendName[] = preferred ? [preferred] : ['tensorflow', 'wasm', 'cpu'];
  for (const name of order) {
    if (name === 'tensorflow' && !(await tryTensorflow())) continue;
    if (name === 'wasm') {
      // The .wasm binaries come from the installed package folder, never from a CDN; the trailing separator is required.
      setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + path.sep);
    }
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        return { name, tfjsVersion: tf.version_core };
      }
    } catch {
      /* fall through to the next backend */
    }
  }
  throw new DermametricsError('E_MODEL', `Could not start the TensorFlow.js backend ${order.join(' or ')}. Reinstall dermametrics (npm ci) so that @tensorflow/tfjs-backend-wasm is present.`, { tried: order });
}

/**
 * Start (once per process) and return the TensorFlow.js backend: tfjs-node when installed, else wasm, else cpu.
 * Pass `preferred` to force one (tests compare wasm with cpu); the first call decides for the process.
 */
export function initBackend(preferred?: BackendName): Promise<BackendInfo> {
  if (preferred && active) {
    return active.then(async (info) => (info.name === preferred ? info : switchBackend(preferred)));
  }
  active ??= start(preferred);
  return active;
}

async function switchBackend(name: BackendName): Promise<BackendInfo> {
  active = start(name);
  return active;
}

export { tf };
