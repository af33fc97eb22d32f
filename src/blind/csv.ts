import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { DermametricsError, type ErrorCode } from '../errors';

/** A parsed CSV table: trimmed header, rows as string arrays, and the file line number of each row. */
export interface CsvTable {
  file: string;
  header: string[];
  rows: string[][];
  lines: number[];
}

function detectDelimiter(text: string): string {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  if (first.includes(',')) return ',';
  if (first.includes('\t')) return '\t';
  if (first.includes(';')) return ';';
  return ',';
}

/**
 * Read a CSV file (comma, tab or semicolon; UTF-8 with or without BOM). Blank lines are skipped.
 * @throws E_NOT_FOUND when the file is missing (`what` names it in the message), `code` when it does not parse or is empty.
 */
export function readCsvTable(file: string, what: string, code: ErrorCode): CsvTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new DermametricsError('E_NOT_FOUND', `${what} not found: ${file}.`, { path: file });
  }
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(text, { bom: true, delimiter: detectDelimiter(text), relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as typeof parsed;
  } catch (e) {
    const err = e as { message?: string; lines?: number };
    throw new DermametricsError(code, `Could not parse ${what} ${file} as CSV near line ${err.lines ?? '?'}: ${err.message ?? String(e)}. Check quoting.`, { path: file });
  }
  parsed = parsed.filter((p) => p.record.some((c) => c.trim() !== ''));
  if (parsed.length === 0) throw new DermametricsError(code, `${what} ${file} is empty: it needs a header row.`, { path: file });
  const header = parsed[0].record.map((h) => h.trim());
  return { file, header, rows: parsed.slice(1).map((p) => p.record), lines: parsed.slice(1).map((p) => p.info.lines) };
}

/** Header name normalised for matching: lower case, spaces, '_' and '-' removed. */
export function normHeader(h: string): string {
  return h.trim().toLowerCase().replace(/[\s_-]+/g, '');
}

/** Index of the first header matching one of `aliases` (normalised), or -1. */
export function findColumn(header: readonly string[], aliases: readonly string[]): number {
  const wanted = aliases.map(normHeader);
  return header.findIndex((h) => wanted.includes(normHeader(h)));
}

/** CSV text with a header, '\n' line ends, RFC 4180 quoting where needed. */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return stringify([header as string[], ...(rows as (string | number)[][])], { record_delimiter: '\n' });
}
