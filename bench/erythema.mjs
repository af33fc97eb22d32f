// Erythema analysis of a 24 MP photo (all maps, 12 standard regions + hemifaces, reference deltas) divided by the
// time to decode that photo. `maps: true` computes the maps over the regions' bounding box (the face); the same
// analysis with `maps: 'full'` (maps of the whole frame, every pixel read) is timed too. Run `npm run build` first. Prints a markdown table; writes bench/results/erythema.json.
//
// The photo is synthetic (no real face may be committed or downloaded): 6000×4000 skin-toned JPEG (q92) with shading,
// texture, noise and red blotches, generated deterministically here. Regions are rectangles/ellipses placed like a
// face at 0.05 mm/px (a 150 mm wide face spanning 3000 px), so the analysis runs at 4×4 binning = 0.2 mm/px.
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { analyzeErythema, loadImage, renderErythemaOverlay } from '../dist/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const W = 6000;
const H = 4000;
const MM_PER_PX = 0.05;
const RUNS = 5;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function makePhoto(file) {
  if (existsSync(file)) return;
  const buf = Buffer.alloc(W * H * 3);
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
  const blotches = Array.from({ length: 40 }, () => [rand() * W, rand() * H, 60 + rand() * 300, 0.1 + rand() * 0.25]);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const shade = 0.75 + 0.25 * Math.sin((x / W) * Math.PI) * Math.sin((y / H) * Math.PI);
      let red = 0;
      for (const [bx, by, r, a] of blotches) {
        const d2 = ((x - bx) ** 2 + (y - by) ** 2) / (r * r);
        if (d2 < 4) red += a * Math.exp(-d2);
      }
      const n = (rand() - 0.5) * 10;
      const i = 3 * (y * W + x);
      buf[i] = Math.max(0, Math.min(255, 210 * shade + n));
      buf[i + 1] = Math.max(0, Math.min(255, 160 * shade * (1 - red) + n));
      buf[i + 2] = Math.max(0, Math.min(255, 140 * shade * (1 - 0.6 * red) + n));
    }
  }
  await sharp(buf, { raw: { width: W, height: H, channels: 3 } }).jpeg({ quality: 92 }).toFile(file);
}

function rect(name, x, y, w, h, ellipse = false) {
  const mask = new Uint8Array(w * h);
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      const u = (i + 0.5) / w - 0.5;
      const v = (j + 0.5) / h - 0.5;
      mask[j * w + i] = !ellipse || u * u + v * v <= 0.25 ? 1 : 0;
    }
  }
  let kept = 0;
  for (const m of mask) kept += m;
  return {
    name,
    polygon: [[x, y], [x + w, y], [x + w, y + h], [x, y + h]],
    box: { x, y, width: w, height: h },
    mask,
    pixelsInside: w * h,
    pixelsKept: kept,
    removedFraction: 1 - kept / (w * h),
  };
}

function faceRegions() {
  // A 3000 × 3800 px face centred in the frame; subject's right = image left.
  const fx = 1500;
  const fy = 100;
  const regions = [
    rect('forehead', fx + 600, fy + 200, 1800, 700),
    rect('glabella', fx + 1300, fy + 900, 400, 400),
    rect('periorbital_right', fx + 500, fy + 1100, 700, 500, true),
    rect('periorbital_left', fx + 1800, fy + 1100, 700, 500, true),
    rect('cheek_right', fx + 300, fy + 1700, 900, 1000, true),
    rect('cheek_left', fx + 1800, fy + 1700, 900, 1000, true),
    rect('nose', fx + 1250, fy + 1300, 500, 1200),
    rect('perioral', fx + 1000, fy + 2600, 1000, 600, true),
    rect('chin', fx + 1100, fy + 3200, 800, 500, true),
    rect('hemiface_right', fx, fy, 1500, 3800),
    rect('hemiface_left', fx + 1500, fy, 1500, 3800),
    rect('full_face', fx, fy, 3000, 3800, true),
  ];
  return { imageWidth: W, imageHeight: H, source: 'caller-polygons', regions, scale: { mmPerPx: MM_PER_PX, source: 'caller' }, flags: [] };
}

const cacheDir = path.join(os.tmpdir(), 'dermametrics-bench');
mkdirSync(cacheDir, { recursive: true });
const file = path.join(cacheDir, 'erythema-24mp.jpg');
await makePhoto(file);
const bytes = readFileSync(file);
sharp.concurrency(Math.min(2, os.cpus().length));

const regions = faceRegions();
// warm-up
const warm = await loadImage(bytes);
analyzeErythema(warm.raster, regions, { maps: true, reference: 'hemiface_right' });

const tSharp = [];
const tLoad = [];
const tAnalyze = [];
const tOverlay = [];
const tFull = [];
const cFull = [];
// CPU time (user + system, all threads of this process) as well as wall time: on a shared machine wall time
// depends on the load, CPU time much less.
const cSharp = [];
const cLoad = [];
const cAnalyze = [];
const cpuMs = (u) => (u.user + u.system) / 1000;
let result;
for (let r = 0; r < RUNS; r++) {
  let t = performance.now();
  let c = process.cpuUsage();
  await sharp(bytes).raw().toBuffer();
  tSharp.push(performance.now() - t);
  cSharp.push(cpuMs(process.cpuUsage(c)));
  t = performance.now();
  c = process.cpuUsage();
  const img = await loadImage(bytes);
  tLoad.push(performance.now() - t);
  cLoad.push(cpuMs(process.cpuUsage(c)));
  t = performance.now();
  c = process.cpuUsage();
  result = analyzeErythema(img.raster, regions, { maps: true, reference: 'hemiface_right' });
  tAnalyze.push(performance.now() - t);
  cAnalyze.push(cpuMs(process.cpuUsage(c)));
  t = performance.now();
  await renderErythemaOverlay(img.raster, result.maps, { map: 'hemoglobin', regions });
  tOverlay.push(performance.now() - t);
  t = performance.now();
  c = process.cpuUsage();
  analyzeErythema(img.raster, regions, { maps: 'full', reference: 'hemiface_right' });
  tFull.push(performance.now() - t);
  cFull.push(cpuMs(process.cpuUsage(c)));
}

const row = {
  photo: `${W}×${H} JPEG q92 (${(bytes.length / 1e6).toFixed(1)} MB), synthetic skin`,
  analysis: `${result.analysis.width}×${result.analysis.height} px at ${result.analysis.mmPerPx} mm/px (binning ${result.analysis.binPx})`,
  regions: regions.regions.length,
  maps: 8,
  sharpDecodeMs: median(tSharp),
  loadImageMs: median(tLoad),
  analyzeErythemaMs: median(tAnalyze),
  extent: result.analysis.extent,
  analyzeErythemaMapsFullMs: median(tFull),
  overlayPngMs: median(tOverlay),
  cpu: { sharpDecodeMs: median(cSharp), loadImageMs: median(cLoad), analyzeErythemaMs: median(cAnalyze), analyzeErythemaMapsFullMs: median(cFull) },
  loadAverage: os.loadavg()[0],
};
row.ratioToSharpDecode = row.analyzeErythemaMs / row.sharpDecodeMs;
row.ratioToLoadImage = row.analyzeErythemaMs / row.loadImageMs;
row.cpu.ratioToSharpDecode = row.cpu.analyzeErythemaMs / row.cpu.sharpDecodeMs;
row.cpu.ratioToLoadImage = row.cpu.analyzeErythemaMs / row.cpu.loadImageMs;
const cpu = (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1] ?? os.cpus()[0]?.model;
const machine = { node: process.version, nproc: os.cpus().length, cpu, sharp: sharp.versions.sharp, vips: sharp.versions.vips };

console.log(`Machine: Node ${machine.node}, ${machine.nproc} CPUs (${machine.cpu}), sharp ${machine.sharp} / libvips ${machine.vips}; median of ${RUNS} runs after 1 warm-up\n`);
console.log('| photo | analysis grid | sharp decode (ms) | loadImage (ms) | analyzeErythema (ms) | ratio to sharp decode | ratio to loadImage | overlay PNG (ms) |');
console.log('|---|---|---|---|---|---|---|---|');
console.log(
  `| ${row.photo} | ${row.analysis} | ${row.sharpDecodeMs.toFixed(0)} | ${row.loadImageMs.toFixed(0)} | ${row.analyzeErythemaMs.toFixed(0)} | **${row.ratioToSharpDecode.toFixed(2)}** | ${row.ratioToLoadImage.toFixed(2)} | ${row.overlayPngMs.toFixed(0)} |`,
);
console.log(
  `\nmaps: 'full' (whole frame): ${row.analyzeErythemaMapsFullMs.toFixed(0)} ms wall, ${row.cpu.analyzeErythemaMapsFullMs.toFixed(0)} ms CPU → ratios ${(row.analyzeErythemaMapsFullMs / row.sharpDecodeMs).toFixed(2)} wall, ${(row.cpu.analyzeErythemaMapsFullMs / row.cpu.sharpDecodeMs).toFixed(2)} CPU`,
);
console.log(
  `\nCPU time (all threads): sharp decode ${row.cpu.sharpDecodeMs.toFixed(0)} ms, loadImage ${row.cpu.loadImageMs.toFixed(0)} ms, analyzeErythema ${row.cpu.analyzeErythemaMs.toFixed(0)} ms → ratios ${row.cpu.ratioToSharpDecode.toFixed(2)} / ${row.cpu.ratioToLoadImage.toFixed(2)} (1-min load average ${row.loadAverage.toFixed(1)})`,
);
mkdirSync(path.join(here, 'results'), { recursive: true });
writeFileSync(path.join(here, 'results', 'erythema.json'), JSON.stringify({ machine, runs: RUNS, target: 'analyzeErythema / decode <= 1', result: row }, null, 2) + '\n');
