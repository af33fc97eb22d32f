// Entry of dist/wrinkle-worker.js: computes the wrinkle filter bank for one tile per message (see threads.ts).
import { parentPort } from 'node:worker_threads';
import type { Raster } from '../image/raster';
import { computeFeatures } from './features';

parentPort?.on('message', ({ raster, mmPerPx, need }: { raster: Raster; mmPerPx: number; need?: Uint8Array }) => {
  try {
    const features = computeFeatures(raster, mmPerPx, need);
    const buffers = [features.data, features.frangi, features.contrast, features.orientationDeg].map((a) => a.buffer as ArrayBuffer);
    parentPort?.postMessage({ ok: true, features }, buffers);
  } catch (e) {
    parentPort?.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) });
  }
});
