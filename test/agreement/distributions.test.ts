import { describe, expect, it } from 'vitest';
import {
  betaIncomplete,
  chiSquareCdf,
  chiSquareQuantile,
  fCdf,
  fQuantile,
  logGamma,
  noncentralTCdf,
  noncentralTQuantile,
  normalCdf,
  normalQuantile,
  tCdf,
  tQuantile,
} from '../../src/agreement/index';

// Checked against closed forms (ground truth independent of the code) and a few R values printed to 16 digits.
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe('distribution functions (~1e-10 or better)', () => {
  it('log-gamma: factorials and Γ(½) = √π', () => {
    for (let n = 1; n < 30; n++) {
      let f = 0;
      for (let k = 2; k < n; k++) f += Math.log(k);
      expect(Math.abs(logGamma(n) - f)).toBeLessThan(1e-12 * Math.max(1, f));
    }
    expect(Math.abs(logGamma(0.5) - 0.5 * Math.log(Math.PI))).toBeLessThan(1e-14);
  });
  it('normal: R pnorm/qnorm values, symmetry, round trip', () => {
    expect(rel(normalCdf(-1.96), 0.0249978951482204)).toBeLessThan(1e-12);
    expect(rel(normalCdf(-5), 2.866515718791939e-7)).toBeLessThan(1e-12);
    expect(rel(normalQuantile(0.975), 1.959963984540054)).toBeLessThan(1e-14);
    for (const p of [1e-12, 1e-6, 0.01, 0.3, 0.5, 0.8, 0.999]) expect(rel(normalCdf(normalQuantile(p)), p)).toBeLessThan(1e-12);
  });
  it('t: Cauchy (df 1) and df 2 closed forms; t² on (1, ν) is F; quantile round trip', () => {
    for (const t of [-30, -2, -0.5, 0.3, 1, 4, 50]) {
      expect(Math.abs(tCdf(t, 1) - (0.5 + Math.atan(t) / Math.PI))).toBeLessThan(1e-14);
      expect(Math.abs(tCdf(t, 2) - (0.5 + t / (2 * Math.sqrt(2 + t * t))))).toBeLessThan(1e-14);
      expect(Math.abs(fCdf(t * t, 1, 7) - (2 * tCdf(Math.abs(t), 7) - 1))).toBeLessThan(1e-13);
    }
    expect(rel(tQuantile(0.975, 1), Math.tan(Math.PI * 0.475))).toBeLessThan(1e-12);
    for (const df of [1, 2.5, 4.785, 16, 1000]) for (const p of [0.001, 0.025, 0.6, 0.975]) expect(rel(tCdf(tQuantile(p, df), df), p)).toBeLessThan(1e-11);
  });
  it('chi-square: df 2 is exponential, df 1 is a squared normal', () => {
    for (const x of [0.01, 0.5, 3, 20, 80]) {
      expect(Math.abs(chiSquareCdf(x, 2) - -Math.expm1(-x / 2))).toBeLessThan(1e-14);
      expect(Math.abs(chiSquareCdf(x, 1) - (2 * normalCdf(Math.sqrt(x)) - 1))).toBeLessThan(1e-14);
    }
    expect(rel(chiSquareQuantile(0.95, 1), normalQuantile(0.975) ** 2)).toBeLessThan(1e-13);
    for (const df of [1, 3, 19, 200]) for (const p of [0.01, 0.5, 0.95]) expect(rel(chiSquareCdf(chiSquareQuantile(p, df), df), p)).toBeLessThan(1e-11);
  });
  it('incomplete beta: I_x(1,1) = x, I_x(a,1) = x^a, symmetry; F quantile round trip', () => {
    for (const x of [0.01, 0.3, 0.77, 0.999]) {
      expect(Math.abs(betaIncomplete(1, 1, x).lower - x)).toBeLessThan(1e-15);
      expect(Math.abs(betaIncomplete(3.5, 1, x).lower - x ** 3.5)).toBeLessThan(1e-14);
      expect(Math.abs(betaIncomplete(2.2, 7.1, x).lower + betaIncomplete(7.1, 2.2, 1 - x).lower - 1)).toBeLessThan(1e-14);
    }
    for (const [a, b] of [[5, 15], [5, 4.785], [15, 5], [1, 1000]]) for (const p of [0.025, 0.975]) expect(rel(fCdf(fQuantile(p, a, b), a, b), p)).toBeLessThan(1e-11);
  });
  it('noncentral t: P(T ≤ 0) = Φ(−δ); δ = 0 is the central t; quantile round trip', () => {
    for (const d of [-3, 0.5, 2, 8.25]) expect(Math.abs(noncentralTCdf(0, 16, d) - normalCdf(-d))).toBeLessThan(1e-14);
    expect(Math.abs(noncentralTCdf(1.7, 9, 0) - tCdf(1.7, 9))).toBeLessThan(1e-15);
    // large df: T → N(δ, 1)
    expect(Math.abs(noncentralTCdf(2.5, 1e5, 2) - normalCdf(0.5))).toBeLessThan(1e-4);
    for (const p of [0.025, 0.975]) expect(rel(noncentralTCdf(noncentralTQuantile(p, 16, 8.246), 16, 8.246), p)).toBeLessThan(1e-10);
  });
});
