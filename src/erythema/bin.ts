import type { Raster } from '../image/raster';

/**
 * Exact area averaging by an integer factor, in linear light (the mean reflected light over each k×k block
 * [IEC61966]: averaging encoded values would bias dark/bright mixtures). One pass over the typed array.
 * Cells at the right/bottom edge average the pixels they have. A cell is `valid` when ≤ 1 % of its pixels have a
 * channel at or above `clipLevel` (clipped highlights / specular glints) and its darkest channel mean is > 1e-4
 * (which also rejects NaN).
 */
export interface BinnedRaster {
  raster: Raster;
  k: number;
  valid: Uint8Array;
  /** cells rejected as clipped (any) */
  clippedCells: number;
  /** cells rejected as black */
  darkCells: number;
}

export function binArea(src: Raster, k: number, clipLevel: number): BinnedRaster {
  const { width: W, height: H, channels: C, data } = src;
  const w = Math.ceil(W / k);
  const h = Math.ceil(H / k);
  const out = new Float32Array(w * h * 3);
  const valid = new Uint8Array(w * h);
  const sum = new Float64Array(w * 3);
  const clip = new Uint32Array(w);
  let clippedCells = 0;
  let darkCells = 0;
  for (let cy = 0; cy < h; cy++) {
    sum.fill(0);
    clip.fill(0);
    const y0 = cy * k;
    const y1 = Math.min(H, y0 + k);
    for (let y = y0; y < y1; y++) {
      const rowStart = y * W * C;
      // Cell by cell: an inner loop over the cell's k pixels, no per-pixel boundary test (same summation order).
      for (let cx = 0, x0 = 0; cx < w; cx++, x0 += k) {
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
    for (let cx = 0; cx < w; cx++) {
      const n = rows * (Math.min(W, (cx + 1) * k) - cx * k);
      const o = (cy * w + cx) * 3;
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
      valid[cy * w + cx] = clipped || dark ? 0 : 1;
    }
  }
  return { raster: { width: w, height: h, channels: 3, data: out }, k, valid, clippedCells, darkCells };
}

/**
 * A full-resolution box mask (1 = keep) → the indices of analysis cells at least half covered by kept pixels
 * (majority rule) and valid. `box` is in full-resolution pixels; the grid is the k×k binning above.
 */
export function maskToCells(
  mask: Uint8Array,
  box: { x: number; y: number; width: number; height: number },
  k: number,
  grid: { width: number; height: number; imageWidth: number; imageHeight: number },
  valid: Uint8Array,
): Uint32Array {
  const bx0 = Math.max(0, Math.floor(box.x));
  const by0 = Math.max(0, Math.floor(box.y));
  const bx1 = Math.min(grid.imageWidth, Math.floor(box.x) + box.width);
  const by1 = Math.min(grid.imageHeight, Math.floor(box.y) + box.height);
  if (bx1 <= bx0 || by1 <= by0) return new Uint32Array(0);
  const cx0 = Math.floor(bx0 / k);
  const cy0 = Math.floor(by0 / k);
  const cw = Math.floor((bx1 - 1) / k) - cx0 + 1;
  const ch = Math.floor((by1 - 1) / k) - cy0 + 1;
  const count = new Uint32Array(cw * ch);
  const view = new DataView(mask.buffer, mask.byteOffset, mask.byteLength);
  const stride = box.width;
  const ox = Math.floor(box.x);
  const oy = Math.floor(box.y);
  for (let y = by0; y < by1; y++) {
    const row = (y - oy) * stride - ox; // mask index of image column 0 on this row
    const base = (Math.floor(y / k) - cy0) * cw;
    // cell by cell, an inner loop over the cell's columns clipped to the box (no per-pixel cell lookup)
    for (let c = 0; c < cw; c++) {
      const xs = Math.max(bx0, (c + cx0) * k);
      const xe = Math.min(bx1, (c + cx0 + 1) * k);
      let nz = 0;
      let i = row + xs;
      const e = row + xe;
      // four bytes at a time: fold each byte's bits into its lowest bit (1 = non-zero), then add the four bytes
      for (; i + 4 <= e; i += 4) {
        let x = view.getUint32(i, true);
        x |= x >>> 4;
        x |= x >>> 2;
        x |= x >>> 1;
        nz += Math.imul(x & 0x01010101, 0x01010101) >>> 24;
      }
      for (; i < e; i++) nz += -mask[i] >>> 31; // 1 for any non-zero byte
      count[base + c] += nz;
    }
  }
  const cells: number[] = [];
  for (let cy = 0; cy < ch; cy++) {
    const gy = cy + cy0;
    const rows = Math.min(grid.imageHeight, (gy + 1) * k) - gy * k;
    for (let cx = 0; cx < cw; cx++) {
      const gx = cx + cx0;
      const n = rows * (Math.min(grid.imageWidth, (gx + 1) * k) - gx * k);
      const idx = gy * grid.width + gx;
      if (2 * count[cy * cw + cx] >= n && valid[idx]) cells.push(idx);
    }
  }
  return Uint32Array.from(cells);
}

/** Cells whose centre lies inside `polygon` (full-resolution pixel coordinates; even–odd rule), valid only. */
export function polygonToCells(
  polygon: readonly (readonly [number, number])[],
  k: number,
  grid: { width: number; height: number },
  valid: Uint8Array,
): Uint32Array {
  const cells: number[] = [];
  if (polygon.length < 3) return new Uint32Array(0);
  let minY = Infinity;
  let maxY = -Infinity;
  for (const [, y] of polygon) {
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  const cy0 = Math.max(0, Math.floor(minY / k));
  const cy1 = Math.min(grid.height - 1, Math.ceil(maxY / k));
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
      const start = Math.max(0, Math.ceil(xs[p] / k - 0.5));
      const end = Math.min(grid.width - 1, Math.floor(xs[p + 1] / k - 0.5));
      for (let cx = start; cx <= end; cx++) {
        const idx = cy * grid.width + cx;
        if (valid[idx]) cells.push(idx);
      }
    }
  }
  return Uint32Array.from(cells);
}
