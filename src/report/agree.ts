import { blandAltman, type BlandAltmanResult } from '../agreement/bland-altman';
import { fleissKappaFromRatings, type FleissKappaResult } from '../agreement/fleiss';
import { icc, type IccResult } from '../agreement/icc';
import { cohenKappa, type KappaResult } from '../agreement/kappa';
import { krippendorffAlpha, type KrippendorffResult } from '../agreement/krippendorff';
import { kendallTauB, kendallW, spearman, type CorrelationResult, type KendallWResult } from '../agreement/rank';
import { isDermametricsError } from '../errors';
import { calibrateItems, type CalibrationSection } from './calibration';
import type { JoinedItems } from './input';

/** A statistic that could not be computed on these data: the library's error code and message, never a NaN. */
export interface NotComputed {
  error: string;
  message: string;
}

export type Stat<T> = T | NotComputed;

export function isNotComputed(x: unknown): x is NotComputed {
  return typeof x === 'object' && x !== null && 'error' in x && 'message' in x;
}

/** Run a statistic; a DermametricsError (degenerate or unsuitable data) becomes a NotComputed entry. */
export function attempt<T>(fn: () => T): Stat<T> {
  try {
    return fn();
  } catch (e) {
    if (isDermametricsError(e)) return { error: e.code, message: e.message };
    throw e;
  }
}

export interface KappaPair {
  readerA: string;
  readerB: string;
  n: number;
  unweighted: Stat<KappaResult>;
  linear: Stat<KappaResult>;
  quadratic: Stat<KappaResult>;
}

export interface RaterRaterSection {
  /** items graded by every reader (used by ICC, Fleiss' kappa and Kendall's W) */
  completeItems: number;
  icc: Stat<IccResult>;
  kappa: KappaPair[];
  fleiss: Stat<FleissKappaResult>;
  krippendorff: { ordinal: Stat<KrippendorffResult>; interval: Stat<KrippendorffResult> };
  kendallW: Stat<KendallWResult>;
}

export interface RaterScoreRow {
  /** a reader id, or 'mean of readers' */
  reader: string;
  n: number;
  spearman: Stat<CorrelationResult>;
  kendallTauB: Stat<CorrelationResult>;
}

export interface BlandAltmanSection {
  kind: 'rater-rater' | 'rater-calibrated';
  /** what was subtracted from what: a − b */
  a: string;
  b: string;
  /** (mean, difference) per item */
  points: { mean: number; diff: number; id: string }[];
  result: Stat<BlandAltmanResult>;
}

/** A reader's agreement with themselves on repeated showings of the same photo (test–retest). */
export interface IntraRaterRow {
  reader: string;
  /** photos graded twice */
  n: number;
  /** share graded identically / within one grade */
  exact: number;
  withinOne: number;
  /** quadratic-weighted kappa between first and second grades over the declared categories */
  kappaQuadratic: Stat<KappaResult>;
}

export interface AgreeReport {
  /** the report layout version (bump when fields change meaning) */
  format: 'dermametrics-agree-1';
  parameter: string;
  region: string;
  scale: { name: string; min: number; max: number; declared: boolean };
  joinedOn: JoinedItems['joinedOn'];
  readers: string[];
  counts: {
    items: number;
    itemsWithScore: number;
    grades: number;
    ratingsWithoutScore: number;
    blankScores: number;
    reviewScores: number;
  };
  raterRater: RaterRaterSection | null;
  /** intra-reader agreement on repeated showings; null when the packet had no repeats */
  intraRater: IntraRaterRow[] | null;
  raterScore: RaterScoreRow[];
  calibration: CalibrationSection;
  blandAltman: BlandAltmanSection | null;
  /** (score, grade, reader) for the score-versus-grade plot */
  scoreGrade: { score: number; grade: number; reader: string; id: string }[];
  notes: string[];
}

export interface AgreeOptions {
  /** confidence level of every interval (default 0.95) */
  confidence?: number;
  /** folds of the cross-validated grade prediction (default 5) */
  folds?: number;
  /** seed of the fold assignment and the bootstrap (default 1) */
  seed?: number;
  /** cluster-bootstrap replicates (resampling subjects) for the cut-point CIs; 0 = none (default 0) */
  bootstrap?: number;
}

const mean = (v: number[]): number => v.reduce((s, x) => s + x, 0) / v.length;

/**
 * The agreement report of rater–rater and rater–score agreement and the score-to-grade calibration, from joined
 * items (joinGradesAndScores). Each statistic that the data do not support (one reader, a constant rater, too few
 * items) is reported as NotComputed with the reason; nothing is NaN.
 */
export function agreementReport(j: JoinedItems, options: AgreeOptions = {}): AgreeReport {
  const conf = options.confidence ?? 0.95;
  const categories: number[] = [];
  for (let c = j.scale.min; c <= j.scale.max; c++) categories.push(c);
  const R = j.readers.length;
  const notes: string[] = [];
  if (!j.scale.declared) notes.push(`The grade range ${j.scale.min}–${j.scale.max} was taken from the data; declare the scale (--scale ${j.scale.name}:MIN-MAX) so that unused grades count in kappa and the calibration.`);
  if (j.ratingsWithoutScore.length) notes.push(`${j.ratingsWithoutScore.length} grade(s) have no ${j.parameter} score in region ${j.region} (not measured or not in the scores file) and are used only for rater–rater agreement.`);
  if (j.blankScores) notes.push(`${j.blankScores} score row(s) have a blank AVAL (not measured; see their QC flags).`);
  if (j.reviewScores) notes.push(`${j.reviewScores} score(s) are flagged QCSTAT = REVIEW and are included.`);

  let raterRater: RaterRaterSection | null = null;
  if (R >= 2) {
    const matrix = j.items.map((it) => it.grades);
    const complete = matrix.filter((row) => row.every((g) => g !== null)) as number[][];
    if (complete.length < matrix.length) notes.push(`${matrix.length - complete.length} item(s) were not graded by every reader: ICC, Fleiss' kappa and Kendall's W use the ${complete.length} complete item(s); Krippendorff's alpha and pairwise kappas use all.`);
    const kappa: KappaPair[] = [];
    for (let a = 0; a < R; a++) {
      for (let b = a + 1; b < R; b++) {
        const ga = matrix.map((r) => r[a]);
        const gb = matrix.map((r) => r[b]);
        const n = ga.filter((x, i) => x !== null && gb[i] !== null).length;
        kappa.push({
          readerA: j.readers[a],
          readerB: j.readers[b],
          n,
          unweighted: attempt(() => cohenKappa(ga, gb, categories, { weights: 'unweighted', confidence: conf })),
          linear: attempt(() => cohenKappa(ga, gb, categories, { weights: 'linear', confidence: conf })),
          quadratic: attempt(() => cohenKappa(ga, gb, categories, { weights: 'quadratic', confidence: conf })),
        });
      }
    }
    raterRater = {
      completeItems: complete.length,
      icc: attempt(() => icc(complete, { confidence: conf })),
      kappa,
      fleiss: attempt(() => fleissKappaFromRatings(complete, categories)),
      krippendorff: {
        ordinal: attempt(() => krippendorffAlpha(matrix, { level: 'ordinal', values: categories })),
        interval: attempt(() => krippendorffAlpha(matrix, { level: 'interval', values: categories })),
      },
      kendallW: attempt(() => kendallW(complete)),
    };
  } else {
    notes.push('One reader only: no rater–rater agreement.');
  }

  let intraRater: IntraRaterRow[] | null = null;
  if (j.repeats.length) {
    intraRater = j.readers.filter((r) => j.repeats.some((x) => x.reader === r)).map((reader) => {
      const pairs = j.repeats.filter((x) => x.reader === reader);
      return {
        reader,
        n: pairs.length,
        exact: pairs.filter((p) => p.first === p.second).length / pairs.length,
        withinOne: pairs.filter((p) => Math.abs(p.first - p.second) <= 1).length / pairs.length,
        kappaQuadratic: attempt(() => cohenKappa(pairs.map((p) => p.first), pairs.map((p) => p.second), categories, { weights: 'quadratic', confidence: conf })),
      };
    });
  }

  const scored = j.items.filter((it) => it.score !== null);
  const raterScore: RaterScoreRow[] = [];
  const corr = (reader: string, pairs: [number, number][]): RaterScoreRow => ({
    reader,
    n: pairs.length,
    spearman: attempt(() => spearman(pairs.map((p) => p[0]), pairs.map((p) => p[1]))),
    kendallTauB: attempt(() => kendallTauB(pairs.map((p) => p[0]), pairs.map((p) => p[1]))),
  });
  j.readers.forEach((reader, r) => {
    raterScore.push(corr(reader, scored.filter((it) => it.grades[r] !== null).map((it) => [it.score!, it.grades[r]!])));
  });
  if (R >= 2) {
    raterScore.push(corr('mean of readers', scored.filter((it) => it.grades.some((g) => g !== null)).map((it) => [it.score!, mean(it.grades.filter((g): g is number => g !== null))])));
  }

  const { section: calibration, expectedGrade } = calibrateItems(j, { confidence: conf, folds: options.folds ?? 5, seed: options.seed ?? 1, bootstrap: options.bootstrap ?? 0 });

  let ba: BlandAltmanSection | null = null;
  if (R === 2) {
    const pairs = j.items.filter((it) => it.grades[0] !== null && it.grades[1] !== null);
    ba = {
      kind: 'rater-rater',
      a: j.readers[0],
      b: j.readers[1],
      points: pairs.map((it) => ({ mean: (it.grades[0]! + it.grades[1]!) / 2, diff: it.grades[0]! - it.grades[1]!, id: it.id })),
      result: attempt(() => blandAltman(pairs.map((it) => it.grades[0]!), pairs.map((it) => it.grades[1]!), { confidence: conf })),
    };
  } else if (expectedGrade) {
    const eg = expectedGrade;
    const rows = scored.filter((it) => it.grades.some((g) => g !== null));
    const a = rows.map((it) => mean(it.grades.filter((g): g is number => g !== null)));
    const b = rows.map((it) => eg(it.score!));
    ba = {
      kind: 'rater-calibrated',
      a: R === 1 ? j.readers[0] : 'mean of readers',
      b: 'calibrated score (expected grade)',
      points: rows.map((it, i) => ({ mean: (a[i] + b[i]) / 2, diff: a[i] - b[i], id: it.id })),
      result: attempt(() => blandAltman(a, b, { confidence: conf })),
    };
  }

  const scoreGrade = scored.flatMap((it) => it.grades.flatMap((g, r) => (g === null ? [] : [{ score: it.score!, grade: g, reader: j.readers[r], id: it.id }])));
  return {
    format: 'dermametrics-agree-1',
    parameter: j.parameter,
    region: j.region,
    scale: { ...j.scale },
    joinedOn: j.joinedOn,
    readers: j.readers,
    counts: {
      items: j.items.length,
      itemsWithScore: scored.length,
      grades: j.items.reduce((s, it) => s + it.grades.filter((g) => g !== null).length, 0),
      ratingsWithoutScore: j.ratingsWithoutScore.length,
      blankScores: j.blankScores,
      reviewScores: j.reviewScores,
    },
    raterRater,
    intraRater,
    raterScore,
    calibration,
    blandAltman: ba,
    scoreGrade,
    notes,
  };
}
