/**
 * Small, dependency-free SVG charts for the agree report: deterministic text (fixed decimals), inline styles only,
 * no external fonts or scripts, so the HTML page renders identically offline.
 */

import { escapeXml } from '../markup';

export interface PlotPoint {
  x: number;
  y: number;
  /** series index (colour and marker) */
  group?: number;
  /** tooltip */
  title?: string;
}

export interface PlotLine {
  /** horizontal line at y, or vertical line at x */
  at: number;
  orientation: 'h' | 'v';
  label?: string;
  dash?: boolean;
  colour?: string;
}

export interface PlotBand {
  from: number;
  to: number;
  orientation: 'h' | 'v';
  colour?: string;
}

export interface PlotSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  points: PlotPoint[];
  /** names of the series, in group order (a legend is drawn when there are two or more) */
  groups?: string[];
  lines?: PlotLine[];
  bands?: PlotBand[];
  /** horizontal interval bars with end caps at height `at` (e.g. a cut-point's CI), clipped to the plot */
  intervals?: { from: number; to: number; at: number; colour?: string }[];
  /** polylines (e.g. a fitted curve), drawn under the points */
  curves?: { points: { x: number; y: number }[]; colour?: string; label?: string }[];
  /** integer ticks on y (ordinal grades) */
  yTicks?: number[];
  xDomain?: [number, number];
  yDomain?: [number, number];
  width?: number;
  height?: number;
}

/** Colour-blind-safe palette [Okabe2008]. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'];


const f = (v: number): string => (Math.round(v * 100) / 100).toFixed(2).replace(/\.?0+$/, '') || '0';

/** 'nice' tick values covering [lo, hi], about `n` of them [Heckbert1990] */
export function niceTicks(lo: number, hi: number, n = 6): number[] {
  if (!(hi > lo)) return [lo];
  const span = hi - lo;
  const step0 = span / Math.max(1, n);
  const mag = 10 ** Math.floor(Math.log10(step0));
  const err = step0 / mag;
  const step = (err >= 7.5 ? 10 : err >= 3.5 ? 5 : err >= 1.5 ? 2 : 1) * mag;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return ticks;
}

function tickLabel(v: number, ticks: number[]): string {
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : 1;
  const dec = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  return v.toFixed(dec);
}

function extent(values: number[], pad: number): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (hi === lo) {
    lo -= 0.5;
    hi += 0.5;
  }
  const d = (hi - lo) * pad;
  return [lo - d, hi + d];
}

/** A scatter plot with optional reference lines, bands, curves and legend, as an SVG element string. */
export function scatterSvg(spec: PlotSpec): string {
  const W = spec.width ?? 640;
  const H = spec.height ?? 420;
  const m = { l: 64, r: 16 + (spec.groups && spec.groups.length > 1 ? 120 : 0), t: 36, b: 52 };
  const xs = [...spec.points.map((p) => p.x), ...(spec.lines ?? []).filter((l) => l.orientation === 'v').map((l) => l.at), ...(spec.curves ?? []).flatMap((c) => c.points.map((p) => p.x))];
  const ys = [...spec.points.map((p) => p.y), ...(spec.lines ?? []).filter((l) => l.orientation === 'h').map((l) => l.at), ...(spec.bands ?? []).filter((b) => b.orientation === 'h').flatMap((b) => [b.from, b.to]), ...(spec.yTicks ?? [])];
  const [x0, x1] = spec.xDomain ?? extent(xs, 0.05);
  const [y0, y1] = spec.yDomain ?? extent(ys, 0.08);
  const px = (x: number): number => m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
  const py = (y: number): number => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
  const clampX = (x: number): number => Math.min(x1, Math.max(x0, x));
  const clampY = (y: number): number => Math.min(y1, Math.max(y0, y));
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeXml(spec.title)}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${f(W / 2)}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(spec.title)}</text>`);
  for (const b of spec.bands ?? []) {
    if (b.orientation === 'h') {
      const ya = py(clampY(Math.max(b.from, b.to)));
      const yb = py(clampY(Math.min(b.from, b.to)));
      out.push(`<rect x="${f(m.l)}" y="${f(ya)}" width="${f(W - m.l - m.r)}" height="${f(yb - ya)}" fill="${b.colour ?? '#999999'}" fill-opacity="0.15"/>`);
    } else {
      const xa = px(clampX(Math.min(b.from, b.to)));
      const xb = px(clampX(Math.max(b.from, b.to)));
      out.push(`<rect x="${f(xa)}" y="${f(m.t)}" width="${f(xb - xa)}" height="${f(H - m.t - m.b)}" fill="${b.colour ?? '#999999'}" fill-opacity="0.15"/>`);
    }
  }
  // axes and grid
  const xt = niceTicks(x0, x1);
  const yt = spec.yTicks ?? niceTicks(y0, y1);
  for (const t of xt) {
    out.push(`<line x1="${f(px(t))}" y1="${f(m.t)}" x2="${f(px(t))}" y2="${f(H - m.b)}" stroke="#eeeeee"/>`);
    out.push(`<text x="${f(px(t))}" y="${f(H - m.b + 16)}" text-anchor="middle">${tickLabel(t, xt)}</text>`);
  }
  for (const t of yt) {
    if (t < y0 || t > y1) continue;
    out.push(`<line x1="${f(m.l)}" y1="${f(py(t))}" x2="${f(W - m.r)}" y2="${f(py(t))}" stroke="#eeeeee"/>`);
    out.push(`<text x="${f(m.l - 6)}" y="${f(py(t) + 4)}" text-anchor="end">${spec.yTicks ? String(t) : tickLabel(t, yt)}</text>`);
  }
  out.push(`<rect x="${f(m.l)}" y="${f(m.t)}" width="${f(W - m.l - m.r)}" height="${f(H - m.t - m.b)}" fill="none" stroke="#333333"/>`);
  out.push(`<text x="${f((m.l + W - m.r) / 2)}" y="${f(H - 12)}" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`);
  out.push(`<text transform="translate(16 ${f((m.t + H - m.b) / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(spec.yLabel)}</text>`);
  for (const c of spec.curves ?? []) {
    const pts = c.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y) && p.x >= x0 && p.x <= x1).map((p) => `${f(px(p.x))},${f(py(clampY(p.y)))}`);
    if (pts.length > 1) out.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${c.colour ?? '#333333'}" stroke-width="2"/>`);
  }
  for (const iv of spec.intervals ?? []) {
    if (iv.at < y0 || iv.at > y1 || !Number.isFinite(iv.from) || !Number.isFinite(iv.to)) continue;
    const col = iv.colour ?? '#444444';
    const a = px(clampX(Math.min(iv.from, iv.to)));
    const b = px(clampX(Math.max(iv.from, iv.to)));
    const y = py(iv.at);
    out.push(`<line x1="${f(a)}" y1="${f(y)}" x2="${f(b)}" y2="${f(y)}" stroke="${col}" stroke-width="2.5"/>`);
    for (const [x, clipped] of [[a, iv.from < x0 || iv.to < x0], [b, iv.from > x1 || iv.to > x1]] as const) {
      if (!clipped) out.push(`<line x1="${f(x)}" y1="${f(y - 5)}" x2="${f(x)}" y2="${f(y + 5)}" stroke="${col}" stroke-width="2"/>`);
    }
  }
  for (const l of spec.lines ?? []) {
    const col = l.colour ?? '#444444';
    const dash = l.dash ? ' stroke-dasharray="6 4"' : '';
    if (l.orientation === 'h') {
      if (l.at < y0 || l.at > y1) continue;
      out.push(`<line x1="${f(m.l)}" y1="${f(py(l.at))}" x2="${f(W - m.r)}" y2="${f(py(l.at))}" stroke="${col}" stroke-width="1.5"${dash}/>`);
      if (l.label) out.push(`<text x="${f(W - m.r - 4)}" y="${f(py(l.at) - 4)}" text-anchor="end" fill="${col}">${escapeXml(l.label)}</text>`);
    } else {
      if (l.at < x0 || l.at > x1) continue;
      out.push(`<line x1="${f(px(l.at))}" y1="${f(m.t)}" x2="${f(px(l.at))}" y2="${f(H - m.b)}" stroke="${col}" stroke-width="1.5"${dash}/>`);
      if (l.label) out.push(`<text x="${f(px(l.at) + 3)}" y="${f(m.t + 12)}" fill="${col}">${escapeXml(l.label)}</text>`);
    }
  }
  for (const p of spec.points) {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) continue;
    const g = p.group ?? 0;
    const col = PALETTE[g % PALETTE.length];
    const cx = f(px(p.x));
    const cy = f(py(p.y));
    const title = p.title ? `<title>${escapeXml(p.title)}</title>` : '';
    out.push(g % 2 === 0
      ? `<circle cx="${cx}" cy="${cy}" r="3.5" fill="${col}" fill-opacity="0.75" stroke="${col}">${title}</circle>`
      : `<rect x="${f(px(p.x) - 3.2)}" y="${f(py(p.y) - 3.2)}" width="6.4" height="6.4" fill="${col}" fill-opacity="0.75" stroke="${col}">${title}</rect>`);
  }
  if (spec.groups && spec.groups.length > 1) {
    spec.groups.forEach((name, g) => {
      const y = m.t + 8 + g * 18;
      const x = W - m.r + 12;
      const col = PALETTE[g % PALETTE.length];
      out.push(g % 2 === 0 ? `<circle cx="${x}" cy="${y}" r="4" fill="${col}"/>` : `<rect x="${x - 4}" y="${y - 4}" width="8" height="8" fill="${col}"/>`);
      out.push(`<text x="${x + 10}" y="${y + 4}">${escapeXml(name)}</text>`);
    });
  }
  out.push('</svg>');
  return out.join('\n');
}
