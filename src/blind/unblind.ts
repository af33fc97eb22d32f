import { writeFileSync } from 'node:fs';
import { DermametricsError, invalidOption } from '../errors';
import { normaliseCode } from './codes';
import { findColumn, normHeader, readCsvTable, toCsv, type CsvTable } from './csv';
import { readPacketKey, type PacketKey } from './key';
import { parseGrade, parseScales, type RatingScale } from './scales';

export interface UnblindOptions {
  /** scales to read (default: the scales recorded in the key; else every column that is not code/reader/date/order/comment) */
  scales?: readonly (string | RatingScale)[];
  /** reader id for rows whose reader cell is blank (or sheets without a reader column) */
  reader?: string;
  /** throw E_BAD_RATINGS when any (reader, photo, scale) has no grade, instead of listing it in `missing` */
  requireComplete?: boolean;
}

/** One grade joined back to its photo: the long layout of the unblinded table. */
export interface UnblindedRating {
  USUBJID: string;
  AVISIT: string;
  ARM: string;
  TRTSIDE: string;
  ABLFL: string;
  PHOTOID: string;
  code: string;
  /** 1, or 2 for the second showing of a repeated photo */
  replicate: number;
  reader: string;
  scale: string;
  grade: number;
  rating_date: string;
}

/** A grade that a reader did not give: the code was not on the reader's sheet, or the cell was blank. */
export interface MissingRating {
  reader: string;
  code: string;
  USUBJID: string;
  AVISIT: string;
  scale: string;
  reason: 'not-on-sheet' | 'blank';
}

export interface UnblindResult {
  ratings: UnblindedRating[];
  missing: MissingRating[];
  readers: string[];
  scales: RatingScale[];
  /** codes (packet photos) in the key(s) */
  photos: number;
  /** sheet columns that are neither known columns nor scales, ignored (listed so that nothing vanishes unseen) */
  ignoredColumns: string[];
}

export const UNBLINDED_COLUMNS = ['USUBJID', 'AVISIT', 'ARM', 'TRTSIDE', 'ABLFL', 'PHOTOID', 'code', 'replicate', 'reader', 'scale', 'grade', 'rating_date'] as const;

const CODE_ALIASES = ['code', 'photo_code'];
const READER_ALIASES = ['reader', 'rater', 'reader_id', 'rater_id'];
const DATE_ALIASES = ['date', 'rating_date'];
const IGNORED_ALIASES = ['order', 'comment', 'comments', 'note', 'notes'];

function badRatings(message: string, details: Record<string, unknown>): DermametricsError {
  return new DermametricsError('E_BAD_RATINGS', message, details);
}

function list<T>(items: T[], show: (t: T) => string, n = 8): string {
  return items.slice(0, n).map(show).join('; ') + (items.length > n ? `; … (${items.length} in all)` : '');
}

/**
 * Join filled rating sheets back to subject, visit and arm through the key written by createReaderPacket.
 * Several sheets (one per reader) or one sheet with a `reader` column (several readers) are accepted, and several
 * keys (one packet per reader, each with its own seed): a reader is then accountable only for the packets they
 * graded at least one photo of.
 * Nothing is dropped silently: an unknown code, a duplicate (reader, code), a grade outside its scale or a row
 * without a reader throws E_BAD_RATINGS naming file and line; a photo a reader did not grade is listed in
 * `missing` (or throws with requireComplete). Output rows follow the key's (manifest) order, then reader, then scale.
 */
export function unblind(ratingFiles: string | readonly string[], keyFiles: string | readonly string[], options: UnblindOptions = {}): UnblindResult {
  const files = typeof ratingFiles === 'string' ? [ratingFiles] : [...ratingFiles];
  if (files.length === 0 || files.some((f) => typeof f !== 'string' || f === '')) throw invalidOption('ratingFiles', 'one or more rating sheet paths', ratingFiles);
  const keyList = typeof keyFiles === 'string' ? [keyFiles] : [...keyFiles];
  if (keyList.length === 0 || keyList.some((k) => typeof k !== 'string' || k === '')) throw invalidOption('keyFiles', "the key file(s) written by 'dermametrics blind --key'", keyFiles);
  const keyFile = keyList.join(', ');
  if (options.reader !== undefined && (typeof options.reader !== 'string' || options.reader.trim() === '')) throw invalidOption('options.reader', 'a non-empty reader id', options.reader);
  const key = mergeKeys(keyList.map((k) => readPacketKey(k)), options.scales === undefined);
  const tables = files.map((f) => readCsvTable(f, 'Rating sheet', 'E_BAD_RATINGS'));
  const scales = options.scales !== undefined ? parseScales(options.scales, 'options.scales') : (key.scales ?? inferScales(tables));

  const seen = new Map<string, string>(); // reader \u0000 code -> file:line
  const grades = new Map<string, { grade: number; date: string }>(); // reader \u0000 code \u0000 scale
  const blanks = new Set<string>();
  const unknown: { code: string; where: string }[] = [];
  const duplicates: { reader: string; code: string; first: string; again: string }[] = [];
  const readers: string[] = [];
  const ignored = new Set<string>();

  for (const t of tables) {
    const codeCol = findColumn(t.header, CODE_ALIASES);
    if (codeCol < 0) throw badRatings(`The rating sheet ${t.file} has no code column (header: ${t.header.join(',')}). Use the ${'rating_sheet.csv'} of the packet.`, { path: t.file });
    const readerCol = findColumn(t.header, READER_ALIASES);
    const dateCol = findColumn(t.header, DATE_ALIASES);
    const scaleCols = scales.map((s) => {
      const c = findColumn(t.header, [s.name]);
      if (c < 0) throw badRatings(`The rating sheet ${t.file} has no column for the scale ${s.name} (header: ${t.header.join(',')}). Declare the scales the sheet has (--scale NAME:MIN-MAX).`, { path: t.file, scale: s.name });
      return c;
    });
    t.header.forEach((h, i) => {
      if (h !== '' && i !== codeCol && i !== readerCol && i !== dateCol && !scaleCols.includes(i) && !IGNORED_ALIASES.map(normHeader).includes(normHeader(h))) ignored.add(h);
    });
    t.rows.forEach((r, i) => {
      const where = `${t.file}:${t.lines[i]}`;
      const code = normaliseCode(r[codeCol] ?? '');
      const cells = scaleCols.map((c) => (r[c] ?? '').trim());
      if (!code) {
        if (cells.some((c) => c !== '')) throw badRatings(`Line ${t.lines[i]} of ${t.file} has grades but no code. Fill in the code or delete the row.`, { path: t.file, line: t.lines[i] });
        return;
      }
      if (!key.byCode.has(code)) {
        unknown.push({ code, where });
        return;
      }
      const reader = (readerCol >= 0 ? (r[readerCol] ?? '').trim() : '') || options.reader?.trim() || '';
      if (!reader) throw badRatings(`Line ${t.lines[i]} of ${t.file} has no reader id. Fill in the reader column, or pass --reader ID for a single-reader sheet.`, { path: t.file, line: t.lines[i] });
      if (!readers.includes(reader)) readers.push(reader);
      const rk = `${reader}\u0000${code}`;
      const prev = seen.get(rk);
      if (prev !== undefined) {
        duplicates.push({ reader, code, first: prev, again: where });
        return;
      }
      seen.set(rk, where);
      const date = dateCol >= 0 ? (r[dateCol] ?? '').trim() : '';
      scales.forEach((s, k) => {
        const g = parseGrade(cells[k], s, { file: t.file, line: t.lines[i] });
        if (g === undefined) blanks.add(`${rk}\u0000${s.name}`);
        else grades.set(`${rk}\u0000${s.name}`, { grade: g, date });
      });
    });
  }
  if (unknown.length) {
    const none = unknown.length > 0 && seen.size === 0;
    throw badRatings(
      (none ? `None of the codes in the rating sheet(s) is in the key ${keyFile}: is this the key of this packet? ` : `${unknown.length} code(s) in the rating sheet(s) are not in the key ${keyFile}: `) +
        `${list(unknown, (u) => `${u.code} (${u.where})`)}. Correct the codes (typing errors) or use the packet's own key.`,
      { unknown: unknown.slice(0, 100) },
    );
  }
  if (duplicates.length) {
    throw badRatings(
      `${duplicates.length} photo(s) were graded twice by the same reader: ${list(duplicates, (d) => `${d.code} by ${d.reader} (${d.first} and ${d.again})`)}. Keep one row per reader and code.`,
      { duplicates: duplicates.slice(0, 100) },
    );
  }
  readers.sort();
  const ratings: UnblindedRating[] = [];
  const missing: MissingRating[] = [];
  // a reader is accountable for the packets (keys) they graded at least one photo of
  const keysOf = new Map<string, Set<number>>(readers.map((r) => [r, new Set<number>()]));
  for (const rk of seen.keys()) {
    const [reader, code] = rk.split('\u0000');
    keysOf.get(reader)!.add(key.byCode.get(code)!.keyIndex);
  }
  for (const e of [...key.entries].sort((a, b) => a.index - b.index || a.keyIndex - b.keyIndex || a.replicate - b.replicate)) {
    for (const reader of readers) {
      if (!keysOf.get(reader)!.has(e.keyIndex)) continue;
      const onSheet = seen.has(`${reader}\u0000${e.code}`);
      for (const s of scales) {
        const k = `${reader}\u0000${e.code}\u0000${s.name}`;
        const g = grades.get(k);
        if (g === undefined) {
          missing.push({ reader, code: e.code, USUBJID: e.subject, AVISIT: e.visit, scale: s.name, reason: onSheet ? 'blank' : 'not-on-sheet' });
          continue;
        }
        ratings.push({ USUBJID: e.subject, AVISIT: e.visit, ARM: e.arm, TRTSIDE: e.treatedSide, ABLFL: e.baseline, PHOTOID: e.photoId, code: e.code, replicate: e.replicate, reader, scale: s.name, grade: g.grade, rating_date: g.date });
      }
    }
  }
  if (readers.length === 0) throw badRatings(`The rating sheet(s) ${files.join(', ')} hold no rated rows.`, { files });
  if (options.requireComplete && missing.length) {
    throw badRatings(`${missing.length} grade(s) are missing: ${list(missing, (m) => `${m.code} ${m.scale} by ${m.reader} (${m.reason})`)}.`, { missing: missing.slice(0, 100) });
  }
  return { ratings, missing, readers, scales, photos: key.entries.length, ignoredColumns: [...ignored] };
}

interface MergedKey {
  entries: (PacketKey['entries'][number] & { keyIndex: number })[];
  byCode: Map<string, PacketKey['entries'][number] & { keyIndex: number }>;
  scales?: RatingScale[];
}

/** Several keys (one packet per reader) as one: codes must be distinct across keys, recorded scales equal. */
function mergeKeys(keys: PacketKey[], checkScales: boolean): MergedKey {
  const entries: MergedKey['entries'] = [];
  const byCode: MergedKey['byCode'] = new Map();
  keys.forEach((k, keyIndex) => {
    for (const e of k.entries) {
      const prev = byCode.get(e.code);
      if (prev) {
        throw new DermametricsError('E_BAD_MANIFEST', `The code ${e.code} is in two keys (${keys[prev.keyIndex].file} and ${k.file}); its grades could belong to either photo. Unblind those packets separately.`, { code: e.code });
      }
      const m = { ...e, keyIndex };
      entries.push(m);
      byCode.set(e.code, m);
    }
  });
  const text = (k: PacketKey): string => (k.scales ?? []).map((s) => `${s.name}:${s.min}-${s.max}`).join(';');
  if (checkScales && keys.some((k) => text(k) !== text(keys[0]))) {
    throw new DermametricsError('E_BAD_MANIFEST', `The keys record different scales (${keys.map((k) => `${k.file}: ${text(k) || 'none'}`).join('; ')}). Unblind them separately or pass --scale.`, {});
  }
  return { entries, byCode, scales: keys[0].scales };
}

function inferScales(tables: CsvTable[]): RatingScale[] {
  const known = [...CODE_ALIASES, ...READER_ALIASES, ...DATE_ALIASES, ...IGNORED_ALIASES].map(normHeader);
  const names = tables[0].header.filter((h) => h !== '' && !known.includes(normHeader(h)));
  if (names.length === 0) throw badRatings(`The rating sheet ${tables[0].file} has no grade columns. Declare the scales (--scale NAME:MIN-MAX).`, { path: tables[0].file });
  return names.map((name) => ({ name, min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }));
}

/** Write the unblinded long table (UNBLINDED_COLUMNS) as CSV. */
export function writeUnblinded(result: UnblindResult, file: string): void {
  writeFileSync(file, toCsv([...UNBLINDED_COLUMNS], result.ratings.map((r) => UNBLINDED_COLUMNS.map((c) => r[c]))));
}

/** Write the missing-grade list as CSV (reader, code, USUBJID, AVISIT, scale, reason). */
export function writeMissing(result: UnblindResult, file: string): void {
  const cols = ['reader', 'code', 'USUBJID', 'AVISIT', 'scale', 'reason'] as const;
  writeFileSync(file, toCsv([...cols], result.missing.map((m) => cols.map((c) => m[c]))));
}
