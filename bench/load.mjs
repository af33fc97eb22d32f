#!/usr/bin/env node
/**
 * loadImage cost relative to sharp's bare decode of the same file, measured in the same run, interleaved.
 * Inputs come from scripts/make-bench-images.mjs (made on first run into .bench-cache/images).
 * Prints a markdown table and writes bench/results/load.json.
 *
 *   npm run build && node bench/load.mjs [--runs 7]
 */
import { mkdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { loadImage } from '../dist/index.js';
import { makeBenchImages } from '../scripts/make-bench-images.mjs';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;
const LOAD_AT_START = loadavg()[0];
sharp.cache(false); // no libvips operation cache: every run decodes from scratch

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function bareDecode(file, sixteen, ignoreIcc = false) {
  // What sharp itself needs to turn the file into raw pixels: 8-bit RGB, or 16-bit for a 16-bit source.
  // sharp's default runs the embedded profile (even sRGB) through lcms; `ignoreIcc` shows the decode alone.
  const p = sixteen ? sharp(file, { ignoreIcc }).toColourspace('rgb16').raw({ depth: 'ushort' }) : sharp(file, { ignoreIcc }).raw();
  return p.toBuffer();
}

/** Wall time and process CPU time (all threads: libvips' and ours) of one call, in ms. */
async function measure(fn) {
  if (global.gc) global.gc();
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await fn();
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

const files = await makeBenchImages();
const cases = [
  { name: 'JPEG 12 MP (4000x3000, q92, sRGB ICC)', file: files.jpeg12, sixteen: false },
  { name: 'JPEG 12 MP, no ICC profile', file: files.jpeg12untagged, sixteen: false },
  { name: 'JPEG 24 MP (6000x4000, q92, sRGB ICC)', file: files.jpeg24, sixteen: false },
  { name: 'TIFF 16-bit 12 MP (deflate)', file: files.tiff16, sixteen: true },
];

const results = [];
const summary = (runs) => ({ wallMedian: median(runs.map((r) => r.wall)), wallMin: Math.min(...runs.map((r) => r.wall)), cpuMedian: median(runs.map((r) => r.cpu)), runs });
for (const c of cases) {
  const { meta } = await loadImage(c.file); // warm-up (JIT, tables) and a check of what we measure
  await bareDecode(c.file, c.sixteen);
  const bare = [], bareNoIcc = [], load = [];
  for (let r = 0; r < RUNS; r++) {
    bare.push(await measure(() => bareDecode(c.file, c.sixteen)));
    bareNoIcc.push(await measure(() => bareDecode(c.file, c.sixteen, true)));
    load.push(await measure(() => loadImage(c.file)));
  }
  const B = summary(bare), N = summary(bareNoIcc), L = summary(load);
  results.push({
    case: c.name,
    file: c.file.replace(fileURLToPath(new URL('..', import.meta.url)), ''),
    bytes: statSync(c.file).size,
    megapixels: (meta.width * meta.height) / 1e6,
    sourceBitDepth: meta.sourceBitDepth,
    bareDecode: B,
    bareDecodeIgnoreIcc: N,
    loadImage: L,
    ratio: L.wallMedian / B.wallMedian,
    // On a shared, noisy VM: the fastest run is the least disturbed one, and CPU time does not count waiting.
    ratioOfFastest: L.wallMin / B.wallMin,
    ratioCpu: L.cpuMedian / B.cpuMedian,
    ratioVsIgnoreIcc: L.wallMedian / N.wallMedian,
    ratioCpuVsIgnoreIcc: L.cpuMedian / N.cpuMedian,
  });
}

// Context: what it costs on this machine just to touch a fresh Float32 frame of 12 MP x 3 (144 MB) once.
const firstTouch = [];
for (let r = 0; r < RUNS; r++) firstTouch.push(await measure(async () => new Float32Array(12e6 * 3).fill(0)));
const firstTouchMs = median(firstTouch.map((r) => r.wall));

const machine = {
  loadavgAtStart: LOAD_AT_START,
  node: process.version,
  nproc: cpus().length,
  cpu: (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1] ?? cpus()[0]?.model,
  sharp: sharp.versions.sharp,
  libvips: sharp.versions.vips,
  sharpConcurrency: sharp.concurrency(),
  loadavg1: loadavg()[0],
  runs: RUNS,
};
const out = { bench: 'load', machine, target: 'loadImage / bare decode <= 1.5', firstTouch144MBMs: firstTouchMs, results };
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/load.json', import.meta.url), JSON.stringify(out, null, 2) + '\n');

console.log(`\n### loadImage vs sharp bare decode (median of ${RUNS} interleaved runs)\n`);
console.log(`Machine: Node ${machine.node}, ${machine.nproc} CPU (${machine.cpu}), sharp ${machine.sharp} / libvips ${machine.libvips}, sharp concurrency ${machine.sharpConcurrency}, load average ${machine.loadavg1.toFixed(2)}\n`);
console.log('| input | size | sharp bare decode (ms) | loadImage (ms) | **ratio** (target <= 1.5) | ratio, fastest runs | ratio, CPU time | decode with ICC ignored (ms) | ratio to that: wall / CPU |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of results) {
  console.log(
    `| ${r.case} | ${(r.bytes / 1e6).toFixed(1)} MB | ${r.bareDecode.wallMedian.toFixed(0)} | ${r.loadImage.wallMedian.toFixed(0)} | **${r.ratio.toFixed(2)}** ${r.ratio <= 1.5 ? '✓' : '✗'} | ` +
      `${r.ratioOfFastest.toFixed(2)} | ${r.ratioCpu.toFixed(2)} | ${r.bareDecodeIgnoreIcc.wallMedian.toFixed(0)} | ${r.ratioVsIgnoreIcc.toFixed(2)} / ${r.ratioCpuVsIgnoreIcc.toFixed(2)} |`,
  );
}
console.log(`\nFor scale: allocating and touching a fresh 144 MB Float32Array (12 MP x 3) takes ${firstTouchMs.toFixed(0)} ms here (page faults).`);
console.log('\nloadImage returns linear-light Float32 (12 bytes/pixel) with EXIF, SHA-256 and orientation; the bare decode returns 8- or 16-bit sRGB codes.');
