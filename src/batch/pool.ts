import { fork, type ChildProcess } from 'node:child_process';
import { DermametricsError } from '../errors';
import type { PhotoScore } from '../score/types';

/** One photo for a worker. */
export interface Job {
  id: string;
  file: string;
  /** write an overlay thumbnail here (JPEG) */
  overlay?: string;
}

export type Outcome = { ok: true; score: PhotoScore } | { ok: false; code: string; message: string };

export interface PoolOptions {
  workers: number;
  /** the worker entry (dist/worker.js) */
  workerScript: string;
  /** test hook: a module exporting `analyze(file, options)` used instead of analyzePhoto */
  analyzerModule?: string;
  /** options passed to the analyser for every photo */
  analyzeOptions: Record<string, unknown>;
  /** a photo that takes longer is abandoned (its worker killed) and recorded as E_WORKER_CRASH */
  timeoutMs: number;
  /** how many times a photo whose worker died is tried in all (default 2) */
  maxAttempts?: number;
  /** wrinkle feature threads in each child (DERMAMETRICS_THREADS; default: the child's own default) */
  threadsPerWorker?: number;
}

type WorkerMessage =
  | { type: 'ready' }
  | { type: 'done'; id: string; ok: true; score: PhotoScore }
  | { type: 'done'; id: string; ok: false; code: string; message: string }
  | { type: 'fatal'; code: string; message: string };

/**
 * Run jobs on `workers` child processes (each its own V8 heap, libvips and tfjs backend), one photo at a time per
 * child. `onOutcome` is called once per job, in completion order, synchronously (it commits the result before the
 * child gets its next photo). A child that dies mid-photo (native crash, out of memory, timeout) is replaced and the
 * photo retried once; a second death records E_WORKER_CRASH for that photo. Every other photo is unaffected.
 */
export function runPool(jobs: Job[], opts: PoolOptions, onOutcome: (job: Job, outcome: Outcome) => void): Promise<void> {
  const queue = [...jobs];
  const attempts = new Map<string, number>();
  const maxAttempts = opts.maxAttempts ?? 2;
  const children = new Set<ChildProcess>();
  let consecutiveStartFailures = 0;
  let failure: Error | undefined;

  return new Promise<void>((resolve, reject) => {
    const settleIfIdle = () => {
      if (children.size > 0) return;
      if (failure) reject(failure);
      else resolve();
    };
    const abort = (err: Error) => {
      failure ??= err;
      queue.length = 0;
      for (const c of children) c.kill('SIGKILL');
      settleIfIdle();
    };

    const spawnWorker = () => {
      const env: NodeJS.ProcessEnv = { ...process.env };
      if (opts.analyzerModule) env.DERMAMETRICS_ANALYZER = opts.analyzerModule;
      else delete env.DERMAMETRICS_ANALYZER;
      // the child's wrinkle feature threads (a share of the cores; does not change any number)
      if (opts.threadsPerWorker !== undefined) env.DERMAMETRICS_THREADS = String(opts.threadsPerWorker);
      const child = fork(opts.workerScript, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env });
      children.add(child);
      let ready = false;
      let fatal: { code: string; message: string } | undefined;
      let current: Job | undefined;
      let timer: NodeJS.Timeout | undefined;
      let timedOut = false;
      let tail = '';
      child.stderr?.on('data', (d: Buffer) => {
        tail = (tail + d.toString('utf8')).slice(-4000);
        if (process.env.DERMAMETRICS_DEBUG) process.stderr.write(d);
      });

      const next = () => {
        current = queue.shift();
        if (!current) {
          if (child.connected) child.disconnect(); // the worker exits when its channel closes
          return;
        }
        timedOut = false;
        timer = setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, opts.timeoutMs);
        child.send({ type: 'job', id: current.id, file: current.file, overlay: current.overlay, options: opts.analyzeOptions });
      };

      child.on('message', (raw) => {
        const msg = raw as WorkerMessage;
        if (msg.type === 'ready') {
          ready = true;
          consecutiveStartFailures = 0;
          next();
        } else if (msg.type === 'fatal') {
          fatal = { code: msg.code, message: msg.message };
        } else if (msg.type === 'done' && current && msg.id === current.id) {
          clearTimeout(timer);
          const job = current;
          current = undefined;
          try {
            onOutcome(job, msg.ok ? { ok: true, score: msg.score } : { ok: false, code: msg.code, message: msg.message });
          } catch (e) {
            abort(e instanceof Error ? e : new Error(String(e)));
            return;
          }
          next();
        }
      });

      let exited = false;
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        if (exited) return;
        exited = true;
        clearTimeout(timer);
        children.delete(child);
        if (current && !failure) {
          const job = current;
          current = undefined;
          const n = (attempts.get(job.id) ?? 0) + 1;
          attempts.set(job.id, n);
          const how = timedOut ? `did not finish within ${Math.round(opts.timeoutMs / 1000)} s` : `died (${signal ?? `exit code ${code}`})`;
          if (n < maxAttempts) {
            queue.unshift(job);
          } else {
            const lastLine = tail.trim().split('\n').slice(-1)[0] ?? '';
            try {
              onOutcome(job, {
                ok: false,
                code: 'E_WORKER_CRASH',
                message: `The worker scoring this photo ${how} on ${n} attempt(s)${lastLine ? `; last output: ${lastLine.slice(0, 300)}` : ''}. Check the file; if it is valid, report it with the photo.`,
              });
            } catch (e) {
              abort(e instanceof Error ? e : new Error(String(e)));
            }
          }
        } else if (!ready && !failure) {
          consecutiveStartFailures++;
          if (consecutiveStartFailures >= 2) {
            abort(
              new DermametricsError(
                fatal?.code === 'E_MODEL' ? 'E_MODEL' : 'E_WORKER_CRASH',
                `The batch worker could not start (${fatal ? `${fatal.code}: ${fatal.message}` : signal ?? `exit code ${code}`}). ${tail.trim().split('\n').slice(-3).join(' | ').slice(0, 600)}`,
                { workerScript: opts.workerScript },
              ),
            );
            return;
          }
        }
        if (queue.length > 0 && !failure) spawnWorker();
        settleIfIdle();
      };
      child.on('exit', onExit);
      child.on('error', () => {
        if (!child.connected && child.exitCode === null && child.signalCode === null) return; // exit will follow
      });
    };

    const n = Math.min(Math.max(1, opts.workers), queue.length);
    if (n === 0) return resolve();
    for (let i = 0; i < n; i++) spawnWorker();
  });
}
