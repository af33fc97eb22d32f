// Public names of score/ (re-exported by src/index.ts).
export { analyzePhoto, preparePipeline, validateAnalyzeOptions, NOTE_CODES } from './analyze';
export type { AnalyzeOptions } from './analyze';
export { canonicalJson, canonicalize, roundCanonical, SIGNIFICANT_DIGITS } from './canonical';
export { PHOTO_SCORE_SCHEMA } from './types';
export type { PhotoScore, Measure, ManifestInfo, Provenance } from './types';
export { ERYTHEMA_PARAMS, ERYTHEMA_DELTA_PARAMS, WRINKLE_PARAMS } from './measures';
export { blurMetric, MAX_BLUR, MAX_CLIPPED_FRACTION, MAX_DARK_FRACTION } from './quality';
