import { closeSync, existsSync, fstatSync, ftruncateSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import type { ManifestInfo, PhotoScore } from '../score/types';
import type { ErrorRecord, ResultRecord } from './records';

/**
 * Reading the journals of large runs without holding them in memory: results.jsonl is scanned once in 1 MiB
 * chunks; what is kept per photo is its manifest fields, QC summary and the line's byte offset, so finalisation can
 * copy the lines in manifest order and derive the tables one photo at a time (a 100,000-photo run keeps about
 * 100,000 small entries, not 100,000 PhotoScores).
 */
export interface ResultEntry {
  file: string;
  offset: number;
  length: number;
  manifest: ManifestInfo;
  status: 'pass' | 'review';
  flagCodes: string[];
}

const CHUNK = 1 << 20;

/**
 * Visit every complete, parsable line of a JSON-lines journal with its byte offset and length (without the
 * newline). A torn or damaged tail — what a kill in the middle of a write leaves — is truncated away when
 * `repair` is true (the default), so later appends start on a clean line.
 */
export function scanJournal(file: string, visit: (record: unknown, offset: number, length: number) => void, repair = true): void {
  if (!existsSync(file)) return;
  const fd = openSync(file, repair ? 'r+' : 'r');
  try {
    const size = fstatSync(fd).size;
    let pos = 0; // file offset of buf[0]
    let buf = Buffer.alloc(0);
    let good = 0;
    let damaged = false;
    while (!damaged) {
      const chunk = Buffer.alloc(CHUNK);
      const n = readSync(fd, chunk, 0, CHUNK, pos + buf.length);
      if (n === 0) break;
      buf = Buffer.concat([buf, chunk.subarray(0, n)]);
      let start = 0;
      for (;;) {
        const nl = buf.indexOf(0x0a, start);
        if (nl < 0) break;
        const text = buf.subarray(start, nl).toString('utf8');
        if (text.trim() !== '') {
          let rec: unknown;
          try {
            rec = JSON.parse(text);
          } catch {
            damaged = true; // only the tail of an interrupted run can be damaged: stop here
            break;
          }
          visit(rec, pos + start, nl - start);
        }
        start = nl + 1;
        good = pos + start;
      }
      pos += start;
      buf = buf.subarray(start);
    }
    if (repair && good < size) ftruncateSync(fd, good);
  } finally {
    closeSync(fd);
  }
}

/** Read one line back by its offset. */
export function readLine(fd: number, offset: number, length: number): Buffer {
  const b = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, b, got, length - got, offset + got);
    if (n === 0) throw new Error(`unexpected end of journal at ${offset + got}`);
    got += n;
  }
  return b;
}

export interface Collected {
  results: ResultEntry[];
  errors: ErrorRecord[];
}

/**
 * Scan the results and errors journals of one or more output folders; keep the first record per photo id (among
 * ids in `keep`, when given); sort both lists in manifest order.
 */
export function collect(dirs: string[], keep?: Set<string>, repair = true): Collected {
  const seen = new Set<string>();
  const results: ResultEntry[] = [];
  const errors: ErrorRecord[] = [];
  for (const dir of dirs) {
    const file = path.join(dir, 'results.jsonl');
    scanJournal(
      file,
      (rec, offset, length) => {
        const r = rec as ResultRecord;
        const id = r?.manifest?.id;
        if (!id || seen.has(id) || (keep && !keep.has(id))) return;
        seen.add(id);
        results.push({ file, offset, length, manifest: r.manifest, status: r.qc?.status === 'review' ? 'review' : 'pass', flagCodes: [...new Set((r.qc?.flags ?? []).map((f) => f.code))] });
      },
      repair,
    );
  }
  for (const dir of dirs) {
    scanJournal(
      path.join(dir, 'errors.jsonl'),
      (rec) => {
        const e = rec as ErrorRecord;
        const id = e?.manifest?.id;
        if (!id || seen.has(id) || (keep && !keep.has(id))) return;
        seen.add(id);
        errors.push(e);
      },
      repair,
    );
  }
  const order = (a: { manifest: ManifestInfo }, b: { manifest: ManifestInfo }) => a.manifest.index - b.manifest.index || (a.manifest.id < b.manifest.id ? -1 : a.manifest.id > b.manifest.id ? 1 : 0);
  results.sort(order);
  errors.sort(order);
  return { results, errors };
}

/** Iterate the collected results in manifest order as parsed records, each with its raw canonical line. */
export function* iterateResults(entries: ResultEntry[]): Generator<{ entry: ResultEntry; line: Buffer; record: ResultRecord }> {
  const fds = new Map<string, number>();
  try {
    for (const entry of entries) {
      let fd = fds.get(entry.file);
      if (fd === undefined) {
        fd = openSync(entry.file, 'r');
        fds.set(entry.file, fd);
      }
      const line = readLine(fd, entry.offset, entry.length);
      yield { entry, line, record: JSON.parse(line.toString('utf8')) as ResultRecord };
    }
  } finally {
    for (const fd of fds.values()) closeSync(fd);
  }
}

export type { PhotoScore };
