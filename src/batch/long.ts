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

/** Photo-level flags that only concern wrinkle measures (PARAMCD starting 'WRK'): they do not mark colour measures for review. */
export const WRINKLE_ONLY_FLAGS = new Set(['face_too_small', 'image_blurred', 'scale_unknown', 'wrinkle_unavailable']);

/** The flags that apply to one measure: photo-level flags (no region) and flags on its region; wrinkle-only flags only on WRK* parameters. */
export function flagsFor(flags: QcFlag[], region: string, paramcd = ''): string[] {
  const wrinkle = paramcd.startsWith('WRK');
  return [...new Set(flags.filter((f) => (f.region === undefined || f.region === region) && (wrinkle || !WRINKLE_ONLY_FLAGS.has(f.code))).map((f) => f.code))].sort();
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

/**
 * The long table's rows from sorted result records (error records only count towards visit order).
 * BASE: the subject's baseline photo's AVAL for the same REGION and PARAMCD (the mean when a subject has several
 * baseline photos); CHG = AVAL − BASE and PCHG = 100 × CHG / BASE on post-baseline rows (blank on baseline rows,
 * blank when BASE is blank or, for PCHG, zero).
 */
export function longRows(results: ResultRecord[], errors: ErrorRecord[]): { rows: LongRow[]; visits: string[]; extras: { key: string; column: string }[] } {
  const infos = [...results.map((r) => r.manifest), ...errors.map((e) => e.manifest)].sort((a, b) => a.index - b.index);
  const visitN = new Map<string, number>();
  for (const i of infos) if (!visitN.has(i.visit)) visitN.set(i.visit, visitN.size + 1);
  const extras = extraColumns(infos);

  const baseSum = new Map<string, { sum: number; n: number }>();
  for (const r of results) {
    if (!r.manifest.baseline) continue;
    for (const m of r.measures) {
      if (m.value === null || !Number.isFinite(m.value)) continue;
      const key = `${r.manifest.subject}\u0000${m.region}\u0000${m.paramcd}`;
      const acc = baseSum.get(key) ?? { sum: 0, n: 0 };
      acc.sum += m.value;
      acc.n += 1;
      baseSum.set(key, acc);
    }
  }
  const rows: LongRow[] = [];
  for (const r of results) {
    const mi = r.manifest;
    for (const m of r.measures) {
      const acc = baseSum.get(`${mi.subject}\u0000${m.region}\u0000${m.paramcd}`);
      const base = acc ? roundCanonical(acc.sum / acc.n) : null;
      const aval = m.value === null ? null : roundCanonical(m.value);
      const post = !mi.baseline && base !== null && aval !== null;
      const chg = post ? roundCanonical(aval! - base!) : null;
      const pchg = post && base !== 0 ? roundCanonical((100 * (aval! - base!)) / base!) : null;
      rows.push({
        info: mi, visitN: visitN.get(mi.visit)!, region: m.region, side: sideOf(m.region, mi.treatedSide), paramcd: m.paramcd, param: m.param,
        aval, unit: m.unit, base, chg, pchg, qcFlags: flagsFor(r.qc.flags, m.region, m.paramcd),
      });
    }
  }
  return { rows, visits: [...visitN.keys()], extras };
}

/** scores_long.csv (columns LONG_COLUMNS + the manifest's extra columns). */
export function longTableCsv(results: ResultRecord[], errors: ErrorRecord[]): string {
  const { rows, extras } = longRows(results, errors);
  const out: string[][] = [[...LONG_COLUMNS, ...extras.map((e) => e.column)]];
  for (const r of rows) {
    const mi = r.info;
    out.push([
      mi.subject, mi.visit, String(r.visitN), mi.arm ?? '', mi.treatedSide ?? '', mi.id, mi.relPath,
      r.region, r.side, r.paramcd, r.param, num(r.aval), r.unit, mi.baseline ? 'Y' : '',
      num(r.base), num(r.chg), num(r.pchg), r.qcFlags.length ? 'REVIEW' : 'PASS', r.qcFlags.join(';'),
      ...extras.map((e) => mi.extra[e.key] ?? ''),
    ]);
  }
  return stringify(out, { record_delimiter: '\n' });
}

/** errors.csv: path, code, message, subject, visit, photo_id, in manifest order. */
export function errorsCsv(errors: ErrorRecord[]): string {
  const rows = [['path', 'code', 'message', 'subject', 'visit', 'photo_id']];
  for (const e of errors) rows.push([e.manifest.relPath, e.code, e.message, e.manifest.subject, e.manifest.visit, e.manifest.id]);
  return stringify(rows, { record_delimiter: '\n' });
}
