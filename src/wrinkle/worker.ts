// Entry of dist/wrinkle-worker.js: one job per message (see threads.ts): the wrinkle filter bank and the head's gated
// rows of a tile (or, with the head's folded layers, its probabilities, on this thread's own wasm backend), or the
// auto-context rows of a band.
import { parentPort } from 'node:worker_threads';
import { initBackend } from '../model/backend';
import { contextBandRows } from './context';
import { tileFeatures } from './gate';
import { predictFolded } from './head';
import type { WorkerJob } from './threads';

let queue: Promise<void> = Promise.resolve();

async function runJob(job: WorkerJob): Promise<void> {
  try {
    if (job.kind === 'features') {
      const result = tileFeatures(job.raster, job.mmPerPx, job.gateHessHi, job.need);
      if (job.head) {
        await initBackend('wasm');
        result.prob = predictFolded(job.head, result.rows, result.index.length);
        result.rows = new Float32Array(0);
      }
      const arrays = [result.rows, result.index, result.frangi, result.contrast, result.orientationDeg, ...(result.prob ? [result.prob] : [])];
      parentPort?.postMessage({ ok: true, result }, arrays.map((a) => a.buffer as ArrayBuffer));
    } else {
      const result = contextBandRows(job.band, job.mmPerPx, job.candidate);
      parentPort?.postMessage({ ok: true, result }, [result.rows.buffer as ArrayBuffer, result.index.buffer as ArrayBuffer]);
    }
  } catch (e) {
    parentPort?.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) });
  }
}

// one job at a time, in order (the backend's start is asynchronous)
parentPort?.on('message', (job: WorkerJob) => {
  queue = queue.then(() => runJob(job));
});
