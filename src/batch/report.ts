import path from 'node:path';
import { writeFileAtomic } from './journal';
import type { ErrorRecord, ResultRecord } from './records';

/** Placeholder; replaced by the full report. */
export async function writeReport(out: string, results: ResultRecord[], errors: ErrorRecord[]): Promise<string> {
  const file = path.join(out, 'report.html');
  writeFileAtomic(file, `<!doctype html><title>dermametrics</title><p>${results.length} scored, ${errors.length} failed</p>\n`);
  return file;
}
