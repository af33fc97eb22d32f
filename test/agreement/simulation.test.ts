import { describe, expect, it } from 'vitest';
import { ERYTHEMA_0_4, cutPoints, factorEffects, fitCalibration, predictGrade, type CalibrationData } from '../../src/agreement/index';
import { createRng, type Rng } from '../../src/random';

/**
 * Simulated reader studies with KNOWN truth: each photo has an objective score; each reader's grade is the number of
 * true cut-points below score + reader offset + logistic noise (scale s). Then P(grade ≤ j) = F((c_j − score −
 * offset_r)/s), so the proportional-odds model holds with β = 1/s, and for the average reader (offsets sum to 0)
 * the cut-points on the score scale are exactly c_j.
 */
const CUTS = [20, 40, 60, 80];
const NOISE = 5;

function logistic(rng: Rng): number {
  let u = rng.next();
  while (u === 0) u = rng.next();
  return Math.log(u / (1 - u));
}

function simulate(rng: Rng, photos: number, offsets: Record<string, number>, visitDrift: Record<string, number> = { V1: 0 }): CalibrationData & { factors: Record<string, string[]> } {
  const grades: number[] = [];
  const score: number[] = [];
  const rater: string[] = [];
  const visit: string[] = [];
  for (const [v, drift] of Object.entries(visitDrift)) {
    for (let p = 0; p < photos; p++) {
      const s = rng.uniform(0, 100);
      for (const [r, off] of Object.entries(offsets)) {
        const latent = s + off + drift + NOISE * logistic(rng);
        grades.push(CUTS.filter((c) => c < latent).length);
        score.push(s);
        rater.push(r);
        visit.push(v);
      }
    }
  }
  return { grades, predictors: { score }, factors: { rater, visit } };
}


describe('simulated reader studies (seeded)', () => {
  it('95% CIs of the cut-points cover the true cut-points in about 95% of 200 studies', () => {
    const rng = createRng('agreement-coverage-2026');
    const runs = 200;
    let covered = 0;
    let intervals = 0;
    const perCut = [0, 0, 0, 0];
    for (let run = 0; run < runs; run++) {
      const d = simulate(rng, 60, { R1: -4, R2: 0, R3: 4 });
      const cal = fitCalibration({ grades: d.grades, predictors: d.predictors, factors: { rater: d.factors.rater } }, { scale: ERYTHEMA_0_4 });
      cutPoints(cal).forEach((c, j) => {
        intervals++;
        if (c.lower <= CUTS[j] && CUTS[j] <= c.upper) {
          covered++;
          perCut[j]++;
        }
      });
    }
    const coverage = covered / intervals;
    console.log(`cut-point 95% CI coverage: ${covered}/${intervals} = ${coverage.toFixed(4)}; per cut-point ${perCut.map((c) => (c / runs).toFixed(3)).join(', ')}`);
    expect(coverage).toBeGreaterThan(0.9);
    expect(coverage).toBeLessThan(0.99);
  });

  it('recovers per-reader severity offsets (score units) and visit drift', () => {
    const rng = createRng(11);
    const d = simulate(rng, 400, { R1: -4, R2: 0, R3: 4 }, { V1: -1.5, V2: 1.5 });
    const cal = fitCalibration(d, { scale: ERYTHEMA_0_4 });
    const raters = factorEffects(cal, 'rater');
    expect(raters.map((r) => r.level)).toEqual(['R1', 'R2', 'R3']);
    [-4, 0, 4].forEach((truth, i) => expect(Math.abs(raters[i].inPredictorUnits - truth)).toBeLessThan(3.5 * raters[i].seInPredictorUnits));
    expect(raters[0].p).toBeLessThan(1e-6);
    expect(raters[2].p).toBeLessThan(1e-6);
    const visits = factorEffects(cal, 'visit');
    [-1.5, 1.5].forEach((truth, i) => expect(Math.abs(visits[i].inPredictorUnits - truth)).toBeLessThan(3.5 * visits[i].seInPredictorUnits));
    // β ≈ 1/s
    expect(Math.abs(cal.coefficients[0].estimate - 1 / NOISE)).toBeLessThan(4 * cal.coefficients[0].se);
    // effects sum to zero (sum coding): the average reader is the reference
    expect(raters.reduce((a, r) => a + r.estimate, 0)).toBeCloseTo(0, 12);
    // a severe reader's predicted grade is higher for the same score
    expect(predictGrade(cal, 50, { rater: 'R3' }).expectedGrade).toBeGreaterThan(predictGrade(cal, 50, { rater: 'R1' }).expectedGrade);
  });

  it('rater × visit interaction: a reader who drifts between sessions is singled out', () => {
    const rng = createRng(12);
    // R3 grades +6 score units more severely at V2 only; the others do not drift
    const grades: number[] = [];
    const score: number[] = [];
    const rater: string[] = [];
    const visit: string[] = [];
    for (const v of ['V1', 'V2'])
      for (let p = 0; p < 300; p++) {
        const s = rng.uniform(0, 100);
        for (const r of ['R1', 'R2', 'R3']) {
          const latent = s + (r === 'R3' && v === 'V2' ? 6 : 0) + NOISE * logistic(rng);
          grades.push(CUTS.filter((c) => c < latent).length);
          score.push(s);
          rater.push(r);
          visit.push(v);
        }
      }
    const cal = fitCalibration({ grades, predictors: { score }, factors: { rater, visit }, interactions: [['rater', 'visit']] }, { scale: ERYTHEMA_0_4 });
    expect(cal.coefficients.map((c) => c.name)).toEqual(['score', 'rater[R1]', 'rater[R2]', 'visit[V1]', 'rater[R1]:visit[V1]', 'rater[R2]:visit[V1]']);
    // implied R3 drift V2 − V1 in score units: with sum coding, R3×V1 = +(a1 + a2) for the interaction columns
    const b = cal.coefficients[0].estimate;
    const c = Object.fromEntries(cal.coefficients.map((x) => [x.name, x.estimate]));
    const effect = (r: string, v: string) =>
      (r === 'R1' ? c['rater[R1]'] : r === 'R2' ? c['rater[R2]'] : -c['rater[R1]'] - c['rater[R2]']) +
      (v === 'V1' ? c['visit[V1]'] : -c['visit[V1]']) +
      (v === 'V1' ? 1 : -1) * (r === 'R1' ? c['rater[R1]:visit[V1]'] : r === 'R2' ? c['rater[R2]:visit[V1]'] : -c['rater[R1]:visit[V1]'] - c['rater[R2]:visit[V1]']);
    const drift = (r: string) => (effect(r, 'V2') - effect(r, 'V1')) / b;
    expect(Math.abs(drift('R3') - 6)).toBeLessThan(2.5);
    expect(Math.abs(drift('R1'))).toBeLessThan(2.5);
    expect(Math.abs(drift('R2'))).toBeLessThan(2.5);
    // predictGrade uses the same design: R3 at V2 grades higher than R3 at V1
    expect(predictGrade(cal, 50, { rater: 'R3', visit: 'V2' }).expectedGrade).toBeGreaterThan(predictGrade(cal, 50, { rater: 'R3', visit: 'V1' }).expectedGrade);
  });
});
