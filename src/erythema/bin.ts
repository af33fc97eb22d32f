import type { Raster } from '../image/raster';

/**
 * Exact area averaging by an integer factor, in linear light (the mean reflected light over each k×k block
 * [IEC61966]: averaging encoded values would bias dark/bright mixtures). One pass over the typed array.
 * Cells at the right/bottom edge average the pixels they have. A cell is `valid` when ≤ 1 % of its pixels have a
 * channel at or above `clipLevel` (clipped highlights / specular glints) and its darkest channel mean is > 1e-4
 * (which also rejects NaN). With a `window` (in cells), only the cells inside it are computed and returned: the raster
 * and `valid` are the window's size (cell (cx, cy) at (cx − x0, cy − y0)), and the pixels outside it are never read.
 */
export interface BinnedRaster {
  raster: Raster;
  k: number;
  valid: Uint8Array;
  /** cells rejected as clipped (any; inside the window) */
  clippedCells: number;
  /** cells rejected as black (inside the window) */
  darkCells: number;
}

/**
 * The analysis cells a list of cell indices refers to: `width` × `height` cells starting at cell (x0, y0) (default 0, 0:
 * the whole grid), cell (cx, cy) having index (cy − y0)·width + (cx − x0); imageWidth × imageHeight full-resolution
 * pixels under the whole grid.
 */
export interface CellGrid {
  width: number;
  height: number;
  imageWidth: number;
  imageHeight: number;
  x0?: number;
  y0?: number;
}

/** A rectangle of analysis cells: columns x0 ≤ cx < x1, rows y0 ≤ cy < y1. */
export interface CellWindow {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The cells under a full-resolution box (clipped to the image; empty when the box is outside it). */
export function boxToCellWindow(
  box: { x: number; y: number; width: number; height: number },
  k: number,
  grid: { width: number; height: number; imageWidth: number; imageHeight: number },
): CellWindow {
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(grid.imageWidth, Math.ceil(box.x + box.width));
  const y1 = Math.min(grid.imageHeight, Math.ceil(box.y + box.height));
  if (x1 <= x0 || y1 <= y0) return { x0: 0, y0: 0, x1: 0, y1: 0 };
  return { x0: Math.floor(x0 / k), y0: Math.floor(y0 / k), x1: Math.floor((x1 - 1) / k) + 1, y1: Math.floor((y1 - 1) / k) + 1 };
}

/** The smallest window holding all of `windows` (empty ones ignored; empty when all are). */
export function unionWindow(windows: readonly CellWindow[]): CellWindow {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const w of windows) {
    if (w.x1 <= w.x0 || w.y1 <= w.y0) continue;
    x0 = Math.min(x0, w.x0);
    y0 = Math.min(y0, w.y0);
    x1 = Math.max(x1, w.x1);
    y1 = Math.max(y1, w.y1);
  }
  // small integers only: one CellWindow holding ±Infinity would turn every CellWindow's fields into doubles
  return x1 > x0 ? { x0, y0, x1, y1 } : { x0: 0, y0: 0, x1: 0, y1: 0 };
}

export function binArea(src: Raster, k: number, clipLevel: number, window?: CellWindow): BinnedRaster {
  const { width: W, height: H, channels: C, data } = src;
  const w = Math.ceil(W / k);
  const h = Math.ceil(H / k);
  const win = window ?? { x0: 0, y0: 0, x1: w, y1: h };
  const wx0 = win.x0 | 0; // integer arithmetic in the loops whatever the fields' representation
  const wy0 = win.y0 | 0;
  const wx1 = win.x1 | 0;
  const wy1 = win.y1 | 0;
  const ww = wx1 - wx0, wh = wy1 - wy0; // the output grid: the window
  const out = new Float32Array(ww * wh * 3);
  const valid = new Uint8Array(ww * wh);
  const sum = new Float64Array(w * 3);
  const clip = new Uint32Array(w);
  let clippedCells = 0;
  let darkCells = 0;
  for (let cy = wy0; cy < wy1; cy++) {
    sum.fill(0);
    clip.fill(0);
    const y0 = cy * k;
    const y1 = Math.min(H, y0 + k);
    for (let y = y0; y < y1; y++) {
      const rowStart = y * W * C;
      // Cell by cell: an inner loop over the cell's k pixels, no per-pixel boundary test (same summation order).
      for (let cx = wx0, x0 = wx0 * k; cx < wx1; cx++, x0 += k) {
        const x1 = x0 + k < W ? x0 + k : W;
        let r = 0;
        let g = 0;
        let b = 0;
        let nc = 0;
        let j = rowStart + x0 * C;
        const jEnd = rowStart + x1 * C;
        // two pixels per iteration (same left-to-right order of additions)
        for (; j + C < jEnd; j += 2 * C) {
          const vr = data[j];
          const vg = data[j + 1];
          const vb = data[j + 2];
          const ur = data[j + C];
          const ug = data[j + C + 1];
          const ub = data[j + C + 2];
          r = r + vr + ur;
          g = g + vg + ug;
          b = b + vb + ub;
          if (vr >= clipLevel || vg >= clipLevel || vb >= clipLevel) nc++;
          if (ur >= clipLevel || ug >= clipLevel || ub >= clipLevel) nc++;
        }
        for (; j < jEnd; j += C) {
          const vr = data[j];
          const vg = data[j + 1];
          const vb = data[j + 2];
          r += vr;
          g += vg;
          b += vb;
          if (vr >= clipLevel || vg >= clipLevel || vb >= clipLevel) nc++; // max channel >= clipLevel
        }
        const o = cx * 3;
        sum[o] += r;
        sum[o + 1] += g;
        sum[o + 2] += b;
        clip[cx] += nc;
      }
    }
    const rows = y1 - y0;
    for (let cx = wx0; cx < wx1; cx++) {
      const n = rows * (Math.min(W, (cx + 1) * k) - cx * k);
      const cell = (cy - wy0) * ww + (cx - wx0);
      const o = cell * 3;
      const r = sum[cx * 3] / n;
      const g = sum[cx * 3 + 1] / n;
      const b = sum[cx * 3 + 2] / n;
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
      const clipped = clip[cx] > 0.01 * n;
      const dark = !(Math.min(r, g, b) > 1e-4); // also NaN (non-finite input)
      if (clipped) clippedCells++;
      else if (dark) darkCells++;
      valid[cell] = clipped || dark ? 0 : 1;
    }
  }
  return { raster: { width: ww, height: wh, channels: 3, data: out }, k, valid, clippedCells, darkCells };
}

/** Each byte of a 32-bit word → 1 if non-zero, else 0 (bits folded into the lowest bit of the byte). */
function nonZeroBytes(x: number): number {
  x |= x >>> 4;
  x |= x >>> 2;
  x |= x >>> 1;
  return x & 0x01010101;
}

/**
 * Adds one mask row's non-zero flags to per-column counts kept as byte lanes (four columns per word); the columns
 * past the last whole word go straight to their cell's count.
 */
function addMaskRow(mask: Uint8Array, view: DataView, start: number, width: number, lanes: Uint32Array, cellOfCol: Uint32Array, counts: Uint32Array): void {
  const words = width >> 2;
  for (let w = 0, i = start; w < words; w++, i += 4) lanes[w] += nonZeroBytes(view.getUint32(i, true));
  for (let p = words << 2; p < width; p++) counts[cellOfCol[p]] += -mask[start + p] >>> 31; // 1 for any non-zero byte
}

/** Adds the byte-lane column counts (each < 256) to their cells' counts and clears the lanes. */
function flushLanes(lanes: Uint32Array, cellOfCol: Uint32Array, counts: Uint32Array): void {
  for (let w = 0, p = 0; w < lanes.length; w++, p += 4) {
    const x = lanes[w];
    const c = cellOfCol[p];
    if (c === cellOfCol[p + 3]) {
      const pairs = (x & 0x00ff00ff) + ((x >>> 8) & 0x00ff00ff); // four columns of one cell: add the bytes pairwise
      counts[c] += (pairs & 0xffff) + (pairs >>> 16);
    } else {
      counts[c] += x & 255;
      counts[cellOfCol[p + 1]] += (x >>> 8) & 255;
      counts[cellOfCol[p + 2]] += (x >>> 16) & 255;
      counts[cellOfCol[p + 3]] += x >>> 24;
    }
  }
  lanes.fill(0);
}

/**
 * A full-resolution box mask (1 = keep) → the indices of analysis cells at least half covered by kept pixels
 * (majority rule) and valid. `box` is in full-resolution pixels; the grid is the k×k binning above.
 * Per row of cells: the mask rows are added column-wise (four columns per 32-bit word), then the column counts go
 * to their cells — the mask is read once, in order, with no per-cell work per mask row.
 */
export function maskToCells(
  mask: Uint8Array,
  box: { x: number; y: number; width: number; height: number },
  k: number,
  grid: CellGrid,
  valid: Uint8Array,
): Uint32Array {
  const gx0 = grid.x0 ?? 0, gy0 = grid.y0 ?? 0;
  const ox = Math.floor(box.x);
  const oy = Math.floor(box.y);
  const bx0 = Math.max(0, ox);
  const by0 = Math.max(0, oy);
  const bx1 = Math.min(grid.imageWidth, ox + box.width);
  const by1 = Math.min(grid.imageHeight, oy + box.height);
  if (bx1 <= bx0 || by1 <= by0) return new Uint32Array(0);
  const cx0 = Math.floor(bx0 / k);
  const cy0 = Math.floor(by0 / k);
  const cx1 = Math.floor((bx1 - 1) / k);
  const cy1 = Math.floor((by1 - 1) / k);
  const view = new DataView(mask.buffer, mask.byteOffset, mask.byteLength);
  const bw = bx1 - bx0;
  const lanes = new Uint32Array(bw >> 2);
  const cellOfCol = Uint32Array.from({ length: bw }, (_, p) => Math.floor((bx0 + p) / k) - cx0); // column → cell of the row
  const counts = new Uint32Array(cx1 - cx0 + 1); // non-zero mask pixels per cell of the current row of cells
  const cells = new Uint32Array((cy1 - cy0 + 1) * (cx1 - cx0 + 1)); // upper bound; trimmed below
  let kept = 0;
  for (let gy = cy0; gy <= cy1; gy++) {
    counts.fill(0);
    const ya = Math.max(by0, gy * k);
    const yb = Math.min(by1, (gy + 1) * k);
    for (let y = ya; y < yb; y++) {
      addMaskRow(mask, view, (y - oy) * box.width + (bx0 - ox), bw, lanes, cellOfCol, counts);
      if ((y - ya) % 255 === 254 || y === yb - 1) flushLanes(lanes, cellOfCol, counts); // a byte lane holds at most 255 rows
    }
    const rows = Math.min(grid.imageHeight, (gy + 1) * k) - gy * k;
    if (gy < gy0 || gy >= gy0 + grid.height) continue;
    for (let gx = Math.max(cx0, gx0); gx <= Math.min(cx1, gx0 + grid.width - 1); gx++) {
      const n = rows * (Math.min(grid.imageWidth, (gx + 1) * k) - gx * k);
      const idx = (gy - gy0) * grid.width + (gx - gx0);
      if (2 * counts[gx - cx0] >= n && valid[idx]) cells[kept++] = idx;
    }
  }
  return cells.slice(0, kept);
}

/** Cells whose centre lies inside `polygon` (full-resolution pixel coordinates; even–odd rule), valid only. */
export function polygonToCells(polygon: readonly (readonly [number, number])[], k: number, grid: CellGrid, valid: Uint8Array): Uint32Array {
  const gx0 = grid.x0 ?? 0, gy0 = grid.y0 ?? 0;
  const cells: number[] = [];
  if (polygon.length < 3) return new Uint32Array(0);
  let minY = Infinity;
  let maxY = -Infinity;
  for (const [, y] of polygon) {
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  const cy0 = Math.max(gy0, Math.floor(minY / k));
  const cy1 = Math.min(gy0 + grid.height - 1, Math.ceil(maxY / k));
  const xs: number[] = [];
  for (let cy = cy0; cy <= cy1; cy++) {
    const py = (cy + 0.5) * k;
    xs.length = 0;
    for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
      const [xi, yi] = polygon[i];
      const [xj, yj] = polygon[j];
      if (yi > py !== yj > py) xs.push(xi + ((py - yi) * (xj - xi)) / (yj - yi));
    }
    xs.sort((a, b) => a - b);
    for (let p = 0; p + 1 < xs.length; p += 2) {
      const start = Math.max(gx0, Math.ceil(xs[p] / k - 0.5));
      const end = Math.min(gx0 + grid.width - 1, Math.floor(xs[p + 1] / k - 0.5));
      for (let cx = start; cx <= end; cx++) {
        const idx = (cy - gy0) * grid.width + (cx - gx0);
        if (valid[idx]) cells.push(idx);
      }
    }
  }
  return Uint32Array.from(cells);
}
