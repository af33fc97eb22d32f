#!/usr/bin/env node
/**
 * Agreement statistics on trial-sized data: a 1000-photo × 8-reader study (8000 grades) with an objective score.
 * Times ICC, weighted kappa, Fleiss, Krippendorff (with 10% missing), Kendall W, tau-b, CCC, Bland–Altman,
 * the proportional-odds calibration (score + reader factor), 5-fold cross-validation, and 200-run coverage
 * simulation-sized fits. For scale: one pass of JSON.stringify over the same ratings.
 * Prints a markdown table and writes bench/results/agreement.json.
 *
 *   npm run build && node bench/agreement.mjs [--runs 5]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { runsOption, median, cpuModel } from './common.mjs';
import { cpus } from 'node:os';
import {
  ERYTHEMA_0_4,
  blandAltman,
  cohenKappa,
  crossValidateCalibration,
  fitCalibration,
  fleissKappaFromRatings,
  icc,
  kendallTauB,
  kendallW,
  krippendorffAlpha,
  linCcc,
  polyserial,
} from '../dist/index.js';

const RUNS = runsOption(5);
function timeRuns(fn) {
  fn();
  const ms = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = process.hrtime.bigint();
    fn();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return ms;
}

// deterministic study: latent = score + reader offset + logistic noise (scale 5); cut-points 20/40/60/80
let seed = 12345;
const next = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);
const logistic = () => {
  const u = Math.min(1 - 1e-12, Math.max(1e-12, next()));
  return Math.log(u / (1 - u));
};
const PHOTOS = 1000;
const READERS = 8;
const offsets = Array.from({ length: READERS }, (_, r) => (r - (READERS - 1) / 2) * 1.5);
const scores = Array.from({ length: PHOTOS }, () => 100 * next());
const matrix = scores.map((s) => offsets.map((o) => [20, 40, 60, 80].filter((c) => c < s + o + 5 * logistic()).length));
const withMissing = matrix.map((row, i) => row.map((v, j) => ((i * 31 + j * 17) % 10 === 0 ? null : v)));
const long = { grades: [], score: [], rater: [] };
matrix.forEach((row, i) => row.forEach((g, j) => (long.grades.push(g), long.score.push(scores[i]), long.rater.push(`R${j + 1}`))));
const col = (j) => matrix.map((r) => r[j]);

const rows = [];
const add = (name, n, fn) => {
  const ms = timeRuns(fn);
  rows.push({ name, n, ms: median(ms), runs: ms });
};
add('for scale: JSON.stringify of the ratings matrix', PHOTOS * READERS, () => JSON.stringify(matrix));
add('icc (all six forms, CIs)', `${PHOTOS}×${READERS}`, () => icc(matrix));
add('cohenKappa quadratic (2 readers)', PHOTOS, () => cohenKappa(col(0), col(1), [0, 1, 2, 3, 4], { weights: 'quadratic' }));
add('fleissKappaFromRatings', `${PHOTOS}×${READERS}`, () => fleissKappaFromRatings(matrix, [0, 1, 2, 3, 4]));
add('krippendorffAlpha ordinal, 10% missing', `${PHOTOS}×${READERS}`, () => krippendorffAlpha(withMissing, { level: 'ordinal' }));
add('kendallW (tie-corrected)', `${PHOTOS}×${READERS}`, () => kendallW(matrix));
add('kendallTauB score vs reader 1 (O(n²))', PHOTOS, () => kendallTauB(scores, col(0)));
add('polyserial two-step score vs reader 1', PHOTOS, () => polyserial(scores, col(0)));
add('linCcc', PHOTOS, () => linCcc(col(0), col(1)));
add('blandAltman (incl. exact noncentral-t CIs)', PHOTOS, () => blandAltman(col(0), col(1)));
add('fitCalibration score + reader factor (12 parameters)', PHOTOS * READERS, () =>
  fitCalibration({ grades: long.grades, predictors: { score: long.score }, factors: { rater: long.rater } }, { scale: ERYTHEMA_0_4 }),
);
add('crossValidateCalibration 5-fold', PHOTOS * READERS, () =>
  crossValidateCalibration({ grades: long.grades, predictors: { score: long.score }, factors: { rater: long.rater } }, { scale: ERYTHEMA_0_4, folds: 5, seed: 1 }),
);
const small = { grades: [], score: [], rater: [] };
for (let p = 0; p < 60; p++) {
  const s = 100 * next();
  for (const [r, o] of [['R1', -4], ['R2', 0], ['R3', 4]]) {
    small.score.push(s);
    small.rater.push(r);
    small.grades.push([20, 40, 60, 80].filter((c) => c < s + o + 5 * logistic()).length);
  }
}
add('fitCalibration, one simulated study (60 photos × 3 readers)', 180, () =>
  fitCalibration({ grades: small.grades, predictors: { score: small.score }, factors: { rater: small.rater } }, { scale: ERYTHEMA_0_4 }),
);

const machine = {
  node: process.version,
  nproc: cpus().length,
  cpu: cpuModel(),
};
const base = rows[0].ms;
console.log(`\nmachine: Node ${machine.node}, ${machine.nproc} cores, ${machine.cpu}; median of ${RUNS} runs after 1 warm-up\n`);
console.log('| statistic | n | median ms | × JSON.stringify |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.name} | ${r.n} | ${r.ms.toFixed(2)} | ${(r.ms / base).toFixed(1)} |`);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/agreement.json', import.meta.url), JSON.stringify({ machine, runs: RUNS, rows }, null, 2) + '\n');
