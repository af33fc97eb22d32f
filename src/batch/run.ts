import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DermametricsError, invalidOption, isDermametricsError, numberOption } from '../errors';
import { analyzePhoto, validateAnalyzeOptions, type AnalyzeOptions } from '../score/analyze';
import { canonicalize, canonicalJson } from '../score/canonical';
import type { PhotoScore } from '../score/types';
import { VERSION } from '../version';
import { ERRORS_JOURNAL, RESULTS_FILE, RUN_FILE, readRunMeta, writeOutputs, type BatchSummary, type RunMeta } from './finalize';
import { collect } from './store';
import { appendRecord, writeFileAtomic } from './journal';
import { THUMBNAIL_OVERLAY } from './overlay';
import { readManifest, type ManifestRow, type ReadManifestOptions } from './manifest';
import { runPool, type Job, type Outcome } from './pool';
import { Progress, type ProgressState } from './progress';
import { manifestInfo } from './records';
import { parseShard, selectShard, type Shard } from './shard';

export interface RunBatchOptions {
  /** output folder (created) */
  out: string;
  /** worker processes; default: available cores. 0 = score in this process (no crash isolation) */
  workers?: number;
  /** continue an interrupted run in `out` (same manifest and options), scoring only what is missing */
  resume?: boolean;
  /** delete the batch files of an earlier run in `out` first (results, errors, tables, summary, report, overlays) */
  overwrite?: boolean;
  /** score only shard i of n ('i/n' or {index, count}); photos are assigned by subject (see shardOf) */
  shard?: Shard | string;
  /** options for analyzePhoto, the same for every photo (JSON values only: they are recorded in run.json) */
  analyze?: Record<string, unknown>;
  /** how to read the manifest when `manifest` is a path */
  manifest?: ReadManifestOptions;
  /** progress on stderr (default true), or a callback */
  progress?: boolean | ((s: ProgressState) => void);
  /** seconds between plain progress lines when stderr is not a terminal (default 10) */
  progressIntervalS?: number;
  /** write report.html (per-region, per-visit plots and overlay thumbnails) after the run */
  report?: boolean;
  /** write overlays/<photo id>.jpg thumbnails (default: when `report`) */
  overlays?: boolean;
  /** per-photo time limit in seconds (default 600); a photo over it is recorded as E_WORKER_CRASH */
  timeoutS?: number;
  /** the worker entry; default: worker.js beside this module (dist/worker.js) */
  workerScript?: string;
  /** test hook: module exporting `analyze(file, options)` that replaces analyzePhoto (in the workers) */
  analyzerModule?: string;
}

export interface BatchResult extends BatchSummary {
  /** wall-clock figures of this invocation (not written to summary.json, which must not depend on the clock) */
  timing: { elapsedS: number; photosPerMinute: number; scoredThisRun: number };
}

function defaultWorkerScript(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return path.join(here, 'worker.js');
}

/** SHA-256 of the manifest rows' location-independent fields (so a moved photo set keeps its identity). */
export function manifestSha256(rows: ManifestRow[]): string {
  return createHash('sha256').update(canonicalJson(rows.map(manifestInfo))).digest('hex');
}

function takeLock(out: string): () => void {
  const lock = path.join(out, '.lock');
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, 'utf8').trim());
    let alive = false;
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) {
      try {
        process.kill(pid, 0);
        alive = true;
      } catch {
        alive = false; // a stale lock from a killed run
      }
    }
    if (alive) throw new DermametricsError('E_INVALID_OPTION', `Another batch (process ${pid}) is writing to ${out}. Wait for it or stop it; if no batch is running (a reused process id), delete ${lock}.`, { out, pid });
  }
  writeFileSync(lock, String(process.pid));
  return () => rmSync(lock, { force: true });
}

/**
 * Score every photo of a manifest (CSV path, directory, or rows from readManifest) into `options.out`:
 * results.jsonl (one canonical PhotoScore per line with its manifest fields), errors.csv, scores_long.csv,
 * summary.json (and report.html with `report`). Crash-safe: each photo is committed (append + fsync) before the
 * next is handed out; `resume` continues after a kill at any instant, and the final files are byte-identical to an
 * uninterrupted run, for any number of workers and for merged shards. See docs/batch.md.
 */
export async function runBatch(manifest: string | ManifestRow[], options: RunBatchOptions): Promise<BatchResult> {
  if (!options || typeof options.out !== 'string' || options.out === '') throw invalidOption('options.out', 'an output folder path', options?.out);
  const workers = numberOption('options.workers', options.workers, Math.max(1, os.availableParallelism?.() ?? os.cpus().length), { min: 0, max: 256, integer: true });
  const timeoutS = numberOption('options.timeoutS', options.timeoutS, 600, { min: 1, integer: false });
  const shard = typeof options.shard === 'string' ? parseShard(options.shard) : options.shard;
  if (shard && !(Number.isInteger(shard.index) && Number.isInteger(shard.count) && shard.index >= 0 && shard.index < shard.count)) {
    throw invalidOption('options.shard', "'i/n' with 0 <= i < n", shard);
  }
  const analyze = (canonicalize(options.analyze ?? {}) ?? {}) as Record<string, unknown>;
  validateAnalyzeOptions(analyze as AnalyzeOptions); // a bad option fails the run here, not every photo
  const analyzerModule = options.analyzerModule ? path.resolve(options.analyzerModule) : undefined;
  const allRows = typeof manifest === 'string' ? readManifest(manifest, options.manifest) : manifest;
  const rows = selectShard(allRows, shard);
  const out = path.resolve(options.out);
  mkdirSync(out, { recursive: true });

  const meta: RunMeta = {
    schema: 'dermametrics/batch-run/1',
    version: VERSION,
    manifestSha256: manifestSha256(allRows),
    manifestRows: allRows.length,
    shard: shard && shard.count > 1 ? { index: shard.index, count: shard.count } : null,
    analyze,
    analyzer: analyzerModule ? path.basename(analyzerModule) : 'analyzePhoto',
  };
  const release = takeLock(out);
  try {
    if (options.overwrite) {
      if (options.resume) throw invalidOption('options.overwrite', 'not together with resume', true);
      for (const f of [RESULTS_FILE, ERRORS_JOURNAL, RUN_FILE, 'errors.csv', 'scores_long.csv', 'summary.json', 'report.html']) rmSync(path.join(out, f), { force: true });
      rmSync(path.join(out, 'overlays'), { recursive: true, force: true });
    }
    const previous = readRunMeta(out);
    const hasJournal = existsSync(path.join(out, RESULTS_FILE)) || existsSync(path.join(out, ERRORS_JOURNAL));
    if (!options.resume && (previous || hasJournal)) {
      throw new DermametricsError('E_INVALID_OPTION', `${out} already holds batch results. Pass --resume (resume: true) to continue that run, or choose an empty --out folder.`, { out });
    }
    if (previous && canonicalJson(previous) !== canonicalJson(meta)) {
      const differs = (Object.keys(meta) as (keyof RunMeta)[]).filter((k) => canonicalJson(previous[k]) !== canonicalJson(meta[k]));
      throw new DermametricsError('E_INVALID_OPTION', `Cannot resume in ${out}: it was started with a different ${differs.join(', ')}. Use the same manifest and options, or a new --out folder.`, { out, differs });
    }
    if (!previous) writeFileAtomic(path.join(out, RUN_FILE), `${JSON.stringify(canonicalize(meta), null, 2)}\n`);

    const ids = new Set(rows.map((r) => r.id));
    const done = collect([out], ids); // also truncates a torn last line left by a kill
    const doneIds = new Set([...done.results, ...done.errors].map((x) => x.manifest.id));
    const todo = rows.filter((r) => !doneIds.has(r.id));
    const byId = new Map(rows.map((r) => [r.id, r]));

    const stream = options.progress === false || typeof options.progress === 'function' ? undefined : process.stderr;
    const progress = new Progress(rows.length, stream, options.progressIntervalS ?? 10, typeof options.progress === 'function' ? options.progress : undefined, doneIds.size);
    const resultsFile = path.join(out, RESULTS_FILE);
    const errorsFile = path.join(out, ERRORS_JOURNAL);
    let scoredThisRun = 0;
    const commit = (job: Job, outcome: Outcome) => {
      const row = byId.get(job.id)!;
      if (outcome.ok) {
        appendRecord(resultsFile, canonicalJson({ ...outcome.score, manifest: manifestInfo(row) }));
        scoredThisRun++;
      } else {
        appendRecord(errorsFile, canonicalJson({ manifest: manifestInfo(row), code: outcome.code, message: outcome.message }));
      }
      progress.tick(outcome.ok);
    };

    const overlays = options.overlays ?? Boolean(options.report);
    const jobs: Job[] = todo.map((r) => ({ id: r.id, file: r.path, overlay: overlays ? path.join(out, 'overlays', `${r.id}.jpg`) : undefined }));
    if (workers === 0) {
      for (const job of jobs) {
        let outcome: Outcome;
        try {
          const score: PhotoScore = await analyzePhoto(job.file, job.overlay ? { ...analyze, overlay: { path: job.overlay, ...THUMBNAIL_OVERLAY } } : analyze);
          outcome = { ok: true, score };
        } catch (e) {
          outcome = { ok: false, code: isDermametricsError(e) ? e.code : 'E_INTERNAL', message: e instanceof Error ? e.message : String(e) };
        }
        commit(job, outcome);
      }
    } else if (jobs.length) {
      const workerScript = options.workerScript ? path.resolve(options.workerScript) : defaultWorkerScript();
      if (!existsSync(workerScript)) {
        throw new DermametricsError('E_INTERNAL', `The batch worker ${workerScript} is missing. Run \`npm run build\` (or pass workerScript / workers: 0).`, { workerScript });
      }
      // several processes already use the cores: share them out between the processes' wrinkle feature threads
      const threadsPerWorker = Math.max(1, Math.floor((os.availableParallelism?.() ?? os.cpus().length) / workers));
      await runPool(jobs, { workers, workerScript, analyzerModule, analyzeOptions: analyze, timeoutMs: timeoutS * 1000, threadsPerWorker }, commit);
    }
    progress.finish();

    const summary = writeOutputs(out, meta, rows.length, collect([out], ids), { report: options.report });
    const st = progress.state();
    return { ...summary, timing: { elapsedS: st.elapsedS, photosPerMinute: st.photosPerMinute, scoredThisRun } };
  } finally {
    release();
  }
}
