import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { invalidOption, numberOption } from '../errors';
import { agreementReport, isNotComputed, type AgreeReport } from './agree';
import { joinGradesAndScores, readGradeTable, readScoreTable, type JoinOptions } from './input';
import { agreeReportHtml, agreeReportText } from './render';

export interface RunAgreeOptions extends JoinOptions {
  confidence?: number;
  folds?: number;
  seed?: number;
  /** cluster-bootstrap replicates over subjects for the cut-point CIs (default 200; 0 = Wald CIs only) */
  bootstrap?: number;
}

/**
 * The `agree` report from files: the unblinded long ratings (dermametrics unblind) and scores_long.csv
 * (dermametrics batch), joined on PHOTOID when both carry it, else on USUBJID + AVISIT.
 */
export function runAgree(ratingsFile: string, scoresFile: string, options: RunAgreeOptions = {}): AgreeReport {
  if (typeof ratingsFile !== 'string' || !ratingsFile) throw invalidOption('ratingsFile', "the long ratings CSV written by 'dermametrics unblind'", ratingsFile);
  if (typeof scoresFile !== 'string' || !scoresFile) throw invalidOption('scoresFile', "the scores_long.csv written by 'dermametrics batch'", scoresFile);
  const confidence = numberOption('options.confidence', options.confidence, 0.95, { min: 0.5, max: 0.999 });
  const folds = numberOption('options.folds', options.folds, 5, { min: 2, max: 100, integer: true });
  const seed = numberOption('options.seed', options.seed, 1, { integer: true });
  const bootstrap = numberOption('options.bootstrap', options.bootstrap, 200, { min: 0, max: 100000, integer: true });
  const grades = readGradeTable(ratingsFile);
  const scores = readScoreTable(scoresFile);
  const joined = joinGradesAndScores(grades, scores, options, { ratings: ratingsFile, scores: scoresFile });
  return agreementReport(joined, { confidence, folds, seed, bootstrap });
}

/** The report as JSON text: non-finite numbers (e.g. the per-category Fleiss kappa of an unused grade) become null. */
export function agreeReportJson(report: AgreeReport): string {
  return JSON.stringify(report, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}

export interface AgreeFiles {
  json: string;
  text: string;
  html: string;
  /** the fitted calibration, when there is one (for analyzePhoto / batch --calibration) */
  calibration?: string;
}

/** Write agree.json, agree.txt, agree.html (and calibration.json when fitted) into `outDir`. */
export function writeAgreeReport(report: AgreeReport, outDir: string): AgreeFiles {
  mkdirSync(outDir, { recursive: true });
  const files: AgreeFiles = { json: path.join(outDir, 'agree.json'), text: path.join(outDir, 'agree.txt'), html: path.join(outDir, 'agree.html') };
  writeFileSync(files.json, agreeReportJson(report));
  writeFileSync(files.text, agreeReportText(report));
  writeFileSync(files.html, agreeReportHtml(report));
  if (!isNotComputed(report.calibration.fit)) {
    files.calibration = path.join(outDir, 'calibration.json');
    writeFileSync(files.calibration, JSON.stringify(report.calibration.fit.calibration, null, 2) + '\n');
  }
  return files;
}
