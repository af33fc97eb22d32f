import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { icc } from '../../src/agreement/icc';
import { spearman } from '../../src/agreement/rank';
import { agreeReportHtml, agreeReportJson, agreeReportText, isNotComputed, runAgree, writeAgreeReport, type AgreeReport } from '../../src/report/index';
import { simulateStudy, type Study } from './study';

let tmp: string;
let study: Study;
let report: AgreeReport;
const READERS = [{ id: 'R1', offset: 0 }, { id: 'R2', offset: 1.5 }, { id: 'R3', offset: -1.5 }];

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dm-agree-'));
  study = simulateStudy(tmp, { subjects: 60, visits: ['V1', 'V2'], readers: READERS, beta: 1, cuts: [4, 8, 12, 16], seed: 11 });
  report = runAgree(study.ratings, study.scores, { parameter: 'ERYIDX', region: 'full_face', scale: 'erythema:0-4', bootstrap: 100 });
});

describe('agree report on a simulated study with known cut-points and reader severities', () => {
  it('recovers the true cut-points, slope and reader offsets (each within 3 SE of the truth)', () => {
    const fit = report.calibration.fit;
    if (isNotComputed(fit)) throw new Error(fit.message);
    expect(fit.readerFactor).toBe(true);
    expect(fit.cutPoints.map((c) => c.name)).toEqual(['0|1', '1|2', '2|3', '3|4']);
    fit.cutPoints.forEach((c, j) => expect(Math.abs(c.value - study.truth.cuts[j]), c.name).toBeLessThan(3 * c.se));
    for (const o of fit.readerOffsets!) expect(Math.abs(o.estimate - study.truth.offsets[o.level]), o.level).toBeLessThan(3 * o.se);
    expect(fit.readerOffsets!.map((o) => o.level)).toEqual(['R1', 'R2', 'R3']);
    expect(fit.readerOffsets![1].estimate).toBeGreaterThan(0); // R2 grades more severely
    expect(fit.readerOffsets![2].estimate).toBeLessThan(0);
    expect(Math.abs(fit.slope.estimate - 1)).toBeLessThan(3 * fit.slope.se);
    // subject bootstrap: with independent grades given the score (as simulated), its SE agrees with the Wald SE
    expect(fit.bootstrap!.replicates).toBe(100);
    fit.bootstrap!.cutPoints.forEach((b, j) => {
      expect(b.se / fit.cutPoints[j].se, b.name).toBeGreaterThan(0.6);
      expect(b.se / fit.cutPoints[j].se, b.name).toBeLessThan(1.6);
    });
    const cv = report.calibration.crossValidation;
    if (isNotComputed(cv)) throw new Error(cv.message);
    expect(cv.n).toBe(360);
    expect(cv.withinOne).toBeGreaterThan(0.9);
  });

  it('finds grading drift across visits when there is some (V2 graded +1 logit higher for the same score), and none when there is none', () => {
    const dir = mkdtempSync(path.join(tmp, 'drift-'));
    const st = simulateStudy(dir, { subjects: 60, visits: ['V1', 'V2'], readers: READERS, beta: 1, cuts: [4, 8, 12, 16], seed: 11, visitOffsets: { V2: 1 } });
    const r = runAgree(st.ratings, st.scores, { parameter: 'ERYIDX', region: 'full_face', scale: 'erythema:0-4', bootstrap: 0 });
    const d = r.calibration.drift;
    if (!d || isNotComputed(d)) throw new Error('drift');
    expect(d.visits).toEqual(['V1', 'V2']);
    expect(d.p).toBeLessThan(0.001);
    expect(Math.abs(d.visitOffsets[0].estimate - -0.5)).toBeLessThan(3 * d.visitOffsets[0].se);
    expect(Math.abs(d.visitOffsets[1].estimate - 0.5)).toBeLessThan(3 * d.visitOffsets[1].se);
    const none = report.calibration.drift;
    if (!none || isNotComputed(none)) throw new Error('drift');
    for (const o of none.visitOffsets) expect(Math.abs(o.estimate)).toBeLessThan(3 * o.se);
    expect(none.readerByVisit && !isNotComputed(none.readerByVisit) ? none.readerByVisit.df : 0).toBe(2);
    expect(agreeReportText(r)).toMatch(/drift across visits .* LR χ² [\d.]+ on 1 df, p <0\.001/);
  });

  it('over 40 simulated studies the 95% cut-point intervals cover the truth in about 95% of cases', () => {
    let cover = 0;
    let total = 0;
    const dir = mkdtempSync(path.join(tmp, 'coverage-'));
    for (let seed = 101; seed <= 140; seed++) {
      const st = simulateStudy(dir, { subjects: 60, visits: ['V1', 'V2'], readers: READERS, beta: 1, cuts: [4, 8, 12, 16], seed });
      const fit = runAgree(st.ratings, st.scores, { parameter: 'ERYIDX', region: 'full_face', scale: 'erythema:0-4', folds: 2, bootstrap: 0 }).calibration.fit;
      if (isNotComputed(fit)) throw new Error(fit.message);
      fit.cutPoints.forEach((c, j) => {
        total++;
        if (c.lower < st.truth.cuts[j] && st.truth.cuts[j] < c.upper) cover++;
      });
    }
    // 160 intervals: binomial SE of the coverage is 1.7 points
    expect(total).toBe(160);
    expect(cover / total).toBeGreaterThan(0.89);
    expect(cover / total).toBeLessThan(0.995);
  });

  it('rater-rater and rater-score statistics are those of the matrix the study wrote (the join loses nothing)', () => {
    expect(report.readers).toEqual(['R1', 'R2', 'R3']);
    expect(report.counts).toMatchObject({ items: 120, itemsWithScore: 120, grades: 360, ratingsWithoutScore: 0 });
    expect(report.joinedOn).toBe('PHOTOID');
    const matrix = study.rows.map((r) => READERS.map((x) => r.grades[x.id]));
    const rr = report.raterRater!;
    if (isNotComputed(rr.icc)) throw new Error(rr.icc.message);
    expect(rr.icc.forms.ICC2.value).toBeCloseTo(icc(matrix).forms.ICC2.value, 12);
    const s1 = report.raterScore.find((s) => s.reader === 'R1')!;
    if (isNotComputed(s1.spearman)) throw new Error(s1.spearman.message);
    expect(s1.spearman.estimate).toBeCloseTo(spearman(study.rows.map((r) => r.score), study.rows.map((r) => r.grades.R1)).estimate, 12);
    expect(report.raterScore.map((s) => s.reader)).toEqual(['R1', 'R2', 'R3', 'mean of readers']);
    expect(rr.kappa.map((k) => `${k.readerA}-${k.readerB}`)).toEqual(['R1-R2', 'R1-R3', 'R2-R3']);
    // three readers: Bland–Altman of the readers' mean grade against the calibrated score
    expect(report.blandAltman?.kind).toBe('rater-calibrated');
  });

  it('the region and parameter select the score (cheek_left = half the full-face score halves the cut-points)', () => {
    const cheek = runAgree(study.ratings, study.scores, { parameter: 'ERYIDX', region: 'cheek_left', scale: 'erythema:0-4', bootstrap: 0 });
    const a = report.calibration.fit;
    const b = cheek.calibration.fit;
    if (isNotComputed(a) || isNotComputed(b)) throw new Error('fit');
    b.cutPoints.forEach((c, j) => expect(c.value).toBeCloseTo(a.cutPoints[j].value / 2, 4));
  });

  it('two readers: Bland–Altman of reader A − reader B, bias = mean difference', () => {
    const two = path.join(tmp, 'two.csv');
    writeFileSync(two, readFileSync(study.ratings, 'utf8').split('\n').filter((l) => !l.includes(',R3,')).join('\n'));
    const r = runAgree(two, study.scores, { parameter: 'ERYIDX', region: 'full_face', scale: 'erythema:0-4', bootstrap: 0 });
    expect(r.blandAltman?.kind).toBe('rater-rater');
    const ba = r.blandAltman!.result;
    if (isNotComputed(ba)) throw new Error(ba.message);
    const d = study.rows.map((x) => x.grades.R1 - x.grades.R2);
    expect(ba.meanDiff).toBeCloseTo(d.reduce((s, v) => s + v, 0) / d.length, 12);
    expect(ba.n).toBe(120);
  });

  it('text, JSON and HTML carry the numbers; the HTML is self-contained with two inline SVG plots', () => {
    const text = agreeReportText(report);
    expect(text).toContain('ICC(2,1)');
    expect(text).toMatch(/cut-points on the ERYIDX scale \(average reader\)/);
    const json = JSON.parse(agreeReportJson(report));
    expect(json.format).toBe('dermametrics-agree-1');
    expect(json.calibration.fit.calibration.format).toBe('dermametrics-calibration');
    const html = agreeReportHtml(report);
    expect(html.match(/<svg /g)?.length).toBe(2);
    expect(html).not.toMatch(/<script|<link|src=|url\(|@import/i);
    expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toMatch(/https?:/);
    const files = writeAgreeReport(report, path.join(tmp, 'out'));
    expect(Object.keys(files).sort()).toEqual(['calibration', 'html', 'json', 'text']);
    // deterministic: same inputs, same bytes
    expect(agreeReportJson(runAgree(study.ratings, study.scores, { parameter: 'ERYIDX', region: 'full_face', scale: 'erythema:0-4', bootstrap: 100 }))).toBe(readFileSync(files.json, 'utf8'));
  });
});

describe('agree: degenerate input gets a clear error or a NaN-free result', () => {
  it('a reader who gives one grade to everything: statistics that need variation say so; no NaN anywhere', () => {
    const f = path.join(tmp, 'flat.csv');
    writeFileSync(f, readFileSync(study.ratings, 'utf8').split('\n').map((l) => (l.includes(',R3,') ? l.replace(/,erythema,\d,/, ',erythema,2,') : l)).join('\n'));
    const r = runAgree(f, study.scores, { parameter: 'ERYIDX', region: 'full_face', scale: 'erythema:0-4', bootstrap: 0 });
    const r3 = r.raterScore.find((s) => s.reader === 'R3')!;
    expect(isNotComputed(r3.spearman)).toBe(true);
    expect(isNotComputed(r3.kendallTauB)).toBe(true);
    const json = agreeReportJson(r);
    expect(json).not.toMatch(/NaN|Infinity/);
    expect(agreeReportText(r)).toMatch(/R3 .*not computed/);
    expect(agreeReportHtml(r)).not.toMatch(/NaN/);
  });

  it('one reader: no rater-rater section (noted), Bland–Altman of the reader against the calibrated score', () => {
    const one = path.join(tmp, 'one-reader.csv');
    writeFileSync(one, readFileSync(study.ratings, 'utf8').split('\n').filter((l) => !/,R[23],/.test(l)).join('\n'));
    const r = runAgree(one, study.scores, { parameter: 'ERYIDX', region: 'full_face', scale: 'erythema:0-4', bootstrap: 0 });
    expect(r.raterRater).toBeNull();
    expect(r.notes.join(' ')).toMatch(/One reader only/);
    expect(r.blandAltman).toMatchObject({ kind: 'rater-calibrated', a: 'R1' });
    const fit = r.calibration.fit;
    if (isNotComputed(fit)) throw new Error(fit.message);
    expect(fit.readerFactor).toBe(false);
    expect(fit.readerOffsets).toBeNull();
    expect(agreeReportHtml(r).match(/<svg /g)?.length).toBe(2);
  });

  it('a single subject with one photo: rater-rater and calibration are not computed, with reasons', () => {
    const one = path.join(tmp, 'one.csv');
    const lines = readFileSync(study.ratings, 'utf8').split('\n');
    writeFileSync(one, [lines[0], ...lines.filter((l) => l.startsWith('S001,V1,'))].join('\n'));
    const r = runAgree(one, study.scores, { parameter: 'ERYIDX', region: 'full_face', scale: 'erythema:0-4', bootstrap: 0 });
    expect(r.counts.items).toBe(1);
    expect(isNotComputed(r.raterRater!.icc)).toBe(true);
    expect(agreeReportJson(r)).not.toMatch(/NaN|Infinity/);
    expect(agreeReportText(r)).toMatch(/not computed/);
  });

  it('mismatched ids, an ambiguous parameter, a grade outside the declared scale and a duplicate are errors', () => {
    const other = path.join(tmp, 'other-scores.csv');
    writeFileSync(other, readFileSync(study.scores, 'utf8').replace(/\bph(\d+)_/g, 'zz$1_').replace(/\bS0/g, 'T0'));
    expect(() => runAgree(study.ratings, other, { parameter: 'ERYIDX', region: 'full_face' })).toThrow(expect.objectContaining({ code: 'E_BAD_RATINGS', message: expect.stringMatching(/None of the 360 erythema grades matches/) }));
    expect(() => runAgree(study.ratings, study.scores, { region: 'full_face' })).toThrow(expect.objectContaining({ code: 'E_INVALID_OPTION', message: expect.stringMatching(/2 parameters \(ERYIDX, WRKDENS\).*--parameter/) }));
    expect(() => runAgree(study.ratings, study.scores, { parameter: 'ERYIDX' })).toThrow(expect.objectContaining({ message: expect.stringMatching(/--region/) }));
    expect(() => runAgree(study.ratings, study.scores, { parameter: 'ERYIDX', region: 'full_face', scale: 'erythema:0-3' })).toThrow(expect.objectContaining({ code: 'E_BAD_RATINGS', message: expect.stringMatching(/not an integer from 0 to 3/) }));
    const dup = path.join(tmp, 'dup.csv');
    const lines = readFileSync(study.ratings, 'utf8').trimEnd().split('\n');
    writeFileSync(dup, [...lines, lines[1]].join('\n'));
    expect(() => runAgree(dup, study.scores, { parameter: 'ERYIDX', region: 'full_face' })).toThrow(expect.objectContaining({ code: 'E_BAD_RATINGS', message: expect.stringMatching(/graded .* twice/) }));
    expect(() => runAgree(path.join(tmp, 'nope.csv'), study.scores)).toThrow(expect.objectContaining({ code: 'E_NOT_FOUND' }));
  });
});
