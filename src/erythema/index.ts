// Public names of erythema/ (re-exported by src/index.ts).
export { analyzeErythema, DEFAULT_AREA_THRESHOLDS } from './analyze';
export type {
  AreaMeasure,
  ErythemaDelta,
  ErythemaMaps,
  ErythemaMeasures,
  ErythemaOptions,
  ErythemaRegionResult,
  ErythemaResult,
} from './analyze';
export type { ErythemaStat } from './stats';
export type { ErythemaMapName } from './maps';
export type { PigmentEstimate } from './estimate';
export { DEFAULT_HEMOGLOBIN_OD, DEFAULT_MELANIN_OD, HEMOGLOBIN_OD_PER_LN_BLOOD } from './vectors';
export { addErythema, bloodRatioToHemoglobinOD, hemoglobinIndexPerOD } from './simulate';
export { renderErythemaOverlay } from './overlay';
export type { Overlay, OverlayOptions } from './overlay';
export type { ColormapName } from './colormap';
