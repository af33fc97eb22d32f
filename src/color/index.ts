// Public names of color/ (re-exported by src/index.ts).
export { WHITE_D65, WHITE_D50, XYZ_FROM_LINEAR_SRGB, LINEAR_SRGB_FROM_XYZ, BRADFORD, LAB_EPSILON, LAB_KAPPA } from './constants';
export { srgbDecode, srgbEncode } from './srgb';
export { linearSrgbToXyz, xyzToLinearSrgb, adaptXyzBradford, bradfordMatrix } from './xyz';
export { xyzToLab, labToXyz } from './lab';
export { linearToLab, labToLinear, srgbToLab, labToSrgb, linearRasterToLab, labRasterToLinear } from './convert';
export { deltaE2000 } from './ciede2000';
export type { Ciede2000Weights } from './ciede2000';
export { itaDeg, itaCategory } from './ita';
export type { Mat3, Vec3 } from './matrix3';
export { COLORCHECKER_CLASSIC_NAMES, COLORCHECKER_CLASSIC_LAB_D50, COLORCHECKER_CLASSIC_LAB_D65, COLORCHECKER_CLASSIC_LINEAR_SRGB } from './colorchecker';
export { sampleChart, homographyFromPoints, applyHomography, COLORCHECKER_CLASSIC_LAYOUT } from './chart';
export type { ChartLayout, ChartPatch, ChartSample, ChartSampleOptions, Homography } from './chart';
export { fitColorCorrection, applyColorCorrection, CORRECTION_MODELS } from './correction';
export type { ColorCorrectionFit, ColorCorrectionModel, CorrectionModelName, FitColorCorrectionOptions, ResidualSummary } from './correction';
