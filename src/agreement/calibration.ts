import { DermametricsError, invalidOption, numberOption } from '../errors';
import { createRng } from '../random';
import { VERSION } from '../version';
import { normalQuantile, normalUpper } from './distributions';
import { cohenKappaTable, type KappaResult } from './kappa';
import { cumulativeLogitProbabilities, fitCumulativeLogit } from './ordinal';
import { confidenceOption, isMissing } from './validate';

/** An ordered grading scale, lowest grade first. */
export interface GradeScale {
  name: string;
  levels: (number | string)[];
}

/** Erythema 0 (none) … 4 (severe), the usual investigator global erythema grade. */
export const ERYTHEMA_0_4: GradeScale = Object.freeze({ name: 'erythema_0_4', levels: [0, 1, 2, 3, 4] }) as GradeScale;
/** Fitzpatrick–Goldman wrinkle assessment scale scored 1 … 9 [Fitzpatrick1996]. */
export const FITZPATRICK_GOLDMAN_1_9: GradeScale = Object.freeze({ name: 'fitzpatrick_goldman_1_9', levels: [1, 2, 3, 4, 5, 6, 7, 8, 9] }) as GradeScale;

/** Declare a scale from any ordered list of labels (lowest first). */
export function gradeScale(name: string, levels: readonly (number | string)[]): GradeScale {
  if (typeof name !== 'string' || name.length === 0) throw invalidOption('scale.name', 'a non-empty string', name);
  if (!Array.isArray(levels) || levels.length < 2) throw invalidOption('scale.levels', 'an array of at least 2 ordered grades', levels);
  const keys = new Set<string>();
  for (const l of levels) {
    if (!((typeof l === 'number' && Number.isFinite(l)) || (typeof l === 'string' && l.length > 0))) throw invalidOption('scale.levels', 'finite numbers or non-empty strings', l);
    if (keys.has(String(l))) throw invalidOption('scale.levels', 'distinct grades', levels);
    keys.add(String(l));
  }
  return { name, levels: levels.slice() };
}

/** Observations for a calibration fit: one row per (photo, rater) grade. */
export interface CalibrationData {
  /** the investigator's grade, one of scale.levels (numbers and their string forms are both accepted) */
  grades: ArrayLike<number | string>;
  /** numeric predictors by name, e.g. { erythemaIndex: [...] } (objective scores; or a numeric session index) */
  predictors: Record<string, ArrayLike<number>>;
  /**
   * categorical terms by name, e.g. { rater: [...], visit: [...] }, sum-to-zero (deviation) coded: each level's
   * effect is its offset from the average level, so a prediction without the factor is for the average rater/visit.
   */
  factors?: Record<string, ArrayLike<string | number>>;
  /** products of two terms, e.g. [['rater', 'visit']] (rater-specific visit drift) or [['rater', 'session']]. */
  interactions?: [string, string][];
}

export interface CalibrationOptions {
  scale: GradeScale;
  maxIterations?: number;
}

export interface CalibrationCoefficient {
  name: string;
  estimate: number;
  se: number;
}

export interface CalibrationFactor {
  name: string;
  /** levels as strings, in first-seen order sorted (the last level is minus the sum of the others) */
  levels: string[];
  coding: 'sum';
}

/** A fitted score → grade calibration: plain JSON, safe to `JSON.stringify`, re-loaded with `loadCalibration`. */
export interface Calibration {
  format: 'dermametrics-calibration';
  /** schema version of this object */
  version: 1;
  /** library version that fitted it */
  library: string;
  model: 'cumulative-logit';
  /** logit P(Y ≤ j) = θ_j − xᵀβ (MASS::polr / ordinal::clm parameterisation) */
  parameterisation: 'theta - x*beta';
  scale: GradeScale;
  predictors: string[];
  factors: CalibrationFactor[];
  interactions: [string, string][];
  /** β, named by design column: 'score', 'rater[A]', 'rater[A]:visit[V1]', … */
  coefficients: CalibrationCoefficient[];
  /** θ_j named 'g_j|g_{j+1}' */
  thresholds: CalibrationCoefficient[];
  /** covariance of (θ…, β…) in that order */
  vcov: number[][];
  fit: { n: number; logLik: number; aic: number; iterations: number; maxGradient: number };
}

interface Design {
  names: string[];
  rows: number[][];
}

function factorColumns(f: CalibrationFactor, value: string | null): number[] {
  // sum-to-zero (deviation) coding [Agresti2010]: level l < L−1 → e_l, last level → −1…−1
  const L = f.levels.length;
  const out = new Array<number>(L - 1).fill(0);
  if (value === null) return out;
  const idx = f.levels.indexOf(value);
  if (idx < 0) {
    throw new DermametricsError('E_BAD_RATINGS', `${f.name} level ${JSON.stringify(value)} was not in the calibration data (levels: ${f.levels.join(', ')})`, {
      factor: f.name,
      value,
    });
  }
  if (idx === L - 1) out.fill(-1);
  else out[idx] = 1;
  return out;
}

function termColumns(
  term: string,
  predictors: string[],
  factors: CalibrationFactor[],
  num: Record<string, number>,
  fac: Record<string, string | null>,
): { names: string[]; values: number[] } {
  if (predictors.includes(term)) return { names: [term], values: [num[term]] };
  const f = factors.find((x) => x.name === term);
  if (!f) throw invalidOption('interactions', `names of predictors or factors (${[...predictors, ...factors.map((x) => x.name)].join(', ')})`, term);
  return { names: f.levels.slice(0, -1).map((l) => `${f.name}[${l}]`), values: factorColumns(f, fac[term] ?? null) };
}

function designRow(
  predictors: string[],
  factors: CalibrationFactor[],
  interactions: [string, string][],
  num: Record<string, number>,
  fac: Record<string, string | null>,
): { names: string[]; values: number[] } {
  const names: string[] = [];
  const values: number[] = [];
  for (const p of predictors) {
    names.push(p);
    values.push(num[p]);
  }
  for (const f of factors) {
    const t = termColumns(f.name, predictors, factors, num, fac);
    names.push(...t.names);
    values.push(...t.values);
  }
  for (const [a, b] of interactions) {
    const ta = termColumns(a, predictors, factors, num, fac);
    const tb = termColumns(b, predictors, factors, num, fac);
    for (let i = 0; i < ta.names.length; i++)
      for (let j = 0; j < tb.names.length; j++) {
        names.push(`${ta.names[i]}:${tb.names[j]}`);
        values.push(ta.values[i] * tb.values[j]);
      }
  }
  return { names, values };
}

function gradeIndex(scale: GradeScale, g: unknown, row: number): number {
  const idx = scale.levels.findIndex((l) => l === g || String(l) === String(g));
  if (idx < 0) {
    throw new DermametricsError('E_BAD_RATINGS', `grade ${JSON.stringify(g)} at row ${row} is not on the scale ${scale.name} (${scale.levels.join(', ')})`, { row, value: g });
  }
  return idx;
}

interface Prepared {
  y: number[];
  predictors: string[];
  factors: CalibrationFactor[];
  interactions: [string, string][];
  design: Design;
  facValues: Record<string, (string | null)[]>;
  numValues: Record<string, number[]>;
}

function prepare(data: CalibrationData, scale: GradeScale, rowsOnly?: number[]): Prepared {
  if (!data || typeof data !== 'object' || !data.grades || typeof data.grades.length !== 'number') {
    throw invalidOption('data.grades', 'an array of grades', data?.grades);
  }
  const nAll = data.grades.length;
  const predictors = Object.keys(data.predictors ?? {});
  const factorNames = Object.keys(data.factors ?? {});
  if (predictors.length === 0) throw invalidOption('data.predictors', 'at least one numeric predictor (the objective score)', data.predictors);
  for (const p of predictors) {
    if (data.predictors[p].length !== nAll) {
      throw new DermametricsError('E_BAD_RATINGS', `predictor ${p} has ${data.predictors[p].length} values but there are ${nAll} grades`, { predictor: p });
    }
  }
  for (const f of factorNames) {
    if (predictors.includes(f)) throw invalidOption('data.factors', 'names different from the numeric predictors', f);
    if (data.factors![f].length !== nAll) throw new DermametricsError('E_BAD_RATINGS', `factor ${f} has ${data.factors![f].length} values but there are ${nAll} grades`, { factor: f });
  }
  const rows = rowsOnly ?? Array.from({ length: nAll }, (_, i) => i);
  const y: number[] = [];
  const numValues: Record<string, number[]> = Object.fromEntries(predictors.map((p) => [p, [] as number[]]));
  const facValues: Record<string, (string | null)[]> = Object.fromEntries(factorNames.map((f) => [f, [] as (string | null)[]]));
  for (const i of rows) {
    const g = data.grades[i];
    if (isMissing(g)) throw new DermametricsError('E_BAD_RATINGS', `grade at row ${i} is missing; drop ungraded rows before fitting`, { row: i });
    y.push(gradeIndex(scale, g, i));
    for (const p of predictors) {
      const v = data.predictors[p][i];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new DermametricsError('E_BAD_RATINGS', `predictor ${p} at row ${i} is not a finite number (${String(v)}); drop the row or impute first`, { row: i, predictor: p });
      numValues[p].push(v);
    }
    for (const f of factorNames) {
      const v = data.factors![f][i];
      if (isMissing(v)) throw new DermametricsError('E_BAD_RATINGS', `factor ${f} at row ${i} is missing`, { row: i, factor: f });
      facValues[f].push(String(v));
    }
  }
  const factors: CalibrationFactor[] = factorNames.map((f) => {
    const levels = [...new Set(facValues[f] as string[])].sort();
    if (levels.length < 2) throw new DermametricsError('E_DEGENERATE', `factor ${f} has only one level (${levels[0]}); remove it`, { factor: f });
    return { name: f, levels, coding: 'sum' as const };
  });
  const interactions = (data.interactions ?? []).map((t) => {
    if (!Array.isArray(t) || t.length !== 2 || t.some((s) => !predictors.includes(s) && !factorNames.includes(s))) {
      throw invalidOption('data.interactions', 'pairs of predictor/factor names', t);
    }
    return [t[0], t[1]] as [string, string];
  });
  const design: Design = { names: [], rows: [] };
  for (let r = 0; r < y.length; r++) {
    const num = Object.fromEntries(predictors.map((p) => [p, numValues[p][r]]));
    const fac = Object.fromEntries(factorNames.map((f) => [f, facValues[f][r]]));
    const dr = designRow(predictors, factors, interactions, num, fac);
    design.names = dr.names;
    design.rows.push(dr.values);
  }
  return { y, predictors, factors, interactions, design, facValues, numValues };
}

function validateScale(scale: unknown): GradeScale {
  if (!scale || typeof scale !== 'object') throw invalidOption('options.scale', 'a GradeScale { name, levels }', scale);
  const s = scale as GradeScale;
  return gradeScale(s.name, s.levels);
}

/**
 * Fit a proportional-odds calibration from objective score(s) (+ optional rater/visit factors and interactions) to
 * investigator grades on a declared scale. Rater as a factor gives per-rater severity offsets (`factorEffects`);
 * a visit factor gives drift across visits, and a rater × visit (or rater × numeric session) interaction gives
 * rater-specific drift.
 * @throws DermametricsError E_BAD_RATINGS (grade not on the scale, missing values, mismatched lengths),
 *   E_DEGENERATE (a grade never used, a one-level factor, separation, too few rows)
 */
export function fitCalibration(data: CalibrationData, options: CalibrationOptions): Calibration {
  const scale = validateScale(options?.scale);
  const maxIterations = numberOption('options.maxIterations', options.maxIterations, 200, { min: 1, integer: true });
  const prep = prepare(data, scale);
  const fit = fitCumulativeLogit(prep.y, prep.design.rows, scale.levels.length, { maxIterations });
  const L = scale.levels;
  const d = fit.thresholds.length + fit.beta.length;
  return {
    format: 'dermametrics-calibration',
    version: 1,
    library: VERSION,
    model: 'cumulative-logit',
    parameterisation: 'theta - x*beta',
    scale: { name: scale.name, levels: scale.levels.slice() },
    predictors: prep.predictors,
    factors: prep.factors,
    interactions: prep.interactions,
    coefficients: fit.beta.map((b, k) => ({ name: prep.design.names[k], estimate: b, se: fit.seBeta[k] })),
    thresholds: fit.thresholds.map((t, j) => ({ name: `${L[j]}|${L[j + 1]}`, estimate: t, se: fit.seThresholds[j] })),
    vcov: fit.vcov,
    fit: { n: fit.n, logLik: fit.logLik, aic: -2 * fit.logLik + 2 * d, iterations: fit.iterations, maxGradient: fit.maxGradient },
  };
}

export interface GradePrediction {
  /** most probable grade (as on the scale) and its position */
  grade: number | string;
  gradeIndex: number;
  /** P(grade = level) in scale order */
  probabilities: number[];
  /** Σ p_k · level_k for numeric scales, else Σ p_k · k (position) */
  expectedGrade: number;
  /** xᵀβ */
  linearPredictor: number;
}

/**
 * Predicted grade for one photo's score(s). `scores` is a number when the calibration has one predictor, else a
 * record by predictor name. `factors` (e.g. { rater: 'R2' }) is optional: an omitted factor means the average level
 * (sum coding), i.e. the "average rater".
 */
export function predictGrade(calibration: Calibration, scores: number | Record<string, number>, factors: Record<string, string | number> = {}): GradePrediction {
  const cal = loadCalibration(calibration);
  let num: Record<string, number>;
  if (typeof scores === 'number') {
    if (cal.predictors.length !== 1) throw invalidOption('scores', `a record with ${cal.predictors.join(', ')}`, scores);
    num = { [cal.predictors[0]]: scores };
  } else if (scores && typeof scores === 'object') num = scores;
  else throw invalidOption('scores', 'a number or a record of predictor values', scores);
  for (const p of cal.predictors) {
    if (typeof num[p] !== 'number' || !Number.isFinite(num[p])) throw invalidOption(`scores.${p}`, 'a finite number', num[p]);
  }
  const fac: Record<string, string | null> = {};
  for (const f of cal.factors) fac[f.name] = factors[f.name] === undefined || factors[f.name] === null ? null : String(factors[f.name]);
  const row = designRow(cal.predictors, cal.factors, cal.interactions, num, fac);
  let eta = 0;
  for (let k = 0; k < row.values.length; k++) eta += row.values[k] * cal.coefficients[k].estimate;
  const probabilities = cumulativeLogitProbabilities(
    cal.thresholds.map((t) => t.estimate),
    eta,
  );
  let best = 0;
  for (let k = 1; k < probabilities.length; k++) if (probabilities[k] > probabilities[best]) best = k;
  const numeric = cal.scale.levels.every((l) => typeof l === 'number');
  const expectedGrade = probabilities.reduce((s, p, k) => s + p * (numeric ? (cal.scale.levels[k] as number) : k), 0);
  return { grade: cal.scale.levels[best], gradeIndex: best, probabilities, expectedGrade, linearPredictor: eta };
}

export interface CutPoint {
  /** threshold name 'g_j|g_{j+1}' */
  name: string;
  /** predictor value where P(Y ≤ g_j) = 0.5, i.e. (θ_j − other terms)/β */
  value: number;
  /** delta-method SE and Wald CI [Agresti2010] */
  se: number;
  lower: number;
  upper: number;
}

/**
 * Cut-points on the score scale: the score at which the cumulative probability of grade ≤ g_j crosses 0.5,
 * c_j = (θ_j − Σ_other β x)/β_score, with delta-method SEs from the fit covariance. Other numeric predictors are
 * held at `at` (default 0) and factors at their average level (sum coding).
 */
export function cutPoints(calibration: Calibration, options: { predictor?: string; at?: Record<string, number>; confidence?: number } = {}): CutPoint[] {
  const cal = loadCalibration(calibration);
  const conf = confidenceOption('options.confidence', options.confidence);
  const predictor = options.predictor ?? cal.predictors[0];
  if (!cal.predictors.includes(predictor)) throw invalidOption('options.predictor', `one of ${cal.predictors.join(', ')}`, predictor);
  if (options.predictor === undefined && cal.predictors.length > 1) throw invalidOption('options.predictor', `one of ${cal.predictors.join(', ')} (the calibration has several)`, undefined);
  const num: Record<string, number> = {};
  for (const p of cal.predictors) num[p] = p === predictor ? 0 : (options.at?.[p] ?? 0);
  const fac = Object.fromEntries(cal.factors.map((f) => [f.name, null]));
  // design row at predictor = 0 gives the offset; the derivative wrt the predictor gives the effective slope
  const r0 = designRow(cal.predictors, cal.factors, cal.interactions, num, fac).values;
  const r1 = designRow(cal.predictors, cal.factors, cal.interactions, { ...num, [predictor]: 1 }, fac).values;
  const slopeVec = r1.map((v, k) => v - r0[k]);
  const J1 = cal.thresholds.length;
  const P = cal.coefficients.length;
  const beta = cal.coefficients.map((c) => c.estimate);
  const b = slopeVec.reduce((s, v, k) => s + v * beta[k], 0);
  const off = r0.reduce((s, v, k) => s + v * beta[k], 0);
  if (!(Math.abs(b) > 0)) throw new DermametricsError('E_DEGENERATE', `the ${predictor} coefficient is 0: no cut-points on its scale`, {});
  const z = normalQuantile(1 - (1 - conf) / 2);
  return cal.thresholds.map((t, j) => {
    const value = (t.estimate - off) / b;
    // gradient of c_j wrt (θ, β) [delta method]
    const grad = new Array<number>(J1 + P).fill(0);
    grad[j] = 1 / b;
    for (let k = 0; k < P; k++) grad[J1 + k] = -r0[k] / b - (value * slopeVec[k]) / b;
    let v = 0;
    for (let r = 0; r < J1 + P; r++) for (let s = 0; s < J1 + P; s++) v += grad[r] * cal.vcov[r][s] * grad[s];
    const se = Math.sqrt(Math.max(0, v));
    return { name: t.name, value, se, lower: value - z * se, upper: value + z * se };
  });
}

export interface FactorEffect {
  level: string;
  /** offset on the logit scale relative to the average level (positive = grades higher for the same score) */
  estimate: number;
  se: number;
  z: number;
  p: number;
  /** the same offset in units of `predictor` (estimate / β_predictor) with a delta-method SE */
  inPredictorUnits: number;
  seInPredictorUnits: number;
}

/**
 * Per-level effects of a sum-coded factor (e.g. per-rater severity offsets, or per-visit drift), each relative to
 * the average level; the last level's effect is minus the sum of the others, with its SE from the covariance.
 */
export function factorEffects(calibration: Calibration, factor: string, options: { predictor?: string } = {}): FactorEffect[] {
  const cal = loadCalibration(calibration);
  const f = cal.factors.find((x) => x.name === factor);
  if (!f) throw invalidOption('factor', `one of ${cal.factors.map((x) => x.name).join(', ') || '(no factors in this calibration)'}`, factor);
  const predictor = options.predictor ?? cal.predictors[0];
  const pIdx = cal.coefficients.findIndex((c) => c.name === predictor);
  if (pIdx < 0) throw invalidOption('options.predictor', `one of ${cal.predictors.join(', ')}`, predictor);
  const J1 = cal.thresholds.length;
  const P = cal.coefficients.length;
  const first = cal.coefficients.findIndex((c) => c.name === `${f.name}[${f.levels[0]}]`);
  const beta = cal.coefficients[pIdx].estimate;
  return f.levels.map((level, l) => {
    const cvec = new Array<number>(P).fill(0);
    if (l < f.levels.length - 1) cvec[first + l] = 1;
    else for (let m = 0; m < f.levels.length - 1; m++) cvec[first + m] = -1;
    const est = cvec.reduce((s, v, k) => s + v * cal.coefficients[k].estimate, 0);
    const g = new Array<number>(J1 + P).fill(0);
    for (let k = 0; k < P; k++) g[J1 + k] = cvec[k];
    let v = 0;
    for (let r = 0; r < J1 + P; r++) for (let s = 0; s < J1 + P; s++) v += g[r] * cal.vcov[r][s] * g[s];
    const se = Math.sqrt(Math.max(0, v));
    // in predictor units: est/β; gradient (c/β, −est/β² on β)
    const g2 = g.map((x) => x / beta);
    g2[J1 + pIdx] += -est / (beta * beta);
    let v2 = 0;
    for (let r = 0; r < J1 + P; r++) for (let s = 0; s < J1 + P; s++) v2 += g2[r] * cal.vcov[r][s] * g2[s];
    const z = se > 0 ? est / se : 0;
    return { level, estimate: est, se, z, p: Math.min(1, 2 * normalUpper(Math.abs(z))), inPredictorUnits: est / beta, seInPredictorUnits: Math.sqrt(Math.max(0, v2)) };
  });
}

export interface CrossValidationResult {
  folds: number;
  seed: number | string;
  /** fold of each row (0-based) */
  foldOf: number[];
  /** out-of-fold predicted grade (most probable), its index, the expected grade and the observed index per row */
  predicted: (number | string)[];
  predictedIndex: number[];
  expectedGrade: number[];
  observedIndex: number[];
  /** share of rows predicted exactly / within one grade */
  exactAgreement: number;
  withinOne: number;
  /** observed (rows) × predicted (columns) table over the whole scale, and its quadratic-weighted kappa */
  confusion: number[][];
  kappaQuadratic: KappaResult | null;
}

/**
 * k-fold cross-validated predicted grades: rows are assigned to folds stratified by grade (a seeded shuffle within
 * each grade, then dealt round-robin), each fold is predicted from a model fitted on the others.
 * @throws DermametricsError E_DEGENERATE when a training split lacks a grade or is separated (use fewer folds).
 */
export function crossValidateCalibration(
  data: CalibrationData,
  options: CalibrationOptions & { folds?: number; seed?: number | string },
): CrossValidationResult {
  const scale = validateScale(options?.scale);
  const folds = numberOption('options.folds', options.folds, 5, { min: 2, integer: true });
  const seed = options.seed ?? 1;
  const all = prepare(data, scale);
  const n = all.y.length;
  if (folds > n) throw invalidOption('options.folds', `an integer <= the number of rows (${n})`, folds);
  const rng = createRng(seed);
  const foldOf = new Array<number>(n).fill(0);
  let dealt = 0;
  for (let g = 0; g < scale.levels.length; g++) {
    const idx = all.y.map((v, i) => (v === g ? i : -1)).filter((i) => i >= 0);
    rng.shuffle(idx);
    for (const i of idx) foldOf[i] = dealt++ % folds;
  }
  const predictedIndex = new Array<number>(n).fill(0);
  const expectedGrade = new Array<number>(n).fill(0);
  for (let f = 0; f < folds; f++) {
    const train = foldOf.map((v, i) => (v !== f ? i : -1)).filter((i) => i >= 0);
    let cal: Calibration;
    try {
      cal = fitCalibration(subset(data, train), { scale, maxIterations: options.maxIterations });
    } catch (e) {
      if (e instanceof DermametricsError) {
        throw new DermametricsError('E_DEGENERATE', `cross-validation fold ${f + 1}/${folds}: ${e.message} (try fewer folds)`, { fold: f, cause: e.code });
      }
      throw e;
    }
    for (let i = 0; i < n; i++) {
      if (foldOf[i] !== f) continue;
      const num = Object.fromEntries(all.predictors.map((p) => [p, all.numValues[p][i]]));
      const fac: Record<string, string> = {};
      for (const fa of cal.factors) {
        const v = all.facValues[fa.name][i];
        // a level absent from the training split is predicted as the average level
        if (v !== null && fa.levels.includes(v)) fac[fa.name] = v;
      }
      const pr = predictGrade(cal, num, fac);
      predictedIndex[i] = pr.gradeIndex;
      expectedGrade[i] = pr.expectedGrade;
    }
  }
  const K = scale.levels.length;
  const confusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  let exact = 0;
  let within = 0;
  for (let i = 0; i < n; i++) {
    confusion[all.y[i]][predictedIndex[i]]++;
    if (all.y[i] === predictedIndex[i]) exact++;
    if (Math.abs(all.y[i] - predictedIndex[i]) <= 1) within++;
  }
  let kappaQuadratic: KappaResult | null = null;
  try {
    kappaQuadratic = cohenKappaTable(confusion, { weights: 'quadratic' });
  } catch {
    kappaQuadratic = null; // degenerate table (all predictions one grade): reported as null
  }
  return {
    folds,
    seed,
    foldOf,
    predicted: predictedIndex.map((k) => scale.levels[k]),
    predictedIndex,
    expectedGrade,
    observedIndex: all.y,
    exactAgreement: exact / n,
    withinOne: within / n,
    confusion,
    kappaQuadratic,
  };
}

function subset(data: CalibrationData, rows: number[]): CalibrationData {
  const pick = <T>(a: ArrayLike<T>) => rows.map((i) => a[i]);
  return {
    grades: pick(data.grades),
    predictors: Object.fromEntries(Object.entries(data.predictors).map(([k, v]) => [k, pick(v)])),
    factors: data.factors ? Object.fromEntries(Object.entries(data.factors).map(([k, v]) => [k, pick(v)])) : undefined,
    interactions: data.interactions,
  };
}

function bad(path: string, expected: string, actual: unknown): DermametricsError {
  const e = invalidOption(`calibration.${path}`, expected, actual);
  return e;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Validate a calibration object (e.g. parsed from a JSON file) and return it typed. Checks the format tag, version,
 * scale, names, that thresholds increase, that the coefficient list matches the design implied by predictors,
 * factors and interactions, and the covariance shape.
 * @throws DermametricsError E_INVALID_OPTION naming the offending field (`calibration.thresholds[2].estimate`, …)
 */
export function loadCalibration(json: unknown): Calibration {
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json);
    } catch {
      throw bad('', 'a JSON object', json);
    }
  }
  if (!json || typeof json !== 'object') throw bad('', 'a calibration object from fitCalibration', json);
  const c = json as Record<string, unknown>;
  if (c.format !== 'dermametrics-calibration') throw bad('format', "'dermametrics-calibration'", c.format);
  if (c.version !== 1) throw bad('version', '1 (this library reads calibration version 1)', c.version);
  if (c.model !== 'cumulative-logit') throw bad('model', "'cumulative-logit'", c.model);
  if (c.parameterisation !== 'theta - x*beta') throw bad('parameterisation', "'theta - x*beta'", c.parameterisation);
  const scaleIn = c.scale as GradeScale;
  if (!scaleIn || typeof scaleIn !== 'object') throw bad('scale', 'a { name, levels } object', scaleIn);
  const scale = gradeScale(scaleIn.name, scaleIn.levels);
  if (!Array.isArray(c.predictors) || c.predictors.length === 0 || c.predictors.some((p) => typeof p !== 'string')) throw bad('predictors', 'a non-empty array of names', c.predictors);
  if (!Array.isArray(c.factors)) throw bad('factors', 'an array', c.factors);
  (c.factors as unknown[]).forEach((f, i) => {
    const ff = f as CalibrationFactor;
    if (!ff || typeof ff.name !== 'string' || !Array.isArray(ff.levels) || ff.levels.length < 2 || ff.levels.some((l) => typeof l !== 'string') || ff.coding !== 'sum') {
      throw bad(`factors[${i}]`, "{ name, levels: string[] (>= 2), coding: 'sum' }", f);
    }
  });
  if (!Array.isArray(c.interactions) || (c.interactions as unknown[]).some((t) => !Array.isArray(t) || t.length !== 2 || t.some((s) => typeof s !== 'string'))) {
    throw bad('interactions', 'an array of [name, name] pairs', c.interactions);
  }
  const coefs = (list: unknown, path: string): CalibrationCoefficient[] => {
    if (!Array.isArray(list)) throw bad(path, 'an array of { name, estimate, se }', list);
    return list.map((x, i) => {
      const o = x as CalibrationCoefficient;
      if (!o || typeof o.name !== 'string') throw bad(`${path}[${i}].name`, 'a string', o?.name);
      if (!isNum(o.estimate)) throw bad(`${path}[${i}].estimate`, 'a finite number', o.estimate);
      if (!isNum(o.se) || o.se < 0) throw bad(`${path}[${i}].se`, 'a finite number >= 0', o.se);
      return { name: o.name, estimate: o.estimate, se: o.se };
    });
  };
  const thresholds = coefs(c.thresholds, 'thresholds');
  const coefficients = coefs(c.coefficients, 'coefficients');
  if (thresholds.length !== scale.levels.length - 1) throw bad('thresholds', `${scale.levels.length - 1} thresholds for a ${scale.levels.length}-grade scale`, c.thresholds);
  for (let j = 1; j < thresholds.length; j++) {
    if (!(thresholds[j].estimate > thresholds[j - 1].estimate)) throw bad(`thresholds[${j}].estimate`, `a value > thresholds[${j - 1}].estimate (thresholds must increase)`, thresholds[j].estimate);
  }
  const predictors = c.predictors as string[];
  const factors = (c.factors as CalibrationFactor[]).map((f) => ({ name: f.name, levels: f.levels.slice(), coding: 'sum' as const }));
  const interactions = (c.interactions as [string, string][]).map((t) => [t[0], t[1]] as [string, string]);
  let names: string[];
  try {
    names = designRow(predictors, factors, interactions, Object.fromEntries(predictors.map((p) => [p, 0])), {}).names;
  } catch {
    throw bad('interactions', 'pairs of names of predictors or factors', c.interactions);
  }
  if (names.length !== coefficients.length || names.some((nm, k) => coefficients[k].name !== nm)) {
    throw bad('coefficients', `coefficients named ${JSON.stringify(names)} in that order`, coefficients.map((x) => x.name));
  }
  const d = thresholds.length + coefficients.length;
  if (!Array.isArray(c.vcov) || c.vcov.length !== d || (c.vcov as unknown[]).some((r) => !Array.isArray(r) || r.length !== d || r.some((v) => !isNum(v)))) {
    throw bad('vcov', `a ${d} × ${d} matrix of finite numbers`, c.vcov);
  }
  const fit = c.fit as Calibration['fit'];
  if (!fit || typeof fit !== 'object' || !isNum(fit.n) || !isNum(fit.logLik)) throw bad('fit', '{ n, logLik, aic, iterations, maxGradient }', fit);
  return {
    format: 'dermametrics-calibration',
    version: 1,
    library: typeof c.library === 'string' ? c.library : 'unknown',
    model: 'cumulative-logit',
    parameterisation: 'theta - x*beta',
    scale,
    predictors: predictors.slice(),
    factors,
    interactions,
    coefficients,
    thresholds,
    vcov: (c.vcov as number[][]).map((r) => r.slice()),
    fit: { n: fit.n, logLik: fit.logLik, aic: fit.aic, iterations: fit.iterations, maxGradient: fit.maxGradient },
  };
}
