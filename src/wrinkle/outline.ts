import type { Raster } from '../image/raster';
import { bilinear, blurBlocks, createPlane, gridAxis, type Plane } from './filters';

/**
 * What lies beyond the regions, and the band along their outline. The filter bank reads up to ~4.5 mm around a pixel
 * (3σ of its 1.5 mm local statistics), so where a face's regions stop at hair or a dark background, the skin near the
 * outline sees a dark step: on a constructed region surrounded by a dark background the wrinkle length density came
 * out 2–7× that of the same region surrounded by skin (test/wrinkle/outline.test.ts), and on real photos the face's
 * outline was marked as a long line (docs/wrinkle.md, Real photos). "Outside" is every pixel of no region that connects
 * to the analysed grid's border through other such pixels; holes inside the face (eyes, brows, nostrils, lips) are not
 * outside, so lines next to them keep their surroundings.
 */

/**
 * Pixels of no region (keep = 0) connected to the grid's border through other such pixels (1), on a W × H grid
 * (4-connected). By runs: each row's runs of keep = 0 are joined to the runs they overlap in the row above
 * (union-find with path halving), then the runs whose set touches the border are written — a few thousand runs on a
 * face instead of a pixel stack.
 */
export function outsideOf(keep: Uint8Array, W: number, H: number): Uint8Array {
  const outside = new Uint8Array(W * H);
  const start: number[] = [], end: number[] = [], rowOf: number[] = [], parent: number[] = [], border: boolean[] = [];
  const root = (a: number): number => {
    while (parent[a] !== a) a = parent[a] = parent[parent[a]];
    return a;
  };
  let prev = 0; // first run of the row above
  for (let y = 0; y < H; y++) {
    const row = y * W, first = start.length;
    for (let x = 0; x < W; ) {
      if (keep[row + x] !== 0) {
        x++;
        continue;
      }
      const x0 = x;
      while (x < W && keep[row + x] === 0) x++;
      const r = start.length;
      start.push(x0), end.push(x), rowOf.push(row), parent.push(r), border.push(y === 0 || y === H - 1 || x0 === 0 || x === W);
      // the runs of the row above that overlap [x0, x): one set
      while (prev < first && end[prev] <= x0) prev++;
      for (let q = prev; q < first && start[q] < x; q++) {
        const a = root(q), b = root(r);
        if (a !== b) (parent[b] = a), (border[a] ||= border[b]);
      }
    }
    prev = first;
  }
  for (let r = 0; r < start.length; r++) if (border[root(r)]) outside.fill(1, rowOf[r] + start[r], rowOf[r] + end[r]);
  return outside;
}

/** Width (mm) of the skin neighbourhood an outside pixel takes its colour from, and of the wider one behind it. */
const FILL_SIGMA_MM = 1;
const FALLBACK_SIGMA_MM = 4;
/** Side of the blocks the neighbourhoods are computed on (px; 0.8 mm at the analysis resolution, under the 1 mm σ). */
const FILL_BLOCK_PX = 8;
/** Weight (fraction of region pixels in the near neighbourhood) below which the wider neighbourhood takes over. */
const PRIOR_WEIGHT = 0.02;

/**
 * Paint the outside pixels (in place) with a smooth skin colour: the normalised convolution [Knutsson1993] of the
 * region pixels, Σ G·m·I / Σ G·m with G a Gaussian of FILL_SIGMA_MM, blended into the same at FALLBACK_SIGMA_MM (then
 * the mean of all region pixels) where few region pixels are near, so the colour is continuous everywhere. Computed on
 * FILL_BLOCK_PX² block sums (`blurBlocks`) and read back bilinearly. With it, a region's
 * measures do not depend on what lies beyond it: with a 1.5 mm outline band, a region in a near-black surround measured
 * as inside skin to within 2.5 % on six constructed scenes (test/wrinkle/outline.test.ts).
 */
export function fillOutside(raster: Raster, keep: Uint8Array, outside: Uint8Array, mmPerPx: number): void {
  const { width: W, height: H, channels: C, data } = raster;
  const f = FILL_BLOCK_PX;
  const gw = Math.ceil(W / f), gh = Math.ceil(H / f);
  // block sums of m·R, m·G, m·B and m, and the mean colour of the region pixels
  const sums: Plane[] = Array.from({ length: 4 }, () => createPlane(gw, gh));
  const [sr, sg, sb, sm] = sums.map((p) => p.data);
  const blockOf = new Int32Array(W);
  for (let x = 0; x < W; x++) blockOf[x] = (x / f) | 0;
  let mr = 0, mg = 0, mb = 0, kept = 0;
  // every second pixel of every second row: the colour round a pixel changes slowly, and a quarter of the reads keeps
  // the fill off the critical path
  for (let y = 0; y < H; y += 2) {
    const row = ((y / f) | 0) * gw;
    for (let x = 0, i = y * W, j = i * C; x < W; x += 2, i += 2, j += 2 * C) {
      if (!keep[i]) continue;
      const b = row + blockOf[x], r = data[j], g = data[j + 1], bl = data[j + 2];
      sr[b] += r;
      sg[b] += g;
      sb[b] += bl;
      sm[b] += 1;
      mr += r;
      mg += g;
      mb += bl;
      kept++;
    }
  }
  if (kept === 0) return;
  const mean = [mr / kept, mg / kept, mb / kept];
  const near = sums.map((p) => blurBlocks(p, FILL_SIGMA_MM / mmPerPx, f)), wide = sums.map((p) => blurBlocks(p, FALLBACK_SIGMA_MM / mmPerPx, f));
  // the fill colour per block: the near neighbourhood, over the wide one, over the mean; blocks with almost no region
  // pixel within ~8 mm (wide weight under 2 %) are not painted: no region pixel's filters reach them
  const fill: Plane[] = [0, 1, 2].map(() => createPlane(gw, gh));
  const reached = new Uint8Array(gw * gh);
  const samples = Math.ceil(f / 2) ** 2; // region samples a full block holds
  for (let b = 0; b < gw * gh; b++) {
    reached[b] = wide[3].data[b] > 0.02 * samples ? 1 : 0;
    for (let c = 0; c < 3; c++) {
      const prior = (wide[c].data[b] + PRIOR_WEIGHT * mean[c] * samples) / (wide[3].data[b] + PRIOR_WEIGHT * samples);
      fill[c].data[b] = (near[c].data[b] + PRIOR_WEIGHT * prior * samples) / (near[3].data[b] + PRIOR_WEIGHT * samples);
    }
  }
  // bilinear read back at each outside pixel (pixel x sits at (x + 0.5)/f − 0.5 on the block grid)
  const X = gridAxis(W, f, gw), Y = gridAxis(H, f, gh);
  const [fr, fg, fb] = fill.map((p) => p.data);
  for (let y = 0; y < H; y++) {
    const r0 = Y.i0[y] * gw, r1 = Y.i1[y] * gw, ty = Y.t[y], rowBlock = ((y / f) | 0) * gw;
    for (let x = 0, i = y * W, j = i * C; x < W; x++, i++, j += C) {
      if (!outside[i] || !reached[rowBlock + blockOf[x]]) continue;
      const a = X.i0[x], b = X.i1[x], tx = X.t[x];
      data[j] = bilinear(fr, r0, r1, ty, a, b, tx);
      data[j + 1] = bilinear(fg, r0, r1, ty, a, b, tx);
      data[j + 2] = bilinear(fb, r0, r1, ty, a, b, tx);
    }
  }
}

/**
 * The region pixels (keep) within `radiusPx` of the outside, by the 3-4 chamfer distance [Borgefors1986] (two raster
 * passes, within 8 % of the Euclidean distance) on the 2 × 2 blocks (a block is outside when any of its pixels is;
 * another pixel of error at most, a quarter of the work), as the list of their indices (raster order of the blocks;
 * each once). Empty when nothing is outside.
 */
export function outlineBand(keep: Uint8Array, outside: Uint8Array, W: number, H: number, radiusPx: number): Int32Array {
  const none = new Int32Array(0);
  if (!(radiusPx > 0)) return none;
  const w = (W + 1) >> 1, h = (H + 1) >> 1, n = w * h;
  const BIG = 1 << 30;
  const d = new Int32Array(n).fill(BIG);
  let any = false;
  for (let y = 0; y < H; y++) {
    for (let x = 0, i = y * W; x < W; x++, i++) {
      if (outside[i]) (d[(y >> 1) * w + (x >> 1)] = 0), (any = true);
    }
  }
  if (!any) return none;
  // forward pass (left, up-left, up, up-right), then backward (right, down-right, down, down-left)
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      let v = d[i];
      if (v === 0) continue;
      if (x > 0) v = Math.min(v, d[i - 1] + 3);
      if (y > 0) {
        v = Math.min(v, d[i - w] + 3);
        if (x > 0) v = Math.min(v, d[i - w - 1] + 4);
        if (x < w - 1) v = Math.min(v, d[i - w + 1] + 4);
      }
      d[i] = v;
    }
  }
  for (let y = h - 1; y >= 0; y--) {
    for (let x = w - 1; x >= 0; x--) {
      const i = y * w + x;
      let v = d[i];
      if (v === 0) continue;
      if (x < w - 1) v = Math.min(v, d[i + 1] + 3);
      if (y < h - 1) {
        v = Math.min(v, d[i + w] + 3);
        if (x < w - 1) v = Math.min(v, d[i + w + 1] + 4);
        if (x > 0) v = Math.min(v, d[i + w - 1] + 4);
      }
      d[i] = v;
    }
  }
  const limit = (3 * radiusPx) / 2; // chamfer units of the half grid
  // the region pixels of the blocks within the limit (a narrow band: the blocks are visited, not the pixels)
  const pixels: number[] = [];
  for (let by = 0; by < h; by++) {
    for (let bx = 0; bx < w; bx++) {
      if (d[by * w + bx] > limit) continue;
      for (let y = 2 * by; y < Math.min(H, 2 * by + 2); y++) {
        for (let x = 2 * bx, i = y * W + x; x < Math.min(W, 2 * bx + 2); x++, i++) if (keep[i]) pixels.push(i);
      }
    }
  }
  return Int32Array.from(pixels);
}
