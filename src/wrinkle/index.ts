// Public names of wrinkle/ (re-exported by src/index.ts).
export { analyzeWrinkles, DEFAULT_OUTLINE_GUARD_MM, WRINKLE_ANALYSIS_MM_PER_PX } from './analyze';
export type { WrinkleOptions, WrinkleMeasures, WrinkleRegionResult, WrinkleResult } from './analyze';
export { frangiDark, DEFAULT_SIGMAS_MM } from './ridge';
export type { RidgeOptions } from './ridge';
export { loadWrinkleModel, DEFAULT_WRINKLE_MODEL, WRINKLE_MODEL_FORMAT } from './head';
export type { WrinkleManifest, WrinkleModel } from './head';
export { fineTuneWrinkleModel } from './finetune';
export { renderWrinkleOverlay } from './overlay';
export type { WrinkleOverlay, WrinkleOverlayOptions } from './overlay';
export type { FineTuneOptions, FineTuneResult } from './finetune';
export { lightnessPlane, logLuminancePlane } from './luminance';
export { FEATURE_NAMES } from './features';
