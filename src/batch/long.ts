import { stringify } from 'csv-stringify/sync';
import type { QcFlag } from '../flags';
import { roundCanonical } from '../score/canonical';
import type { ManifestInfo } from '../score/types';
import type { ErrorRecord, ResultRecord } from './records';

/**
 * The tidy long table `scores_long.csv`: one row per photo × region × parameter, close to a CDISC ADaM BDS dataset
 * [CDISC-ADaMIG-1.3] (USUBJID, AVISIT, AVISITN, PARAMCD, PARAM, AVAL, ABLFL, BASE, CHG, PCHG). See docs/batch.md.
 */
export const LONG_COLUMNS = [
  'USUBJID', 'AVISIT', 'AVISITN', 'ARM', 'TRTSIDE', 'PHOTOID', 'PHOTO', 'REGION', 'SIDE', 'PARAMCD', 'PARAM',
  'AVAL', 'AVALU', 'ABLFL', 'BASE', 'CHG', 'PCHG', 'QCSTAT', 'QCFLAGS',
] as const;

function num(x: number | null | undefined): string {
  if (x === null || x === undefined) return '';
  const r = roundCanonical(x);
  return r === null ? '' : String(r);
}

/** Extra manifest columns in order of first appearance (manifest order); names clashing with LONG_COLUMNS get 'X_'. */
export function extraColumns(infos: ManifestInfo[]): { key: string; column: string }[] {
  const seen = new Set<string>();
  const out: { key: string; column: string }[] = [];
  const taken = new Set<string>(LONG_COLUMNS.map((c) => c.toUpperCase()));
  for (const info of infos) {
    for (const key of Object.keys(info.extra)) {
      if (seen.has(key)) continue;
      seen.add(key);
      let column = key;
      while (taken.has(column.toUpperCase())) column = `X_${column}`;
      taken.add(column.toUpperCase());
      out.push({ key, column });
    }
  }
  return out;
}

function sideOf(region: string, treated: ManifestInfo['treatedSide']): string {
  if (!treated || treated === 'none') return '';
  if (treated === 'both') return 'TREATED';
  const m = /_(left|right)$/.exec(region);
  if (!m) return '';
  return m[1] === treated ? 'TREATED' : 'UNTREATED';
}

/** Flags that only concern wrinkle measures (PARAMCD starting 'WRK'): these and every `wrinkle_*` flag do not mark colour measures for review. */
export const WRINKLE_ONLY_FLAGS = new Set(['face_too_small', 'image_blurred', 'scale_unknown']);
const wrinkleOnly = (code: string) => WRINKLE_ONLY_FLAGS.has(code) || code.startsWith('wrinkle_');

/** The flags that apply to one measure: photo-level flags (no region) and flags on its region; wrinkle-only flags only on WRK* parameters. */
export function flagsFor(flags: QcFlag[], region: string, paramcd = ''): string[] {
  const wrinkle = paramcd.startsWith('WRK');
  return [...new Set(flags.filter((f) => (f.region === undefined || f.region === region) && (wrinkle || !wrinkleOnly(f.code))).map((f) => f.code))].sort();
}

/** One row of the long table, typed (numbers canonical-rounded; null = blank). */
export interface LongRow {
  info: ManifestInfo;
  visitN: number;
  region: string;
  side: string;
  paramcd: string;
  param: string;
  aval: number | null;
  unit: string;
  base: number | null;
  chg: number | null;
  pchg: number | null;
  qcFlags: string[];
}

/** What deriving a photo's rows needs from the whole run: visit numbers, extra columns, baseline sums. */
export interface LongContext {
  visitN: Map<string, number>;
  visits: string[];
  extras: { key: string; column: string }[];
  base: Map<string, { sum: number; n: number }>;
}

const baseKey = (subject: string, region: string, paramcd: string) => `${subject}\u0000${region}\u0000${paramcd}`;

/**
 * The run-wide context: visit numbers (order of first appearance among all photos, scored or failed), the extra
 * columns, and for every subject × region × parameter the sum and count of its baseline photos' values.
 */
export function longContext(infos: ManifestInfo[], baselineRecords: Iterable<ResultRecord>): LongContext {
  const sorted = [...infos].sort((a, b) => a.index - b.index);
  const visitN = new Map<string, number>();
  for (const i of sorted) if (!visitN.has(i.visit)) visitN.set(i.visit, visitN.size + 1);
  const base = new Map<string, { sum: number; n: number }>();
  for (const r of baselineRecords) {
    if (!r.manifest.baseline) continue;
    for (const m of r.measures) {
      if (m.value === null || !Number.isFinite(m.value)) continue;
      const key = baseKey(r.manifest.subject, m.region, m.paramcd);
      const acc = base.get(key) ?? { sum: 0, n: 0 };
      acc.sum += m.value;
      acc.n += 1;
      base.set(key, acc);
    }
  }
  return { visitN, visits: [...visitN.keys()], extras: extraColumns(sorted), base };
}

/**
 * The long-table rows of one scored photo. BASE: the subject's baseline photo's AVAL for the same REGION and
 * PARAMCD (the mean when a subject has several baseline photos); CHG = AVAL − BASE and PCHG = 100 × CHG / BASE on
 * post-baseline rows (blank on baseline rows, blank when BASE is blank or, for PCHG, zero).
 */
export function longRowsOf(r: ResultRecord, ctx: LongContext): LongRow[] {
  const mi = r.manifest;
  return r.measures.map((m) => {
    const acc = ctx.base.get(baseKey(mi.subject, m.region, m.paramcd));
    const base = acc ? roundCanonical(acc.sum / acc.n) : null;
    const aval = m.value === null ? null : roundCanonical(m.value);
    const post = !mi.baseline && base !== null && aval !== null;
    const chg = post ? roundCanonical(aval! - base!) : null;
    const pchg = post && base !== 0 ? roundCanonical((100 * (aval! - base!)) / base!) : null;
    return {
      info: mi, visitN: ctx.visitN.get(mi.visit) ?? 0, region: m.region, side: sideOf(m.region, mi.treatedSide), paramcd: m.paramcd, param: m.param,
      aval, unit: m.unit, base, chg, pchg, qcFlags: flagsFor(r.qc.flags, m.region, m.paramcd),
    };
  });
}

export function longHeaderCsv(ctx: LongContext): string {
  return stringify([[...LONG_COLUMNS, ...ctx.extras.map((e) => e.column)]], { record_delimiter: '\n' });
}

export function longRowsCsv(rows: LongRow[], ctx: LongContext): string {
  if (rows.length === 0) return '';
  return stringify(
    rows.map((r) => {
      const mi = r.info;
      return [
        mi.subject, mi.visit, String(r.visitN), mi.arm ?? '', mi.treatedSide ?? '', mi.id, mi.relPath,
        r.region, r.side, r.paramcd, r.param, num(r.aval), r.unit, mi.baseline ? 'Y' : '',
        num(r.base), num(r.chg), num(r.pchg), r.qcFlags.length ? 'REVIEW' : 'PASS', r.qcFlags.join(';'),
        ...ctx.extras.map((e) => mi.extra[e.key] ?? ''),
      ];
    }),
    { record_delimiter: '\n' },
  );
}

/** All rows at once (small runs and tests). */
export function longRows(results: ResultRecord[], errors: ErrorRecord[]): { rows: LongRow[]; visits: string[]; extras: { key: string; column: string }[] } {
  const ctx = longContext([...results.map((r) => r.manifest), ...errors.map((e) => e.manifest)], results);
  return { rows: results.flatMap((r) => longRowsOf(r, ctx)), visits: ctx.visits, extras: ctx.extras };
}

/** scores_long.csv of small runs in one string (columns LONG_COLUMNS + the manifest's extra columns). */
export function longTableCsv(results: ResultRecord[], errors: ErrorRecord[]): string {
  const ctx = longContext([...results.map((r) => r.manifest), ...errors.map((e) => e.manifest)], results);
  return longHeaderCsv(ctx) + results.map((r) => longRowsCsv(longRowsOf(r, ctx), ctx)).join('');
}

/** errors.csv: path, code, message, subject, visit, photo_id, in manifest order. */
export function errorsCsv(errors: ErrorRecord[]): string {
  const rows = [['path', 'code', 'message', 'subject', 'visit', 'photo_id']];
  for (const e of errors) rows.push([e.manifest.relPath, e.code, e.message, e.manifest.subject, e.manifest.visit, e.manifest.id]);
  return stringify(rows, { record_delimiter: '\n' });
}
