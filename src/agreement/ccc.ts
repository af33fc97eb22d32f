import { DermametricsError } from '../errors';
import { normalQuantile } from './distributions';
import { confidenceOption, mean, pairedVectors } from './validate';

export interface CccResult {
  n: number;
  /** Lin's concordance correlation ρ_c = 2 s_xy / (s_x² + s_y² + (x̄ − ȳ)²), moments with denominator n [Lin1989] */
  ccc: number;
  /** Pearson r (precision) and bias-correction factor C_b = ρ_c / r (accuracy) */
  pearsonR: number;
  Cb: number;
  /** scale shift v = s_x/s_y and location shift u = (x̄ − ȳ)/√(s_x s_y) [Lin1989] */
  scaleShift: number;
  locationShift: number;
  /** asymptotic SE of ρ_c [Lin1989] eq. (7), and the Wald CI */
  se: number;
  confidence: number;
  ciAsymptotic: [number, number];
  /** CI from the Fisher z-transform of ρ_c [Lin1989] eq. (9) (epiR::epi.ccc ci = 'z-transform', the default) */
  lower: number;
  upper: number;
}

/**
 * Lin's concordance correlation coefficient between two methods/raters on the same subjects [Lin1989; Lin2000],
 * with the z-transform CI as epiR::epi.ccc.
 * @throws DermametricsError E_BAD_RATINGS (lengths, missing), E_DEGENERATE (< 3 pairs, zero variance, perfect
 *   correlation where the SE is 0)
 */
export function linCcc(x: ArrayLike<number>, y: ArrayLike<number>, options: { confidence?: number } = {}): CccResult {
  const conf = confidenceOption('options.confidence', options.confidence);
  const [a, b] = pairedVectors('x', x, 'y', y, 3);
  const n = a.length;
  const mx = mean(a);
  const my = mean(b);
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (a[i] - mx) ** 2;
    syy += (b[i] - my) ** 2;
    sxy += (a[i] - mx) * (b[i] - my);
  }
  sxx /= n;
  syy /= n;
  sxy /= n;
  if (!(sxx > 0) || !(syy > 0)) throw new DermametricsError('E_DEGENERATE', 'CCC undefined: one method gives the same value for every subject (zero variance)', {});
  const p = (2 * sxy) / (sxx + syy + (mx - my) ** 2); // [Lin1989] eq. (2)
  const r = sxy / Math.sqrt(sxx * syy);
  const u = (mx - my) / Math.sqrt(Math.sqrt(sxx * syy));
  const z = normalQuantile(1 - (1 - conf) / 2);
  if (Math.abs(p) >= 1 || Math.abs(r) >= 1) {
    throw new DermametricsError('E_DEGENERATE', 'CCC standard error undefined: the two methods agree perfectly (or are perfectly correlated)', { ccc: p, r });
  }
  // [Lin1989] eq. (7): variance of ρ_c
  const se = Math.sqrt(((1 - r * r) * p * p * (1 - p * p) / (r * r) + (2 * p ** 3 * (1 - p) * u * u) / r - (0.5 * p ** 4 * u ** 4) / (r * r)) / (n - 2));
  // [Lin1989] eq. (9): variance of the z-transform
  const t = Math.atanh(p);
  const set = Math.sqrt(
    (((1 - r * r) * p * p) / ((1 - p * p) * r * r) + (2 * p ** 3 * (1 - p) * u * u) / (r * (1 - p * p) ** 2) - (p ** 4 * u ** 4) / (2 * r * r * (1 - p * p) ** 2)) / (n - 2),
  );
  return {
    n,
    ccc: p,
    pearsonR: r,
    Cb: p / r,
    scaleShift: Math.sqrt(sxx / syy),
    locationShift: u,
    se,
    confidence: conf,
    ciAsymptotic: [p - z * se, p + z * se],
    lower: Math.tanh(t - z * set),
    upper: Math.tanh(t + z * set),
  };
}
