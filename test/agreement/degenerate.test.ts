import { describe, expect, it } from 'vitest';
import {
  ERYTHEMA_0_4,
  blandAltman,
  cohenKappa,
  cohenKappaTable,
  crossValidateCalibration,
  fitCalibration,
  fleissKappa,
  fleissKappaFromRatings,
  icc,
  kendallTauB,
  kendallW,
  krippendorffAlpha,
  linCcc,
  loadCalibration,
  pivotRatings,
  polyserial,
  predictGrade,
  spearman,
} from '../../src/agreement/index';
import { DermametricsError } from '../../src/errors';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DermametricsError);
    expect((e as DermametricsError).message.length).toBeGreaterThan(20);
    return (e as DermametricsError).code;
  }
  return 'no error';
}

function noNaN(x: unknown): void {
  JSON.stringify(x, (_k, v) => {
    if (typeof v === 'number') expect(Number.isNaN(v)).toBe(false);
    return v;
  });
}

const sf = [
  [9, 2, 5, 8],
  [6, 1, 3, 2],
  [8, 4, 6, 8],
  [7, 1, 2, 6],
  [10, 5, 6, 9],
  [6, 2, 4, 7],
];

describe('degenerate input gives a clear error or a documented NaN-free result', () => {
  it('ICC: missing cell, ragged rows, single subject, single rater, no variance', () => {
    expect(code(() => icc([[1, 2], [3, null]]))).toBe('E_BAD_RATINGS');
    expect(code(() => icc([[1, 2], [3]]))).toBe('E_BAD_RATINGS');
    expect(code(() => icc([[1, 2, 3]]))).toBe('E_DEGENERATE');
    expect(code(() => icc([[1], [2], [3]]))).toBe('E_DEGENERATE');
    expect(code(() => icc([[2, 2], [2, 2], [2, 2]]))).toBe('E_DEGENERATE');
    expect(code(() => icc(sf, { agreementMethod: 'spss' as never }))).toBe('E_INVALID_OPTION');
    expect(code(() => icc(sf, { confidence: 95 }))).toBe('E_INVALID_OPTION');
  });
  it('kappa: a rater who gives one grade to everything → κ = 0 identically, SEs 0, flagged; both constant → E_DEGENERATE', () => {
    const a = [2, 2, 2, 2, 2, 2, 2, 2];
    const b = [0, 1, 2, 2, 3, 4, 2, 1];
    for (const weights of ['unweighted', 'linear', 'quadratic'] as const) {
      const r = cohenKappa(a, b, [0, 1, 2, 3, 4], { weights });
      expect(r.kappa).toBeCloseTo(0, 12);
      expect(r.flags.map((f) => f.code)).toEqual(['kappa_constant_rater']);
      expect(r.p).toBe(1);
      noNaN(r);
    }
    expect(cohenKappa(b, b, [0, 1, 2, 3, 4]).flags).toEqual([]);
    expect(code(() => cohenKappa([2, 2, 2], [2, 2, 2], [0, 1, 2, 3, 4]))).toBe('E_DEGENERATE');
  });
  it('kappa: mismatched lengths, a grade outside the declared categories, missing pairs dropped and counted', () => {
    expect(code(() => cohenKappa([1, 2, 3], [1, 2], [1, 2, 3]))).toBe('E_BAD_RATINGS');
    expect(code(() => cohenKappa([1, 2, 7], [1, 2, 3], [1, 2, 3]))).toBe('E_BAD_RATINGS');
    const r = cohenKappa([1, 2, null, 3, 1], [1, 2, 3, 3, 2], [1, 2, 3]);
    expect(r.dropped).toBe(1);
    // grades read from CSV as strings match numeric categories
    expect(cohenKappa(['1', '2', '3', '3', '1'], [1, 2, 3, 3, 2], [1, 2, 3] as (number | string)[]).kappa).toBeCloseTo(cohenKappa([1, 2, 3, 3, 1], [1, 2, 3, 3, 2], [1, 2, 3]).kappa, 14);
    expect(r.n).toBe(4);
    expect(code(() => cohenKappaTable([[1, 2], [3]]))).toBe('E_BAD_RATINGS');
    expect(code(() => cohenKappaTable([[0, 0], [0, 0]]))).toBe('E_DEGENERATE');
    expect(code(() => cohenKappaTable([[1, 2], [3, 4]], { weights: [[1, 2], [2, 1]] }))).toBe('E_INVALID_OPTION');
  });
  it("Fleiss: unequal raters per subject, missing rating, one subject; an unused category has used = false, κ_j null", () => {
    expect(code(() => fleissKappa([[1, 2], [2, 2]]))).toBe('E_BAD_RATINGS');
    expect(code(() => fleissKappa([[1, 2]]))).toBe('E_DEGENERATE');
    expect(code(() => fleissKappaFromRatings([[1, null], [1, 2]], [1, 2]))).toBe('E_BAD_RATINGS');
    const r = fleissKappaFromRatings([[1, 1, 2], [2, 2, 2], [1, 2, 1], [1, 1, 1]], [1, 2, 3]);
    expect(r.perCategory[2]).toMatchObject({ used: false, kappa: null });
    noNaN(r);
  });
  it("Krippendorff: no pairable unit, no variation", () => {
    expect(code(() => krippendorffAlpha([[1, null], [null, 2]]))).toBe('E_DEGENERATE');
    expect(code(() => krippendorffAlpha([[1, 1], [1, 1]]))).toBe('E_DEGENERATE');
    expect(code(() => krippendorffAlpha([[1, 'a'], [2, 2]], { level: 'interval' }))).toBe('E_BAD_RATINGS');
  });
  it('rank statistics, CCC and Bland–Altman: zero variance, too few pairs, mismatched lengths, missing', () => {
    expect(code(() => spearman([1, 1, 1, 1], [1, 2, 3, 4]))).toBe('E_DEGENERATE');
    expect(code(() => kendallTauB([1, 2, 3, 4], [5, 5, 5, 5]))).toBe('E_DEGENERATE');
    expect(code(() => kendallW([[1, 1], [1, 1], [1, 1]]))).toBe('E_DEGENERATE');
    expect(code(() => linCcc([1, 2, 3], [4, 4, 4]))).toBe('E_DEGENERATE');
    expect(code(() => linCcc([1, 2, 3], [1, 2, 3]))).toBe('E_DEGENERATE');
    expect(code(() => linCcc([1, 2], [1, 2]))).toBe('E_DEGENERATE');
    expect(code(() => blandAltman([1, 2, 3], [1, 2]))).toBe('E_BAD_RATINGS');
    expect(code(() => blandAltman([1, 2, 3], [1, NaN, 3]))).toBe('E_BAD_RATINGS');
    expect(code(() => blandAltman([1, 2, 3], [0, 1, 2]))).toBe('E_DEGENERATE');
    expect(code(() => polyserial([1, 2, 3, 4], [2, 2, 2, 2]))).toBe('E_DEGENERATE');
    expect(code(() => polyserial([1, 1, 1, 1], [1, 2, 2, 3]))).toBe('E_DEGENERATE');
  });
  it('pivotRatings: duplicate subject × rater is an error, gaps become null', () => {
    const t = pivotRatings([
      { subject: 's1', rater: 'A', value: 1 },
      { subject: 's1', rater: 'B', value: 2 },
      { subject: 's2', rater: 'A', value: 3 },
    ]);
    expect(t.matrix).toEqual([[1, 2], [3, null]]);
    expect(code(() => pivotRatings([{ subject: 's1', rater: 'A', value: 1 }, { subject: 's1', rater: 'A', value: 2 }]))).toBe('E_BAD_RATINGS');
  });
});

describe('ordinal calibration: degenerate fits', () => {
  const score = Array.from({ length: 50 }, (_, i) => i * 2);
  it('a grade never given → E_DEGENERATE naming it', () => {
    const grades = score.map((s) => (s < 30 ? 0 : s < 60 ? 1 : 3)); // grades 2 and 4 unused
    const e = (() => {
      try {
        fitCalibration({ grades, predictors: { score } }, { scale: ERYTHEMA_0_4 });
      } catch (err) {
        return err as DermametricsError;
      }
    })();
    expect(e?.code).toBe('E_DEGENERATE');
    expect(e?.details.emptyCategories).toEqual([2, 4]);
  });
  it('complete separation (score orders the grades perfectly) → E_DEGENERATE', () => {
    const grades = score.map((s) => Math.min(4, Math.floor(s / 20)));
    expect(code(() => fitCalibration({ grades, predictors: { score } }, { scale: ERYTHEMA_0_4 }))).toBe('E_DEGENERATE');
  });
  it('quasi-separation: one reader gives grade 0 to everything, so the reader offset runs to −∞ → E_DEGENERATE', () => {
    const rows = score.flatMap((s, i) => ['A', 'B', 'C'].map((r, k) => ({ s, r, g: r === 'C' ? 0 : Math.max(0, Math.min(4, Math.floor(s / 20 + [-1, 0, 1, 0.5, -0.5][(i + k) % 5]))) })));
    const data = { grades: rows.map((x) => x.g), predictors: { score: rows.map((x) => x.s) }, factors: { rater: rows.map((x) => x.r) } };
    expect(code(() => fitCalibration(data, { scale: ERYTHEMA_0_4 }))).toBe('E_DEGENERATE');
    // without the reader factor the same data fit fine (the constant reader just adds noise)
    expect(fitCalibration({ grades: data.grades, predictors: data.predictors }, { scale: ERYTHEMA_0_4 }).coefficients[0].estimate).toBeGreaterThan(0);
  });
  it('collinear or constant predictors → E_DEGENERATE', () => {
    const g = score.map((s, i) => Math.max(0, Math.min(4, Math.floor(s / 20 + [-1, 0, 1, 0.5, -0.5][i % 5]))));
    expect(code(() => fitCalibration({ grades: g, predictors: { a: score, b: score.map((v) => 2 * v + 1) } }, { scale: ERYTHEMA_0_4 }))).toBe('E_DEGENERATE');
    expect(code(() => fitCalibration({ grades: g, predictors: { a: score, c: score.map(() => 3) } }, { scale: ERYTHEMA_0_4 }))).toBe('E_DEGENERATE');
    // a reader factor identical to a visit factor
    const f = score.map((_, i) => (i % 2 ? 'x' : 'y'));
    expect(code(() => fitCalibration({ grades: g, predictors: { score }, factors: { rater: f, visit: f } }, { scale: ERYTHEMA_0_4 }))).toBe('E_DEGENERATE');
  });
  it('bad rows: grade off the scale, NaN score, mismatched lengths, one-level factor, tiny data', () => {
    expect(code(() => fitCalibration({ grades: [0, 1, 5], predictors: { score: [1, 2, 3] } }, { scale: ERYTHEMA_0_4 }))).toBe('E_BAD_RATINGS');
    expect(code(() => fitCalibration({ grades: [0, 1, 2], predictors: { score: [1, NaN, 3] } }, { scale: ERYTHEMA_0_4 }))).toBe('E_BAD_RATINGS');
    expect(code(() => fitCalibration({ grades: [0, 1, 2], predictors: { score: [1, 2] } }, { scale: ERYTHEMA_0_4 }))).toBe('E_BAD_RATINGS');
    expect(code(() => fitCalibration({ grades: [0, 1], predictors: { score: [1, 2] }, factors: { rater: ['A', 'A'] } }, { scale: { name: 'x', levels: [0, 1] } }))).toBe('E_DEGENERATE');
    expect(code(() => fitCalibration({ grades: [0, 1], predictors: { score: [1, 2] } }, { scale: { name: 'x', levels: [0, 1] } }))).toBe('E_DEGENERATE');
    expect(code(() => fitCalibration({ grades: [0, 1], predictors: { score: [1, 2] } }, { scale: { name: 'x', levels: [0] } as never }))).toBe('E_INVALID_OPTION');
  });
  it('cross-validation with too many folds for the rarest grade → E_DEGENERATE saying to use fewer folds', () => {
    const g = score.map((s, i) => (i === 49 ? 2 : [0, 1, 0, 1, 1][i % 5]));
    const sc = score.map((s, i) => s + (i % 3) * 15);
    expect(code(() => crossValidateCalibration({ grades: g, predictors: { score: sc } }, { scale: { name: 'x', levels: [0, 1, 2] }, folds: 5 }))).toBe('E_DEGENERATE');
  });
});

describe('calibration JSON validation on load', () => {
  const s = Array.from({ length: 60 }, (_, i) => i);
  const g = s.map((v, i) => Math.max(0, Math.min(4, Math.round(v / 15 + [-1, 0, 1, 0.4, -0.4][i % 5]))));
  const cal = fitCalibration({ grades: g, predictors: { score: s }, factors: { rater: s.map((_, i) => `R${i % 3}`) } }, { scale: ERYTHEMA_0_4 });
  const mutate = (fn: (c: Record<string, unknown>) => void) => {
    const c = JSON.parse(JSON.stringify(cal));
    fn(c);
    try {
      loadCalibration(c);
    } catch (e) {
      return `${(e as DermametricsError).code} ${(e as DermametricsError).details.option}`;
    }
    return 'accepted';
  };
  it('accepts its own output and rejects tampered fields, naming them', () => {
    expect(mutate(() => {})).toBe('accepted');
    expect(mutate((c) => (c.format = 'other'))).toBe('E_INVALID_OPTION calibration.format');
    expect(mutate((c) => (c.version = 2))).toBe('E_INVALID_OPTION calibration.version');
    expect(mutate((c) => ((c.thresholds as { estimate: number }[])[2].estimate = -100))).toBe('E_INVALID_OPTION calibration.thresholds[2].estimate');
    expect(mutate((c) => ((c.coefficients as { estimate: unknown }[])[0].estimate = 'x'))).toBe('E_INVALID_OPTION calibration.coefficients[0].estimate');
    expect(mutate((c) => (c.coefficients as unknown[]).pop())).toBe('E_INVALID_OPTION calibration.coefficients');
    expect(mutate((c) => (c.vcov = [[1]]))).toBe('E_INVALID_OPTION calibration.vcov');
    expect(mutate((c) => (c.thresholds as unknown[]).pop())).toBe('E_INVALID_OPTION calibration.thresholds');
    expect(code(() => loadCalibration('{not json'))).toBe('E_INVALID_OPTION');
  });
  it('predictGrade: unknown rater is an error; omitted rater = average reader; wrong score shape is an error', () => {
    expect(code(() => predictGrade(cal, 30, { rater: 'R9' }))).toBe('E_BAD_RATINGS');
    const p = predictGrade(cal, 30);
    noNaN(p);
    expect(code(() => predictGrade(cal, { other: 3 }))).toBe('E_INVALID_OPTION');
    expect(code(() => predictGrade(cal, NaN))).toBe('E_INVALID_OPTION');
  });
});
