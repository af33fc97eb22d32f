import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, truncateSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * Append-only JSON-lines journals that survive SIGKILL at any instant:
 * each record is ONE write() of `json + "\n"` followed by fsync; a reader keeps only complete lines that parse,
 * and `repairJournal` truncates a torn last line before anything is appended again.
 */
export function appendRecord(file: string, line: string): void {
  const fd = openSync(file, 'a');
  try {
    const buf = Buffer.from(line.endsWith('\n') ? line : `${line}\n`, 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Read a journal's complete records (parsed), truncating a torn or unparsable tail in place. */
export function repairJournal<T = unknown>(file: string): T[] {
  if (!existsSync(file)) return [];
  const buf = readFileSync(file);
  const records: T[] = [];
  let start = 0;
  let good = 0;
  for (;;) {
    const nl = buf.indexOf(0x0a, start);
    if (nl < 0) break;
    const text = buf.subarray(start, nl).toString('utf8');
    if (text.trim() !== '') {
      try {
        records.push(JSON.parse(text) as T);
      } catch {
        break; // a damaged line: drop it and everything after it (it can only be the tail of an interrupted run)
      }
    }
    start = nl + 1;
    good = start;
  }
  if (good < buf.length) truncateSync(file, good);
  return records;
}

/** Write a whole file atomically: temp file, fsync, rename, fsync of the folder. */
export function writeFileAtomic(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    const buf = Buffer.from(text, 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  try {
    const dfd = openSync(path.dirname(file), 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    /* some filesystems cannot fsync a directory; the rename is still atomic */
  }
}
