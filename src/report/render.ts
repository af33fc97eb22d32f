import type { BlandAltmanResult } from '../agreement/bland-altman';
import type { IccResult, IccType } from '../agreement/icc';
import type { KappaResult } from '../agreement/kappa';
import type { CorrelationResult } from '../agreement/rank';
import { isNotComputed, type AgreeReport, type Stat } from './agree';
import { escapeXml } from '../markup';
import { PALETTE, scatterSvg } from './svg';

const ICC_ORDER: IccType[] = ['ICC1', 'ICC2', 'ICC3', 'ICC1k', 'ICC2k', 'ICC3k'];
const ICC_MEANING: Record<IccType, string> = {
  ICC1: 'one-way random, single rater',
  ICC2: 'two-way random, absolute agreement, single rater',
  ICC3: 'two-way mixed, consistency, single rater',
  ICC1k: 'one-way random, mean of k raters',
  ICC2k: 'two-way random, absolute agreement, mean of k raters',
  ICC3k: 'two-way mixed, consistency, mean of k raters',
};

/** fixed decimals, '−' for negatives; NaN/undefined never reach here (NotComputed is handled by callers) */
export function fmt(v: number, d = 3): string {
  if (!Number.isFinite(v)) return v > 0 ? '∞' : v < 0 ? '−∞' : 'n/a';
  const s = v.toFixed(d);
  return s.startsWith('-') && Number(s) !== 0 ? `−${s.slice(1)}` : s.replace(/^-/, '');
}

export function fmtP(p: number): string {
  return p < 0.001 ? '<0.001' : fmt(p, 3);
}

const ci = (lo: number, hi: number, d = 3): string => `[${fmt(lo, d)}, ${fmt(hi, d)}]`;
const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;

function stat<T>(s: Stat<T>, show: (v: T) => string): string {
  return isNotComputed(s) ? `not computed (${s.message})` : show(s);
}

const kappaText = (k: Pick<KappaResult, 'kappa' | 'lower' | 'upper'>): string => `${fmt(k.kappa)} ${ci(k.lower, k.upper)}`;
const corrText = (c: CorrelationResult): string => `${fmt(c.estimate)} (p ${fmtP(c.p)})`;

function baText(b: BlandAltmanResult): string[] {
  return [
    `bias ${fmt(b.meanDiff)} ${ci(b.ciBias[0], b.ciBias[1])}, SD of differences ${fmt(b.sdDiff)}, n ${b.n}`,
    `limits of agreement ${fmt(b.loa[0])} ${ci(b.ciLowerLoaExact[0], b.ciLowerLoaExact[1])} to ${fmt(b.loa[1])} ${ci(b.ciUpperLoaExact[0], b.ciUpperLoaExact[1])} (exact CIs)`,
    `proportional bias: slope of difference on mean ${fmt(b.proportionalBias.slope)} ${ci(b.proportionalBias.ciSlope[0], b.proportionalBias.ciSlope[1])}, p ${fmtP(b.proportionalBias.p)}`,
  ];
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function header(r: AgreeReport): string[] {
  return [
    `${r.scale.name} grades (${r.scale.min}–${r.scale.max}${r.scale.declared ? '' : ', range from the data'}) versus ${r.parameter} in region ${r.region}`,
    `${r.counts.items} items (${r.counts.itemsWithScore} with a score), ${r.readers.length} reader(s) (${r.readers.join(', ')}), ${r.counts.grades} grades; matched on ${r.joinedOn}`,
  ];
}

/** The report as plain text (what `dermametrics agree` prints). */
export function agreeReportText(r: AgreeReport): string {
  const L: string[] = ['dermametrics agree', ...header(r), ''];
  const rr = r.raterRater;
  if (rr) {
    L.push(`Rater–rater agreement (${rr.completeItems} items graded by every reader)`);
    if (isNotComputed(rr.icc)) L.push(`  ICC: not computed (${rr.icc.message})`);
    else {
      const res: IccResult = rr.icc;
      for (const t of ICC_ORDER) {
        const e = res.forms[t];
        L.push(`  ${pad(`${e.label} ${ICC_MEANING[t]}`, 62)} ${fmt(e.value)} ${ci(e.lower, e.upper)}  F(${e.df1}, ${fmt(e.df2, e.df2 % 1 ? 1 : 0)}) = ${fmt(e.F, 2)}, p ${fmtP(e.p)}`);
      }
    }
    L.push(`  ${pad("Krippendorff's alpha, ordinal", 62)} ${stat(rr.krippendorff.ordinal, (k) => fmt(k.alpha))}`);
    L.push(`  ${pad("Krippendorff's alpha, interval", 62)} ${stat(rr.krippendorff.interval, (k) => fmt(k.alpha))}`);
    L.push(`  ${pad("Fleiss' kappa (nominal)", 62)} ${stat(rr.fleiss, (f) => `${fmt(f.kappa)} (z ${fmt(f.z, 2)}, p ${fmtP(f.p)})`)}`);
    L.push(`  ${pad("Kendall's W", 62)} ${stat(rr.kendallW, (w) => `${fmt(w.W)} (χ² ${fmt(w.chisq, 2)} on ${w.df} df, p ${fmtP(w.p)})`)}`);
    L.push("  Cohen's kappa by pair           n   unweighted              linear                  quadratic");
    for (const k of rr.kappa) {
      L.push(`    ${pad(`${k.readerA} – ${k.readerB}`, 28)} ${pad(String(k.n), 3)} ${pad(stat(k.unweighted, kappaText), 23)} ${pad(stat(k.linear, kappaText), 23)} ${stat(k.quadratic, kappaText)}`);
    }
    L.push('');
  }
  if (r.intraRater) {
    L.push('Intra-reader agreement (photos shown twice under different codes)');
    L.push(`  ${pad('reader', 20)} ${pad('n', 5)} ${pad('exact', 8)} ${pad('within 1', 9)} quadratic kappa`);
    for (const x of r.intraRater) L.push(`  ${pad(x.reader, 20)} ${pad(String(x.n), 5)} ${pad(pct(x.exact), 8)} ${pad(pct(x.withinOne), 9)} ${stat(x.kappaQuadratic, kappaText)}`);
    L.push('');
  }
  L.push(`Rater–score agreement (${r.parameter})`);
  L.push(`  ${pad('reader', 20)} ${pad('n', 5)} ${pad("Spearman's rho", 24)} Kendall's tau-b`);
  for (const s of r.raterScore) L.push(`  ${pad(s.reader, 20)} ${pad(String(s.n), 5)} ${pad(stat(s.spearman, corrText), 24)} ${stat(s.kendallTauB, corrText)}`);
  L.push('');
  const c = r.calibration;
  L.push(`Calibration: proportional odds, grade ~ ${c.predictor}${!isNotComputed(c.fit) && c.fit.readerFactor ? ' + reader (sum-coded)' : ''}, ${c.n} grades, levels ${c.levels.join(', ')}`);
  if (c.unusedGrades.length) L.push(`  grades never given to a scored photo (left out of the model): ${c.unusedGrades.join(', ')}`);
  if (isNotComputed(c.fit)) L.push(`  not computed (${c.fit.message})`);
  else {
    const f = c.fit;
    L.push(`  slope ${fmt(f.slope.estimate, 4)} (SE ${fmt(f.slope.se, 4)}) logits per ${c.predictor} unit`);
    const bs = f.bootstrap;
    L.push(`  cut-points on the ${c.predictor} scale${f.readerFactor ? ' (average reader)' : ''}: estimate, Wald CI${bs ? `, subject-bootstrap CI (${bs.replicates - bs.failed} of ${bs.replicates} replicates)` : ''}`);
    f.cutPoints.forEach((p, k) => L.push(`    ${pad(p.name, 8)} ${fmt(p.value, 3)} ${ci(p.lower, p.upper)}${bs ? ` ${ci(bs.cutPoints[k].lower, bs.cutPoints[k].upper)}` : ''}`));
    if (f.readerOffsets) {
      L.push(`  reader severity offsets (positive = grades higher for the same score):`);
      for (const o of f.readerOffsets) L.push(`    ${pad(o.level, 20)} ${fmt(o.estimate)} logits (SE ${fmt(o.se)}, p ${fmtP(o.p)}) = ${fmt(o.inPredictorUnits)} ${c.predictor} units`);
    }
  }
  if (c.drift) {
    if (isNotComputed(c.drift)) L.push(`  drift across visits: not computed (${c.drift.message})`);
    else {
      const d = c.drift;
      L.push(`  drift across visits (grades for the same score; positive = higher at that visit): LR χ² ${fmt(d.lrChisq, 2)} on ${d.df} df, p ${fmtP(d.p)}`);
      for (const o of d.visitOffsets) L.push(`    ${pad(o.level, 20)} ${fmt(o.estimate)} logits (SE ${fmt(o.se)}) = ${fmt(o.inPredictorUnits)} ${c.predictor} units`);
      if (d.readerByVisit) L.push(`  reader-specific drift (reader × visit): ${stat(d.readerByVisit, (x) => `LR χ² ${fmt(x.lrChisq, 2)} on ${x.df} df, p ${fmtP(x.p)}`)}`);
    }
  }
  L.push(`  cross-validated prediction: ${stat(c.crossValidation, (v) => `${v.folds}-fold, exact ${pct(v.exactAgreement)}, within one grade ${pct(v.withinOne)}, quadratic kappa ${v.kappaQuadratic ? kappaText(v.kappaQuadratic) : 'n/a'}`)}`);
  L.push('');
  if (r.blandAltman) {
    L.push(`Bland–Altman: ${r.blandAltman.a} − ${r.blandAltman.b}`);
    if (isNotComputed(r.blandAltman.result)) L.push(`  not computed (${r.blandAltman.result.message})`);
    else for (const line of baText(r.blandAltman.result)) L.push(`  ${line}`);
    L.push('');
  }
  if (r.notes.length) {
    L.push('Notes');
    for (const n of r.notes) L.push(`  - ${n}`);
  }
  return L.join('\n') + '\n';
}

function td(s: string | number, cls = ''): string {
  return `<td${cls ? ` class="${cls}"` : ''}>${escapeXml(String(s))}</td>`;
}

function statCell<T>(s: Stat<T>, show: (v: T) => string): string {
  return isNotComputed(s) ? `<td class="na" title="${escapeXml(s.message)}">not computed: ${escapeXml(s.message)}</td>` : td(show(s), 'num');
}

/** Bland–Altman plot SVG, or '' when there is none. */
export function blandAltmanSvg(r: AgreeReport): string {
  const ba = r.blandAltman;
  if (!ba) return '';
  const res = isNotComputed(ba.result) ? null : ba.result;
  const lines = res
    ? [
        { at: res.meanDiff, orientation: 'h' as const, label: `bias ${fmt(res.meanDiff, 2)}`, colour: '#000000' },
        { at: res.loa[0], orientation: 'h' as const, label: `−LoA ${fmt(res.loa[0], 2)}`, dash: true, colour: '#D55E00' },
        { at: res.loa[1], orientation: 'h' as const, label: `+LoA ${fmt(res.loa[1], 2)}`, dash: true, colour: '#D55E00' },
        { at: 0, orientation: 'h' as const, colour: '#999999' },
      ]
    : [];
  const bands = res
    ? [
        { from: res.ciBias[0], to: res.ciBias[1], orientation: 'h' as const, colour: '#000000' },
        { from: res.ciLowerLoaExact[0], to: res.ciLowerLoaExact[1], orientation: 'h' as const, colour: '#D55E00' },
        { from: res.ciUpperLoaExact[0], to: res.ciUpperLoaExact[1], orientation: 'h' as const, colour: '#D55E00' },
      ]
    : [];
  // identical (mean, diff) pairs are common with integer grades: spread them a little so counts are visible
  const seen = new Map<string, number>();
  const points = ba.points.map((p) => {
    const k = `${p.mean}|${p.diff}`;
    const n = seen.get(k) ?? 0;
    seen.set(k, n + 1);
    const off = n === 0 ? 0 : 0.04 * Math.ceil(n / 2) * (n % 2 ? 1 : -1);
    return { x: p.mean + off, y: p.diff, title: `${p.id}: mean ${fmt(p.mean, 2)}, difference ${fmt(p.diff, 2)}` };
  });
  return scatterSvg({
    title: `Bland–Altman: ${ba.a} − ${ba.b}`,
    xLabel: ba.kind === 'rater-rater' ? `mean grade of ${ba.a} and ${ba.b}` : `mean of (${ba.a}) and (expected grade from the score)`,
    yLabel: `difference (${ba.a} − ${ba.kind === 'rater-rater' ? ba.b : 'calibrated'})`,
    points,
    lines,
    bands,
  });
}

/** Score-versus-grade plot SVG: each reader's grades (slightly offset per reader), expected grade curve, cut-points. */
export function scoreGradeSvg(r: AgreeReport): string {
  const R = r.readers.length;
  const points = r.scoreGrade.map((p) => {
    const g = r.readers.indexOf(p.reader);
    const off = R > 1 ? (g - (R - 1) / 2) * Math.min(0.08, 0.4 / R) : 0;
    return { x: p.score, y: p.grade + off, group: g, title: `${p.id} ${p.reader}: ${r.parameter} ${fmt(p.score, 3)}, grade ${p.grade}` };
  });
  const c = r.calibration;
  const cps = isNotComputed(c.fit) ? [] : c.fit.cutPoints;
  const bsc = isNotComputed(c.fit) ? null : (c.fit.bootstrap?.cutPoints ?? null);
  const yTicks: number[] = [];
  for (let g = r.scale.min; g <= r.scale.max; g++) yTicks.push(g);
  return scatterSvg({
    title: `${r.parameter} (${r.region}) versus ${r.scale.name} grade`,
    xLabel: `${r.parameter} (${r.region})`,
    yLabel: `${r.scale.name} grade`,
    points,
    groups: r.readers,
    yTicks,
    yDomain: [r.scale.min - 0.5, r.scale.max + 0.5],
    curves: c.curve.length ? [{ points: c.curve.map((p) => ({ x: p.score, y: p.expectedGrade })), colour: '#333333', label: 'expected grade' }] : [],
    lines: cps.map((p) => ({ at: p.value, orientation: 'v' as const, label: p.name, dash: true, colour: '#009E73' })),
    // each cut-point's 95% CI as a bar between the two grades it separates
    intervals: cps.map((p, k) => ({ from: bsc ? bsc[k].lower : p.lower, to: bsc ? bsc[k].upper : p.upper, at: (c.levels[k] + c.levels[k + 1]) / 2, colour: '#009E73' })),
  });
}

const CSS = `body{font-family:Helvetica,Arial,sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;font-size:13px}
th{background:#f3f3f3}td.num{font-variant-numeric:tabular-nums;white-space:nowrap}td.na{color:#a33;font-size:12px}
.plots{display:flex;flex-wrap:wrap;gap:16px}.note{color:#555;font-size:13px}svg{max-width:100%;height:auto}`;

/** The report as one self-contained HTML page (inline CSS and SVG, no scripts, no external assets). */
export function agreeReportHtml(r: AgreeReport): string {
  const H: string[] = [];
  H.push('<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">', `<title>Agreement: ${escapeXml(r.scale.name)} vs ${escapeXml(r.parameter)}</title>`, `<style>${CSS}</style></head><body>`);
  H.push(`<h1>Reader agreement and score calibration</h1>`);
  for (const l of header(r)) H.push(`<p>${escapeXml(l)}</p>`);
  H.push('<div class="plots">', scoreGradeSvg(r), blandAltmanSvg(r), '</div>');
  const rr = r.raterRater;
  if (rr) {
    H.push(`<h2>Rater–rater agreement</h2><p class="note">${rr.completeItems} items graded by every reader (ICC, Fleiss, Kendall's W); Krippendorff's alpha and the pairwise kappas use every graded pair.</p>`);
    H.push('<table><tr><th>statistic</th><th>meaning</th><th>estimate</th><th>95% CI</th><th>test</th></tr>');
    if (isNotComputed(rr.icc)) H.push(`<tr>${td('ICC')}${td('')}${statCell(rr.icc, () => '')}${td('')}${td('')}</tr>`);
    else {
      for (const t of ICC_ORDER) {
        const e = rr.icc.forms[t];
        H.push(`<tr>${td(`${e.label} = ${e.mcGrawWong}`)}${td(ICC_MEANING[t])}${td(fmt(e.value), 'num')}${td(ci(e.lower, e.upper), 'num')}${td(`F(${e.df1}, ${fmt(e.df2, e.df2 % 1 ? 1 : 0)}) = ${fmt(e.F, 2)}, p ${fmtP(e.p)}`, 'num')}</tr>`);
      }
    }
    H.push(`<tr>${td("Krippendorff's α")}${td('ordinal metric')}${statCell(rr.krippendorff.ordinal, (k) => fmt(k.alpha))}${td('')}${td('')}</tr>`);
    H.push(`<tr>${td("Krippendorff's α")}${td('interval metric')}${statCell(rr.krippendorff.interval, (k) => fmt(k.alpha))}${td('')}${td('')}</tr>`);
    H.push(`<tr>${td("Fleiss' κ")}${td('nominal, all readers')}${statCell(rr.fleiss, (f) => fmt(f.kappa))}${td('')}${isNotComputed(rr.fleiss) ? td('') : td(`z ${fmt(rr.fleiss.z, 2)}, p ${fmtP(rr.fleiss.p)}`, 'num')}</tr>`);
    H.push(`<tr>${td("Kendall's W")}${td('concordance of rankings')}${statCell(rr.kendallW, (w) => fmt(w.W))}${td('')}${isNotComputed(rr.kendallW) ? td('') : td(`χ² ${fmt(rr.kendallW.chisq, 2)} on ${rr.kendallW.df} df, p ${fmtP(rr.kendallW.p)}`, 'num')}</tr>`);
    H.push('</table>');
    H.push("<table><tr><th>Cohen's κ by pair</th><th>n</th><th>unweighted</th><th>linear weights</th><th>quadratic weights</th></tr>");
    for (const k of rr.kappa) H.push(`<tr>${td(`${k.readerA} – ${k.readerB}`)}${td(k.n, 'num')}${statCell(k.unweighted, kappaText)}${statCell(k.linear, kappaText)}${statCell(k.quadratic, kappaText)}</tr>`);
    H.push('</table>');
  }
  if (r.intraRater) {
    H.push('<h2>Intra-reader agreement</h2><p class="note">Photos shown twice under different codes: each reader\'s first and second grade.</p>');
    H.push("<table><tr><th>reader</th><th>n</th><th>exact</th><th>within one grade</th><th>quadratic κ</th></tr>");
    for (const x of r.intraRater) H.push(`<tr>${td(x.reader)}${td(x.n, 'num')}${td(pct(x.exact), 'num')}${td(pct(x.withinOne), 'num')}${statCell(x.kappaQuadratic, kappaText)}</tr>`);
    H.push('</table>');
  }
  H.push(`<h2>Rater–score agreement</h2><table><tr><th>reader</th><th>n</th><th>Spearman's ρ</th><th>Kendall's τ-b</th></tr>`);
  for (const s of r.raterScore) H.push(`<tr>${td(s.reader)}${td(s.n, 'num')}${statCell(s.spearman, corrText)}${statCell(s.kendallTauB, corrText)}</tr>`);
  H.push('</table>');
  const c = r.calibration;
  H.push(`<h2>Score-to-grade calibration</h2><p class="note">Proportional-odds model, grade ~ ${escapeXml(c.predictor)}${!isNotComputed(c.fit) && c.fit.readerFactor ? ' + reader (sum-coded; cut-points for the average reader)' : ''}; ${c.n} grades; levels ${c.levels.join(', ')}${c.unusedGrades.length ? `; never given to a scored photo: ${c.unusedGrades.join(', ')}` : ''}.</p>`);
  if (isNotComputed(c.fit)) H.push(`<p class="na">Not computed: ${escapeXml(c.fit.message)}</p>`);
  else {
    const f = c.fit;
    H.push(`<p>Slope ${fmt(f.slope.estimate, 4)} (SE ${fmt(f.slope.se, 4)}) logits per ${escapeXml(c.predictor)} unit.</p>`);
    const bs = f.bootstrap;
    H.push(`<table><tr><th>cut-point</th><th>${escapeXml(c.predictor)}</th><th>Wald CI (delta method)</th>${bs ? `<th>subject-bootstrap CI (${bs.replicates - bs.failed}/${bs.replicates})</th>` : ''}</tr>`);
    f.cutPoints.forEach((p, k) => H.push(`<tr>${td(p.name)}${td(fmt(p.value), 'num')}${td(ci(p.lower, p.upper), 'num')}${bs ? td(ci(bs.cutPoints[k].lower, bs.cutPoints[k].upper), 'num') : ''}</tr>`));
    H.push('</table>');
    if (f.readerOffsets) {
      H.push(`<table><tr><th>reader</th><th>severity offset (logits)</th><th>SE</th><th>p</th><th>in ${escapeXml(c.predictor)} units</th></tr>`);
      for (const o of f.readerOffsets) H.push(`<tr>${td(o.level)}${td(fmt(o.estimate), 'num')}${td(fmt(o.se), 'num')}${td(fmtP(o.p), 'num')}${td(fmt(o.inPredictorUnits), 'num')}</tr>`);
      H.push('</table><p class="note">A positive offset: the reader grades higher than the average reader for the same score (as if the score were that many units higher).</p>');
    }
  }
  if (c.drift) {
    if (isNotComputed(c.drift)) H.push(`<p class="na">Drift across visits not computed: ${escapeXml(c.drift.message)}</p>`);
    else {
      const d = c.drift;
      H.push(`<p>Drift across visits (grades for the same score; positive = graded higher at that visit): likelihood-ratio χ² ${fmt(d.lrChisq, 2)} on ${d.df} df, p ${fmtP(d.p)}${d.readerByVisit ? `; reader-specific drift (reader × visit): ${isNotComputed(d.readerByVisit) ? `not computed (${escapeXml(d.readerByVisit.message)})` : `χ² ${fmt(d.readerByVisit.lrChisq, 2)} on ${d.readerByVisit.df} df, p ${fmtP(d.readerByVisit.p)}`}` : ''}.</p>`);
      H.push(`<table><tr><th>visit</th><th>offset (logits)</th><th>SE</th><th>in ${escapeXml(c.predictor)} units</th></tr>`);
      for (const o of d.visitOffsets) H.push(`<tr>${td(o.level)}${td(fmt(o.estimate), 'num')}${td(fmt(o.se), 'num')}${td(fmt(o.inPredictorUnits), 'num')}</tr>`);
      H.push('</table>');
    }
  }
  if (isNotComputed(c.crossValidation)) H.push(`<p class="na">Cross-validation not computed: ${escapeXml(c.crossValidation.message)}</p>`);
  else {
    const v = c.crossValidation;
    H.push(`<p>${v.folds}-fold cross-validated predicted grade: exact ${pct(v.exactAgreement)}, within one grade ${pct(v.withinOne)}, quadratic-weighted κ ${v.kappaQuadratic ? kappaText(v.kappaQuadratic) : 'n/a'} (n ${v.n}).</p>`);
    H.push(`<table><tr><th>observed \\ predicted</th>${c.levels.map((l) => `<th>${l}</th>`).join('')}</tr>`);
    v.confusion.forEach((row, i) => H.push(`<tr><th>${c.levels[i]}</th>${row.map((x) => td(x, 'num')).join('')}</tr>`));
    H.push('</table>');
  }
  if (r.blandAltman) {
    H.push(`<h2>Bland–Altman: ${escapeXml(r.blandAltman.a)} − ${escapeXml(r.blandAltman.b)}</h2>`);
    if (isNotComputed(r.blandAltman.result)) H.push(`<p class="na">Not computed: ${escapeXml(r.blandAltman.result.message)}</p>`);
    else H.push(`<ul>${baText(r.blandAltman.result).map((l) => `<li>${escapeXml(l)}</li>`).join('')}</ul>`);
  }
  if (r.notes.length) H.push(`<h2>Notes</h2><ul>${r.notes.map((n) => `<li>${escapeXml(n)}</li>`).join('')}</ul>`);
  H.push(`<p class="note" style="margin-top:32px">Readers: ${r.readers.map((x, i) => `<span style="color:${PALETTE[i % PALETTE.length]}">■</span> ${escapeXml(x)}`).join(' ')}. Report format ${r.format}.</p>`);
  H.push('</body></html>');
  return H.join('\n') + '\n';
}
