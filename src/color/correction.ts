import { Matrix, solve } from 'ml-matrix';
import { DermametricsError, choiceOption, invalidOption, numberOption } from '../errors';
import { flag, type QcFlag } from '../flags';
import type { Raster } from '../image/raster';
import { deltaE2000 } from './ciede2000';
import { labToLinear, linearToLab } from './convert';

/**
 * Colour correction from a chart: fit a mapping from the camera's linear RGB (as measured on the chart's patches)
 * to the reference colours (linear sRGB D65), by least squares; apply it to whole rasters.
 * Fitting and applying are apart (after colour-science's characterisation/correction.py, STYLE.md).
 */

export const CORRECTION_MODELS = ['linear3x3', 'affine3x4', 'rootPolynomial2Finlayson2015', 'rootPolynomial3Finlayson2015'] as const;
export type CorrectionModelName = (typeof CORRECTION_MODELS)[number];

/** A fitted correction: output channel c = sum_k matrix[c][k] * term_k(r, g, b). JSON-serialisable. */
export interface ColorCorrectionModel {
  model: CorrectionModelName;
  /** Names of the terms, e.g. ['r', 'g', 'b', 'sqrt(rg)', ...]. */
  terms: string[];
  /** 3 rows (output R, G, B linear sRGB) x terms.length columns. */
  matrix: number[][];
}

export interface ResidualSummary {
  /** CIEDE2000 per patch (kL = kC = kH = 1), CIELAB D65/2°; null for patches excluded from the fit (fit residuals only). */
  perPatch: (number | null)[];
  mean: number;
  max: number;
  /** Patch index (0-based) of the max. */
  argmax: number;
}

export interface ColorCorrectionFit {
  model: ColorCorrectionModel;
  /** In-sample residuals of the corrected patches against the reference. */
  residuals: ResidualSummary;
  /** Each patch predicted by a model fitted without it: the honest estimate of the error on colours not in the chart. */
  leaveOneOut: ResidualSummary;
  /** Residuals of the uncorrected measurement (taken as linear sRGB) against the reference. */
  uncorrected: ResidualSummary;
  flags: QcFlag[];
}

export interface FitColorCorrectionOptions {
  /** Default 'rootPolynomial2Finlayson2015'. */
  model?: CorrectionModelName;
  /** Patch indices (0-based) left out of the fit, e.g. clipped patches. */
  exclude?: number[];
  /** Mean leave-one-out CIEDE2000 above which the fit gets the QC flag `chart_residual` (default 3). */
  maxMeanDeltaE2000?: number;
}

const TERM_NAMES: Record<CorrectionModelName, string[]> = {
  linear3x3: ['r', 'g', 'b'],
  affine3x4: ['r', 'g', 'b', '1'],
  // [Finlayson2015] root-polynomial terms of degree 2 (6 terms)
  rootPolynomial2Finlayson2015: ['r', 'g', 'b', 'sqrt(rg)', 'sqrt(gb)', 'sqrt(rb)'],
  // [Finlayson2015] root-polynomial terms of degree 3 (13 terms)
  rootPolynomial3Finlayson2015: ['r', 'g', 'b', 'sqrt(rg)', 'sqrt(gb)', 'sqrt(rb)', 'cbrt(rg^2)', 'cbrt(gb^2)', 'cbrt(rb^2)', 'cbrt(gr^2)', 'cbrt(bg^2)', 'cbrt(br^2)', 'cbrt(rgb)'],
};

/** Write the terms of (r, g, b) into `out`; returns the number of terms. Negative inputs are taken as 0 under roots. */
function terms(model: CorrectionModelName, r: number, g: number, b: number, out: Float64Array): number {
  out[0] = r;
  out[1] = g;
  out[2] = b;
  if (model === 'linear3x3') return 3;
  if (model === 'affine3x4') {
    out[3] = 1;
    return 4;
  }
  const rp = r > 0 ? r : 0, gp = g > 0 ? g : 0, bp = b > 0 ? b : 0;
  out[3] = Math.sqrt(rp * gp);
  out[4] = Math.sqrt(gp * bp);
  out[5] = Math.sqrt(rp * bp);
  if (model === 'rootPolynomial2Finlayson2015') return 6;
  // cube roots of products as products of cube roots: 3 cbrt per pixel instead of 7
  const cr = Math.cbrt(rp), cg = Math.cbrt(gp), cb = Math.cbrt(bp);
  out[6] = cr * cg * cg; // cbrt(r g^2)
  out[7] = cg * cb * cb; // cbrt(g b^2)
  out[8] = cr * cb * cb; // cbrt(r b^2)
  out[9] = cg * cr * cr; // cbrt(g r^2)
  out[10] = cb * cg * cg; // cbrt(b g^2)
  out[11] = cb * cr * cr; // cbrt(b r^2)
  out[12] = cr * cg * cb; // cbrt(r g b)
  return 13;
}

function isTriplets(x: unknown): x is number[][] {
  return Array.isArray(x) && x.every((row) => Array.isArray(row) && row.length === 3 && row.every((v) => typeof v === 'number' && Number.isFinite(v)));
}

/** Least-squares fit of the term matrix to the targets (rows = patches), via ml-matrix (QR), as in [Finlayson2015] (least-squares regression of the term matrix). */
function fitMatrix(model: CorrectionModelName, rgb: readonly number[][], target: readonly number[][]): number[][] {
  const t = TERM_NAMES[model].length;
  const row = new Float64Array(13);
  const A = new Matrix(rgb.length, t);
  rgb.forEach(([r, g, b], i) => {
    terms(model, r, g, b, row);
    for (let k = 0; k < t; k++) A.set(i, k, row[k]);
  });
  const X = solve(A, new Matrix(target.map((v) => [...v]))); // t x 3
  return [0, 1, 2].map((c) => Array.from({ length: t }, (_, k) => X.get(k, c)));
}

function predict(model: ColorCorrectionModel, r: number, g: number, b: number): [number, number, number] {
  const row = new Float64Array(13);
  const t = terms(model.model, r, g, b, row);
  const out: [number, number, number] = [0, 0, 0];
  for (let c = 0; c < 3; c++) {
    let s = 0;
    for (let k = 0; k < t; k++) s += model.matrix[c][k] * row[k];
    out[c] = s;
  }
  return out;
}

function summarise(perPatch: (number | null)[]): ResidualSummary {
  let sum = 0, n = 0, max = -Infinity, argmax = -1;
  perPatch.forEach((d, i) => {
    if (d === null) return;
    sum += d;
    n++;
    if (d > max) (max = d), (argmax = i);
  });
  return { perPatch, mean: n ? sum / n : NaN, max: n ? max : NaN, argmax };
}

/**
 * Fit a colour correction from chart patches.
 *
 * @param measured the patches' mean linear RGB as read from the photo (e.g. `sampleChart(...).rgb`), N x 3
 * @param reference the same patches' reference colours in CIELAB D65/2° (e.g. `COLORCHECKER_CLASSIC_LAB_D65`), N x 3
 * @param options `model` (default 'rootPolynomial2Finlayson2015'), `exclude`, `maxMeanDeltaE2000` (default 3)
 * @returns the model, in-sample and leave-one-out CIEDE2000 residuals per patch with mean and max, QC flags
 * @throws {DermametricsError} E_INVALID_OPTION for malformed inputs; E_BAD_CHART when fewer patches than needed remain
 */
export function fitColorCorrection(measured: readonly number[][], reference: readonly number[][], options: FitColorCorrectionOptions = {}): ColorCorrectionFit {
  const model = choiceOption('options.model', options.model, CORRECTION_MODELS, 'rootPolynomial2Finlayson2015');
  const threshold = numberOption('options.maxMeanDeltaE2000', options.maxMeanDeltaE2000, 3, { min: 0 });
  if (!isTriplets(measured)) throw invalidOption('measured', 'an array of [r, g, b] rows of finite numbers', measured);
  if (!isTriplets(reference) || reference.length !== measured.length) {
    throw invalidOption('reference', `an array of ${measured.length} [L*, a*, b*] rows of finite numbers (one per measured patch)`, reference);
  }
  const exclude = new Set(options.exclude ?? []);
  for (const i of exclude) if (!Number.isInteger(i) || i < 0 || i >= measured.length) throw invalidOption('options.exclude', `patch indices in 0..${measured.length - 1}`, i);
  const used = measured.map((_, i) => i).filter((i) => !exclude.has(i));
  const t = TERM_NAMES[model].length;
  // Leave-one-out needs one more patch than terms, and a bit of redundancy to mean anything.
  if (used.length < t + 2) {
    throw new DermametricsError('E_BAD_CHART', `Model ${model} has ${t} terms per channel and needs at least ${t + 2} usable patches; ${used.length} remain. Use a simpler model or fix the clipped patches.`, { model, usable: used.length });
  }
  const target = reference.map((lab) => labToLinear(lab));
  const fitOn = (idx: number[]): ColorCorrectionModel => ({
    model,
    terms: [...TERM_NAMES[model]],
    matrix: fitMatrix(model, idx.map((i) => measured[i]), idx.map((i) => target[i])),
  });
  const fitted = fitOn(used);
  const dE = (rgb: readonly number[], i: number) => deltaE2000(linearToLab(rgb), reference[i]);

  const residuals = summarise(measured.map((m, i) => (exclude.has(i) ? null : dE(predict(fitted, m[0], m[1], m[2]), i))));
  const loo = summarise(
    measured.map((m, i) => {
      if (exclude.has(i)) return null;
      const without = fitOn(used.filter((j) => j !== i));
      return dE(predict(without, m[0], m[1], m[2]), i);
    }),
  );
  const uncorrected = summarise(measured.map((m, i) => (exclude.has(i) ? null : dE(m, i))));
  const flags: QcFlag[] = [];
  if (!(loo.mean <= threshold)) {
    flags.push(
      flag('chart_residual', `The chart colour correction (${model}) leaves a mean leave-one-out CIEDE2000 of ${loo.mean.toFixed(2)} (> ${threshold}): colours measured after correction are not trustworthy to that level. Check the chart corners, glare and exposure.`, {
        value: loo.mean,
        threshold,
      }),
    );
  }
  return { model: fitted, residuals, leaveOneOut: loo, uncorrected, flags };
}

/**
 * Apply a fitted correction to every pixel of a linear RGB raster; returns a new linear sRGB (D65) raster.
 * @param options `clip` (default true): clamp results to [0, 1], the range of the Raster convention.
 */
export function applyColorCorrection(raster: Raster, model: ColorCorrectionModel, options: { clip?: boolean } = {}): Raster {
  if (!model || !(CORRECTION_MODELS as readonly string[]).includes(model.model) || !Array.isArray(model.matrix) || model.matrix.length !== 3) {
    throw invalidOption('model', 'a ColorCorrectionModel returned by fitColorCorrection', model);
  }
  const t = TERM_NAMES[model.model].length;
  if (!model.matrix.every((row) => Array.isArray(row) && row.length === t && row.every(Number.isFinite))) {
    throw invalidOption('model.matrix', `3 rows of ${t} finite numbers for ${model.model}`, model.matrix);
  }
  const clip = options.clip ?? true;
  const lo = clip ? 0 : -Infinity;
  const hi = clip ? 1 : Infinity;
  const { width, height, channels, data } = raster;
  const n = width * height;
  const out = new Float32Array(n * 3);
  const [m0, m1, m2] = model.matrix;
  // Specialised loops with the coefficients in locals (no per-pixel calls or arrays): several times faster than the generic path.
  if (model.model === 'linear3x3' || model.model === 'affine3x4') {
    const [a0, a1, a2, a3 = 0] = m0, [b0, b1, b2, b3 = 0] = m1, [c0, c1, c2, c3 = 0] = m2;
    for (let j = 0, o = 0; o < n * 3; j += channels, o += 3) {
      const r = data[j], g = data[j + 1], b = data[j + 2];
      const x = a0 * r + a1 * g + a2 * b + a3, y = b0 * r + b1 * g + b2 * b + b3, z = c0 * r + c1 * g + c2 * b + c3;
      out[o] = x < lo ? lo : x > hi ? hi : x;
      out[o + 1] = y < lo ? lo : y > hi ? hi : y;
      out[o + 2] = z < lo ? lo : z > hi ? hi : z;
    }
  } else if (model.model === 'rootPolynomial2Finlayson2015') {
    const [a0, a1, a2, a3, a4, a5] = m0, [b0, b1, b2, b3, b4, b5] = m1, [c0, c1, c2, c3, c4, c5] = m2;
    for (let j = 0, o = 0; o < n * 3; j += channels, o += 3) {
      const r = data[j], g = data[j + 1], b = data[j + 2];
      const rp = r > 0 ? r : 0, gp = g > 0 ? g : 0, bp = b > 0 ? b : 0;
      const rg = Math.sqrt(rp * gp), gb = Math.sqrt(gp * bp), rb = Math.sqrt(rp * bp);
      const x = a0 * r + a1 * g + a2 * b + a3 * rg + a4 * gb + a5 * rb;
      const y = b0 * r + b1 * g + b2 * b + b3 * rg + b4 * gb + b5 * rb;
      const z = c0 * r + c1 * g + c2 * b + c3 * rg + c4 * gb + c5 * rb;
      out[o] = x < lo ? lo : x > hi ? hi : x;
      out[o + 1] = y < lo ? lo : y > hi ? hi : y;
      out[o + 2] = z < lo ? lo : z > hi ? hi : z;
    }
  } else if (model.model === 'rootPolynomial3Finlayson2015') {
    const A = Float64Array.from(m0), B = Float64Array.from(m1), C = Float64Array.from(m2);
    for (let j = 0, o = 0; o < n * 3; j += channels, o += 3) {
      const r = data[j], g = data[j + 1], b = data[j + 2];
      const rp = r > 0 ? r : 0, gp = g > 0 ? g : 0, bp = b > 0 ? b : 0;
      const sr = Math.sqrt(rp), sg = Math.sqrt(gp), sb = Math.sqrt(bp);
      const cr = Math.cbrt(rp), cg = Math.cbrt(gp), cb = Math.cbrt(bp);
      const t3 = sr * sg, t4 = sg * sb, t5 = sr * sb;
      const t6 = cr * cg * cg, t7 = cg * cb * cb, t8 = cr * cb * cb, t9 = cg * cr * cr, t10 = cb * cg * cg, t11 = cb * cr * cr, t12 = cr * cg * cb;
      const x = A[0] * r + A[1] * g + A[2] * b + A[3] * t3 + A[4] * t4 + A[5] * t5 + A[6] * t6 + A[7] * t7 + A[8] * t8 + A[9] * t9 + A[10] * t10 + A[11] * t11 + A[12] * t12;
      const y = B[0] * r + B[1] * g + B[2] * b + B[3] * t3 + B[4] * t4 + B[5] * t5 + B[6] * t6 + B[7] * t7 + B[8] * t8 + B[9] * t9 + B[10] * t10 + B[11] * t11 + B[12] * t12;
      const z = C[0] * r + C[1] * g + C[2] * b + C[3] * t3 + C[4] * t4 + C[5] * t5 + C[6] * t6 + C[7] * t7 + C[8] * t8 + C[9] * t9 + C[10] * t10 + C[11] * t11 + C[12] * t12;
      out[o] = x < lo ? lo : x > hi ? hi : x;
      out[o + 1] = y < lo ? lo : y > hi ? hi : y;
      out[o + 2] = z < lo ? lo : z > hi ? hi : z;
    }
  } else {
    const m = new Float64Array(3 * t);
    for (let c = 0; c < 3; c++) for (let k = 0; k < t; k++) m[c * t + k] = model.matrix[c][k];
    const row = new Float64Array(13);
    for (let j = 0, o = 0; o < n * 3; j += channels, o += 3) {
      terms(model.model, data[j], data[j + 1], data[j + 2], row);
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let k = 0; k < t; k++) s += m[c * t + k] * row[k];
        out[o + c] = s < lo ? lo : s > hi ? hi : s;
      }
    }
  }
  return { width, height, channels: 3, data: out };
}
