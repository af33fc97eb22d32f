import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { canonicalJson } from '../score/canonical';
import { VERSION } from '../version';
import { writeFileAtomic } from './journal';
import { errorsCsv, longContext, longHeaderCsv, longRowsCsv, longRowsOf } from './long';
import { ReportBuilder } from './report';
import { iterateResults, type Collected } from './store';
import type { Shard } from './shard';

export const RESULTS_FILE = 'results.jsonl';
export const ERRORS_JOURNAL = 'errors.jsonl';
export const ERRORS_CSV = 'errors.csv';
export const LONG_CSV = 'scores_long.csv';
export const SUMMARY_FILE = 'summary.json';
export const RUN_FILE = 'run.json';
export const REPORT_FILE = 'report.html';

/** What identifies a run: a resume, or a merge, must match it exactly. Written to run.json. */
export interface RunMeta {
  schema: 'dermametrics/batch-run/1';
  version: string;
  /** SHA-256 of the canonical JSON of the manifest rows (location-independent fields only) */
  manifestSha256: string;
  manifestRows: number;
  shard: Shard | null;
  /** the analyser options (the ones that change numbers) */
  analyze: Record<string, unknown>;
  /** 'analyzePhoto', or the base name of an injected test analyser */
  analyzer: string;
}

/** summary.json: counts only, no clock times, so equal runs give equal bytes. */
export interface BatchSummary {
  schema: 'dermametrics/batch-summary/1';
  version: string;
  manifestSha256: string;
  manifestRows: number;
  shard: Shard | null;
  analyzer: string;
  analyze: Record<string, unknown>;
  /** photos this run (or shard) is responsible for */
  photos: number;
  scored: number;
  failed: number;
  pending: number;
  complete: boolean;
  errorsByCode: Record<string, number>;
  qc: { pass: number; review: number; flagsByCode: Record<string, number> };
  subjects: number;
  visits: string[];
  arms: string[];
  /** the finalised output files */
  files: string[];
}

export function readRunMeta(out: string): RunMeta | undefined {
  const f = path.join(out, RUN_FILE);
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as RunMeta) : undefined;
}

function count(keys: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of [...keys].sort()) out[k] = (out[k] ?? 0) + 1;
  return out;
}

/** A file written line by line to a temporary name, fsync'd and renamed into place at `commit()`. */
class AtomicWriter {
  private readonly tmp: string;
  private readonly fd: number;
  private pending: Buffer[] = [];
  private size = 0;
  constructor(private readonly file: string) {
    this.tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
    this.fd = openSync(this.tmp, 'w');
  }
  write(data: string | Buffer): void {
    const b = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    this.pending.push(b);
    this.size += b.length;
    if (this.size >= 1 << 20) this.flush();
  }
  private flush(): void {
    const b = Buffer.concat(this.pending);
    let off = 0;
    while (off < b.length) off += writeSync(this.fd, b, off, b.length - off);
    this.pending = [];
    this.size = 0;
  }
  commit(): void {
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    renameSync(this.tmp, this.file);
  }
}

/**
 * Write the final outputs of a run or a merge from its collected journal entries, in manifest order:
 * results.jsonl (the committed canonical lines, copied), errors.jsonl, errors.csv, scores_long.csv, summary.json,
 * and report.html when asked. One streaming pass over the results (plus one over the baseline photos): memory stays
 * small for large runs. Every file is written atomically (temp + fsync + rename), so a kill during finalisation
 * leaves either the previous version or the new one.
 */
export function writeOutputs(out: string, meta: RunMeta, photos: number, collected: Collected, options: { report?: boolean } = {}): BatchSummary {
  const { results, errors } = collected;
  const infos = [...results.map((r) => r.manifest), ...errors.map((e) => e.manifest)];
  const baselineEntries = results.filter((r) => r.manifest.baseline);
  const ctx = longContext(infos, (function* () {
    for (const x of iterateResults(baselineEntries)) yield x.record;
  })());

  const resultsOut = new AtomicWriter(path.join(out, RESULTS_FILE));
  const longOut = new AtomicWriter(path.join(out, LONG_CSV));
  const report = options.report ? new ReportBuilder() : undefined;
  longOut.write(longHeaderCsv(ctx));
  for (const { line, record } of iterateResults(results)) {
    resultsOut.write(line);
    resultsOut.write('\n');
    const rows = longRowsOf(record, ctx);
    longOut.write(longRowsCsv(rows, ctx));
    report?.add(rows);
  }
  resultsOut.commit();
  longOut.commit();
  writeFileAtomic(path.join(out, ERRORS_JOURNAL), errors.map((e) => `${canonicalJson(e)}\n`).join(''));
  writeFileAtomic(path.join(out, ERRORS_CSV), errorsCsv(errors));
  if (report) writeFileAtomic(path.join(out, REPORT_FILE), report.html(out, ctx.visits, results, errors));

  const sorted = [...infos].sort((a, b) => a.index - b.index);
  const visits: string[] = [];
  const arms: string[] = [];
  for (const i of sorted) {
    if (!visits.includes(i.visit)) visits.push(i.visit);
    if (i.arm !== undefined && !arms.includes(i.arm)) arms.push(i.arm);
  }
  const review = results.filter((r) => r.status === 'review').length;
  const summary: BatchSummary = {
    schema: 'dermametrics/batch-summary/1',
    version: VERSION,
    manifestSha256: meta.manifestSha256,
    manifestRows: meta.manifestRows,
    shard: meta.shard,
    analyzer: meta.analyzer,
    analyze: meta.analyze,
    photos,
    scored: results.length,
    failed: errors.length,
    pending: photos - results.length - errors.length,
    complete: results.length + errors.length === photos,
    errorsByCode: count(errors.map((e) => e.code)),
    qc: { pass: results.length - review, review, flagsByCode: count(results.flatMap((r) => r.flagCodes)) },
    subjects: new Set(infos.map((i) => i.subject)).size,
    visits,
    arms,
    files: [RESULTS_FILE, ERRORS_CSV, LONG_CSV, SUMMARY_FILE],
  };
  writeFileAtomic(path.join(out, SUMMARY_FILE), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}
