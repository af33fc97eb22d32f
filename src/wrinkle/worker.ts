// Entry of dist/wrinkle-worker.js: one job per message (see threads.ts): the wrinkle filter bank and the head's gated
// rows of a tile, or the auto-context rows of a band.
import { parentPort } from 'node:worker_threads';
import { contextBandRows } from './context';
import { tileFeatures } from './gate';
import type { WorkerJob } from './threads';

parentPort?.on('message', (job: WorkerJob) => {
  try {
    if (job.kind === 'features') {
      const result = tileFeatures(job.raster, job.mmPerPx, job.gateHessHi, job.need);
      const buffers = [result.rows, result.index, result.frangi, result.contrast, result.orientationDeg].map((a) => a.buffer as ArrayBuffer);
      parentPort?.postMessage({ ok: true, result }, buffers);
    } else {
      const result = contextBandRows(job.band, job.mmPerPx, job.candidate);
      parentPort?.postMessage({ ok: true, result }, [result.rows.buffer as ArrayBuffer, result.index.buffer as ArrayBuffer]);
    }
  } catch (e) {
    parentPort?.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) });
  }
});
