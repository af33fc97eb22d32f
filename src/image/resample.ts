import type { Box, Raster } from './raster';

/** Copy the pixels of `box` (clipped to the raster) into a new raster. */
export function cropRaster(raster: Raster, box: Box): Raster {
  const { channels } = raster;
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(raster.width, Math.floor(box.x + box.width));
  const y1 = Math.min(raster.height, Math.floor(box.y + box.height));
  const width = Math.max(0, x1 - x0);
  const height = Math.max(0, y1 - y0);
  const data = new Float32Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const src = ((y0 + y) * raster.width + x0) * channels;
    data.set(raster.data.subarray(src, src + width * channels), y * width * channels);
  }
  return { width, height, channels, data };
}

/** For one axis: for each output cell, the source indices it covers and their fractional weights (area coverage). */
function coverage(srcLen: number, dstLen: number): { start: Int32Array; weights: Float64Array[] } {
  const ratio = srcLen / dstLen;
  const start = new Int32Array(dstLen);
  const weights: Float64Array[] = [];
  for (let o = 0; o < dstLen; o++) {
    const a = o * ratio;
    const b = Math.min(srcLen, (o + 1) * ratio);
    const i0 = Math.floor(a);
    const i1 = Math.min(srcLen, Math.ceil(b));
    const w = new Float64Array(Math.max(1, i1 - i0));
    for (let i = i0; i < i1; i++) w[i - i0] = (Math.min(b, i + 1) - Math.max(a, i)) / ratio;
    start[o] = i0;
    weights.push(w);
  }
  return { start, weights };
}

/**
 * Downsample by exact area averaging (each output pixel is the mean of the source area it covers, fractional
 * pixels weighted by coverage). In linear light this is the physically right way to lower resolution:
 * the mean reflected light over the area. Upsampling (factor > 1) falls back to bilinear interpolation.
 * `width`/`height` give the output size.
 */
export function resizeArea(raster: Raster, width: number, height: number): Raster {
  if (width > raster.width || height > raster.height) return resizeBilinear(raster, width, height);
  const { channels } = raster;
  const cx = coverage(raster.width, width);
  const cy = coverage(raster.height, height);
  // Horizontal pass into a float64 buffer, then vertical.
  const tmp = new Float64Array(width * raster.height * channels);
  for (let y = 0; y < raster.height; y++) {
    const row = y * raster.width * channels;
    for (let o = 0; o < width; o++) {
      const w = cx.weights[o];
      const i0 = cx.start[o];
      for (let c = 0; c < channels; c++) {
        let s = 0;
        for (let k = 0; k < w.length; k++) s += w[k] * raster.data[row + (i0 + k) * channels + c];
        tmp[(y * width + o) * channels + c] = s;
      }
    }
  }
  const out = new Float32Array(width * height * channels);
  for (let o = 0; o < height; o++) {
    const w = cy.weights[o];
    const j0 = cy.start[o];
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        let s = 0;
        for (let k = 0; k < w.length; k++) s += w[k] * tmp[((j0 + k) * width + x) * channels + c];
        out[(o * width + x) * channels + c] = s;
      }
    }
  }
  return { width, height, channels, data: out };
}

/** Bilinear resize (pixel centres aligned); used for upsampling and for mapping masks/maps back. */
export function resizeBilinear(raster: Raster, width: number, height: number): Raster {
  const { channels: C, data } = raster;
  const out = new Float32Array(width * height * C);
  const sx = raster.width / width;
  const sy = raster.height / height;
  // per output column: the two source columns (as data offsets) and the weight, computed once
  const xa = new Int32Array(width), xb = new Int32Array(width), txs = new Float64Array(width);
  for (let x = 0; x < width; x++) {
    const fx = Math.min(raster.width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
    const x0 = Math.floor(fx);
    xa[x] = x0 * C;
    xb[x] = Math.min(raster.width - 1, x0 + 1) * C;
    txs[x] = fx - x0;
  }
  for (let y = 0; y < height; y++) {
    const fy = Math.min(raster.height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(raster.height - 1, y0 + 1);
    const ty = fy - y0;
    const r0 = y0 * raster.width * C, r1 = y1 * raster.width * C;
    for (let x = 0, o = y * width * C; x < width; x++, o += C) {
      const tx = txs[x];
      const a0 = r0 + xa[x], b0 = r0 + xb[x], d0 = r1 + xa[x], e0 = r1 + xb[x];
      const u = 1 - tx, v = 1 - ty;
      if (C === 3) {
        // the photo's three channels unrolled (same arithmetic as the loop below)
        out[o] = (data[a0] * u + data[b0] * tx) * v + (data[d0] * u + data[e0] * tx) * ty;
        out[o + 1] = (data[a0 + 1] * u + data[b0 + 1] * tx) * v + (data[d0 + 1] * u + data[e0 + 1] * tx) * ty;
        out[o + 2] = (data[a0 + 2] * u + data[b0 + 2] * tx) * v + (data[d0 + 2] * u + data[e0 + 2] * tx) * ty;
        continue;
      }
      for (let c = 0; c < C; c++) {
        out[o + c] = (data[a0 + c] * u + data[b0 + c] * tx) * v + (data[d0 + c] * u + data[e0 + c] * tx) * ty;
      }
    }
  }
  return { width, height, channels: C, data: out };
}

/** Resample a raster so that one output pixel covers `targetMmPerPx` given the source's `mmPerPx`. */
export function resampleToScale(raster: Raster, mmPerPx: number, targetMmPerPx: number): { raster: Raster; factor: number } {
  const factor = mmPerPx / targetMmPerPx; // output pixels per input pixel
  const width = Math.max(1, Math.round(raster.width * factor));
  const height = Math.max(1, Math.round(raster.height * factor));
  return { raster: resizeArea(raster, width, height), factor };
}
