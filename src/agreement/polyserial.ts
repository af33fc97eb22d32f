import { DermametricsError } from '../errors';
import { normalCdf, normalPdf, normalQuantile } from './distributions';
import { mean, pairedVectors, variance } from './validate';

export interface PolyserialResult {
  n: number;
  method: 'two-step' | 'ml';
  /** polyserial correlation between the continuous x and the latent normal variable behind the ordinal y */
  rho: number;
  /** SE from the observed information (numerical second derivatives of the log-likelihood) */
  se: number;
  /** thresholds of the latent variable on the standard-normal scale (fixed from the margins for 'two-step') */
  cuts: number[];
  /** the distinct ordinal values, in order */
  levels: number[];
  logLik: number;
}

/**
 * Polyserial correlation [OlssonDrasgowDorans1982] between a continuous score x and an ordinal grade y, as
 * polycor::polyserial(std.err = TRUE): 'two-step' fixes the cuts at Φ⁻¹ of the cumulative marginal proportions
 * and maximises the likelihood in ρ; 'ml' maximises over ρ and the cuts jointly. x is standardised with the n−1 SD.
 * @throws DermametricsError E_DEGENERATE (y has one level, x constant), E_BAD_RATINGS
 */
export function polyserial(x: ArrayLike<number>, y: ArrayLike<number>, options: { ml?: boolean } = {}): PolyserialResult {
  const [a, b] = pairedVectors('x', x, 'y', y, 3);
  const n = a.length;
  const mx = mean(a);
  const sx = Math.sqrt(variance(a));
  if (!(sx > 0)) throw new DermametricsError('E_DEGENERATE', 'polyserial correlation undefined: the score is constant', {});
  const levels = [...new Set(b)].sort((p, q) => p - q);
  const s = levels.length;
  if (s < 2) throw new DermametricsError('E_DEGENERATE', 'polyserial correlation undefined: every grade is the same', {});
  const yi = Int32Array.from(b, (v) => levels.indexOf(v));
  const z = Float64Array.from(a, (v) => (v - mx) / sx);
  const counts = new Array<number>(s).fill(0);
  for (const v of yi) counts[v]++;
  const cuts0: number[] = [];
  let cum = 0;
  for (let j = 0; j < s - 1; j++) {
    cum += counts[j];
    cuts0.push(normalQuantile(cum / n));
  }
  // log-likelihood [OlssonDrasgowDorans1982] eq. (5): Σ log φ(z_i) + log[Φ(τ*_{y_i}) − Φ(τ*_{y_i − 1})]
  const ll = (rho: number, cuts: number[]): number => {
    if (!(Math.abs(rho) < 1)) return -Infinity;
    for (let j = 1; j < cuts.length; j++) if (!(cuts[j] > cuts[j - 1])) return -Infinity;
    const r = Math.sqrt(1 - rho * rho);
    let L = 0;
    for (let i = 0; i < n; i++) {
      const c = yi[i];
      const hi = c < s - 1 ? (cuts[c] - rho * z[i]) / r : Infinity;
      const lo = c > 0 ? (cuts[c - 1] - rho * z[i]) / r : -Infinity;
      const p = hi < 0 ? normalCdf(hi) - normalCdf(lo) : normalCdf(-lo) - normalCdf(-hi);
      L += Math.log(normalPdf(z[i])) + Math.log(p);
    }
    return L;
  };
  const ml = options.ml ?? false;
  const f = (v: number[]) => ll(v[0], ml ? v.slice(1) : cuts0);
  // start as polycor: ρ0 = √((n−1)/n)·sd(y)·r(x, y)/Σ φ(τ_j)
  let sxy = 0;
  const my = mean(Float64Array.from(yi));
  for (let i = 0; i < n; i++) sxy += z[i] * (yi[i] - my);
  const sy = Math.sqrt(variance(Float64Array.from(yi)));
  const r0 = sxy / (n - 1) / sy;
  let rho0 = (Math.sqrt((n - 1) / n) * sy * r0) / cuts0.reduce((t, c) => t + normalPdf(c), 0);
  rho0 = Math.max(-0.99, Math.min(0.99, rho0));
  let v = ml ? [rho0, ...cuts0] : [rho0];
  // Newton–Raphson with central-difference derivatives and step-halving
  const d = v.length;
  const h = 1e-5;
  const grad = (p: number[]) =>
    p.map((_, k) => {
      const up = p.slice();
      const dn = p.slice();
      up[k] += h;
      dn[k] -= h;
      return (f(up) - f(dn)) / (2 * h);
    });
  const hess = (p: number[]) => {
    const H = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    const f0 = f(p);
    const hh = 1e-4;
    for (let r = 0; r < d; r++)
      for (let c = r; c < d; c++) {
        let val: number;
        if (r === c) {
          const up = p.slice();
          const dn = p.slice();
          up[r] += hh;
          dn[r] -= hh;
          val = (f(up) - 2 * f0 + f(dn)) / (hh * hh);
        } else {
          const pp = p.slice();
          const pm = p.slice();
          const mp = p.slice();
          const mm = p.slice();
          pp[r] += hh; pp[c] += hh;
          pm[r] += hh; pm[c] -= hh;
          mp[r] -= hh; mp[c] += hh;
          mm[r] -= hh; mm[c] -= hh;
          val = (f(pp) - f(pm) - f(mp) + f(mm)) / (4 * hh * hh);
        }
        H[r][c] = val;
        H[c][r] = val;
      }
    return H;
  };
  const solve = (A: number[][], g: number[]): number[] => {
    // Gaussian elimination with partial pivoting (d ≤ ~10)
    const M = A.map((row, i) => [...row, g[i]]);
    for (let col = 0; col < d; col++) {
      let piv = col;
      for (let r = col + 1; r < d; r++) if (Math.abs(M[r][col]) > Math.abs(M[piv][col])) piv = r;
      [M[col], M[piv]] = [M[piv], M[col]];
      for (let r = col + 1; r < d; r++) {
        const fct = M[r][col] / M[col][col];
        for (let c = col; c <= d; c++) M[r][c] -= fct * M[col][c];
      }
    }
    const out = new Array<number>(d).fill(0);
    for (let r = d - 1; r >= 0; r--) {
      let t = M[r][d];
      for (let c = r + 1; c < d; c++) t -= M[r][c] * out[c];
      out[r] = t / M[r][r];
    }
    return out;
  };
  let cur = f(v);
  for (let it = 0; it < 100; it++) {
    const g = grad(v);
    if (Math.max(...g.map(Math.abs)) < 1e-10 * Math.max(1, Math.abs(cur))) break;
    const H = hess(v);
    let step = solve(H.map((r) => r.map((t) => -t)), g);
    if (step.some((t) => !Number.isFinite(t))) step = g.map((t) => t * 1e-3);
    let accepted = false;
    let size = 0;
    for (let sc = 1, k = 0; k < 30; k++, sc /= 2) {
      const trial = v.map((t, i) => t + sc * step[i]);
      const ft = f(trial);
      if (ft >= cur) {
        size = Math.max(...step.map((t) => Math.abs(sc * t)));
        v = trial;
        cur = ft;
        accepted = true;
        break;
      }
    }
    // stop when Newton no longer moves the estimate (finite-difference gradients bottom out near 1e-8·|logLik|)
    if (!accepted || size < 1e-10) break;
  }
  if (!(Math.abs(v[0]) < 0.9999)) {
    throw new DermametricsError('E_DEGENERATE', 'polyserial correlation is at ±1 (the grades are perfectly ordered by the score)', { rho: v[0] });
  }
  const H = hess(v);
  // SE of ρ: [(−H)⁻¹]_00
  const e0 = solve(H.map((r) => r.map((t) => -t)), v.map((_, i) => (i === 0 ? 1 : 0)));
  return { n, method: ml ? 'ml' : 'two-step', rho: v[0], se: Math.sqrt(e0[0]), cuts: ml ? v.slice(1) : cuts0, levels, logLik: cur };
}
