import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';
import path from 'node:path';
import { loadCalibration, predictGrade, type Calibration } from '../agreement/calibration';
import { COLORCHECKER_CLASSIC_LAB_D65 } from '../color/colorchecker';
import { sampleChart } from '../color/chart';
import { applyColorCorrection, fitColorCorrection, CORRECTION_MODELS, type CorrectionModelName } from '../color/correction';
import { choiceOption, invalidOption, isDermametricsError, numberOption } from '../errors';
import { analyzeErythema, type ErythemaOptions } from '../erythema/analyze';
import { renderErythemaOverlay } from '../erythema/overlay';
import { detectFace, faceRegions, regionsFromPolygons, renderOverlay, wholeRegions } from '../face/index';
import type { Face, Point, RegionSet } from '../face/types';
import { flag, type QcFlag } from '../flags';
import { loadImage } from '../image/load';
import type { Raster } from '../image/raster';
import { initBackend, type BackendName } from '../model/backend';
import { VERSION } from '../version';
import { canonicalize, SIGNIFICANT_DIGITS } from './canonical';
import { erythemaMeasures, finite, wrinkleMeasures } from './measures';
import { analyzeWrinkles, wrinkleOptions, type WrinkleResult } from '../wrinkle/analyze';
import { faceModelSha256 } from '../face/human';
import { DEFAULT_PASSES, MAX_PASSES } from '../face/passes';
import { photoQuality } from './quality';
import { PHOTO_SCORE_SCHEMA, type Measure, type PhotoScore } from './types';

/** Options of analyzePhoto. Every field is JSON, so batch runs record them (run.json) and workers receive them. */
export interface AnalyzeOptions {
  /** where to measure: 'face' (landmarks, default), 'whole' (the whole photo is one region), or named polygons in image pixels */
  regions?: 'face' | 'whole' | Record<string, Point[]>;
  /** a ColorChecker Classic in the photo: its four outer corners (image px, clockwise from top-left, dark-skin patch at the top-left);
   * the photo is colour-corrected to it first. `widthMm` (chart width between corners 0→1) also gives the physical scale. */
  chart?: { corners: Point[]; widthMm?: number; model?: CorrectionModelName };
  /** region used as within-photo reference skin (erythema deltas and the area baseline) */
  referenceRegion?: string;
  /** the subject's inter-pupillary distance in mm (default 63) */
  ipdMm?: number;
  /** face-landmark passes averaged (detectFace `passes`, default 4; 3 is ~55 ms faster on a 12 MP photo and a little
   * less steady, docs/face.md); changes the landmarks, so it is recorded in provenance */
  facePasses?: number;
  /** a known scale (mm per pixel); wins over chart and IPD */
  mmPerPx?: number;
  /** detectFace's check for upside-down photos (default true: an upside-down face is measured on the photo turned back,
   * flagged `upside_down`; docs/face.md, Orientation). Recorded in provenance. */
  checkUpsideDown?: boolean;
  /** erythema analysis settings (docs/erythema.md) */
  erythema?: Pick<ErythemaOptions, 'analysisMmPerPx' | 'pigmentVectors' | 'areaMeasure' | 'areaThreshold'>;
  /** wrinkle analysis: 'auto' (default) runs it when the photo has a scale and the bundled model is installed,
   * else flags `wrinkle_unavailable`; true requires it (E_MODEL / E_BAD_REGIONS otherwise); false skips it */
  wrinkles?: boolean | 'auto';
  /** wrinkle model id or folder, probability threshold override, and the outline handling (analyzeWrinkles'
   * fillOutside and outlineGuardMm, on by default; docs/wrinkle.md) */
  wrinkle?: { model?: string; threshold?: number; fillOutside?: boolean; outlineGuardMm?: number };
  /** worker threads for the wrinkle filter bank (default: the cores, at most 4). Does not change any number. */
  threads?: number;
  /** a saved score→grade calibration (agreement/): the PhotoScore then carries the predicted grade */
  calibration?: Calibration;
  /** region whose measures feed the calibration when a predictor name has no 'region.' prefix (default 'full_face') */
  gradeRegion?: string;
  /** largest photo accepted, in pixels (default 100 MP) */
  maxPixels?: number;
  /** TensorFlow.js backend for the models (default: tfjs-node if installed, else wasm) */
  backend?: BackendName;
  /** also write a JPEG overlay to `path` — 'erythema' (default): the haemoglobin-index map over the skin, with its
   * colour bar; 'regions': the photo cropped to the face with the region outlines. Does not change any number. */
  overlay?: { path: string; kind?: 'erythema' | 'regions'; maxSidePx?: number; range?: [number, number] };
}

/** Load the models once (batch workers call this before reporting ready). */
export async function preparePipeline(options: { backend?: BackendName } = {}): Promise<void> {
  await initBackend(options.backend);
  faceModelSha256();
}

function sha256Text(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/**
 * analyzePhoto's options checked as far as they can be without a photo (the wrinkle options included), so that a batch
 * refuses a bad option before its first photo.
 * @throws DermametricsError E_INVALID_OPTION
 */
export function validateAnalyzeOptions(o: AnalyzeOptions): void {
  if (o === null || typeof o !== 'object') throw invalidOption('options', 'an object', o);
  if (o.regions !== undefined && o.regions !== 'face' && o.regions !== 'whole' && (typeof o.regions !== 'object' || Array.isArray(o.regions))) {
    throw invalidOption('options.regions', "'face', 'whole' or an object of named polygons", o.regions);
  }
  if (o.chart !== undefined) {
    const c = o.chart;
    if (!c || !Array.isArray(c.corners) || c.corners.length !== 4 || !c.corners.every((p) => Array.isArray(p) && p.length === 2 && p.every(Number.isFinite))) {
      throw invalidOption('options.chart.corners', 'four [x, y] points in image pixels', c?.corners);
    }
    if (c.model !== undefined) choiceOption('options.chart.model', c.model, CORRECTION_MODELS, 'rootPolynomial2Finlayson2015');
  }
  if (o.referenceRegion !== undefined && (typeof o.referenceRegion !== 'string' || o.referenceRegion === '')) throw invalidOption('options.referenceRegion', 'a region name', o.referenceRegion);
  numberOption('options.ipdMm', o.ipdMm, 63, { min: 30, max: 90 });
  numberOption('options.facePasses', o.facePasses, DEFAULT_PASSES, { min: 1, max: MAX_PASSES, integer: true });
  if (o.mmPerPx !== undefined) numberOption('options.mmPerPx', o.mmPerPx, 0, { min: 1e-6 });
  if (o.checkUpsideDown !== undefined && typeof o.checkUpsideDown !== 'boolean') throw invalidOption('options.checkUpsideDown', 'true or false', o.checkUpsideDown);
  if (o.wrinkles !== undefined && o.wrinkles !== true && o.wrinkles !== false && o.wrinkles !== 'auto') throw invalidOption('options.wrinkles', "true, false or 'auto'", o.wrinkles);
  if (o.wrinkle !== undefined && (o.wrinkle === null || typeof o.wrinkle !== 'object' || Array.isArray(o.wrinkle))) throw invalidOption('options.wrinkle', 'an object', o.wrinkle);
  wrinkleOptions({ ...o.wrinkle, threads: o.threads });
}

/** analyzePhoto's default for detectFace's `checkUpsideDown` (detectFace's own default is false: docs/face.md). */
const CHECK_UPSIDE_DOWN = true;

/** The options that change numbers, resolved, as recorded in provenance. */
function numberOptions(o: AnalyzeOptions): Record<string, unknown> {
  const outline = wrinkleOptions({ ...o.wrinkle, threads: o.threads });
  const regions = o.regions === undefined || o.regions === 'face' ? 'face' : o.regions === 'whole' ? 'whole' : `polygons:${sha256Text(JSON.stringify(canonicalize(o.regions)))}`;
  return canonicalize({
    regions,
    chart: o.chart ? { corners: o.chart.corners, widthMm: o.chart.widthMm, model: o.chart.model ?? 'rootPolynomial2Finlayson2015' } : null,
    referenceRegion: o.referenceRegion ?? null,
    ipdMm: o.ipdMm ?? 63,
    facePasses: o.regions === undefined || o.regions === 'face' ? (o.facePasses ?? DEFAULT_PASSES) : null,
    checkUpsideDown: o.regions === undefined || o.regions === 'face' ? (o.checkUpsideDown ?? CHECK_UPSIDE_DOWN) : null,
    mmPerPx: o.mmPerPx ?? null,
    erythema: o.erythema ?? {},
    wrinkles: o.wrinkles ?? 'auto',
    // the outline handling resolved as analyzeWrinkles resolves it (its defaults changed within 0.1.0): a score says
    // which it was measured with
    wrinkle: { ...o.wrinkle, fillOutside: outline.fill, outlineGuardMm: outline.guardMm },
    calibration: o.calibration ? sha256Text(JSON.stringify(canonicalize(o.calibration))) : null,
    gradeRegion: o.calibration ? (o.gradeRegion ?? 'full_face') : null,
  }) as Record<string, unknown>;
}

/** Flags that describe how a number was obtained but do not call for review (kept under qc.notes). */
export const NOTE_CODES = new Set(['scale_assumed_ipd', 'alpha_dropped']);

function dedupeFlags(flags: QcFlag[]): QcFlag[] {
  const seen = new Set<string>();
  return flags.filter((f) => {
    const k = `${f.code}\u0000${f.region ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Analyse one photo: load (EXIF orientation, ICC → linear sRGB), optional chart colour correction, face and regions
 * (or the caller's regions), erythema per region, QC flags and provenance. Returns a plain JSON PhotoScore whose
 * canonical JSON (canonicalJson) is byte-identical for the same input bytes and options. See docs/score.md.
 *
 * @throws DermametricsError: E_NOT_FOUND, E_DECODE, E_UNSUPPORTED_FORMAT, E_TOO_LARGE (loading), E_NO_FACE (regions
 *   'face' and no face found), E_BAD_CHART, E_BAD_REGIONS, E_INVALID_OPTION, E_MODEL
 */
export async function analyzePhoto(input: string | Uint8Array, options: AnalyzeOptions = {}): Promise<PhotoScore> {
  validateAnalyzeOptions(options);
  const backend = await initBackend(options.backend);
  const loaded = await loadImage(input, { maxPixels: options.maxPixels });
  let raster: Raster = loaded.raster;
  const flags: QcFlag[] = [...loaded.flags];

  // 1. Colour correction to a chart in the photo.
  let color: PhotoScore['color'] = null;
  if (options.chart) {
    const sample = sampleChart(raster, options.chart.corners);
    const fit = fitColorCorrection(sample.rgb, COLORCHECKER_CLASSIC_LAB_D65, { model: options.chart.model });
    raster = applyColorCorrection(raster, fit.model);
    flags.push(...sample.flags, ...fit.flags);
    color = {
      corrected: true,
      chart: 'ColorChecker Classic',
      model: fit.model.model,
      residualDeltaE00: { mean: fit.residuals.mean, max: fit.residuals.max },
      leaveOneOutDeltaE00: { mean: fit.leaveOneOut.mean, max: fit.leaveOneOut.max },
      uncorrectedDeltaE00: { mean: fit.uncorrected.mean, max: fit.uncorrected.max },
    };
  }

  // 2. Where to measure.
  let regionSet: RegionSet;
  let face: PhotoScore['face'] = null;
  let detected: Face | undefined;
  const models: { id: string; sha256: string }[] = [];
  if (options.regions === undefined || options.regions === 'face') {
    const f = await detectFace(raster, { passes: options.facePasses, checkUpsideDown: options.checkUpsideDown ?? CHECK_UPSIDE_DOWN });
    detected = f;
    regionSet = faceRegions(f, raster, {
      ipdMm: options.ipdMm,
      mmPerPx: options.mmPerPx,
      chart: options.chart?.widthMm ? { corners: options.chart.corners, widthMm: options.chart.widthMm } : undefined,
    });
    flags.push(...f.flags);
    face = { box: f.box, count: f.faceCount, score: f.score, pose: f.pose, ipdPx: f.ipdPx, eyes: f.eyes, eyeOpenness: f.eyeOpenness };
    models.push({ id: f.modelId, sha256: faceModelSha256() });
  } else {
    regionSet = options.regions === 'whole' ? wholeRegions(raster, { mmPerPx: options.mmPerPx }) : regionsFromPolygons(options.regions, raster, { mmPerPx: options.mmPerPx });
  }
  flags.push(...regionSet.flags);

  // 3. Quality of the photo over the face (or the largest region).
  const qRegion = regionSet.regions.find((r) => r.name === 'full_face') ?? [...regionSet.regions].sort((a, b) => b.pixelsInside - a.pixelsInside)[0];
  const quality = photoQuality(raster, qRegion);
  flags.push(...quality.flags);

  // 4. Erythema.
  const wantMaps = Boolean(options.overlay) && options.overlay?.kind !== 'regions';
  const ery = analyzeErythema(raster, regionSet, { ...(options.erythema ?? {}), reference: options.referenceRegion, maps: wantMaps });
  flags.push(...ery.flags);
  if (options.overlay) await writeOverlay(raster, ery.maps, detected, regionSet, options.overlay);
  const measures: Measure[] = erythemaMeasures(ery);

  // 5. Wrinkles (physical units: needs a scale and the trained model).
  const wrinkleMode = options.wrinkles ?? 'auto';
  let wr: WrinkleResult | undefined;
  if (wrinkleMode !== false) {
    const hasScale = Number.isFinite(regionSet.scale.mmPerPx) && regionSet.scale.mmPerPx > 0;
    if (!hasScale && wrinkleMode === 'auto') {
      flags.push(flag('wrinkle_unavailable', 'No wrinkle measures: the photo has no physical scale (pass mmPerPx, a chart with widthMm, or use face regions for the IPD scale).'));
    } else {
      try {
        const w = options.wrinkle;
        wr = await analyzeWrinkles(raster, regionSet, { backend: options.backend, model: w?.model, threshold: w?.threshold, fillOutside: w?.fillOutside, outlineGuardMm: w?.outlineGuardMm, threads: options.threads });
      } catch (e) {
        if (wrinkleMode === true || !isDermametricsError(e) || e.code !== 'E_MODEL') throw e;
        flags.push(flag('wrinkle_unavailable', `No wrinkle measures: the wrinkle model could not be loaded (${e.message}).`));
      }
    }
  }
  if (wr) {
    flags.push(...wr.flags);
    measures.push(...wrinkleMeasures(wr));
    models.push({ id: wr.model.id, sha256: wr.model.weightsSha256 });
    if (wr.model.contextSha256) models.push({ id: `${wr.model.id}/context`, sha256: wr.model.contextSha256 });
  }

  // 6. Predicted grade from a saved calibration.
  let grade: PhotoScore['grade'];
  if (options.calibration) {
    const cal = loadCalibration(options.calibration);
    const values: Record<string, number> = {};
    const missing: string[] = [];
    for (const p of cal.predictors) {
      const [region, code] = p.includes('.') ? [p.slice(0, p.indexOf('.')), p.slice(p.indexOf('.') + 1)] : [options.gradeRegion ?? 'full_face', p];
      const m = measures.find((x) => x.region === region && x.paramcd.toUpperCase() === code.toUpperCase());
      if (m && m.value !== null) values[p] = m.value;
      else missing.push(p);
    }
    if (missing.length) {
      flags.push(flag('grade_unavailable', `No value for the calibration predictor(s) ${missing.join(', ')} (named 'PARAMCD' in gradeRegion, or 'region.PARAMCD'); no grade predicted.`));
    } else {
      const g = predictGrade(cal, values);
      grade = { scale: cal.scale.name, levels: cal.scale.levels, grade: g.grade, probabilities: g.probabilities, expectedGrade: g.expectedGrade, predictors: values };
      const region = options.gradeRegion ?? 'full_face';
      measures.push(
        { region, paramcd: 'PGRADE', param: `Predicted grade (${cal.scale.name}), most probable`, value: typeof g.grade === 'number' ? g.grade : g.gradeIndex, unit: typeof g.grade === 'number' ? 'grade' : 'level index' },
        { region, paramcd: 'PGRADEX', param: `Predicted grade (${cal.scale.name}), expected value`, value: g.expectedGrade, unit: cal.scale.levels.every((l) => typeof l === 'number') ? 'grade' : 'level index' },
      );
    }
  }

  const all = dedupeFlags(flags);
  const qcFlags = all.filter((f) => !NOTE_CODES.has(f.code));
  const regionsOut = regionSet.regions.map((r) => {
    const e = ery.regions.find((x) => x.name === r.name);
    return {
      name: r.name,
      box: r.box,
      pixelsInside: r.pixelsInside,
      pixelsKept: r.pixelsKept,
      removedFraction: r.removedFraction,
      analysisPixels: e?.pixels ?? 0,
      erythema: e?.erythema ?? null,
      erythemaDelta: e?.delta ?? null,
      wrinkle: wrinkleOf(wr, r.name),
    };
  });
  const score: PhotoScore = {
    schema: PHOTO_SCORE_SCHEMA,
    input: {
      fileName: typeof input === 'string' ? path.basename(input) : '',
      sha256: loaded.meta.sha256,
      bytes: loaded.meta.byteLength,
      width: loaded.meta.width,
      height: loaded.meta.height,
      format: loaded.meta.format,
      bitDepth: loaded.meta.sourceBitDepth,
      colourProfile: loaded.meta.colourProfile,
      orientationApplied: loaded.meta.orientationApplied,
    },
    face,
    color,
    scale: { mmPerPx: finite(regionSet.scale.mmPerPx), source: regionSet.scale.source, ipdMm: regionSet.scale.ipdMm, ipdPx: regionSet.scale.ipdPx, yawDeg: regionSet.scale.yawDeg },
    regions: regionsOut,
    measures,
    grade,
    qc: { status: qcFlags.length ? 'review' : 'pass', flags: qcFlags, notes: all.filter((f) => NOTE_CODES.has(f.code)), metrics: quality.metrics },
    provenance: {
      version: VERSION,
      backend: backend.name,
      tfjsVersion: backend.tfjsVersion,
      models,
      options: numberOptions(options),
      significantDigits: SIGNIFICANT_DIGITS,
    },
  };
  return canonicalize(score) as PhotoScore;
}

function wrinkleOf(wr: WrinkleResult | undefined, name: string): Record<string, unknown> | null {
  const w = wr?.regions.find((x) => x.name === name);
  return w ? { areaCm2: w.areaCm2, ...w.wrinkles } : null;
}

/** Write the erythema overlay as a JPEG, atomically (temp file + rename), so a kill never leaves half a file. */
async function writeOverlay(raster: Raster, maps: ReturnType<typeof analyzeErythema>['maps'], face: Face | undefined, regions: RegionSet, o: NonNullable<AnalyzeOptions['overlay']>): Promise<void> {
  const png =
    o.kind === 'regions' || !maps
      ? await renderOverlay(raster, face, regions, { maxSidePx: o.maxSidePx ?? 1024, cropToFace: true, landmarks: false })
      : (await renderErythemaOverlay(raster, maps, { regions, maxSidePx: o.maxSidePx ?? 1024, range: o.range })).png;
  const jpeg = await sharp(png).jpeg({ quality: 82 }).toBuffer();
  mkdirSync(path.dirname(o.path), { recursive: true });
  const tmp = `${o.path}.${process.pid}.tmp`;
  writeFileSync(tmp, jpeg);
  renameSync(tmp, o.path);
}
