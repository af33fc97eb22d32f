/**
 * Separable filters on single-channel float images (row-major Float32Array, width × height), the building blocks of
 * the ridge baseline and of the model's fixed feature bank. Borders: mirror reflection without repeating the edge
 * pixel's neighbour twice (scipy.ndimage mode 'reflect': d c b a | a b c d), so a constant image stays constant.
 */

/** A single-channel float image. */
export interface Plane {
  width: number;
  height: number;
  data: Float32Array;
}

export function createPlane(width: number, height: number): Plane {
  return { width, height, data: new Float32Array(width * height) };
}

/** Mirror an index into [0, n) (mode 'reflect': -1 -> 0, n -> n-1), repeating for kernels wider than the image. */
export function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * n;
  let k = i % period;
  if (k < 0) k += period;
  return k < n ? k : period - 1 - k;
}

/** Sampled, normalised Gaussian kernel of standard deviation `sigma` (pixels), radius ceil(truncate·sigma). */
export function gaussianKernel(sigma: number, truncate = 3.5): Float32Array {
  const radius = Math.max(1, Math.ceil(truncate * sigma));
  const k = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const v = Math.exp((-0.5 * i * i) / (sigma * sigma)); // [Lindeberg1994] sampled Gaussian kernel
    k[i + radius] = v;
    sum += v;
  }
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  return k;
}

/** Convolve rows (axis 0) or columns (axis 1) with a symmetric-or-not odd-length kernel, reflect borders. */
export function convolveAxis(src: Plane, kernel: Float32Array, axis: 0 | 1, out?: Plane): Plane {
  const dst = out ?? createPlane(src.width, src.height);
  const r = (kernel.length - 1) >> 1;
  let symmetric = r > 0;
  for (let k = 1; k <= r; k++) if (kernel[r - k] !== kernel[r + k]) symmetric = false;
  // two small functions rather than one: the JIT compiles each loop nest better on its own
  return axis === 0 ? convolveRows(src, kernel, symmetric, dst) : convolveColumns(src, kernel, symmetric, dst);
}

function convolveRows({ width, height, data }: Plane, kernel: Float32Array, symmetric: boolean, dst: Plane): Plane {
  const o = dst.data;
  const r = (kernel.length - 1) >> 1;
  const line = new Float32Array(width + 2 * r);
  const acc = new Float64Array(width);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    // the row with `r` reflected samples on each side: interior copied in one call, borders by reflection
    line.set(data.subarray(row, row + width), r);
    for (let i = -r; i < 0; i++) line[i + r] = data[row + reflectIndex(i, width)];
    for (let i = width; i < width + r; i++) line[i + r] = data[row + reflectIndex(i, width)];
    if (symmetric) {
      // pair taps k and −k of the symmetric kernel (half the multiplications), tap by tap along the whole row, two
      // pairs per sweep like the column pass: each output is the same sum in the same order (15 % faster than
      // summing each output's taps in turn)
      const w0 = kernel[r];
      for (let x = 0; x < width; x++) acc[x] = w0 * line[x + r];
      let k = 1;
      for (; k + 1 < r; k += 2) {
        const w = kernel[r + k], v = kernel[r + k + 1], a = r - k, b = r + k, c = r - k - 1, d = r + k + 1;
        for (let x = 0; x < width; x++) acc[x] = acc[x] + w * (line[a + x] + line[b + x]) + v * (line[c + x] + line[d + x]);
      }
      for (; k < r; k++) {
        const w = kernel[r + k], a = r - k, b = r + k;
        for (let x = 0; x < width; x++) acc[x] += w * (line[a + x] + line[b + x]);
      }
      const w = kernel[2 * r];
      for (let x = 0; x < width; x++) o[row + x] = acc[x] + w * (line[x] + line[2 * r + x]);
    } else {
      for (let x = 0; x < width; x++) {
        let s = 0;
        for (let k = 0; k < kernel.length; k++) s += kernel[k] * line[x + k];
        o[row + x] = s;
      }
    }
  }
  return dst;
}

function convolveColumns({ width, height, data }: Plane, kernel: Float32Array, symmetric: boolean, dst: Plane): Plane {
  const o = dst.data;
  const r = (kernel.length - 1) >> 1;
  // Column pass done row-wise (cache friendly): accumulate kernel[k] × source row (y + k − r).
  const acc = new Float64Array(width);
  const rowOf = (sy: number): number => (sy >= 0 && sy < height ? sy : reflectIndex(sy, height)) * width;
  for (let y = 0; y < height; y++) {
    const base = y * width;
    if (symmetric) {
      const w0 = kernel[r];
      for (let x = 0; x < width; x++) acc[x] = w0 * data[base + x];
      // pairs of taps two at a time, the last pair added on the way out: the same additions in the same order, in
      // fewer passes over `acc` (30 % faster)
      let k = 1;
      for (; k + 1 < r; k += 2) {
        const a = rowOf(y - k), b = rowOf(y + k), c = rowOf(y - k - 1), d = rowOf(y + k + 1);
        const w = kernel[r + k], v = kernel[r + k + 1];
        for (let x = 0; x < width; x++) acc[x] = acc[x] + w * (data[a + x] + data[b + x]) + v * (data[c + x] + data[d + x]);
      }
      for (; k < r; k++) {
        const a = rowOf(y - k);
        const b = rowOf(y + k);
        const w = kernel[r + k];
        for (let x = 0; x < width; x++) acc[x] += w * (data[a + x] + data[b + x]);
      }
      const a = rowOf(y - r);
      const b = rowOf(y + r);
      const w = kernel[2 * r];
      for (let x = 0; x < width; x++) o[base + x] = acc[x] + w * (data[a + x] + data[b + x]);
    } else {
      acc.fill(0);
      for (let k = 0; k < kernel.length; k++) {
        const row = rowOf(y + k - r);
        const w = kernel[k];
        for (let x = 0; x < width; x++) acc[x] += w * data[row + x];
      }
      for (let x = 0; x < width; x++) o[base + x] = acc[x];
    }
  }
  return dst;
}

/** Gaussian blur of standard deviation `sigma` pixels (separable; identity for sigma <= 0). */
export function gaussianBlur(src: Plane, sigma: number): Plane {
  if (!(sigma > 0)) return { width: src.width, height: src.height, data: src.data.slice() };
  const k = gaussianKernel(sigma);
  return convolveAxis(convolveAxis(src, k, 0), k, 1);
}

/** Running-mean box filter of odd width `w` along one axis, reflect borders: O(1) per pixel. `out` must not be `src`. */
function boxAxis(src: Plane, w: number, axis: 0 | 1, out: Plane): Plane {
  const { width, height, data } = src;
  const o = out.data;
  const r = (w - 1) >> 1;
  const inv = 1 / w;
  if (axis === 1) {
    // columns, walked row by row (cache friendly); the same sums in the same order as the row version below
    const acc = new Float64Array(width);
    const rowOf = (i: number): number => (i >= 0 && i < height ? i : reflectIndex(i, height)) * width;
    for (let k = -r; k <= r; k++) {
      const row = rowOf(k);
      for (let x = 0; x < width; x++) acc[x] += data[row + x];
    }
    for (let y = 0; y < height; y++) {
      const base = y * width;
      for (let x = 0; x < width; x++) o[base + x] = acc[x] * inv;
      const add = rowOf(y + r + 1);
      const sub = rowOf(y - r);
      for (let x = 0; x < width; x++) acc[x] += data[add + x] - data[sub + x];
    }
    return out;
  }
  const n = width;
  const line = new Float64Array(n + 2 * r + 1);
  for (let y = 0; y < height; y++) {
    const base = y * width;
    // reflected border samples on both sides, the interior copied straight
    for (let i = -r; i < 0; i++) line[i + r] = data[base + reflectIndex(i, n)];
    for (let i = 0; i < n; i++) line[i + r] = data[base + i];
    for (let i = n; i <= n + r; i++) line[i + r] = data[base + reflectIndex(i, n)];
    let s = 0;
    for (let k = 0; k < w; k++) s += line[k];
    for (let i = 0; i < n; i++) {
      o[base + i] = s * inv;
      s += line[i + w] - line[i];
    }
  }
  return out;
}

/**
 * Almost-Gaussian blur by three box passes per axis with widths chosen so the variance equals sigma² as closely as
 * odd widths allow [Kovesi2010]; used for the wide (>= 1 mm) local statistics, where an exact Gaussian would be slow.
 */
export function boxBlur3(src: Plane, sigma: number): Plane {
  if (!(sigma > 0)) return { width: src.width, height: src.height, data: src.data.slice() };
  const n = 3;
  const wIdeal = Math.sqrt((12 * sigma * sigma) / n + 1); // [Kovesi2010] eq. (6)
  let wl = Math.floor(wIdeal);
  if (wl % 2 === 0) wl--;
  const wu = wl + 2;
  const m = Math.round((12 * sigma * sigma - n * wl * wl - 4 * n * wl - 3 * n) / (-4 * wl - 4)); // [Kovesi2010] eq. (7)
  // ping-pong between two buffers (six passes end in `b`, never in `src`)
  const a = createPlane(src.width, src.height);
  const b = createPlane(src.width, src.height);
  let p = src;
  for (let i = 0; i < n; i++) {
    const w = i < m ? wl : wu;
    boxAxis(p, w, 0, a);
    p = boxAxis(a, w, 1, b);
  }
  return p;
}

/** One level of a scale pyramid: the input blurred to a Gaussian σ, sampled every `factor` input pixels. */
export interface PyramidLevel {
  plane: Plane;
  /** input pixels per level pixel (1 or 2); level pixel i sits at input pixel factor·i */
  factor: 1 | 2;
  /** the level's σ in its own pixels (σ in input pixels / factor) */
  sigmaPx: number;
}

/**
 * Blur (input pixels) a level must have before it may be decimated by 2: at σ = 2 the Gaussian passes
 * exp(−2π²σ²f²) = 0.7 % at the half grid's Nyquist frequency f = 1/4 [Burt1983], so the samples hardly alias.
 */
export const DECIMATE_MIN_SIGMA_PX = 2;
/** Scales of at least this σ (input pixels) run on the 2×-decimated grid: ≥ 1.5 level pixels there. */
export const HALF_GRID_MIN_SIGMA_PX = 3;

/**
 * Scale space by cascaded Gaussian blurs: level k is blurred from level k−1 by sqrt(σk² − σk−1²) (the semigroup
 * property of the Gaussian [Lindeberg1994]), so wide scales cost little more than narrow ones. Once a level is
 * blurred by ≥ DECIMATE_MIN_SIGMA_PX, the scales of ≥ HALF_GRID_MIN_SIGMA_PX continue on every other pixel
 * [Burt1983]: a quarter of the pixels, and kernels half as wide.
 */
export function scalePyramid(src: Plane, sigmasPx: readonly number[]): PyramidLevel[] {
  const levels: PyramidLevel[] = [];
  let prev = src;
  let prevSigma = 0; // input pixels
  let factor: 1 | 2 = 1;
  for (const s of sigmasPx) {
    if (factor === 1 && s >= HALF_GRID_MIN_SIGMA_PX && prevSigma >= DECIMATE_MIN_SIGMA_PX) {
      prev = decimate2(prev);
      factor = 2;
    }
    const inc = Math.sqrt(Math.max(0, s * s - prevSigma * prevSigma)) / factor;
    prev = gaussianBlur(prev, inc);
    prevSigma = s;
    levels.push({ plane: prev, factor, sigmaPx: s / factor });
  }
  return levels;
}

/** Every other pixel of each row and column (sample i = input pixel 2i); blur first (see DECIMATE_MIN_SIGMA_PX). */
export function decimate2(src: Plane): Plane {
  const { width: W, height: H, data } = src;
  const out = createPlane(Math.ceil(W / 2), Math.ceil(H / 2));
  const o = out.data;
  for (let y = 0, j = 0; y < H; y += 2) for (let x = 0; x < W; x += 2) o[j++] = data[y * W + x];
  return out;
}

/**
 * Where the input grid's pixels read a level (placeLevel's rule): pixel (x, y) reads samples at columns x0[x], x1[x] of
 * rows r0[y], r1[y] (row offsets, level pixels) and averages the four. A factor-1 level reads itself; on a factor-2 level
 * sample i is input pixel 2i (as `decimate2` takes them): even pixels read one sample, odd ones two (the last is
 * repeated), or only the one before them when `interpolate` is false (for angles, which do not average).
 */
export interface LevelTaps {
  factor: 1 | 2;
  x0: Int32Array;
  x1: Int32Array;
  r0: Int32Array;
  r1: Int32Array;
}

export function levelTaps(level: PyramidLevel, width: number, height: number, interpolate = true): LevelTaps {
  const w = level.plane.width, h = level.plane.height;
  const f = level.factor;
  const axis = (n: number, m: number, stride: number): [Int32Array, Int32Array] => {
    const a = new Int32Array(n), b = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const i0 = f === 1 ? i : i >> 1;
      a[i] = i0 * stride;
      b[i] = (interpolate && f === 2 && i & 1 && i0 + 1 < m ? i0 + 1 : i0) * stride;
    }
    return [a, b];
  };
  const [x0, x1] = axis(width, w, 1);
  const [r0, r1] = axis(height, h, w);
  return { factor: f, x0, x1, r0, r1 };
}

/** Channel c of a C-channel interleaved level at input pixel (x, y), read through its taps: the sample on a factor-1
 * level, the mean of the four taps on a factor-2 one. */
export function levelAt(src: Float32Array, C: number, c: number, t: LevelTaps, x: number, y: number): number {
  if (t.factor === 1) return src[(t.r0[y] + x) * C + c];
  return 0.25 * (src[(t.r0[y] + t.x0[x]) * C + c] + src[(t.r0[y] + t.x1[x]) * C + c] + src[(t.r1[y] + t.x0[x]) * C + c] + src[(t.r1[y] + t.x1[x]) * C + c]);
}

/**
 * Put a C-channel interleaved level (level.plane's grid) onto the input grid (width × height): channel c of pixel
 * (x, y) goes to dst[(y·width + x)·stride + offset + c], read through `levelTaps` (`levelAt`).
 */
export function placeLevel(level: PyramidLevel, src: Float32Array, C: number, width: number, height: number, dst: Float32Array, stride: number, offset: number, interpolate = true, need?: Uint8Array): void {
  const t = levelTaps(level, width, height, interpolate);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (need !== undefined && need[y * width + x] === 0) continue;
      const o = (y * width + x) * stride + offset;
      for (let c = 0; c < C; c++) dst[o + c] = levelAt(src, C, c, t, x, y);
    }
  }
}

/**
 * Separable bilinear interpolation of a coarse grid onto width × height pixels: output pixel x reads the coarse grid
 * at position toGrid(x) (clamped to the grid), rows of the coarse grid first.
 */
function interpolateUp(small: Plane, W: number, H: number, toGrid: (x: number) => number): Plane {
  const { width: w, height: h, data: b } = small;
  const axis = (n: number, m: number): { i0: Int32Array; i1: Int32Array; t: Float32Array } => {
    const i0 = new Int32Array(n), i1 = new Int32Array(n), t = new Float32Array(n);
    for (let x = 0; x < n; x++) {
      const u = Math.min(m - 1, Math.max(0, toGrid(x)));
      const a = Math.floor(u);
      i0[x] = a;
      i1[x] = Math.min(m - 1, a + 1);
      t[x] = u - a;
    }
    return { i0, i1, t };
  };
  const ax = axis(W, w), ay = axis(H, h);
  const wide = new Float32Array(h * W);
  for (let by = 0; by < h; by++) {
    const r = by * w, q = by * W;
    for (let x = 0; x < W; x++) {
      const v0 = b[r + ax.i0[x]];
      wide[q + x] = v0 + ax.t[x] * (b[r + ax.i1[x]] - v0);
    }
  }
  const out = createPlane(W, H);
  const o = out.data;
  for (let y = 0; y < H; y++) {
    const r0 = ay.i0[y] * W, r1 = ay.i1[y] * W, ty = ay.t[y], q = y * W;
    for (let x = 0; x < W; x++) {
      const top = wide[r0 + x];
      o[q + x] = top + ty * (wide[r1 + x] - top);
    }
  }
  return out;
}

/** Decimation factor of the wide local statistics (σ >= 1 mm = 10 px at the analysis resolution). */
export const LOCAL_DECIMATION = 4;

/**
 * The small grid of `smoothDecimated`: f×f block means (the last block of a row or column may be partial) and an
 * almost-Gaussian blur on that grid (`boxBlur3`, σ reduced by the blocks' own variance (f²−1)/12 [Burt1983]). Pixel x
 * sits at (x + 0.5)/f − 0.5 on it.
 */
export function blurredBlocks(src: Plane, sigma: number, f: number): Plane {
  const { width: W, height: H, data } = src;
  const w = Math.ceil(W / f), h = Math.ceil(H / f);
  const small = createPlane(w, h);
  const acc = new Float64Array(w);
  for (let by = 0; by < h; by++) {
    acc.fill(0);
    const y0 = by * f, y1 = Math.min(H, y0 + f);
    for (let y = y0; y < y1; y++) {
      const row = y * W;
      for (let bx = 0, x = 0; bx < w; bx++) {
        const xe = Math.min(W, x + f);
        let sum = 0;
        for (; x < xe; x++) sum += data[row + x];
        acc[bx] += sum;
      }
    }
    for (let bx = 0; bx < w; bx++) small.data[by * w + bx] = acc[bx] / ((Math.min(W, (bx + 1) * f) - bx * f) * (y1 - y0));
  }
  return blurBlocks(small, sigma, f);
}

/** The blur of `blurredBlocks` on a grid of f×f blocks (means or sums): σ in full-resolution px less the blocks' own variance. */
export function blurBlocks(small: Plane, sigma: number, f: number): Plane {
  const s2 = sigma * sigma - (f * f - 1) / 12; // [Burt1983] variances of successive smoothings add
  return s2 > 0 ? boxBlur3(small, Math.sqrt(s2) / f) : small;
}

/**
 * Bilinear read positions of a block grid (clamped to the grid, tabulated): for each of n pixels, the
 * two grid cells and the weight of the second, where pixel c sits at (c + 0.5)/f − 0.5 on a grid of `cells`.
 */
export function gridAxis(n: number, f: number, cells: number): { i0: Int32Array; i1: Int32Array; t: Float64Array } {
  const i0 = new Int32Array(n), i1 = new Int32Array(n), t = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    let u = (c + 0.5) / f - 0.5;
    u = u < 0 ? 0 : u > cells - 1 ? cells - 1 : u;
    i0[c] = u | 0;
    i1[c] = i0[c] < cells - 1 ? i0[c] + 1 : i0[c];
    t[c] = u - i0[c];
  }
  return { i0, i1, t };
}

/** Bilinear read of a grid `g` between its rows starting at r0 and r1 (weight ty), columns x0 and x1 (weight fx). */
export function bilinear(g: Float32Array, r0: number, r1: number, ty: number, x0: number, x1: number, fx: number): number {
  const a = g[r0 + x0], b = g[r1 + x0];
  const top = a + fx * (g[r0 + x1] - a);
  const bottom = b + fx * (g[r1 + x1] - b);
  return top + ty * (bottom - top);
}


/**
 * A wide, smooth local mean computed cheaply: `blurredBlocks`, then bilinear interpolation back to every pixel. For σ
 * of 10+ pixels the result is close to `boxBlur3(src, sigma)` at about 1/f² of the cost. The block grid starts at
 * pixel (0, 0): tiles must start at multiples of f to match.
 */
export function smoothDecimated(src: Plane, sigma: number, f = LOCAL_DECIMATION): Plane {
  return interpolateUp(blurredBlocks(src, sigma, f), src.width, src.height, (x) => (x + 0.5) / f - 0.5);
}
