import { DermametricsError, invalidOption, numberOption } from '../errors';
import { flag, type QcFlag } from '../flags';
import type { Point, Raster } from '../image/raster';
import { COLORCHECKER_CLASSIC_NAMES } from './colorchecker';

/**
 * Reading a colour chart's patches from a photo, given the four corners of its patch grid.
 * The grid is mapped with a plane homography (perspective), so a chart photographed at an angle is read correctly.
 */

/** A 3x3 homography, row-major: [u, v, 1] -> [x, y, w] with x/w, y/w the image point. */
export type Homography = readonly number[];

/** Solve the 8x8 system of the direct linear transform by Gaussian elimination with partial pivoting. */
function solveLinear(A: number[][], b: number[]): number[] | null {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    if (Math.abs(M[p][c]) < 1e-12) return null;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  return M.map((row, i) => row[n] / row[i]);
}

/**
 * The homography that maps 4 source points onto 4 destination points, h33 = 1
 * [Hartley2004] §4.1 (DLT with 4 correspondences, exactly determined).
 */
export function homographyFromPoints(src: readonly Point[], dst: readonly Point[]): Homography | null {
  const A: number[][] = [];
  const b: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [u, v] = src[i];
    const [x, y] = dst[i];
    A.push([u, v, 1, 0, 0, 0, -u * x, -v * x]); // [Hartley2004] eq. (4.1), rows for x and y
    b.push(x);
    A.push([0, 0, 0, u, v, 1, -u * y, -v * y]);
    b.push(y);
  }
  const h = solveLinear(A, b);
  return h ? [...h, 1] : null;
}

export function applyHomography(H: Homography, u: number, v: number): Point {
  const w = H[6] * u + H[7] * v + H[8];
  return [(H[0] * u + H[1] * v + H[2]) / w, (H[3] * u + H[4] * v + H[5]) / w];
}

function invertHomography(H: Homography): Homography {
  const [a, b, c, d, e, f, g, h, i] = H;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [A / det, -(b * i - c * h) / det, (b * f - c * e) / det, B / det, (a * i - c * g) / det, -(a * f - c * d) / det, C / det, -(a * h - b * g) / det, (a * e - b * d) / det];
}

export interface ChartLayout {
  /** Patch columns (6 for the ColorChecker Classic). */
  columns: number;
  /** Patch rows (4). */
  rows: number;
  /** Side of the sampled central square as a fraction of one grid cell (default 0.5: well clear of patch edges and gaps). */
  sampleFraction: number;
  /** Patch names in reading order (row by row from the corner given first). */
  names: readonly string[];
}

export const COLORCHECKER_CLASSIC_LAYOUT: ChartLayout = { columns: 6, rows: 4, sampleFraction: 0.5, names: COLORCHECKER_CLASSIC_NAMES };

export interface ChartSampleOptions {
  /** A patch is `clipped` when more than this fraction of its pixels has a channel at >= 0.999 or <= 0 (default 0.01). */
  clippedFraction?: number;
  /**
   * A patch is `non-uniform` when the means of the four quadrants of its sampled square differ by more than this,
   * relative to the patch mean (default 0.05); quadrant means average the noise away and show glare, shadow or a misplaced corner.
   */
  nonUniformity?: number;
  /** Pixels further than this many robust standard deviations (1.4826 MAD) from the median are left out of the mean (default 3). */
  outlierSigma?: number;
}

export interface ChartPatch {
  index: number;
  name: string;
  /** Robust mean, linear RGB of the raster (3 values). */
  rgb: [number, number, number];
  /** Standard deviation per channel of the pixels kept. */
  std: [number, number, number];
  /** Pixels sampled / kept after outlier rejection. */
  pixels: number;
  kept: number;
  /** Centre of the patch in image coordinates. */
  center: Point;
  clippedFraction: number;
  /** max over channels of (max - min of the 4 quadrant means) / patch mean. */
  nonUniformity: number;
  clipped: boolean;
  nonUniform: boolean;
}

export interface ChartSample {
  patches: ChartPatch[];
  /** The patch means as rows [r, g, b], in reading order: what `fitColorCorrection` takes. */
  rgb: [number, number, number][];
  flags: QcFlag[];
}

function isPoint(p: unknown): p is Point {
  return Array.isArray(p) && p.length === 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]);
}

/** Signed area of a polygon (shoelace); > 0 for one winding, < 0 for the other. */
function signedArea(q: readonly Point[]): number {
  let s = 0;
  for (let i = 0; i < q.length; i++) {
    const [x0, y0] = q[i];
    const [x1, y1] = q[(i + 1) % q.length];
    s += x0 * y1 - x1 * y0;
  }
  return s / 2;
}

function isConvex(q: readonly Point[]): boolean {
  let sign = 0;
  for (let i = 0; i < 4; i++) {
    const [ax, ay] = q[i];
    const [bx, by] = q[(i + 1) % 4];
    const [cx, cy] = q[(i + 2) % 4];
    const z = (bx - ax) * (cy - by) - (by - ay) * (cx - bx);
    if (z === 0) return false;
    if (sign === 0) sign = Math.sign(z);
    else if (Math.sign(z) !== sign) return false;
  }
  return true;
}

function median(values: Float64Array): number {
  const s = Float64Array.from(values).sort();
  const n = s.length;
  return n % 2 ? s[(n - 1) >> 1] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/**
 * Read the patches of a colour chart from a raster.
 *
 * @param raster linear RGB raster (3 channels), as returned by `loadImage`
 * @param corners the 4 outer corners of the patch grid in image pixels (x right, y down), in this order: the outer
 *   corner of the first patch ('dark skin' on a ColorChecker Classic), then of the last patch in its row ('bluish
 *   green'), of the last patch ('black 2'), of the first patch of the last row ('white 9.5'). Any perspective is fine.
 * @param layout grid shape and sampled fraction (default: ColorChecker Classic, central 50% of each cell)
 * @returns per-patch robust means, spreads and flags (`chart_patch_clipped`, `chart_patch_nonuniform`)
 * @throws {DermametricsError} E_INVALID_OPTION for malformed corners; E_BAD_CHART if the corners are degenerate,
 *   outside the image, or the patches too small to sample
 */
export function sampleChart(raster: Raster, corners: readonly Point[], layout: Partial<ChartLayout> = {}, options: ChartSampleOptions = {}): ChartSample {
  const L: ChartLayout = { ...COLORCHECKER_CLASSIC_LAYOUT, ...layout };
  const columns = numberOption('layout.columns', L.columns, 6, { min: 1, integer: true });
  const rows = numberOption('layout.rows', L.rows, 4, { min: 1, integer: true });
  const fraction = numberOption('layout.sampleFraction', L.sampleFraction, 0.5, { min: 0.05, max: 1 });
  const clipLimit = numberOption('options.clippedFraction', options.clippedFraction, 0.01, { min: 0, max: 1 });
  const uniformLimit = numberOption('options.nonUniformity', options.nonUniformity, 0.05, { min: 0 });
  const outlierSigma = numberOption('options.outlierSigma', options.outlierSigma, 3, { min: 0.5 });
  if (!Array.isArray(corners) || corners.length !== 4 || !corners.every(isPoint)) {
    throw invalidOption('corners', 'an array of 4 [x, y] points (patch-grid corners in image pixels)', corners);
  }
  if (raster.channels < 3) throw invalidOption('raster.channels', 'at least 3 channels', raster.channels);
  const { width, height, channels, data } = raster;
  for (const [x, y] of corners) {
    if (x < 0 || y < 0 || x > width || y > height) {
      throw new DermametricsError('E_BAD_CHART', `Chart corner (${x}, ${y}) lies outside the ${width}x${height} image. Give the corners in pixels of the image passed in (after orientation and any resizing).`, { corners });
    }
  }
  if (!isConvex(corners) || Math.abs(signedArea(corners)) < 1) {
    throw new DermametricsError('E_BAD_CHART', 'The 4 chart corners do not form a convex quadrilateral. Give them in order around the chart: first patch, end of its row, last patch, start of the last row.', { corners });
  }
  const H = homographyFromPoints([[0, 0], [columns, 0], [columns, rows], [0, rows]], corners);
  if (!H) throw new DermametricsError('E_BAD_CHART', 'The chart corners are degenerate (three of them on a line). Check the corner coordinates.', { corners });
  const Hinv = invertHomography(H);
  const half = fraction / 2;
  const names = L.names ?? [];

  const patches: ChartPatch[] = [];
  const flags: QcFlag[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const index = r * columns + c;
      const u0 = c + 0.5 - half, u1 = c + 0.5 + half, v0 = r + 0.5 - half, v1 = r + 0.5 + half;
      const quad = [applyHomography(H, u0, v0), applyHomography(H, u1, v0), applyHomography(H, u1, v1), applyHomography(H, u0, v1)];
      const xs = quad.map((p) => p[0]);
      const ys = quad.map((p) => p[1]);
      const x0 = Math.max(0, Math.floor(Math.min(...xs))), x1 = Math.min(width - 1, Math.ceil(Math.max(...xs)));
      const y0 = Math.max(0, Math.floor(Math.min(...ys))), y1 = Math.min(height - 1, Math.ceil(Math.max(...ys)));
      // Pixel centres whose chart coordinates fall inside the sampled square; quadrant from the chart coordinates.
      const idx: number[] = [];
      const quadrant: number[] = [];
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          const px = x + 0.5, py = y + 0.5;
          const w = Hinv[6] * px + Hinv[7] * py + Hinv[8];
          const u = (Hinv[0] * px + Hinv[1] * py + Hinv[2]) / w;
          const v = (Hinv[3] * px + Hinv[4] * py + Hinv[5]) / w;
          if (u < u0 || u >= u1 || v < v0 || v >= v1) continue;
          idx.push((y * width + x) * channels);
          quadrant.push((u < c + 0.5 ? 0 : 1) + (v < r + 0.5 ? 0 : 2));
        }
      }
      const n = idx.length;
      if (n < 16) {
        throw new DermametricsError('E_BAD_CHART', `Patch ${index + 1} covers only ${n} pixels in the sampled area (need >= 16). Photograph the chart larger, or check the corners.`, { patch: index + 1, pixels: n, corners });
      }
      // Robust mean: drop pixels beyond outlierSigma robust SDs (median +- k * 1.4826 MAD) in any channel [Rousseeuw1993].
      const keep = new Uint8Array(n).fill(1);
      let clippedCount = 0;
      for (let k = 0; k < n; k++) {
        const j = idx[k];
        if (data[j] >= 0.999 || data[j + 1] >= 0.999 || data[j + 2] >= 0.999 || data[j] <= 0 || data[j + 1] <= 0 || data[j + 2] <= 0) clippedCount++;
      }
      const vals = new Float64Array(n);
      for (let ch = 0; ch < 3; ch++) {
        for (let k = 0; k < n; k++) vals[k] = data[idx[k] + ch];
        const med = median(vals);
        let meanAbs = 0;
        for (let k = 0; k < n; k++) meanAbs += vals[k] = Math.abs(vals[k] - med);
        let sigma = 1.4826 * median(vals); // [Rousseeuw1993] MAD consistency constant for the normal
        // Over half the pixels equal (noise-free or heavily quantised patch): MAD is 0; use the mean absolute
        // deviation, sqrt(pi/2) * E|x - m| = sigma for a normal, so outliers are still found.
        if (sigma === 0) sigma = Math.sqrt(Math.PI / 2) * (meanAbs / n);
        if (sigma > 0) for (let k = 0; k < n; k++) if (Math.abs(data[idx[k] + ch] - med) > outlierSigma * sigma) keep[k] = 0;
      }
      const sum = [0, 0, 0], sum2 = [0, 0, 0];
      const qs = [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]];
      const qn = [0, 0, 0, 0];
      let kept = 0;
      for (let k = 0; k < n; k++) {
        if (!keep[k]) continue;
        kept++;
        qn[quadrant[k]]++;
        for (let ch = 0; ch < 3; ch++) {
          const val = data[idx[k] + ch];
          sum[ch] += val;
          sum2[ch] += val * val;
          qs[ch][quadrant[k]] += val;
        }
      }
      const mean = sum.map((s) => s / kept) as [number, number, number];
      const std = sum2.map((s2, ch) => Math.sqrt(Math.max(0, s2 / kept - mean[ch] * mean[ch]))) as [number, number, number];
      let nonUniformity = 0;
      for (let ch = 0; ch < 3; ch++) {
        const qm = qs[ch].map((s, q) => (qn[q] ? s / qn[q] : mean[ch]));
        // relative to the patch mean, with a floor of 0.01 so near-black channels do not turn noise into "non-uniform"
        nonUniformity = Math.max(nonUniformity, (Math.max(...qm) - Math.min(...qm)) / Math.max(mean[ch], 0.01));
      }
      const clippedFraction = clippedCount / n;
      const name = names[index] ?? `patch ${index + 1}`;
      const patch: ChartPatch = {
        index,
        name,
        rgb: mean,
        std,
        pixels: n,
        kept,
        center: applyHomography(H, c + 0.5, r + 0.5),
        clippedFraction,
        nonUniformity,
        clipped: clippedFraction > clipLimit,
        nonUniform: nonUniformity > uniformLimit,
      };
      if (patch.clipped) {
        flags.push(flag('chart_patch_clipped', `Chart patch ${index + 1} (${name}): ${(100 * clippedFraction).toFixed(1)}% of its pixels are clipped; exposure is too high or too low for this patch.`, { region: name, value: clippedFraction, threshold: clipLimit }));
      }
      if (patch.nonUniform) {
        flags.push(flag('chart_patch_nonuniform', `Chart patch ${index + 1} (${name}) is not uniform (quadrant means differ by ${(100 * nonUniformity).toFixed(1)}%): glare, shadow, or misplaced corners.`, { region: name, value: nonUniformity, threshold: uniformLimit }));
      }
      patches.push(patch);
    }
  }
  // ColorChecker Classic: the last row is the grey scale from white to black. If it is not, the corners were given
  // in another order (or the chart is not where they say) and every patch would be matched to the wrong reference.
  if (columns === 6 && rows === 4 && names === COLORCHECKER_CLASSIC_NAMES) {
    const Y = patches.slice(18).map((p) => 0.2126 * p.rgb[0] + 0.7152 * p.rgb[1] + 0.0722 * p.rgb[2]); // [IEC61966] luminance row
    const monotone = Y.every((y, i) => i === 0 || y < Y[i - 1]);
    if (!monotone) {
      flags.push(
        flag('chart_orientation_suspect', "The chart's bottom row does not run from white to black: the corners are probably in the wrong order (first corner = outer corner of 'dark skin', then along its row). Check them before trusting the correction.", {
          value: Y.findIndex((y, i) => i > 0 && y >= Y[i - 1]),
        }),
      );
    }
  }
  return { patches, rgb: patches.map((p) => [...p.rgb] as [number, number, number]), flags };
}
