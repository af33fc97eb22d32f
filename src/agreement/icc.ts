import { DermametricsError, choiceOption } from '../errors';
import { fQuantile, fUpper } from './distributions';
import { completeMatrix, confidenceOption } from './validate';

/** The six forms, named as psych::ICC names them: ICC1 = ICC(1,1), ..., ICC3k = ICC(3,k). */
export type IccType = 'ICC1' | 'ICC2' | 'ICC3' | 'ICC1k' | 'ICC2k' | 'ICC3k';

export interface IccEstimate {
  type: IccType;
  /** Shrout & Fleiss label, e.g. 'ICC(2,1)', 'ICC(2,k)'. */
  label: string;
  /** McGraw & Wong (1996) name, e.g. 'ICC(A,1)' (two-way random, absolute agreement, single rater). */
  mcGrawWong: string;
  value: number;
  /** F statistic for H0: ICC = 0 and its degrees of freedom, and the upper-tail p-value. */
  F: number;
  df1: number;
  df2: number;
  p: number;
  lower: number;
  upper: number;
}

export interface IccMeanSquares {
  /** between-targets (rows) */
  BMS: number;
  /** within-targets (one-way residual) */
  WMS: number;
  /** between-judges (columns) */
  JMS: number;
  /** two-way residual */
  EMS: number;
  dfB: number;
  dfW: number;
  dfJ: number;
  dfE: number;
}

export interface IccResult {
  /** subjects (targets) */
  n: number;
  /** raters (judges) */
  k: number;
  confidence: number;
  meanSquares: IccMeanSquares;
  forms: Record<IccType, IccEstimate>;
  /** Which ICC(2,·) CI/p convention was used: 'psych' (McGraw & Wong; default) or 'irr'. */
  agreementMethod: 'psych' | 'irr';
}

export interface IccOptions {
  /** Confidence level of the intervals (default 0.95). */
  confidence?: number;
  /**
   * Degrees of freedom for the ICC(2,1)/ICC(2,k) (absolute agreement) intervals and p-values:
   * 'psych' (default): p from F(n−1, (n−1)(k−1)); both CIs use the Satterthwaite ν computed from ICC(2,1)
   *   [McGrawWong1996] (psych::ICC, SPSS).
   * 'irr': irr::icc; p and CI use ν, and for ICC(2,k) ν is recomputed from ICC(A,k).
   */
  agreementMethod?: 'psych' | 'irr';
}

/**
 * Intraclass correlations in the six forms of [ShroutFleiss1979] / [McGrawWong1996] with F tests and CIs, from a
 * complete subjects × raters matrix (rows = subjects/targets, columns = raters/judges). Matches psych::ICC.
 * @throws DermametricsError E_BAD_RATINGS (missing cell, ragged rows), E_DEGENERATE (< 2 subjects or raters,
 *   zero within-subject and between-subject variance)
 */
export function icc(ratings: ArrayLike<ArrayLike<number | null>>, options: IccOptions = {}): IccResult {
  const conf = confidenceOption('options.confidence', options.confidence);
  const method = choiceOption('options.agreementMethod', options.agreementMethod, ['psych', 'irr'] as const, 'psych');
  const x = completeMatrix('ratings', ratings, 2, 2);
  const n = x.length;
  const k = x[0].length;
  // two-way ANOVA sums of squares [ShroutFleiss1979] Table 1
  let grand = 0;
  const rowMean = new Float64Array(n);
  const colMean = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      rowMean[i] += x[i][j] / k;
      colMean[j] += x[i][j] / n;
      grand += x[i][j];
    }
  }
  grand /= n * k;
  let ssTotal = 0;
  let ssRows = 0;
  let ssCols = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) ssTotal += (x[i][j] - grand) ** 2;
  for (let i = 0; i < n; i++) ssRows += k * (rowMean[i] - grand) ** 2;
  for (let j = 0; j < k; j++) ssCols += n * (colMean[j] - grand) ** 2;
  const ssWithin = ssTotal - ssRows;
  const ssErr = ssTotal - ssRows - ssCols;
  const dfB = n - 1;
  const dfW = n * (k - 1);
  const dfJ = k - 1;
  const dfE = (n - 1) * (k - 1);
  const BMS = ssRows / dfB;
  const WMS = ssWithin / dfW;
  const JMS = ssCols / dfJ;
  const EMS = Math.max(0, ssErr) / dfE;
  if (!(WMS > 1e-300) || !(EMS > 1e-300)) {
    throw new DermametricsError(
      'E_DEGENERATE',
      WMS > 1e-300
        ? 'ICC F tests and CIs undefined: the residual mean square is 0 (the raters agree perfectly up to a constant offset per rater); report the ratings or percent agreement instead'
        : 'ICC undefined: every rater gave each subject the same rating (within-subject mean square is 0); report percent agreement instead',
      { BMS, WMS, JMS, EMS },
    );
  }
  const alpha = 1 - conf;
  const qU = (d1: number, d2: number) => fQuantile(1 - alpha / 2, d1, d2);

  // [ShroutFleiss1979] eq. (2), (4), (6) and their k-rater versions (Table 4 / eq. 11-13)
  const icc1 = (BMS - WMS) / (BMS + (k - 1) * WMS);
  const icc2 = (BMS - EMS) / (BMS + (k - 1) * EMS + (k * (JMS - EMS)) / n);
  const icc3 = (BMS - EMS) / (BMS + (k - 1) * EMS);
  const icc1k = (BMS - WMS) / BMS;
  const icc2k = (BMS - EMS) / (BMS + (JMS - EMS) / n);
  const icc3k = (BMS - EMS) / BMS;

  const F1 = BMS / WMS;
  const F3 = BMS / EMS;
  const p1 = fUpper(F1, dfB, dfW);
  const p3 = fUpper(F3, dfB, dfE);
  // one-way: [ShroutFleiss1979] eq. (3); [McGrawWong1996] Table 7 case 1
  const F1L = F1 / qU(dfB, dfW);
  const F1U = F1 * qU(dfW, dfB);
  // two-way mixed, consistency: [McGrawWong1996] Table 7 case 3
  const F3L = F3 / qU(dfB, dfE);
  const F3U = F3 * qU(dfE, dfB);
  const fj = JMS / EMS;
  // two-way random, absolute agreement: Satterthwaite ν [McGrawWong1996] Table 7 case 2A / [ShroutFleiss1979] eq. (5)
  const nuFor = (r: number, kk: number): number => {
    // irr::icc form of ν with a = k·r/(n(1−r)), b = 1 + k·r(n−1)/(n(1−r))
    const a = (kk * r) / (n * (1 - r));
    const b = 1 + (kk * r * (n - 1)) / (n * (1 - r));
    return (a * JMS + b * EMS) ** 2 / ((a * JMS) ** 2 / (k - 1) + (b * EMS) ** 2 / ((n - 1) * (k - 1)));
  };
  const vn = (k - 1) * (n - 1) * (k * icc2 * fj + n * (1 + (k - 1) * icc2) - k * icc2) ** 2;
  const vd = (n - 1) * k * k * icc2 * icc2 * fj * fj + (n * (1 + (k - 1) * icc2) - k * icc2) ** 2;
  const nu2 = method === 'psych' ? vn / vd : nuFor(icc2, k);
  const L2 = (n * (BMS - qU(dfB, nu2) * EMS)) / (qU(dfB, nu2) * (k * JMS + (k * n - k - n) * EMS) + n * BMS);
  const U2 = (n * (qU(nu2, dfB) * BMS - EMS)) / (k * JMS + (k * n - k - n) * EMS + n * qU(nu2, dfB) * BMS);
  let L2k: number;
  let U2k: number;
  let nu2k: number;
  if (method === 'psych') {
    nu2k = nu2;
    L2k = (L2 * k) / (1 + L2 * (k - 1)); // Spearman–Brown step-up of the ICC(2,1) bounds
    U2k = (U2 * k) / (1 + U2 * (k - 1));
  } else {
    nu2k = nuFor(icc2k, k); // irr plugs ICC(A,k) into the ICC(A,1) formula for a, b
    const FL = qU(dfB, nu2k);
    const FU = qU(nu2k, dfB);
    L2k = (n * (BMS - FL * EMS)) / (FL * (JMS - EMS) + n * BMS);
    U2k = (n * (FU * BMS - EMS)) / (JMS - EMS + n * FU * BMS);
  }
  const p2 = method === 'psych' ? p3 : fUpper(F3, dfB, nu2);
  const p2k = method === 'psych' ? p3 : fUpper(F3, dfB, nu2k);
  const df2a = method === 'psych' ? dfE : nu2;
  const df2ak = method === 'psych' ? dfE : nu2k;

  const mk = (type: IccType, label: string, mcGrawWong: string, value: number, F: number, df1: number, df2: number, p: number, lower: number, upper: number): IccEstimate => ({
    type, label, mcGrawWong, value, F, df1, df2, p, lower, upper,
  });
  return {
    n,
    k,
    confidence: conf,
    agreementMethod: method,
    meanSquares: { BMS, WMS, JMS, EMS, dfB, dfW, dfJ, dfE },
    forms: {
      ICC1: mk('ICC1', 'ICC(1,1)', 'ICC(1)', icc1, F1, dfB, dfW, p1, (F1L - 1) / (F1L + k - 1), (F1U - 1) / (F1U + k - 1)),
      ICC2: mk('ICC2', 'ICC(2,1)', 'ICC(A,1)', icc2, F3, dfB, df2a, p2, L2, U2),
      ICC3: mk('ICC3', 'ICC(3,1)', 'ICC(C,1)', icc3, F3, dfB, dfE, p3, (F3L - 1) / (F3L + k - 1), (F3U - 1) / (F3U + k - 1)),
      ICC1k: mk('ICC1k', 'ICC(1,k)', 'ICC(k)', icc1k, F1, dfB, dfW, p1, 1 - 1 / F1L, 1 - 1 / F1U),
      ICC2k: mk('ICC2k', 'ICC(2,k)', 'ICC(A,k)', icc2k, F3, dfB, df2ak, p2k, L2k, U2k),
      ICC3k: mk('ICC3k', 'ICC(3,k)', 'ICC(C,k)', icc3k, F3, dfB, dfE, p3, 1 - 1 / F3L, 1 - 1 / F3U),
    },
  };
}
