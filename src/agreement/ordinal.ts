import { CholeskyDecomposition, EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { DermametricsError } from '../errors';

/**
 * Proportional-odds cumulative logit model [McCullagh1980]
 *   logit P(Y ≤ j | x) = θ_j − xᵀβ,  j = 0 … J−2,
 * the parameterisation of MASS::polr and ordinal::clm (positive β → higher grades). Fitted by Newton–Raphson on
 * the exact log-likelihood with analytic gradient and Hessian [Agresti2010] §3.4; SEs from the observed information
 * (inverse negative Hessian at the optimum), as clm.
 */
export interface OrdinalFit {
  /** observations and categories */
  n: number;
  J: number;
  /** θ_0 < … < θ_{J−2} */
  thresholds: number[];
  beta: number[];
  /** SEs in the order thresholds then beta */
  seThresholds: number[];
  seBeta: number[];
  /** covariance of (θ, β) (inverse observed information) */
  vcov: number[][];
  logLik: number;
  iterations: number;
  maxGradient: number;
  /** condition number of the observed information */
  conditionNumber: number;
}

export interface OrdinalFitOptions {
  maxIterations?: number;
  /** convergence: max |gradient| below this (default 1e-10) */
  gradientTolerance?: number;
}

// numerically stable logistic pieces
const plogis = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** P(Y = c) for each category given thresholds and linear predictor η, with F(θ_j − η). */
export function cumulativeLogitProbabilities(thresholds: ArrayLike<number>, eta: number): number[] {
  const J = thresholds.length + 1;
  const out: number[] = [];
  let prevF = 0;
  let prevS = 1; // survival 1 − F, for accurate differences in the upper tail
  for (let c = 0; c < J; c++) {
    const F = c < J - 1 ? plogis(thresholds[c] - eta) : 1;
    const S = c < J - 1 ? plogis(eta - thresholds[c]) : 0;
    out.push(F < 0.5 ? F - prevF : prevS - S);
    prevF = F;
    prevS = S;
  }
  return out;
}

interface Eval {
  ll: number;
  g: Float64Array;
  H: Float64Array; // d×d row-major (Hessian of log-likelihood)
  minPObs: number;
}

function evaluate(y: Int32Array, X: Float64Array[], J: number, P: number, phi: Float64Array, withDerivs: boolean): Eval {
  const d = J - 1 + P;
  const g = new Float64Array(d);
  const H = new Float64Array(withDerivs ? d * d : 0);
  let ll = 0;
  let minPObs = 1;
  const da = new Float64Array(d);
  const db = new Float64Array(d);
  const gi = new Float64Array(d);
  for (let i = 0; i < y.length; i++) {
    const c = y[i];
    const xi = X[i];
    let eta = 0;
    for (let k = 0; k < P; k++) eta += xi[k] * phi[J - 1 + k];
    const hasA = c < J - 1;
    const hasB = c > 0;
    const a = hasA ? phi[c] - eta : Infinity;
    const b = hasB ? phi[c - 1] - eta : -Infinity;
    const Fa = hasA ? plogis(a) : 1;
    const Fb = hasB ? plogis(b) : 0;
    const Sa = hasA ? plogis(-a) : 0;
    const Sb = hasB ? plogis(-b) : 1;
    const p = Fa < 0.5 ? Fa - Fb : Sb - Sa; // [Agresti2010] eq. (3.5)
    if (!(p > 0)) return { ll: -Infinity, g, H, minPObs: 0 };
    ll += Math.log(p);
    if (p < minPObs) minPObs = p;
    if (!withDerivs) continue;
    const fa = Fa * Sa; // logistic density
    const fb = Fb * Sb;
    const fpa = fa * (Sa - Fa); // f'(z) = f(z)(1 − 2F(z))
    const fpb = fb * (Sb - Fb);
    da.fill(0);
    db.fill(0);
    if (hasA) da[c] = 1;
    if (hasB) db[c - 1] = 1;
    for (let k = 0; k < P; k++) {
      da[J - 1 + k] = -xi[k];
      db[J - 1 + k] = -xi[k];
    }
    const ip = 1 / p;
    for (let r = 0; r < d; r++) gi[r] = (fa * da[r] - fb * db[r]) * ip;
    const ca = fpa * ip;
    const cb = fpb * ip;
    for (let r = 0; r < d; r++) {
      g[r] += gi[r];
      const row = r * d;
      const ar = ca * da[r];
      const br = cb * db[r];
      const gr = gi[r];
      for (let s = r; s < d; s++) H[row + s] += ar * da[s] - br * db[s] - gr * gi[s]; // upper triangle
    }
  }
  if (withDerivs) for (let r = 0; r < d; r++) for (let s = 0; s < r; s++) H[r * d + s] = H[s * d + r];
  return { ll, g, H, minPObs };
}

/**
 * Fit the cumulative logit model to categories y (integers 0 … J−1, every category observed) and a design matrix X
 * (n × P, no intercept column: the thresholds are the intercepts).
 * @throws DermametricsError E_DEGENERATE on an unobserved category, a rank-deficient design, separation (the
 *   maximum-likelihood estimate does not exist: some threshold or coefficient runs to ±∞) or non-convergence.
 */
export function fitCumulativeLogit(y: ArrayLike<number>, X: ArrayLike<ArrayLike<number>>, J: number, options: OrdinalFitOptions = {}): OrdinalFit {
  const n = y.length;
  const maxIter = options.maxIterations ?? 200;
  const tol = options.gradientTolerance ?? 1e-10;
  if (X.length !== n) throw new DermametricsError('E_BAD_RATINGS', `design has ${X.length} rows but there are ${n} grades`, {});
  const P = n > 0 ? X[0].length : 0;
  const yi = new Int32Array(n);
  const counts = new Array<number>(J).fill(0);
  const Xr: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    const v = y[i];
    if (!Number.isInteger(v) || v < 0 || v >= J) throw new DermametricsError('E_BAD_RATINGS', `grade index ${v} at row ${i} is outside 0..${J - 1}`, { row: i });
    yi[i] = v;
    counts[v]++;
    const row = Float64Array.from(X[i] as ArrayLike<number>);
    if (row.length !== P || row.some((t) => !Number.isFinite(t))) throw new DermametricsError('E_BAD_RATINGS', `design row ${i} is not ${P} finite numbers`, { row: i });
    Xr.push(row);
  }
  const empty = counts.map((c, j) => (c === 0 ? j : -1)).filter((j) => j >= 0);
  if (empty.length) {
    throw new DermametricsError(
      'E_DEGENERATE',
      `grade(s) at position ${empty.join(', ')} of the scale were never given, so their thresholds cannot be estimated; collect more data or merge adjacent grades into a shorter scale`,
      { emptyCategories: empty, counts },
    );
  }
  if (J < 2) throw new DermametricsError('E_DEGENERATE', 'an ordinal model needs at least 2 grades', {});
  const d = J - 1 + P;
  if (n <= d) throw new DermametricsError('E_DEGENERATE', `${n} observations are too few for ${d} parameters`, { n, parameters: d });
  // the design must have full column rank after centring (the thresholds act as the intercept)
  if (P > 0) {
    const means = new Float64Array(P);
    for (const row of Xr) for (let k = 0; k < P; k++) means[k] += row[k] / n;
    const C = new Matrix(P, P);
    for (const row of Xr)
      for (let r = 0; r < P; r++)
        for (let s = r; s < P; s++) C.set(r, s, C.get(r, s) + (row[r] - means[r]) * (row[s] - means[s]));
    for (let r = 0; r < P; r++) {
      if (!(C.get(r, r) > 1e-12 * n * Math.max(1, means[r] * means[r]))) {
        throw new DermametricsError('E_DEGENERATE', `predictor column ${r + 1} is constant; it cannot be told apart from the thresholds (remove it)`, { column: r });
      }
      for (let s = 0; s < r; s++) C.set(r, s, C.get(s, r));
    }
    const scaled = new Matrix(P, P);
    for (let r = 0; r < P; r++) for (let s = 0; s < P; s++) scaled.set(r, s, C.get(r, s) / Math.sqrt(C.get(r, r) * C.get(s, s)));
    const ev = new EigenvalueDecomposition(scaled, { assumeSymmetric: true }).realEigenvalues;
    if (!(Math.min(...ev) > 1e-10)) {
      throw new DermametricsError('E_DEGENERATE', 'the predictors are collinear (one is a linear combination of the others, e.g. a reader factor that coincides with a visit factor); remove or merge terms', {
        smallestEigenvalue: Math.min(...ev),
      });
    }
  }
  // start: thresholds at the marginal cumulative logits, β = 0
  const phi = new Float64Array(d);
  let cum = 0;
  for (let j = 0; j < J - 1; j++) {
    cum += counts[j];
    phi[j] = Math.log(cum / (n - cum));
  }
  let cur = evaluate(yi, Xr, J, P, phi, true);
  let iter = 0;
  let maxG = Infinity;
  for (; iter < maxIter; iter++) {
    maxG = cur.g.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    if (maxG < tol) break;
    // Newton direction: (−H) Δ = g, with a ridge if −H is not positive definite
    const negH = new Matrix(d, d);
    for (let r = 0; r < d; r++) for (let s = 0; s < d; s++) negH.set(r, s, -cur.H[r * d + s]);
    let step: Float64Array | null = null;
    for (let ridge = 0, t = 0; t < 30; t++, ridge = ridge === 0 ? 1e-8 : ridge * 10) {
      const A = negH.clone();
      for (let r = 0; r < d; r++) A.set(r, r, A.get(r, r) + ridge * Math.max(1, Math.abs(A.get(r, r))));
      const ch = new CholeskyDecomposition(A);
      if (!ch.isPositiveDefinite()) continue;
      const sol = ch.solve(Matrix.columnVector(Array.from(cur.g)));
      step = Float64Array.from(sol.getColumn(0));
      break;
    }
    if (!step) throw new DermametricsError('E_DEGENERATE', 'ordinal fit failed: the information matrix is singular (collinear predictors?)', {});
    // step-halving: keep thresholds ordered and the log-likelihood from falling
    let s = 1;
    let accepted = false;
    for (let h = 0; h < 60; h++, s /= 2) {
      const trial = Float64Array.from(phi, (v, k) => v + s * step![k]);
      let ordered = true;
      for (let j = 1; j < J - 1; j++) if (!(trial[j] > trial[j - 1])) ordered = false;
      if (!ordered) continue;
      const ev = evaluate(yi, Xr, J, P, trial, false);
      if (ev.ll >= cur.ll - 1e-12 * Math.abs(cur.ll)) {
        phi.set(trial);
        accepted = true;
        break;
      }
    }
    cur = evaluate(yi, Xr, J, P, phi, true);
    if (!accepted) break;
  }
  maxG = cur.g.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const info = new Matrix(d, d);
  for (let r = 0; r < d; r++) for (let s = 0; s < d; s++) info.set(r, s, -cur.H[r * d + s]);
  // condition number of the scaled (unit-diagonal) information, so predictor units do not matter
  let cond = Infinity;
  const diag = Array.from({ length: d }, (_, r) => info.get(r, r));
  if (diag.every((v) => v > 0)) {
    const scaled = new Matrix(d, d);
    for (let r = 0; r < d; r++) for (let s = 0; s < d; s++) scaled.set(r, s, info.get(r, s) / Math.sqrt(diag[r] * diag[s]));
    const ev = new EigenvalueDecomposition(scaled, { assumeSymmetric: true }).realEigenvalues;
    const mn = Math.min(...ev);
    cond = mn > 0 ? Math.max(...ev) / mn : Infinity;
  }
  const params = Array.from(phi);
  // separation: the MLE runs off to infinity; at the stopping point some SE is astronomically large on the logit
  // scale (thresholds directly, coefficients per SD of their predictor)
  const ch0 = cond < 1e14 ? new CholeskyDecomposition(info) : null;
  let seLogit = Infinity;
  if (ch0 && ch0.isPositiveDefinite()) {
    const inv = ch0.solve(Matrix.eye(d, d));
    seLogit = 0;
    for (let r = 0; r < d; r++) {
      let scale = 1;
      if (r >= J - 1) {
        const k = r - (J - 1);
        let m = 0;
        for (const row of Xr) m += row[k] / n;
        let v = 0;
        for (const row of Xr) v += (row[k] - m) ** 2 / n;
        scale = Math.sqrt(v);
      }
      seLogit = Math.max(seLogit, Math.sqrt(Math.max(0, inv.get(r, r))) * scale);
    }
  }
  const separated = !(seLogit < 1e3) || cur.minPObs > 1 - 1e-9 || params.some((v) => !Number.isFinite(v)) || !(maxG < Math.max(tol, 1e-6));
  if (separated) {
    throw new DermametricsError(
      'E_DEGENERATE',
      'the ordinal model has no finite maximum-likelihood estimate: the grades are (quasi-)completely separated by the predictors (or the fit did not converge). The cut-points are not identifiable; collect data where neighbouring grades overlap in score, or merge grades',
      { iterations: iter, maxGradient: maxG, conditionNumber: cond, largestSeLogitScale: seLogit, minFittedProbability: cur.minPObs, parameters: params },
    );
  }
  const ch = new CholeskyDecomposition(info);
  const vcovM = ch.solve(Matrix.eye(d, d));
  const vcov = vcovM.to2DArray().map((r, i) => r.map((v, j) => (i === j ? v : (v + vcovM.get(j, i)) / 2)));
  const se = vcov.map((r, i) => Math.sqrt(r[i]));
  return {
    n,
    J,
    thresholds: params.slice(0, J - 1),
    beta: params.slice(J - 1),
    seThresholds: se.slice(0, J - 1),
    seBeta: se.slice(J - 1),
    vcov,
    logLik: cur.ll,
    iterations: iter,
    maxGradient: maxG,
    conditionNumber: cond,
  };
}
