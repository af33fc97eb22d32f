// Public names of agreement/ (re-exported by src/index.ts). API and conventions: docs/agreement.md.
export {
  logGamma,
  gammaPQ,
  betaIncomplete,
  normalPdf,
  normalCdf,
  normalQuantile,
  tCdf,
  tQuantile,
  fCdf,
  fUpper,
  fQuantile,
  chiSquareCdf,
  chiSquareUpper,
  chiSquareQuantile,
  noncentralTCdf,
  noncentralTQuantile,
} from './distributions';
export { icc } from './icc';
export type { IccType, IccEstimate, IccMeanSquares, IccResult, IccOptions } from './icc';
export { cohenKappa, cohenKappaTable, crossTable, kappaWeights } from './kappa';
export type { KappaWeights, KappaOptions, KappaResult } from './kappa';
export { fleissKappa, fleissKappaFromRatings } from './fleiss';
export type { FleissKappaResult } from './fleiss';
export { krippendorffAlpha } from './krippendorff';
export type { KrippendorffLevel, KrippendorffOptions, KrippendorffResult } from './krippendorff';
export { midRanks, pearson, spearman, kendallTauB, kendallW } from './rank';
export type { CorrelationResult, KendallWResult } from './rank';
export { linCcc } from './ccc';
export type { CccResult } from './ccc';
export { blandAltman } from './bland-altman';
export type { BlandAltmanOptions, BlandAltmanResult } from './bland-altman';
export { fitCumulativeLogit, cumulativeLogitProbabilities } from './ordinal';
export type { OrdinalFit, OrdinalFitOptions } from './ordinal';
export {
  ERYTHEMA_0_4,
  FITZPATRICK_GOLDMAN_1_9,
  gradeScale,
  fitCalibration,
  predictGrade,
  cutPoints,
  factorEffects,
  crossValidateCalibration,
  loadCalibration,
} from './calibration';
export type {
  GradeScale,
  CalibrationData,
  CalibrationOptions,
  CalibrationCoefficient,
  CalibrationFactor,
  Calibration,
  GradePrediction,
  CutPoint,
  FactorEffect,
  CrossValidationResult,
} from './calibration';
export { pivotRatings } from './pivot';
export type { RatingTable } from './pivot';
export { polyserial } from './polyserial';
export type { PolyserialResult } from './polyserial';
