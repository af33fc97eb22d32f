import { findColumn, readCsvTable } from '../blind/csv';
import { parseScale, type RatingScale } from '../blind/scales';
import { DermametricsError, invalidOption } from '../errors';

/** One grade of the unblinded long table (`dermametrics unblind` output). */
export interface GradeRecord {
  subject: string;
  visit: string;
  photoId: string;
  arm: string;
  reader: string;
  scale: string;
  grade: number;
  /** 1, or 2 for the second showing of a repeated photo */
  replicate: number;
  line: number;
}

/** One score row of scores_long.csv (`dermametrics batch` output). */
export interface ScoreRecord {
  subject: string;
  visit: string;
  photoId: string;
  arm: string;
  region: string;
  parameter: string;
  value: number | null;
  qc: string;
  line: number;
}

function bad(message: string, details: Record<string, unknown> = {}): DermametricsError {
  return new DermametricsError('E_BAD_RATINGS', message, details);
}

/**
 * Read the unblinded long ratings table: USUBJID, AVISIT, reader, scale, grade (PHOTOID, ARM optional).
 * A table without a `scale` column is read as one scale named by `defaultScale`.
 */
export function readGradeTable(file: string, defaultScale = 'grade'): GradeRecord[] {
  const t = readCsvTable(file, 'Ratings file', 'E_BAD_RATINGS');
  const c = {
    subject: findColumn(t.header, ['USUBJID', 'subject']),
    visit: findColumn(t.header, ['AVISIT', 'visit']),
    photo: findColumn(t.header, ['PHOTOID', 'photo_id']),
    arm: findColumn(t.header, ['ARM']),
    reader: findColumn(t.header, ['reader', 'rater']),
    scale: findColumn(t.header, ['scale']),
    grade: findColumn(t.header, ['grade', 'AVAL']),
    replicate: findColumn(t.header, ['replicate']),
  };
  const missing = (['subject', 'visit', 'reader', 'grade'] as const).filter((k) => c[k] < 0);
  if (missing.length) {
    throw bad(`The ratings file ${file} has no ${missing.join(', ')} column (header: ${t.header.join(',')}). Pass the long table written by 'dermametrics unblind' (USUBJID, AVISIT, reader, scale, grade).`, { path: file, missing });
  }
  const out: GradeRecord[] = [];
  t.rows.forEach((r, i) => {
    const get = (k: number): string => (k < 0 ? '' : (r[k] ?? '').trim());
    const g = get(c.grade);
    if (g === '') return; // a blank grade is 'not rated'; unblind lists those separately
    const v = Number(g);
    if (!Number.isFinite(v)) throw bad(`Line ${t.lines[i]} of ${file}: grade "${g}" is not a number.`, { path: file, line: t.lines[i] });
    if (!get(c.subject) || !get(c.visit) || !get(c.reader)) throw bad(`Line ${t.lines[i]} of ${file} has an empty subject, visit or reader.`, { path: file, line: t.lines[i] });
    const replicate = Number(get(c.replicate) || '1');
    if (!Number.isInteger(replicate) || replicate < 1) throw bad(`Line ${t.lines[i]} of ${file}: replicate "${get(c.replicate)}" is not 1 or 2.`, { path: file, line: t.lines[i] });
    out.push({ subject: get(c.subject), visit: get(c.visit), photoId: get(c.photo), arm: get(c.arm), reader: get(c.reader), scale: get(c.scale) || defaultScale, grade: v, replicate, line: t.lines[i] });
  });
  if (out.length === 0) throw bad(`The ratings file ${file} holds no grades.`, { path: file });
  return out;
}

/** Read scores_long.csv: USUBJID, AVISIT, PARAMCD, AVAL (PHOTOID, REGION, ARM, QCSTAT optional). */
export function readScoreTable(file: string): ScoreRecord[] {
  const t = readCsvTable(file, 'Scores file', 'E_BAD_MANIFEST');
  const c = {
    subject: findColumn(t.header, ['USUBJID', 'subject']),
    visit: findColumn(t.header, ['AVISIT', 'visit']),
    photo: findColumn(t.header, ['PHOTOID', 'photo_id']),
    arm: findColumn(t.header, ['ARM']),
    region: findColumn(t.header, ['REGION']),
    param: findColumn(t.header, ['PARAMCD', 'parameter']),
    value: findColumn(t.header, ['AVAL', 'value', 'score']),
    qc: findColumn(t.header, ['QCSTAT']),
  };
  const missing = (['subject', 'visit', 'param', 'value'] as const).filter((k) => c[k] < 0);
  if (missing.length) {
    throw new DermametricsError('E_BAD_MANIFEST', `The scores file ${file} has no ${missing.map((m) => (m === 'param' ? 'PARAMCD' : m === 'value' ? 'AVAL' : m)).join(', ')} column (header: ${t.header.join(',')}). Pass the scores_long.csv written by 'dermametrics batch'.`, { path: file, missing });
  }
  return t.rows.map((r, i) => {
    const get = (k: number): string => (k < 0 ? '' : (r[k] ?? '').trim());
    const raw = get(c.value);
    const v = raw === '' ? null : Number(raw);
    if (v !== null && !Number.isFinite(v)) throw new DermametricsError('E_BAD_MANIFEST', `Line ${t.lines[i]} of ${file}: AVAL "${raw}" is not a number.`, { path: file, line: t.lines[i] });
    return { subject: get(c.subject), visit: get(c.visit), photoId: get(c.photo), arm: get(c.arm), region: get(c.region), parameter: get(c.param), value: v, qc: get(c.qc), line: t.lines[i] };
  });
}

/** The photos (or subject-visits) both tables know, with one score and each reader's grade. */
export interface JoinedItems {
  /** how items are matched: the photo id both tables carry, or subject + visit */
  joinedOn: 'PHOTOID' | 'USUBJID+AVISIT';
  parameter: string;
  region: string;
  scale: RatingScale & { declared: boolean };
  readers: string[];
  items: { id: string; subject: string; visit: string; arm: string; score: number | null; grades: (number | null)[] }[];
  /** ratings whose photo has no score row for the parameter/region */
  ratingsWithoutScore: { subject: string; visit: string; reader: string }[];
  /** score rows with a blank AVAL (not measured; the QC flags say why) */
  blankScores: number;
  /** score rows flagged QCSTAT = REVIEW that are included */
  reviewScores: number;
  /** repeated showings: a reader's first and second grade of the same photo (createReaderPacket `repeats`) */
  repeats: { reader: string; id: string; first: number; second: number }[];
}

function choose(what: string, flag: string, given: string | undefined, available: string[], file: string): string {
  if (given !== undefined) {
    if (!available.includes(given)) throw invalidOption(flag, `one of ${available.map((a) => `'${a}'`).join(', ') || '(none)'} (values in ${file})`, given);
    return given;
  }
  if (available.length === 1) return available[0];
  throw new DermametricsError('E_INVALID_OPTION', `The ${file} holds ${available.length} ${what}s (${available.slice(0, 12).join(', ')}${available.length > 12 ? ', …' : ''}). Choose one with ${flag}.`, { option: flag, available });
}

export interface JoinOptions {
  parameter?: string;
  region?: string;
  /** 'erythema:0-4' (declares the category set, unused grades included) or 'erythema' (range from the data) */
  scale?: string | RatingScale;
}

/**
 * Match grades to scores. Grades for a scale, scores for one PARAMCD and REGION. Items are photos when both tables
 * carry PHOTOID, else subject + visit (then each must have one score: several photos per visit need --region or
 * PHOTOID). A reader grading one item twice is an error.
 */
export function joinGradesAndScores(grades: GradeRecord[], scores: ScoreRecord[], options: JoinOptions = {}, files = { ratings: 'ratings file', scores: 'scores file' }): JoinedItems {
  let scaleSpec: (RatingScale & { declared: boolean }) | undefined;
  let scaleName: string | undefined;
  if (typeof options.scale === 'object' || (typeof options.scale === 'string' && options.scale.includes(':'))) {
    scaleSpec = { ...parseScale(options.scale, 'options.scale'), declared: true };
    scaleName = scaleSpec.name;
  } else if (typeof options.scale === 'string') scaleName = options.scale;
  const scaleNames = [...new Set(grades.map((g) => g.scale))];
  scaleName = choose('scale', '--scale', scaleName, scaleNames, files.ratings);
  const gAll = grades.filter((x) => x.scale === scaleName);
  const g = gAll.filter((x) => x.replicate === 1);
  if (!scaleSpec) {
    const vals = g.map((x) => x.grade);
    scaleSpec = { name: scaleName, min: Math.min(...vals), max: Math.max(...vals), declared: false };
  }
  for (const x of gAll) {
    if (!Number.isInteger(x.grade) || x.grade < scaleSpec.min || x.grade > scaleSpec.max) {
      throw bad(`Line ${x.line} of ${files.ratings}: ${scaleName} grade ${x.grade} is not an integer from ${scaleSpec.min} to ${scaleSpec.max}.`, { line: x.line });
    }
  }
  const parameter = choose('parameter', '--parameter', options.parameter, [...new Set(scores.map((s) => s.parameter))].sort(), files.scores);
  const forParam = scores.filter((s) => s.parameter === parameter);
  const region = choose('region', '--region', options.region, [...new Set(forParam.map((s) => s.region))].sort(), files.scores);
  const sc = forParam.filter((s) => s.region === region);
  const byPhoto = g.every((x) => x.photoId !== '') && sc.every((s) => s.photoId !== '');
  const keyOf = (x: { subject: string; visit: string; photoId: string }): string => (byPhoto ? x.photoId : `${x.subject}\u0000${x.visit}`);

  const scoreOf = new Map<string, ScoreRecord>();
  for (const s of sc) {
    const k = keyOf(s);
    const prev = scoreOf.get(k);
    if (prev) {
      throw new DermametricsError('E_BAD_MANIFEST', `${files.scores} has two ${parameter} scores for ${byPhoto ? `photo ${s.photoId}` : `subject ${s.subject} visit ${s.visit}`} in region ${region} (lines ${prev.line} and ${s.line}). Pass --region, or use tables that both carry PHOTOID.`, { lines: [prev.line, s.line] });
    }
    scoreOf.set(k, s);
  }
  const readers = [...new Set(g.map((x) => x.reader))].sort();
  const ri = new Map(readers.map((r, i) => [r, i]));
  const items = new Map<string, JoinedItems['items'][number]>();
  const ratingsWithoutScore: JoinedItems['ratingsWithoutScore'] = [];
  const seen = new Map<string, number>();
  for (const x of g) {
    const k = keyOf(x);
    const dupKey = `${k}\u0000${x.reader}`;
    if (seen.has(dupKey)) throw bad(`${files.ratings}: reader ${x.reader} graded ${x.subject} ${x.visit}${byPhoto ? ` (photo ${x.photoId})` : ''} twice (lines ${seen.get(dupKey)} and ${x.line}). Keep one grade per reader and photo.`, { lines: [seen.get(dupKey), x.line] });
    seen.set(dupKey, x.line);
    const s = scoreOf.get(k);
    if (!s) ratingsWithoutScore.push({ subject: x.subject, visit: x.visit, reader: x.reader });
    let item = items.get(k);
    if (!item) {
      item = { id: byPhoto ? x.photoId : `${x.subject}/${x.visit}`, subject: x.subject, visit: x.visit, arm: x.arm || s?.arm || '', score: s?.value ?? null, grades: readers.map(() => null) };
      items.set(k, item);
    }
    item.grades[ri.get(x.reader)!] = x.grade;
  }
  // second showings: paired with the same reader's first grade of the photo
  const repeats: JoinedItems['repeats'] = [];
  const seenRepeat = new Set<string>();
  for (const x of gAll.filter((y) => y.replicate > 1)) {
    const k = keyOf(x);
    const dupKey = `${k}\u0000${x.reader}\u0000${x.replicate}`;
    if (seenRepeat.has(dupKey)) throw bad(`${files.ratings}: reader ${x.reader} has two replicate-${x.replicate} grades of ${x.subject} ${x.visit} (line ${x.line}).`, { line: x.line });
    seenRepeat.add(dupKey);
    const first = items.get(k)?.grades[ri.get(x.reader) ?? -1];
    if (first === undefined || first === null) continue; // no first grade by this reader: nothing to compare
    repeats.push({ reader: x.reader, id: items.get(k)!.id, first, second: x.grade });
  }
  if (ratingsWithoutScore.length === g.length) {
    throw bad(`None of the ${g.length} ${scaleName} grades matches a ${parameter}/${region} score in ${files.scores} (matched on ${byPhoto ? 'PHOTOID' : 'USUBJID and AVISIT'}). Are the two files from the same trial?`, { parameter, region });
  }
  return {
    joinedOn: byPhoto ? 'PHOTOID' : 'USUBJID+AVISIT',
    parameter,
    region,
    scale: scaleSpec,
    readers,
    items: [...items.values()],
    ratingsWithoutScore,
    blankScores: sc.filter((s) => s.value === null).length,
    reviewScores: sc.filter((s) => s.qc === 'REVIEW' && s.value !== null).length,
    repeats,
  };
}
