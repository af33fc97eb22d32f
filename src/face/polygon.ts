import type { Box, Point } from './types';

/** Signed area (shoelace formula); positive when the vertices run clockwise in image coordinates (y down). */
export function signedArea(poly: readonly Point[]): number {
  let s = 0;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) s += (poly[j][0] * poly[i][1] - poly[i][0] * poly[j][1]);
  return s / 2;
}

export function polygonArea(poly: readonly Point[]): number {
  return Math.abs(signedArea(poly));
}

/** Area centroid of a simple polygon. */
export function polygonCentroid(poly: readonly Point[]): Point {
  let a = 0, cx = 0, cy = 0;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const cr = poly[j][0] * poly[i][1] - poly[i][0] * poly[j][1];
    a += cr;
    cx += (poly[j][0] + poly[i][0]) * cr;
    cy += (poly[j][1] + poly[i][1]) * cr;
  }
  if (Math.abs(a) < 1e-12) {
    const n = poly.length || 1;
    return [poly.reduce((s, p) => s + p[0], 0) / n, poly.reduce((s, p) => s + p[1], 0) / n];
  }
  return [cx / (3 * a), cy / (3 * a)];
}

function orient(a: Point, b: Point, c: Point): number {
  return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

function segmentsCross(a: Point, b: Point, c: Point, d: Point): boolean {
  const o1 = orient(a, b, c), o2 = orient(a, b, d), o3 = orient(c, d, a), o4 = orient(c, d, b);
  return o1 * o2 < 0 && o3 * o4 < 0;
}

/** The first pair of non-adjacent edges (i, j), i < j, that cross (proper intersections), or null. O(n²): the
 * polygons here have < 100 vertices. Edge i runs from vertex i to vertex i + 1 (mod n). */
function firstCrossing(poly: readonly Point[]): [number, number] | null {
  const n = poly.length;
  for (let i = 0; i < n; i++) {
    const a = poly[i], b = poly[(i + 1) % n];
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue;
      if (segmentsCross(a, b, poly[j], poly[(j + 1) % n])) return [i, j];
    }
  }
  return null;
}

/** True when two non-adjacent edges cross (proper intersections). */
export function selfIntersects(poly: readonly Point[]): boolean {
  return firstCrossing(poly) !== null;
}

/**
 * Cut the small loops out of a self-crossing outline: where edges i and j cross at X, the outline splits into two
 * closed pieces, X → vertices i+1..j and X → vertices j+1..i; the piece of smaller area is dropped when it encloses at
 * most `maxFraction` of the outline's area (a wiggle where two landmark chains meet, not a fold of the face). Repeats
 * until the outline is simple; null when a crossing remains whose loop is larger.
 */
export function removeSmallLoops(poly: readonly Point[], maxFraction = 0.02): Point[] | null {
  let p = poly.map((q) => [q[0], q[1]] as Point);
  for (let guard = 0; guard < poly.length; guard++) {
    const hit = firstCrossing(p);
    if (!hit) return p;
    const [i, j] = hit;
    const n = p.length;
    const a = p[i], b = p[(i + 1) % n], c = p[j], d = p[(j + 1) % n];
    const t = orient(c, d, a) / (orient(c, d, a) - orient(c, d, b)); // X = a + t(b − a) on both segments
    const x: Point = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
    const inner = [x, ...p.slice(i + 1, j + 1)];
    const outer = [x, ...p.slice(j + 1), ...p.slice(0, i + 1)];
    const [small, keep] = polygonArea(inner) <= polygonArea(outer) ? [inner, outer] : [outer, inner];
    if (polygonArea(small) > maxFraction * polygonArea(keep)) return null;
    p = keep;
  }
  return null;
}

/** Whether point q lies inside the polygon (even–odd rule). */
export function insidePolygon(q: Point, poly: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if (yi > q[1] !== yj > q[1] && q[0] < xi + ((q[1] - yi) / (yj - yi)) * (xj - xi)) inside = !inside;
  }
  return inside;
}

/** Drop consecutive duplicate vertices (and a closing duplicate). */
export function dedupe(poly: readonly Point[], eps = 1e-9): Point[] {
  const out: Point[] = [];
  for (const p of poly) {
    const q = out[out.length - 1];
    if (!q || Math.abs(q[0] - p[0]) > eps || Math.abs(q[1] - p[1]) > eps) out.push([p[0], p[1]]);
  }
  while (out.length > 1 && Math.abs(out[0][0] - out[out.length - 1][0]) <= eps && Math.abs(out[0][1] - out[out.length - 1][1]) <= eps) out.pop();
  return out;
}

/** Convex hull (Andrew's monotone chain), clockwise in image coordinates. */
export function convexHull(points: readonly Point[]): Point[] {
  const p = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (p.length < 3) return p.map((q) => [q[0], q[1]]);
  const lower: Point[] = [];
  for (const q of p) {
    while (lower.length >= 2 && orient(lower[lower.length - 2], lower[lower.length - 1], q) <= 0) lower.pop();
    lower.push(q);
  }
  const upper: Point[] = [];
  for (let i = p.length - 1; i >= 0; i--) {
    const q = p[i];
    while (upper.length >= 2 && orient(upper[upper.length - 2], upper[upper.length - 1], q) <= 0) upper.pop();
    upper.push(q);
  }
  upper.pop();
  lower.pop();
  return lower.concat(upper);
}

/** Integer bounding box of a polygon, clipped to width × height (pixel centres at i + 0.5). */
export function polygonBox(poly: readonly Point[], width: number, height: number): Box {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const [x, y] of poly) {
    if (x < x0) x0 = x;
    if (y < y0) y0 = y;
    if (x > x1) x1 = x;
    if (y > y1) y1 = y;
  }
  const bx = Math.max(0, Math.min(width, Math.floor(x0)));
  const by = Math.max(0, Math.min(height, Math.floor(y0)));
  const ex = Math.max(bx, Math.min(width, Math.ceil(x1)));
  const ey = Math.max(by, Math.min(height, Math.ceil(y1)));
  return { x: bx, y: by, width: ex - bx, height: ey - by };
}

/**
 * Rasterise a polygon into `box` (even–odd rule, a pixel is inside when its centre is): scanline fill.
 * Returns box.width × box.height bytes, 1 inside.
 */
export function rasterizePolygon(poly: readonly Point[], box: Box): Uint8Array {
  const out = new Uint8Array(box.width * box.height);
  const n = poly.length;
  const xs: number[] = [];
  for (let r = 0; r < box.height; r++) {
    const yc = box.y + r + 0.5;
    xs.length = 0;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const [xi, yi] = poly[i];
      const [xj, yj] = poly[j];
      if ((yi <= yc && yj > yc) || (yj <= yc && yi > yc)) xs.push(xi + ((yc - yi) / (yj - yi)) * (xj - xi));
    }
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      // pixel centre c + 0.5 inside [xs[k], xs[k+1])
      const c0 = Math.max(0, Math.ceil(xs[k] - 0.5 - box.x));
      const c1 = Math.min(box.width, Math.ceil(xs[k + 1] - 0.5 - box.x));
      if (c1 > c0) out.fill(1, r * box.width + c0, r * box.width + c1);
    }
  }
  return out;
}

/** Scale a polygon about its centroid. */
export function scalePolygon(poly: readonly Point[], s: number): Point[] {
  const [cx, cy] = polygonCentroid(poly);
  return poly.map(([x, y]) => [cx + (x - cx) * s, cy + (y - cy) * s]);
}
