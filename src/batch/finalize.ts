import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { canonicalJson } from '../score/canonical';
import { VERSION } from '../version';
import { repairJournal, writeFileAtomic } from './journal';
import { errorsCsv, longTableCsv } from './long';
import { byManifestOrder, type ErrorRecord, type ResultRecord } from './records';
import type { Shard } from './shard';

export const RESULTS_FILE = 'results.jsonl';
export const ERRORS_JOURNAL = 'errors.jsonl';
export const ERRORS_CSV = 'errors.csv';
export const LONG_CSV = 'scores_long.csv';
export const SUMMARY_FILE = 'summary.json';
export const RUN_FILE = 'run.json';

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

export function readJournals(out: string): { results: ResultRecord[]; errors: ErrorRecord[] } {
  return {
    results: repairJournal<ResultRecord>(path.join(out, RESULTS_FILE)),
    errors: repairJournal<ErrorRecord>(path.join(out, ERRORS_JOURNAL)),
  };
}

export function readRunMeta(out: string): RunMeta | undefined {
  const f = path.join(out, RUN_FILE);
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as RunMeta) : undefined;
}

/** Keep the first record per photo id (a photo is scored or failed, once) among those `keep` accepts; sort by manifest order. */
export function dedupe(results: ResultRecord[], errors: ErrorRecord[], keep?: Set<string>): { results: ResultRecord[]; errors: ErrorRecord[] } {
  const seen = new Set<string>();
  const r: ResultRecord[] = [];
  const e: ErrorRecord[] = [];
  for (const x of results) {
    const id = x.manifest?.id;
    if (!id || seen.has(id) || (keep && !keep.has(id))) continue;
    seen.add(id);
    r.push(x);
  }
  for (const x of errors) {
    const id = x.manifest?.id;
    if (!id || seen.has(id) || (keep && !keep.has(id))) continue;
    seen.add(id);
    e.push(x);
  }
  return { results: r.sort(byManifestOrder), errors: e.sort(byManifestOrder) };
}

function count(keys: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of [...keys].sort()) out[k] = (out[k] ?? 0) + 1;
  return out;
}

/**
 * Write the final outputs of a run or a merge from its (deduplicated, sorted) records: results.jsonl and
 * errors.jsonl rewritten in manifest order, errors.csv, scores_long.csv and summary.json. Every file is written
 * atomically (temp + rename), so a kill during finalisation leaves the previous complete version.
 */
export function writeOutputs(out: string, meta: RunMeta, photos: number, results: ResultRecord[], errors: ErrorRecord[]): BatchSummary {
  writeFileAtomic(path.join(out, RESULTS_FILE), results.map((r) => `${canonicalJson(r)}\n`).join(''));
  writeFileAtomic(path.join(out, ERRORS_JOURNAL), errors.map((e) => `${canonicalJson(e)}\n`).join(''));
  writeFileAtomic(path.join(out, ERRORS_CSV), errorsCsv(errors));
  writeFileAtomic(path.join(out, LONG_CSV), longTableCsv(results, errors));
  const infos = [...results.map((r) => r.manifest), ...errors.map((e) => e.manifest)].sort((a, b) => a.index - b.index);
  const visits: string[] = [];
  const arms: string[] = [];
  for (const i of infos) {
    if (!visits.includes(i.visit)) visits.push(i.visit);
    if (i.arm !== undefined && !arms.includes(i.arm)) arms.push(i.arm);
  }
  const review = results.filter((r) => r.qc?.status === 'review').length;
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
    qc: { pass: results.length - review, review, flagsByCode: count(results.flatMap((r) => [...new Set((r.qc?.flags ?? []).map((f) => f.code))])) },
    subjects: new Set(infos.map((i) => i.subject)).size,
    visits,
    arms,
    files: [RESULTS_FILE, ERRORS_CSV, LONG_CSV, SUMMARY_FILE],
  };
  writeFileAtomic(path.join(out, SUMMARY_FILE), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}
