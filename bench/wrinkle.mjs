#!/usr/bin/env node
/**
 * Wrinkle analysis of a whole face at the working resolution on the wasm backend. Input: the 12 MP photo that
 * bench/face.mjs also uses (public-domain test-images/portraits/obama.jpg, lanczos3 ×3.4 to 3094×3866, JPEG q92),
 * its 12 regions from detectFace + faceRegions, and the physical scale from the IPD (63 mm). Times analyzeWrinkles
 * only (all 12 regions; their union is resampled to 0.1 mm/px, features + model run tiled over it), median of RUNS
 * runs after 3 warm-up rounds (the first call's time, model load included, is reported too), and a bare sharp decode of the same JPEG for a machine-independent ratio. Measured twice:
 * with the default feature threads (the cores, at most 4: tiles of the filter bank on worker threads while the main
 * thread runs the model head) and with threads: 1 (everything on one thread, as each process of a batch does when the
 * batch already runs one process per core). CPU time (all threads of the process) is reported beside wall time.
 * Run: npm run build && node bench/wrinkle.mjs [--runs 5]. Prints a markdown table, writes bench/results/wrinkle.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { analyzeWrinkles, detectFace, faceRegions, initBackend, loadImage } from '../dist/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const WARMUP = 3;
const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const now = () => Number(process.hrtime.bigint()) / 1e6;

const src = path.join(here, '..', 'test-images', 'portraits', 'obama.jpg');
const jpeg = await sharp(src).resize(3094, 3866, { kernel: 'lanczos3' }).jpeg({ quality: 92 }).toBuffer();
const { raster } = await loadImage(jpeg);
const backend = await initBackend('wasm');
const face = await detectFace(raster);
const regions = faceRegions(face, raster);
// warm-up: 3 rounds of both modes before timing. In one process successive calls get faster for about 5 calls
// (1.71–1.81 s → 1.26–1.42 s; the JIT settling on the worker threads and the main thread: a fixed glibc mmap threshold
// did not change it). The first call, which also loads the model and starts the workers, is reported as `firstCallMs`.
const t0 = now();
const warm = await analyzeWrinkles(raster, regions, { backend: 'wasm' });
const firstCall = now() - t0;
await analyzeWrinkles(raster, regions, { backend: 'wasm', threads: 1 });
for (let w = 1; w < WARMUP; w++) {
  await analyzeWrinkles(raster, regions, { backend: 'wasm' });
  await analyzeWrinkles(raster, regions, { backend: 'wasm', threads: 1 });
}
const full = warm.regions.find((r) => r.name === 'full_face') ?? warm.regions[0];
const threads = Math.min(4, availableParallelism());

const rows = { decode: [], wrinkles: [], wrinklesCpu: [], oneThread: [], oneThreadCpu: [] };
const cpuMs = (u) => (u.user + u.system) / 1000;
for (let r = 0; r < RUNS; r++) {
  let t = now();
  await sharp(jpeg).raw().toBuffer();
  rows.decode.push(now() - t);
  for (const [key, opts] of [['wrinkles', {}], ['oneThread', { threads: 1 }]]) {
    t = now();
    const c = process.cpuUsage();
    const res = await analyzeWrinkles(raster, regions, { backend: 'wasm', ...opts });
    rows[key].push(now() - t);
    rows[`${key}Cpu`].push(cpuMs(process.cpuUsage(c)));
    if (JSON.stringify(res.regions) !== JSON.stringify(warm.regions)) throw new Error(`${key}: results differ from the warm-up run`);
  }
}
const m = Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, median(v)]));
const machine = {
  node: process.version,
  cpus: cpus().length,
  cpu: (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1] ?? cpus()[0]?.model,
};
const box = regions.regions.reduce(
  (b, r) => ({ x0: Math.min(b.x0, r.box.x), y0: Math.min(b.y0, r.box.y), x1: Math.max(b.x1, r.box.x + r.box.width), y1: Math.max(b.y1, r.box.y + r.box.height) }),
  { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity },
);
const f = regions.scale.mmPerPx / warm.analysisMmPerPx;
const results = {
  photo: { width: raster.width, height: raster.height, megapixels: +((raster.width * raster.height) / 1e6).toFixed(1), mmPerPx: +regions.scale.mmPerPx.toFixed(4) },
  analysed: { regions: regions.regions.length, widthPx: Math.round((box.x1 - box.x0) * f), heightPx: Math.round((box.y1 - box.y0) * f), mmPerPx: warm.analysisMmPerPx },
  backend: warm.model.backend,
  model: warm.model.id,
  runs: RUNS,
  warmupRounds: WARMUP,
  firstCallMs: +firstCall.toFixed(1),
  threads,
  medianMs: { decode: +m.decode.toFixed(1), analyzeWrinkles: +m.wrinkles.toFixed(1), analyzeWrinklesOneThread: +m.oneThread.toFixed(1) },
  medianCpuMs: { analyzeWrinkles: +m.wrinklesCpu.toFixed(1), analyzeWrinklesOneThread: +m.oneThreadCpu.toFixed(1) },
  perDecode: +(m.wrinkles / m.decode).toFixed(2),
  perDecodeOneThread: +(m.oneThread / m.decode).toFixed(2),
  loadAverage: +loadavg()[0].toFixed(2),
  fullFace: full.wrinkles,
  raw: rows,
};
mkdirSync(path.join(here, 'results'), { recursive: true });
writeFileSync(path.join(here, 'results', 'wrinkle.json'), JSON.stringify({ bench: 'wrinkle', machine, target: 'analyzeWrinkles of a whole face < 1500 ms (wasm)', results }, null, 2) + '\n');
console.log(`\n### Wrinkle analysis, ${results.photo.width}×${results.photo.height} (${results.photo.megapixels} MP), ${results.analysed.regions} regions, analysed area ${results.analysed.widthPx}×${results.analysed.heightPx} px at ${results.analysed.mmPerPx} mm/px, backend ${results.backend}, median of ${RUNS}\n`);
console.log('| step | median wall ms | median CPU ms | × sharp decode (wall) |');
console.log('|---|---|---|---|');
console.log(`| sharp decode of the JPEG (reference) | ${m.decode.toFixed(0)} | | 1 |`);
console.log(`| **analyzeWrinkles (12 regions), ${threads} feature threads** | **${m.wrinkles.toFixed(0)}** | ${m.wrinklesCpu.toFixed(0)} | **${results.perDecode}** |`);
console.log(`| analyzeWrinkles, threads: 1 | ${m.oneThread.toFixed(0)} | ${m.oneThreadCpu.toFixed(0)} | ${results.perDecodeOneThread} |`);
console.log(`\nFirst call (loads the model and starts the workers): ${firstCall.toFixed(0)} ms.`);
console.log(`\nMachine: Node ${machine.node}, ${machine.cpus} cores, ${machine.cpu}; 1-min load average ${results.loadAverage}. Target < 1500 ms.`);
