import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { DermametricsError, invalidOption } from '../errors';
import type { ManifestInfo } from '../score/types';

/**
 * One photo of a trial photo set: where it is, whose it is and when it was taken.
 * `id` is stable: the first 16 hex digits of SHA-256 of `relPath` (POSIX separators), so it does not depend on
 * where the set lives, on row order, or on the machine.
 */
/**
 * One manifest row: where a photo sits in the trial (`ManifestInfo`, the part every PhotoScore of a batch carries)
 * plus what only the batch runner needs.
 */
export interface ManifestRow extends ManifestInfo {
  /** CSV line number of the row (1 = header), or 0 for a directory scan */
  line: number;
  /** absolute, resolved path of the photo */
  path: string;
  /** where `baseline` came from: the manifest's baseline column, options.baselineVisit, or the first visit */
  baselineSource: 'column' | 'baseline-visit' | 'first-visit';
}

export interface ReadManifestOptions {
  /** accept photo paths outside the manifest's folder (default false: refused with E_PATH_OUTSIDE) */
  allowOutside?: boolean;
  /** for a directory: where subject, visit etc. sit in the relative path; default '{subject}/{visit}/{file}' */
  pattern?: string;
  /** the visit name that is baseline, when the manifest has no baseline column (default: each subject's first visit) */
  baselineVisit?: string;
}

/** The image file name endings a directory scan picks up (case-insensitive). */
export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.tif', '.tiff', '.webp'] as const;

export const DEFAULT_PATTERN = '{subject}/{visit}/{file}';

/** Header names (lower case, with spaces, '_' and '-' removed) accepted for each known column. */
const COLUMN_ALIASES: Record<'path' | 'subject' | 'visit' | 'arm' | 'treatedSide' | 'baseline', string[]> = {
  path: ['path', 'file', 'filename', 'photo', 'image'],
  subject: ['subject', 'usubjid', 'subjid', 'subjectid'],
  visit: ['visit', 'avisit', 'visitname'],
  arm: ['arm', 'trt', 'treatment', 'trt01p', 'trt01a'],
  treatedSide: ['treatedside', 'side', 'trtside'],
  baseline: ['baseline', 'ablfl', 'baselineflag', 'isbaseline'],
};
type KnownColumn = keyof typeof COLUMN_ALIASES;

const TRUE_VALUES = new Set(['y', 'yes', 'true', '1']);
const FALSE_VALUES = new Set(['', 'n', 'no', 'false', '0']);
const SIDES: Record<string, NonNullable<ManifestRow['treatedSide']>> = {
  left: 'left', l: 'left', right: 'right', r: 'right', both: 'both', none: 'none', '': 'none',
};

/** The stable photo id of a relative path (see ManifestRow.id). */
export function photoId(relPath: string): string {
  return createHash('sha256').update(relPath, 'utf8').digest('hex').slice(0, 16);
}

function normHeader(h: string): string {
  return h.trim().toLowerCase().replace(/[\s_-]+/g, '');
}

function bad(message: string, details: Record<string, unknown> = {}): DermametricsError {
  return new DermametricsError('E_BAD_MANIFEST', message, details);
}

/**
 * Read a trial photo manifest: a CSV file (comma, semicolon or tab separated; UTF-8, BOM allowed) or a directory.
 *
 * CSV: a header row with at least `path`, `subject`, `visit` (case-insensitive; aliases such as `USUBJID`,
 * `AVISIT`, `file` are accepted, see docs/batch.md), optionally `arm`, `treated_side`, `baseline` (Y/N, yes/no,
 * true/false, 1/0); every other column is carried through in `extra`. Paths are relative to the manifest's folder
 * (backslashes are read as '/'). Rows keep the file's order.
 *
 * Directory: every image file below it (IMAGE_EXTENSIONS; hidden files skipped) must match `options.pattern`
 * (default '{subject}/{visit}/{file}'); any other `{name}` in the pattern becomes an extra column. Rows are sorted
 * by relative path (code-point order).
 *
 * Baseline: the `baseline` column when present (a subject with no flagged row has no baseline); else rows whose
 * visit equals `options.baselineVisit`; else each subject's first visit in manifest order.
 *
 * @throws E_NOT_FOUND when the manifest does not exist; E_BAD_MANIFEST (with line numbers) for a missing column,
 *   an empty required value, a bad flag, a duplicate photo or a file that matches no pattern; E_PATH_OUTSIDE when a
 *   photo path leaves the manifest's folder (`..`, an absolute path elsewhere, a symlink pointing out) unless
 *   `options.allowOutside`.
 */
export function readManifest(manifestPath: string, options: ReadManifestOptions = {}): ManifestRow[] {
  if (typeof manifestPath !== 'string' || manifestPath === '') throw invalidOption('manifestPath', 'a file or directory path', manifestPath);
  if (options.pattern !== undefined && (typeof options.pattern !== 'string' || !options.pattern.includes('{'))) {
    throw invalidOption('options.pattern', "a pattern such as '{subject}/{visit}/{file}'", options.pattern);
  }
  let st;
  try {
    st = statSync(manifestPath);
  } catch {
    throw new DermametricsError('E_NOT_FOUND', `Manifest not found: ${manifestPath}. Pass a CSV file or a directory of photos.`, { path: manifestPath });
  }
  const raw = st.isDirectory() ? scanDirectory(path.resolve(manifestPath), options.pattern ?? DEFAULT_PATTERN) : readCsv(path.resolve(manifestPath));
  const root = st.isDirectory() ? path.resolve(manifestPath) : path.dirname(path.resolve(manifestPath));
  const rows = resolveRows(raw, root, options.allowOutside === true);
  assignBaseline(rows, raw.hasBaselineColumn, options.baselineVisit);
  return rows;
}

interface RawRow {
  line: number;
  path: string;
  subject: string;
  visit: string;
  arm?: string;
  treatedSide?: string;
  baseline?: string;
  extra: Record<string, string>;
}

interface RawManifest {
  rows: RawRow[];
  hasBaselineColumn: boolean;
}

function detectDelimiter(text: string): string {
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  if (first.includes(',')) return ',';
  if (first.includes('\t')) return '\t';
  if (first.includes(';')) return ';';
  return ',';
}

function readCsv(file: string): RawManifest {
  const text = readFileSync(file, 'utf8');
  let records: string[][];
  let lineOf: number[];
  try {
    const parsed = parse(text, { bom: true, delimiter: detectDelimiter(text.replace(/^\uFEFF/, '')), relax_column_count: true, skip_empty_lines: false, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
    records = parsed.map((p) => p.record);
    lineOf = parsed.map((p) => p.info.lines);
  } catch (e) {
    const err = e as { message?: string; lines?: number };
    throw bad(`Could not parse the manifest ${file} as CSV near line ${err.lines ?? '?'}: ${err.message ?? String(e)}. Check quoting.`, { path: file, line: err.lines });
  }
  const headerIdx = records.findIndex((r) => r.some((c) => c.trim() !== ''));
  if (headerIdx < 0) throw bad(`The manifest ${file} is empty. It needs a header row with at least path, subject, visit.`, { path: file });
  const header = records[headerIdx].map((h) => h.trim());
  const columnOf: Partial<Record<KnownColumn, number>> = {};
  const seen = new Map<string, number>();
  header.forEach((h, i) => {
    const n = normHeader(h);
    if (n === '') return;
    if (seen.has(n)) throw bad(`The manifest ${file} has the column "${h}" twice (line ${lineOf[headerIdx]}). Rename one.`, { path: file, line: lineOf[headerIdx], column: h });
    seen.set(n, i);
    for (const key of Object.keys(COLUMN_ALIASES) as KnownColumn[]) {
      if (COLUMN_ALIASES[key].includes(n)) {
        if (columnOf[key] !== undefined) throw bad(`The manifest ${file} has two columns for ${key} ("${header[columnOf[key]!]}" and "${h}", line ${lineOf[headerIdx]}). Keep one.`, { path: file, line: lineOf[headerIdx] });
        columnOf[key] = i;
      }
    }
  });
  const missing = (['path', 'subject', 'visit'] as const).filter((k) => columnOf[k] === undefined);
  if (missing.length) {
    throw bad(`The manifest ${file} has no ${missing.join(', ')} column (line ${lineOf[headerIdx]}: ${header.join(',')}). It needs at least path, subject, visit.`, { path: file, line: lineOf[headerIdx], missing });
  }
  const known = new Set(Object.values(columnOf));
  const rows: RawRow[] = [];
  for (let r = headerIdx + 1; r < records.length; r++) {
    const rec = records[r];
    const line = lineOf[r];
    if (rec.every((c) => c.trim() === '')) continue;
    if (rec.length > header.length && rec.slice(header.length).some((c) => c.trim() !== '')) {
      throw bad(`Line ${line} of ${file} has ${rec.length} fields but the header has ${header.length}. Quote values that contain the delimiter.`, { path: file, line });
    }
    const get = (k: KnownColumn): string | undefined => (columnOf[k] === undefined ? undefined : (rec[columnOf[k]!] ?? '').trim());
    for (const k of ['path', 'subject', 'visit'] as const) {
      if (!get(k)) throw bad(`Line ${line} of ${file} has an empty ${k}. Every row needs path, subject and visit.`, { path: file, line, column: k });
    }
    const extra: Record<string, string> = {};
    header.forEach((h, i) => {
      if (!known.has(i) && h !== '') extra[h] = rec[i] ?? '';
    });
    rows.push({ line, path: get('path')!, subject: get('subject')!, visit: get('visit')!, arm: get('arm'), treatedSide: get('treatedSide'), baseline: get('baseline'), extra });
  }
  if (rows.length === 0) throw bad(`The manifest ${file} has a header but no rows.`, { path: file });
  return { rows, hasBaselineColumn: columnOf.baseline !== undefined };
}

/** Compile a '{subject}/{visit}/{file}' pattern to a regex over POSIX relative paths. */
export function compilePattern(pattern: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  let src = '';
  const re = /\{([A-Za-z_][A-Za-z0-9_]*)\}|([^{]+)/g;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(pattern))) {
    consumed += m[0].length;
    if (m[1]) {
      const name = m[1];
      if (names.includes(name)) throw invalidOption('options.pattern', `each {name} at most once (${name} repeats)`, pattern);
      names.push(name);
      src += name === 'file' ? '([^/]+)' : '([^/]+?)';
    } else {
      src += m[2].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  if (consumed !== pattern.length) throw invalidOption('options.pattern', "a pattern of literal text and {name} fields such as '{subject}/{visit}/{file}'", pattern);
  for (const need of ['subject', 'visit']) {
    if (!names.includes(need)) throw invalidOption('options.pattern', `a pattern containing {${need}}`, pattern);
  }
  return { regex: new RegExp(`^${src}$`), names };
}

function walk(dir: string, rel: string, out: string[]): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const relPath = rel ? `${rel}/${e.name}` : e.name;
    const full = path.join(dir, e.name);
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      try {
        const s = statSync(full);
        isDir = s.isDirectory();
        isFile = s.isFile();
      } catch {
        isFile = true; // a dangling link: listed, and fails later with E_NOT_FOUND
      }
    }
    if (isDir) walk(full, relPath, out);
    else if (isFile && (IMAGE_EXTENSIONS as readonly string[]).includes(path.extname(e.name).toLowerCase())) out.push(relPath);
  }
}

function scanDirectory(dir: string, pattern: string): RawManifest {
  const { regex, names } = compilePattern(pattern);
  const files: string[] = [];
  walk(dir, '', files);
  files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (files.length === 0) throw bad(`No photos (${IMAGE_EXTENSIONS.join(', ')}) found below ${dir}.`, { path: dir });
  const rows: RawRow[] = [];
  const unmatched: string[] = [];
  for (const rel of files) {
    const m = regex.exec(rel);
    if (!m) {
      unmatched.push(rel);
      continue;
    }
    const fields: Record<string, string> = {};
    names.forEach((n, i) => (fields[n] = m[i + 1]));
    const extra: Record<string, string> = {};
    for (const n of names) {
      if (!['subject', 'visit', 'arm', 'treated_side', 'file'].includes(n)) extra[n] = fields[n];
    }
    rows.push({ line: 0, path: rel, subject: fields.subject, visit: fields.visit, arm: fields.arm, treatedSide: fields.treated_side, extra });
  }
  if (unmatched.length) {
    throw bad(
      `${unmatched.length} photo(s) below ${dir} do not match the pattern '${pattern}', e.g. ${unmatched.slice(0, 3).join(', ')}. ` +
        'Pass a --pattern that matches every photo, or move the others out of the folder.',
      { path: dir, pattern, unmatched: unmatched.slice(0, 20) },
    );
  }
  return { rows, hasBaselineColumn: false };
}

/** The nearest existing ancestor's real path joined with the rest: where `p` would really be. */
function realish(p: string): string {
  const rest: string[] = [];
  let cur = p;
  for (;;) {
    try {
      return path.join(realpathSync(cur), ...rest.reverse());
    } catch {
      const parent = path.dirname(cur);
      if (parent === cur) return p;
      rest.push(path.basename(cur));
      cur = parent;
    }
  }
}

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function resolveRows(raw: RawManifest, root: string, allowOutside: boolean): ManifestRow[] {
  const realRoot = realish(root);
  const outside: { line: number; path: string }[] = [];
  const byPath = new Map<string, number>();
  const rows: ManifestRow[] = [];
  raw.rows.forEach((r, index) => {
    const written = r.path.replace(/\\/g, '/');
    const abs = path.resolve(root, written);
    const lexicallyInside = inside(root, abs);
    const reallyInside = inside(realRoot, realish(abs));
    if (!allowOutside && !(lexicallyInside && reallyInside)) outside.push({ line: r.line, path: r.path });
    const relPath = lexicallyInside ? path.relative(root, abs).split(path.sep).join('/') : abs.split(path.sep).join('/');
    const prev = byPath.get(relPath);
    if (prev !== undefined) {
      throw bad(`The photo ${relPath} is listed twice (line ${prev} and line ${r.line}). List each photo once.`, { line: r.line, path: relPath });
    }
    byPath.set(relPath, r.line);
    const sideKey = (r.treatedSide ?? '').toLowerCase();
    if (r.treatedSide !== undefined && !(sideKey in SIDES)) {
      throw bad(`Line ${r.line}: treated_side "${r.treatedSide}" is not one of left, right, both, none (or L, R, empty).`, { line: r.line, column: 'treated_side' });
    }
    if (r.baseline !== undefined && !TRUE_VALUES.has(r.baseline.toLowerCase()) && !FALSE_VALUES.has(r.baseline.toLowerCase())) {
      throw bad(`Line ${r.line}: baseline "${r.baseline}" is not a flag. Use Y or N (also yes/no, true/false, 1/0, empty).`, { line: r.line, column: 'baseline' });
    }
    const row: ManifestRow = {
      id: photoId(relPath),
      index,
      line: r.line,
      path: abs,
      relPath,
      subject: r.subject,
      visit: r.visit,
      baseline: r.baseline !== undefined && TRUE_VALUES.has(r.baseline.toLowerCase()),
      baselineSource: 'column',
      extra: r.extra,
    };
    if (r.arm !== undefined && r.arm !== '') row.arm = r.arm;
    if (r.treatedSide !== undefined && r.treatedSide !== '') row.treatedSide = SIDES[sideKey];
    rows.push(row);
  });
  if (outside.length) {
    const where = outside.slice(0, 5).map((o) => (o.line ? `line ${o.line}: ${o.path}` : o.path)).join('; ');
    throw new DermametricsError(
      'E_PATH_OUTSIDE',
      `${outside.length} photo path(s) leave the manifest's folder ${root} (${where}). Move the photos below it, or pass allowOutside (--allow-outside) if that is intended.`,
      { root, outside: outside.slice(0, 50) },
    );
  }
  return rows;
}

function assignBaseline(rows: ManifestRow[], hasColumn: boolean, baselineVisit: string | undefined): void {
  if (hasColumn) return;
  if (baselineVisit !== undefined) {
    if (!rows.some((r) => r.visit === baselineVisit)) {
      throw bad(`No row has the baseline visit "${baselineVisit}". Visits in the manifest: ${[...new Set(rows.map((r) => r.visit))].slice(0, 10).join(', ')}.`, { baselineVisit });
    }
    for (const r of rows) {
      r.baseline = r.visit === baselineVisit;
      r.baselineSource = 'baseline-visit';
    }
    return;
  }
  const firstVisit = new Map<string, string>();
  for (const r of rows) if (!firstVisit.has(r.subject)) firstVisit.set(r.subject, r.visit);
  for (const r of rows) {
    r.baseline = firstVisit.get(r.subject) === r.visit;
    r.baselineSource = 'first-visit';
  }
}
