import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Raster } from '../image/raster';
import { packageRoot } from '../model/package-root';
import type { ContextBand, ContextRows } from './context';
import type { TileFeatures } from './gate';

/**
 * The filter bank and the auto-context rows on worker threads (tfjs' wasm backend has no threads in Node; both are
 * plain typed-array arithmetic, so tiles and bands can run side by side). Each job is a pure function of its input:
 * the result is the same on any thread. Workers are started on first use, kept for later calls, and never keep the
 * process alive.
 */

/** Feature threads by default: the environment's DERMAMETRICS_THREADS (batch sets it for its worker processes), else
 * the machine's cores, at most 4. */
export function defaultThreads(): number {
  const env = Number(process.env.DERMAMETRICS_THREADS);
  if (Number.isInteger(env) && env >= 1) return Math.min(64, env);
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** The message of a worker job (worker.ts runs it). */
export type WorkerJob =
  | { kind: 'features'; raster: Raster; mmPerPx: number; gateHessHi: number; need?: Uint8Array }
  | { kind: 'context'; band: ContextBand; mmPerPx: number; candidate: number };

/** A worker job: its message, the buffers it hands over, and its promise. */
interface Request {
  message: WorkerJob;
  transfer: ArrayBuffer[];
  resolve: (result: never) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: Request | null;
}

const slots: Slot[] = [];
const queue: Request[] = [];
let script: string | null | undefined;

/** dist/wrinkle-worker.js of this package, or null when it is missing (then the caller computes in its own thread). */
export function workerScript(): string | null {
  if (script === undefined) {
    const p = path.join(packageRoot(), 'dist', 'wrinkle-worker.js');
    script = existsSync(p) ? p : null;
  }
  return script;
}

function startSlot(file: string): Slot {
  const slot: Slot = { worker: new Worker(file), busy: null };
  slot.worker.unref();
  slot.worker.on('message', (m: { ok: true; result: never } | { ok: false; message: string }) => {
    const req = slot.busy;
    slot.busy = null;
    slot.worker.unref();
    if (req) {
      if (m.ok) req.resolve(m.result);
      else req.reject(new Error(`wrinkle worker: ${m.message}`));
    }
    dispatch();
  });
  const fail = (err: Error): void => {
    const i = slots.indexOf(slot);
    if (i >= 0) slots.splice(i, 1);
    slot.busy?.reject(err);
    slot.busy = null;
    dispatch();
  };
  slot.worker.on('error', fail);
  slot.worker.on('exit', (code) => fail(new Error(`wrinkle feature worker exited with code ${code}`)));
  return slot;
}

let limit = 1;

function dispatch(): void {
  while (queue.length > 0) {
    if (slots.filter((s) => s.busy !== null).length >= limit) return; // this call's thread count, even with more workers started earlier
    let slot = slots.find((s) => s.busy === null);
    if (!slot) {
      const file = workerScript();
      if (slots.length >= limit || !file) return;
      slot = startSlot(file);
      slots.push(slot);
    }
    const req = queue.shift() as Request;
    slot.busy = req;
    slot.worker.ref(); // a job in flight keeps the process alive
    slot.worker.postMessage(req.message, req.transfer);
  }
}

/** Queue a job; context bands go before the waiting tiles (they are small, and the head runs on them as they come back,
 * so fewer are left for the end), in the order they were asked for. */
function run<T>(message: WorkerJob, transfer: ArrayBuffer[], threads: number): Promise<T> {
  limit = threads;
  return new Promise<T>((resolve, reject) => {
    const req = { message, transfer, resolve: resolve as (r: never) => void, reject };
    if (message.kind === 'context') {
      const at = queue.findIndex((q) => q.message.kind !== 'context');
      queue.splice(at < 0 ? queue.length : at, 0, req);
    } else queue.push(req);
    dispatch();
  });
}

/**
 * Features of one tile and the head's gated rows (tileFeatures) on a worker thread (at most `threads` workers at once),
 * for the `need` pixels as in computeFeatures. The raster's buffer is transferred (pass a copy such as cropRaster's,
 * which the caller no longer needs); `need` is copied.
 */
export function featuresOnWorker(raster: Raster, mmPerPx: number, gateHessHi: number, threads: number, need?: Uint8Array): Promise<TileFeatures> {
  return run<TileFeatures>({ kind: 'features', raster, mmPerPx, gateHessHi, need }, [raster.data.buffer as ArrayBuffer], threads);
}

/**
 * contextBandRows of one band on a worker thread. The band's planes should be views of shared memory
 * (SharedArrayBuffer): they are then shared with the worker, not copied.
 */
export function contextOnWorker(band: ContextBand, mmPerPx: number, candidate: number, threads: number): Promise<ContextRows> {
  return run<ContextRows>({ kind: 'context', band, mmPerPx, candidate }, [], threads);
}
