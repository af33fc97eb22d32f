import { cropRaster } from '../image/resample';
import type { Raster } from '../image/raster';
import { bandOf, contextBandPlan, contextBandRows, type ContextRows } from './context';
import { LOCAL_SIGMA_MM } from './features';
import { LOCAL_DECIMATION } from './filters';
import { tileFeatures, type TileFeatures } from './gate';
import { predictRows, type ContextModel, type WrinkleModel } from './head';
import { contextOnWorker, defaultThreads, featuresOnWorker, workerScript } from './threads';

/** Per-pixel maps of one analysed image at the analysis resolution. */
export interface WrinkleMaps {
  width: number;
  height: number;
  /** model probability that the pixel lies on a wrinkle */
  prob: Float32Array;
  /** baseline Frangi vesselness (dark valleys) */
  frangi: Float32Array;
  /** L* minus local mean (depth proxy) */
  contrast: Float32Array;
  /** valley orientation (deg) */
  orientationDeg: Float32Array;
}

/**
 * Nominal tile side (pixels at the analysis resolution): a tile holds at most TILE_PX² pixels before its margins, and
 * its features take about 250 bytes per pixel with the margins (~300 MB at 1024²).
 */
export const TILE_PX = 1024;

/** One tile: the pixels it fills (tx, ty, iw × ih) and the crop it computes them from (with its margin). */
interface Tile {
  tx: number;
  ty: number;
  iw: number;
  ih: number;
  crop: { x: number; y: number; width: number; height: number };
}

/**
 * Tiles covering width × height, each extended by a margin of three times the widest filter σ, so the result equals
 * the untiled computation except within that margin of the IMAGE border (the same bytes for any tiling: tested). The
 * tiles are horizontal strips of equal height holding at most tilePx² pixels each (split into equal columns only when
 * the image is wider than 2·tilePx), as many for each of `threads` workers: every interior cut recomputes two margins
 * (57 px each at 0.1 mm/px), and a face needs fewer cuts as strips than as squares (1411 × 1928: 3 strips add 12 % of
 * pixels, 2 × 2 squares of 1024 add 14 %; 4 strips, for 2 threads, 18 %, but no thread computes the last strip alone).
 * Strips also finish top to bottom, so the auto-context bands over the first ones can start while the others are
 * computed. With `skin`, tiles without any skin pixel are left out.
 */
function planTiles(width: number, height: number, mmPerPx: number, tilePx: number, skin?: Uint8Array, threads = 1): Tile[] {
  const margin = Math.ceil((3 * LOCAL_SIGMA_MM) / mmPerPx) + 2 * LOCAL_DECIMATION + 2;
  const D = LOCAL_DECIMATION;
  const cols = Math.ceil(width / (2 * tilePx));
  const tw = Math.ceil(width / cols);
  let rows = Math.ceil(height / Math.max(1, Math.floor((tilePx * tilePx) / tw)));
  while ((cols * rows) % threads !== 0 && rows < height) rows++; // as many tiles for each thread
  const th = Math.ceil(height / rows);
  const tiles: Tile[] = [];
  for (let ty = 0; ty < height; ty += th) {
    for (let tx = 0; tx < width; tx += tw) {
      const iw = Math.min(tw, width - tx), ih = Math.min(th, height - ty);
      if (skin && !anyInside(skin, width, tx, ty, iw, ih)) continue;
      // crops start on the block grid of the decimated local statistics, so tiled = untiled away from the border
      const x0 = Math.max(0, Math.floor((tx - margin) / D) * D), y0 = Math.max(0, Math.floor((ty - margin) / D) * D);
      const x1 = Math.min(width, tx + iw + margin), y1 = Math.min(height, ty + ih + margin);
      tiles.push({ tx, ty, iw, ih, crop: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } });
    }
  }
  return tiles;
}

/** Zeroed maps; `shared`: in shared memory, so the context bands' worker jobs read them without copies. */
function emptyMaps(width: number, height: number, shared = false): WrinkleMaps {
  const n = width * height;
  const plane = (): Float32Array => (shared ? new Float32Array(new SharedArrayBuffer(4 * n)) : new Float32Array(n));
  return { width, height, prob: plane(), frangi: plane(), contrast: plane(), orientationDeg: plane() };
}

/** The crop's pixels whose features are used: the tile's own pixels (not its margin), on skin when `skin` is given. */
function tileNeed(t: Tile, width: number, skin?: Uint8Array): Uint8Array {
  const { x: x0, y: y0, width: cw, height: ch } = t.crop;
  const need = new Uint8Array(cw * ch);
  for (let y = t.ty; y < t.ty + t.ih; y++) {
    const row = (y - y0) * cw - x0;
    if (!skin) need.fill(1, row + t.tx, row + t.tx + t.iw);
    else for (let x = t.tx; x < t.tx + t.iw; x++) need[row + x] = skin[y * width + x] === 1 ? 1 : 0;
  }
  return need;
}

/**
 * Run the head on a tile's gated rows (tileFeatures: the `need` pixels of tileNeed that pass the gate) and copy the tile's
 * own pixels into `maps`. Unwanted pixels have no features and a Frangi response of 0 (computeFeatures), and pixels the
 * head does not run on keep probability 0, so prob and frangi are 0 off skin.
 */
function placeTile(maps: WrinkleMaps, t: Tile, f: TileFeatures, model: WrinkleModel): void {
  const { x: x0, y: y0, width: cw } = t.crop;
  const p = predictRows(model, f.rows, f.index.length);
  for (let r = 0; r < p.length; r++) {
    const i = f.index[r];
    const cy = (i / cw) | 0;
    maps.prob[(y0 + cy) * maps.width + x0 + i - cy * cw] = p[r];
  }
  for (let y = 0; y < t.ih; y++) {
    const src = (t.ty + y - y0) * cw + (t.tx - x0);
    const dst = (t.ty + y) * maps.width + t.tx;
    maps.frangi.set(f.frangi.subarray(src, src + t.iw), dst);
    maps.contrast.set(f.contrast.subarray(src, src + t.iw), dst);
    maps.orientationDeg.set(f.orientationDeg.subarray(src, src + t.iw), dst);
  }
}

/** Write the context head's probabilities of one band's candidate rows into `prob`. */
function placeContext(prob: Float32Array, c: ContextModel, r: ContextRows): void {
  const p = predictRows(c, r.rows, r.index.length);
  for (let k = 0; k < r.index.length; k++) prob[r.index[k]] = p[k];
}

/**
 * The second stage of a model with an auto-context head (src/wrinkle/context.ts): the first head's probability map is
 * replaced by the context head's, on the candidate pixels (0 elsewhere), band by band (contextBandPlan). A model
 * without a context head leaves the maps as they are.
 */
function applyContext(maps: WrinkleMaps, mmPerPx: number, model: WrinkleModel): WrinkleMaps {
  const c = model.context;
  if (!c) return maps;
  const prob = new Float32Array(maps.prob.length);
  for (const b of contextBandPlan(maps.height, mmPerPx)) placeContext(prob, c, contextBandRows(bandOf(maps, b), mmPerPx, c.manifest.candidate));
  maps.prob = prob;
  return maps;
}

/** The head's gate of a model (largest Hessian eigenvalue a pixel needs for the head to run on it). */
const gateOf = (model: WrinkleModel): number => model.manifest.gateHessHi ?? -Infinity;

/**
 * Features and model probabilities, tile by tile, in this thread (then the context head's, when the model has one). With `skin` (1 = analyse, width × height), the
 * model and the baseline are evaluated on those pixels only: elsewhere prob and frangi are 0.
 */
export function computeWrinkleMaps(raster: Raster, mmPerPx: number, model: WrinkleModel, tilePx = TILE_PX, skin?: Uint8Array): WrinkleMaps {
  const maps = emptyMaps(raster.width, raster.height);
  for (const t of planTiles(raster.width, raster.height, mmPerPx, tilePx, skin)) {
    const need = tileNeed(t, raster.width, skin);
    placeTile(maps, t, tileFeatures(cropRaster(raster, t.crop), mmPerPx, gateOf(model), need), model);
  }
  return applyContext(maps, mmPerPx, model);
}

/**
 * The same maps with the tiles' features computed on up to `threads` worker threads while this thread runs the model
 * head on the tiles already done. Byte-identical to `computeWrinkleMaps` (the same arithmetic; tiling does not change the
 * bytes); falls back to it with one thread or when the worker script is not there, and computes a tile here when its
 * worker fails. `afterTiles` is called once every tile is placed (frangi, contrast and orientation final; prob still the
 * first stage's), while the context bands may still be running.
 */
export async function computeWrinkleMapsThreaded(raster: Raster, mmPerPx: number, model: WrinkleModel, tilePx = TILE_PX, skin?: Uint8Array, threads = defaultThreads(), afterTiles?: (maps: WrinkleMaps) => void): Promise<WrinkleMaps> {
  const tiles = planTiles(raster.width, raster.height, mmPerPx, tilePx, skin, threads);
  if (threads <= 1 || tiles.length <= 1 || !workerScript()) {
    const maps = computeWrinkleMaps(raster, mmPerPx, model, tilePx, skin);
    afterTiles?.(maps);
    return maps;
  }
  const c = model.context;
  // with a context head the maps are in shared memory: its bands read them on the workers without copies
  const maps = emptyMaps(raster.width, raster.height, c !== undefined);
  const gate = gateOf(model);
  // each context band starts as soon as every tile over its rows (margins included) is placed, on the workers that
  // finished their tiles; the head runs here as the bands come back
  const prob = new Float32Array(c ? maps.prob.length : 0);
  const bands = c ? contextBandPlan(maps.height, mmPerPx) : [];
  // a band waits for the tiles whose rows meet its planes; one that meets none has no first-stage probability, so no
  // candidates, and is left out (its context probability is 0, as applyContext gives it)
  const over = (t: Tile, b: (typeof bands)[number]): boolean => t.ty < b.y1 && t.ty + t.ih > b.y0;
  const waiting = bands.map((b) => tiles.filter((t) => over(t, b)).length);
  const context: Promise<void>[] = [];
  const runBand = (k: number): void => {
    const band = bandOf(maps, bands[k]);
    const local = () => contextBandRows(band, mmPerPx, c!.manifest.candidate);
    context.push(contextOnWorker(band, mmPerPx, c!.manifest.candidate, threads).catch(local).then((rows) => placeContext(prob, c!, rows)));
  };
  await Promise.all(
    tiles.map(async (t) => {
      // a worker that fails (crashed, out of memory) costs time, not the result: the tile is computed here instead
      const need = tileNeed(t, raster.width, skin);
      const f = await featuresOnWorker(cropRaster(raster, t.crop), mmPerPx, gate, threads, need).catch(() => tileFeatures(cropRaster(raster, t.crop), mmPerPx, gate, need));
      placeTile(maps, t, f, model);
      bands.forEach((b, k) => {
        if (over(t, b) && --waiting[k] === 0) runBand(k);
      });
    }),
  );
  bands.forEach((_, k) => {
    if (waiting[k] > 0) throw new Error('context band left waiting'); // every band's tiles were placed above
  });
  afterTiles?.(maps); // frangi, contrast and orientation are final: the caller's work on them overlaps the last bands
  await Promise.all(context);
  if (c) maps.prob = prob;
  return maps;
}

/** Whether any pixel of the w × h block at (x, y) is set. */
function anyInside(mask: Uint8Array, width: number, x: number, y: number, w: number, h: number): boolean {
  for (let j = y; j < y + h; j++) for (let i = x; i < x + w; i++) if (mask[j * width + i]) return true;
  return false;
}
