// Public names of report/ (re-exported by src/index.ts): the `agree` report.
export { agreementReport, isNotComputed } from './agree';
export type { AgreeReport, AgreeOptions, NotComputed, Stat as AgreeStat, KappaPair, RaterRaterSection, RaterScoreRow, BlandAltmanSection, IntraRaterRow } from './agree';
export type { CalibrationSection, CalibrationFitSection, CrossValidationSection } from './calibration';
export { readGradeTable, readScoreTable, joinGradesAndScores } from './input';
export type { GradeRecord, ScoreRecord, JoinedItems, JoinOptions } from './input';
export { agreeReportText, agreeReportHtml, blandAltmanSvg, scoreGradeSvg } from './render';
export { runAgree, writeAgreeReport, agreeReportJson } from './run';
export type { RunAgreeOptions, AgreeFiles } from './run';
