import {
  crossValidateCalibration,
  cutPoints,
  factorEffects,
  fitCalibration,
  gradeScale,
  predictGrade,
  type Calibration,
  type CalibrationData,
  type CutPoint,
  type FactorEffect,
} from '../agreement/calibration';
import { chiSquareUpper, normalQuantile } from '../agreement/distributions';
import { isDermametricsError } from '../errors';
import { createRng } from '../random';
import type { JoinedItems } from './input';

type Stat<T> = T | { error: string; message: string };

function attempt<T>(fn: () => T): Stat<T> {
  try {
    return fn();
  } catch (e) {
    if (isDermametricsError(e)) return { error: e.code, message: e.message };
    throw e;
  }
}

export interface CalibrationFitSection {
  /** the fitted model (save it as JSON and pass it to analyzePhoto / batch --calibration) */
  calibration: Calibration;
  /** whether readers entered as a sum-coded factor (then cut-points and predictions are for the average reader) */
  readerFactor: boolean;
  /** score slope on the logit scale (positive: higher score, higher grade) */
  slope: { estimate: number; se: number };
  /** score values where P(grade ≤ g_j) = 0.5, with delta-method CIs */
  cutPoints: CutPoint[];
  /** per-reader severity offsets (logit and score units; positive = grades higher for the same score) */
  readerOffsets: FactorEffect[] | null;
  /**
   * Cut-point CIs from a cluster bootstrap over subjects: estimate ± z·SE_boot, the standard bootstrap interval
   * [EfronTibshirani1993] §13.2, with SE_boot the SD of the cut-point over replicates that resample whole subjects
   * (every reader's grades of a subject's photos stay together [DavisonHinkley1997] §3.8), which the Wald CIs
   * ignore. null when not requested or when fewer than 20 replicates could be fitted.
   */
  bootstrap: BootstrapSection | null;
}

export interface BootstrapSection {
  replicates: number;
  /** replicates whose fit failed (a grade absent from the resample, or separation); left out */
  failed: number;
  seed: number;
  cutPoints: { name: string; lower: number; upper: number; se: number }[];
}

export interface CrossValidationSection {
  folds: number;
  seed: number;
  n: number;
  exactAgreement: number;
  withinOne: number;
  kappaQuadratic: { kappa: number; lower: number; upper: number } | null;
  /** observed (rows) × predicted (columns), over `levels` */
  confusion: number[][];
}

export interface DriftSection {
  visits: string[];
  /** per-visit offsets of the grades for the same score, relative to the average visit (logits and score units) */
  visitOffsets: FactorEffect[];
  /** likelihood-ratio test of the visit term: model with vs without visit */
  lrChisq: number;
  df: number;
  p: number;
  /** reader-specific drift: LR test of the reader × visit interaction (several readers only) */
  readerByVisit: { lrChisq: number; df: number; p: number } | { error: string; message: string } | null;
}

export interface CalibrationSection {
  /** the predictor name in the calibration: the scores' PARAMCD */
  predictor: string;
  /** the grades the model distinguishes (those observed with a score) */
  levels: number[];
  /** grades of the declared scale no reader gave to a scored photo (not estimable; left out of the model) */
  unusedGrades: number[];
  /** (photo, reader) grades used */
  n: number;
  fit: Stat<CalibrationFitSection>;
  crossValidation: Stat<CrossValidationSection>;
  /** grading drift across visits for the same score (two or more visits) */
  drift: Stat<DriftSection> | null;
  /** expected grade along the score axis, for the plot */
  curve: { score: number; expectedGrade: number }[];
}

/**
 * Fit the score → grade proportional-odds calibration (agreement/calibration) on every (photo, reader) grade with a
 * score: readers as a sum-coded factor when there are several (per-reader severity offsets; cut-points for the
 * average reader), falling back to the pooled model when that fit is degenerate. k-fold cross-validated predictions
 * (stratified by grade) give exact and within-one agreement and a quadratic-weighted kappa.
 */
export function calibrateItems(j: JoinedItems, options: { confidence: number; folds: number; seed: number; bootstrap?: number }): { section: CalibrationSection; expectedGrade: ((score: number) => number) | null } {
  const predictor = j.parameter;
  const rows = j.items.flatMap((it) => (it.score === null ? [] : it.grades.flatMap((g, r) => (g === null ? [] : [{ score: it.score!, grade: g, reader: j.readers[r], visit: it.visit, subject: it.subject }]))));
  const used = [...new Set(rows.map((r) => r.grade))].sort((a, b) => a - b);
  const unusedGrades: number[] = [];
  for (let g = j.scale.min; g <= j.scale.max; g++) if (!used.includes(g)) unusedGrades.push(g);
  const section: CalibrationSection = {
    predictor,
    levels: used,
    unusedGrades,
    n: rows.length,
    fit: { error: 'E_DEGENERATE', message: 'not fitted' },
    crossValidation: { error: 'E_DEGENERATE', message: 'not fitted' },
    drift: null,
    curve: [],
  };
  if (used.length < 2) {
    section.fit = { error: 'E_DEGENERATE', message: `every scored grade is ${used[0] ?? '(none)'}: a calibration needs at least two different grades` };
    section.crossValidation = section.fit;
    return { section, expectedGrade: null };
  }
  const scale = gradeScale(j.scale.name, used);
  const readersUsed = [...new Set(rows.map((r) => r.reader))];
  const data = (withReader: boolean, withVisit = false, interaction = false, use = rows): CalibrationData => {
    const factors: Record<string, string[]> = {};
    if (withReader) factors.reader = use.map((r) => r.reader);
    if (withVisit) factors.visit = use.map((r) => r.visit);
    return {
      grades: use.map((r) => r.grade),
      predictors: { [predictor]: use.map((r) => r.score) },
      factors: Object.keys(factors).length ? factors : undefined,
      interactions: interaction ? [['reader', 'visit']] : undefined,
    };
  };
  let readerFactor = readersUsed.length >= 2;
  let cal = attempt(() => fitCalibration(data(readerFactor), { scale }));
  if ('error' in cal && readerFactor) {
    readerFactor = false;
    cal = attempt(() => fitCalibration(data(false), { scale }));
  }
  if ('error' in cal) {
    section.fit = cal;
    section.crossValidation = { error: cal.error, message: `no calibration: ${cal.message}` };
    return { section, expectedGrade: null };
  }
  const fitted = cal;
  const slope = fitted.coefficients.find((c) => c.name === predictor)!;
  const cps = attempt(() => cutPoints(fitted, { confidence: options.confidence }));
  const fitSection: CalibrationFitSection = {
    calibration: fitted,
    readerFactor,
    slope: { estimate: slope.estimate, se: slope.se },
    cutPoints: 'error' in cps ? [] : cps,
    readerOffsets: readerFactor ? factorEffects(fitted, 'reader', { predictor }) : null,
    bootstrap: null,
  };
  section.fit = fitSection;
  const B = options.bootstrap ?? 0;
  if (B > 0 && !('error' in cps)) {
    const bySubject = new Map<string, typeof rows>();
    for (const r of rows) bySubject.set(r.subject, [...(bySubject.get(r.subject) ?? []), r]);
    const subjects = [...bySubject.keys()];
    const rng = createRng(options.seed);
    const draws: number[][] = cps.map(() => []);
    let failed = 0;
    for (let b = 0; b < B; b++) {
      const use = Array.from({ length: subjects.length }, () => bySubject.get(subjects[rng.int(0, subjects.length - 1)])!).flat();
      const fit = attempt(() => cutPoints(fitCalibration(data(readerFactor, false, false, use), { scale }), { confidence: options.confidence }));
      if ('error' in fit) {
        failed++;
        continue;
      }
      fit.forEach((c, k) => draws[k].push(c.value));
    }
    const ok = B - failed;
    if (ok >= 20) {
      const z = normalQuantile(1 - (1 - options.confidence) / 2);
      fitSection.bootstrap = {
        replicates: B,
        failed,
        seed: options.seed,
        cutPoints: cps.map((c, k) => {
          const m = draws[k].reduce((s2, v) => s2 + v, 0) / ok;
          const sd = Math.sqrt(draws[k].reduce((s2, v) => s2 + (v - m) ** 2, 0) / (ok - 1));
          return { name: c.name, lower: c.value - z * sd, upper: c.value + z * sd, se: sd };
        }),
      };
    }
  }
  const cv = attempt(() => crossValidateCalibration(data(readerFactor), { scale, folds: Math.min(options.folds, rows.length), seed: options.seed }));
  section.crossValidation = 'error' in cv
    ? cv
    : {
        folds: cv.folds,
        seed: options.seed,
        n: cv.observedIndex.length,
        exactAgreement: cv.exactAgreement,
        withinOne: cv.withinOne,
        kappaQuadratic: cv.kappaQuadratic ? { kappa: cv.kappaQuadratic.kappa, lower: cv.kappaQuadratic.lower, upper: cv.kappaQuadratic.upper } : null,
        confusion: cv.confusion,
      };
  const visits = [...new Set(rows.map((r) => r.visit))].sort();
  if (visits.length >= 2) {
    section.drift = attempt((): DriftSection => {
      const withVisit = fitCalibration(data(readerFactor, true), { scale });
      const lr = 2 * (withVisit.fit.logLik - fitted.fit.logLik); // likelihood-ratio test [Agresti2010] §1.3.3
      const df = visits.length - 1;
      let readerByVisit: DriftSection['readerByVisit'] = null;
      if (readerFactor) {
        const inter = attempt(() => fitCalibration(data(true, true, true), { scale }));
        if ('error' in inter) readerByVisit = inter;
        else {
          const lr2 = 2 * (inter.fit.logLik - withVisit.fit.logLik);
          const df2 = (readersUsed.length - 1) * (visits.length - 1);
          readerByVisit = { lrChisq: lr2, df: df2, p: chiSquareUpper(Math.max(0, lr2), df2) };
        }
      }
      return { visits, visitOffsets: factorEffects(withVisit, 'visit', { predictor }), lrChisq: lr, df, p: chiSquareUpper(Math.max(0, lr), df), readerByVisit };
    });
  }
  const expectedGrade = (x: number): number => predictGrade(fitted, x).expectedGrade;
  const xs = rows.map((r) => r.score);
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const pad = (hi - lo) * 0.05 || 1;
  for (let i = 0; i <= 80; i++) {
    const x = lo - pad + ((hi - lo + 2 * pad) * i) / 80;
    section.curve.push({ score: x, expectedGrade: expectedGrade(x) });
  }
  return { section, expectedGrade };
}
