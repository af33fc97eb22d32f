import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { escapeXml } from '../markup';
import { VERSION } from '../version';
import { longRows, type LongRow } from './long';
import type { ManifestInfo } from '../score/types';
import type { ErrorRecord, ResultRecord } from './records';

/**
 * report.html for a batch: per-parameter, per-region plots of the mean by visit and arm (±1 standard error) and of
 * the mean change from baseline, the QC and error counts, and overlay thumbnails (from `overlays/<photo id>.jpg`
 * when the run wrote them). One self-contained file: inline SVG and CSS, images as data: URIs, no scripts, no
 * external assets. Deterministic for the same inputs.
 */

/** Colour-blind-safe palette [Okabe2008]. */
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];
/** Parameters shown first when present (the headline erythema and wrinkle measures). */
const PREFERRED_PARAMS = ['HBIMEAN', 'ASTMEAN', 'EIMEAN', 'ERYAREA', 'WRKDENS', 'WRKAREA', 'WRKLEN', 'WRKDEPTH'];
const PREFERRED_REGIONS = ['full_face', 'cheek_left', 'cheek_right', 'forehead', 'periorbital_left', 'periorbital_right', 'perioral', 'nose', 'chin', 'glabella', 'hemiface_left', 'hemiface_right', 'whole'];
const MAX_PARAMS = 8;
const MAX_REGIONS = 6;
const MAX_THUMB_SUBJECTS = 12;

function fmt(v: number): string {
  if (!Number.isFinite(v)) return '';
  if (v === 0) return '0';
  const a = Math.abs(v);
  const s = a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toFixed(3);
  return s === '-0' || /^-0\.0+$/.test(s) ? s.slice(1) : s;
}

function niceTicks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? 10 * mag; // [Heckbert1990]
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Math.round(t / step) * step);
  return out;
}

interface Series {
  name: string;
  colour: string;
  points: { x: number; mean: number; se: number; n: number }[];
}


function lineChart(title: string, yLabel: string, visits: string[], series: Series[], zeroLine: boolean): string {
  const W = 300;
  const H = 190;
  const m = { l: 46, r: 24, t: 22, b: 34 };
  const all = series.flatMap((s) => s.points.flatMap((p) => [p.mean - p.se, p.mean + p.se]));
  if (zeroLine) all.push(0);
  if (all.length === 0) return `<svg class="chart" width="${W}" height="${H}" role="img"><text x="${W / 2}" y="${H / 2}" text-anchor="middle" class="muted">no data</text></svg>`;
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (hi - lo < 1e-9) {
    lo -= 1;
    hi += 1;
  }
  const pad = (hi - lo) * 0.08;
  lo -= pad;
  hi += pad;
  const xs = (i: number) => m.l + (visits.length === 1 ? (W - m.l - m.r) / 2 : ((W - m.l - m.r) * i) / (visits.length - 1));
  const ys = (v: number) => m.t + ((H - m.t - m.b) * (hi - v)) / (hi - lo);
  const parts: string[] = [];
  parts.push(`<svg class="chart" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeXml(title)}">`);
  parts.push(`<text x="${m.l}" y="14" class="ct">${escapeXml(title)}</text>`);
  for (const t of niceTicks(lo, hi, 4)) {
    const y = ys(t).toFixed(1);
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${y}" y2="${y}" class="grid"/><text x="${m.l - 4}" y="${y}" dy="3" text-anchor="end" class="tick">${fmt(t)}</text>`);
  }
  if (zeroLine && lo < 0 && hi > 0) parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${ys(0).toFixed(1)}" y2="${ys(0).toFixed(1)}" class="zero"/>`);
  visits.forEach((v, i) => parts.push(`<text x="${xs(i).toFixed(1)}" y="${H - m.b + 14}" text-anchor="middle" class="tick">${escapeXml(v.length > 10 ? `${v.slice(0, 9)}…` : v)}</text>`));
  parts.push(`<text transform="translate(11 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle" class="tick">${escapeXml(yLabel)}</text>`);
  series.forEach((s, k) => {
    const dx = (k - (series.length - 1) / 2) * 3; // dodge so error bars do not overlap
    const pts = s.points.map((p) => `${(xs(p.x) + dx).toFixed(1)},${ys(p.mean).toFixed(1)}`);
    if (pts.length > 1) parts.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${s.colour}" stroke-width="1.8"/>`);
    for (const p of s.points) {
      const x = (xs(p.x) + dx).toFixed(1);
      if (p.se > 0) parts.push(`<line x1="${x}" x2="${x}" y1="${ys(p.mean - p.se).toFixed(1)}" y2="${ys(p.mean + p.se).toFixed(1)}" stroke="${s.colour}"/>`);
      parts.push(`<circle cx="${x}" cy="${ys(p.mean).toFixed(1)}" r="3" fill="${s.colour}"><title>${escapeXml(s.name)} ${escapeXml(visits[p.x])}: mean ${fmt(p.mean)} ± ${fmt(p.se)} (n=${p.n})</title></circle>`);
    }
  });
  parts.push('</svg>');
  return parts.join('');
}

function pick<T>(present: T[], preferred: T[], max: number): T[] {
  const first = preferred.filter((p) => present.includes(p));
  const rest = present.filter((p) => !first.includes(p));
  return [...first, ...rest].slice(0, max);
}

interface Acc {
  n: number;
  sum: number;
  sumsq: number;
}

/**
 * Accumulates, photo by photo, what the plots need: count, sum and sum of squares of AVAL and of CHG per
 * parameter × region × arm × visit (baseline photos count as CHG = 0). Memory does not grow with the number of photos.
 */
export class ReportBuilder {
  private readonly acc = new Map<string, Acc>();
  private readonly meta = new Map<string, { param: string; unit: string }>();
  private readonly params: string[] = [];
  private readonly regions: string[] = [];
  private readonly combos = new Set<string>();

  add(rows: LongRow[]): void {
    for (const r of rows) {
      if (!this.meta.has(r.paramcd)) {
        this.meta.set(r.paramcd, { param: r.param, unit: r.unit });
        this.params.push(r.paramcd);
      }
      if (!this.regions.includes(r.region)) this.regions.push(r.region);
      this.combos.add(`${r.paramcd}\u0000${r.region}`);
      const arm = r.info.arm ?? '(no arm)';
      const put = (kind: string, v: number | null) => {
        if (v === null) return;
        const k = `${kind}\u0000${r.paramcd}\u0000${r.region}\u0000${arm}\u0000${r.info.visit}`;
        const a = this.acc.get(k) ?? { n: 0, sum: 0, sumsq: 0 };
        a.n++;
        a.sum += v;
        a.sumsq += v * v;
        this.acc.set(k, a);
      };
      put('v', r.aval);
      put('c', r.info.baseline ? (r.aval === null ? null : 0) : r.chg);
    }
  }

  private point(kind: string, p: string, region: string, arm: string, visit: string, x: number): Series['points'][number] | undefined {
    const a = this.acc.get(`${kind}\u0000${p}\u0000${region}\u0000${arm}\u0000${visit}`);
    if (!a || a.n === 0) return undefined;
    const mean = a.sum / a.n;
    const variance = a.n > 1 ? Math.max(0, (a.sumsq - a.n * mean * mean) / (a.n - 1)) : 0;
    return { x, mean, se: a.n > 1 ? Math.sqrt(variance / a.n) : 0, n: a.n };
  }

  /** The page. `photos`: every photo's manifest fields (scored and failed), with the scored ones' QC summary. */
  html(out: string, visits: string[], scored: { manifest: ManifestInfo; status: 'pass' | 'review'; flagCodes: string[] }[], errors: ErrorRecord[]): string {
    const all = [...scored.map((r) => r.manifest), ...errors.map((e) => e.manifest)].sort((a, b) => a.index - b.index);
    const arms = [...new Set(all.map((i) => i.arm ?? '(no arm)'))];
    const colour = (arm: string) => PALETTE[arms.indexOf(arm) % PALETTE.length];
    const params = pick(this.params, PREFERRED_PARAMS, MAX_PARAMS);
    const regions = pick(this.regions, PREFERRED_REGIONS, MAX_REGIONS);
    const review = scored.filter((r) => r.status === 'review').length;
    const flagCounts = new Map<string, number>();
    for (const r of scored) for (const c of r.flagCodes) flagCounts.set(c, (flagCounts.get(c) ?? 0) + 1);
    const flagList = [...flagCounts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([c, n]) => `<code>${escapeXml(c)}</code> ${n}`).join(' · ');
    const subjects = new Set(all.map((i) => i.subject)).size;

    const sections: string[] = [];
    for (const p of params) {
      const meta = this.meta.get(p)!;
      const cells: string[] = [];
      for (const region of regions) {
        if (!this.combos.has(`${p}\u0000${region}`)) continue;
        const series = (kind: string): Series[] =>
          arms.map((arm) => ({
            name: arm,
            colour: colour(arm),
            points: visits.map((v, x) => this.point(kind, p, region, arm, v, x)).filter((q): q is Series['points'][number] => q !== undefined),
          }));
        cells.push(
          `<figure>${lineChart(`${region}: ${p}`, meta.unit, visits, series('v'), false)}` +
            `${lineChart(`${region}: change from baseline`, `Δ ${meta.unit}`, visits, series('c'), true)}</figure>`,
        );
      }
      sections.push(`<section><h2>${escapeXml(p)} — ${escapeXml(meta.param)} <span class="muted">(${escapeXml(meta.unit)})</span></h2><div class="grid">${cells.join('')}</div></section>`);
    }

    // Overlay thumbnails: first subjects (manifest order) × visits.
    const overlayDir = path.join(out, 'overlays');
    const subjOrder = [...new Set(scored.map((r) => r.manifest.subject))].slice(0, MAX_THUMB_SUBJECTS);
    let thumbs = '';
    if (existsSync(overlayDir)) {
      const trs = subjOrder.map((s) => {
        const arm = scored.find((r) => r.manifest.subject === s)?.manifest.arm ?? '';
        const tds = visits.map((v) => {
          const r = scored.find((x) => x.manifest.subject === s && x.manifest.visit === v);
          const f = r && path.join(overlayDir, `${r.manifest.id}.jpg`);
          if (!f || !existsSync(f)) return '<td class="muted">—</td>';
          const src = `data:image/jpeg;base64,${readFileSync(f).toString('base64')}`;
          return `<td><img src="${src}" alt="${escapeXml(`${s} ${v}`)}" width="220"/></td>`;
        });
        return `<tr><th>${escapeXml(s)}<br/><span class="muted">${escapeXml(arm)}</span></th>${tds.join('')}</tr>`;
      });
      thumbs = `<section><h2>Overlays</h2><p class="muted">Each photo cropped to the face, with the measured regions outlined (first ${subjOrder.length} subjects).</p><table class="thumbs"><tr><th></th>${visits.map((v) => `<th>${escapeXml(v)}</th>`).join('')}</tr>${trs.join('')}</table></section>`;
    }

    const errRows = errors.slice(0, 50).map((e) => `<tr><td>${escapeXml(e.manifest.relPath)}</td><td><code>${escapeXml(e.code)}</code></td><td>${escapeXml(e.message)}</td></tr>`).join('');
    const legend = arms.map((a) => `<span class="key"><span class="sw" style="background:${colour(a)}"></span>${escapeXml(a)}</span>`).join('');
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"/><title>dermametrics batch report</title>
<style>
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#222;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.muted{color:#777}.grid{display:flex;flex-wrap:wrap;gap:10px}figure{margin:0;border:1px solid #eee;padding:4px;display:flex;flex-direction:column}
.chart .ct{font-size:11px;font-weight:600}.chart .tick{font-size:9.5px;fill:#555}.chart .grid{stroke:#eee}.chart .zero{stroke:#999;stroke-dasharray:3 3}
.key{margin-right:14px}.sw{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}
table{border-collapse:collapse}td,th{border:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top;font-size:12px}
.thumbs img{display:block;border-radius:2px}.stats td{font-variant-numeric:tabular-nums}
</style></head><body>
<h1>dermametrics batch report</h1>
<p class="muted">dermametrics ${escapeXml(VERSION)} · ${all.length} photos of ${subjects} subjects · ${visits.length} visits · arms: ${legend}</p>
<table class="stats"><tr><th>scored</th><td>${scored.length}</td><th>failed</th><td>${errors.length}</td><th>flagged for QC review</th><td>${review}</td></tr></table>
${flagList ? `<p class="muted">QC flags (photos): ${flagList}. Flags about wrinkle measurement (face_too_small, image_blurred, scale_unknown, wrinkle_*) do not mark the colour measures for review in scores_long.csv.</p>` : ''}
<p class="muted">Points: mean by visit and arm, bars ±1 standard error; right panels: change from each subject's baseline (CHG in scores_long.csv).</p>
${sections.join('\n')}
${thumbs}
${errors.length ? `<section><h2>Failed photos (${errors.length})</h2><table><tr><th>path</th><th>code</th><th>message</th></tr>${errRows}</table></section>` : ''}
</body></html>
`;
  }
}

/** Build the report HTML of a small run from records in memory (tests). */
export function reportHtml(out: string, results: ResultRecord[], errors: ErrorRecord[]): string {
  const { rows, visits } = longRows(results, errors);
  const b = new ReportBuilder();
  b.add(rows);
  return b.html(out, visits, results.map((r) => ({ manifest: r.manifest, status: r.qc.status, flagCodes: [...new Set(r.qc.flags.map((f) => f.code))] })), errors);
}
