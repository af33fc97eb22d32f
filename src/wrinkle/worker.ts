// Entry of dist/wrinkle-worker.js: computes the wrinkle filter bank and the head's gated rows for one tile per message
// (see threads.ts).
import { parentPort } from 'node:worker_threads';
import type { Raster } from '../image/raster';
import { tileFeatures } from './gate';

parentPort?.on('message', ({ raster, mmPerPx, gateHessHi, need }: { raster: Raster; mmPerPx: number; gateHessHi: number; need?: Uint8Array }) => {
  try {
    const features = tileFeatures(raster, mmPerPx, gateHessHi, need);
    const buffers = [features.rows, features.index, features.frangi, features.contrast, features.orientationDeg].map((a) => a.buffer as ArrayBuffer);
    parentPort?.postMessage({ ok: true, features }, buffers);
  } catch (e) {
    parentPort?.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) });
  }
});
