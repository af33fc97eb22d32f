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

async function time(fn) {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const files = await makeBenchImages();
const cases = [
  { name: 'JPEG 12 MP (4000x3000, q92, sRGB ICC)', file: files.jpeg12, sixteen: false },
  { name: 'JPEG 12 MP, no ICC profile', file: files.jpeg12untagged, sixteen: false },
  { name: 'JPEG 24 MP (6000x4000, q92, sRGB ICC)', file: files.jpeg24, sixteen: false },
  { name: 'TIFF 16-bit 12 MP (deflate)', file: files.tiff16, sixteen: true },
];

const results = [];
for (const c of cases) {
  const { meta } = await loadImage(c.file); // warm-up (JIT, tables) and a check of what we measure
  await bareDecode(c.file, c.sixteen);
  const bare = [], bareNoIcc = [], load = [], ratios = [];
  for (let r = 0; r < RUNS; r++) {
    const b = await time(() => bareDecode(c.file, c.sixteen));
    if (global.gc) global.gc();
    bareNoIcc.push(await time(() => bareDecode(c.file, c.sixteen, true)));
    if (global.gc) global.gc();
    const l = await time(() => loadImage(c.file));
    if (global.gc) global.gc();
    bare.push(b);
    load.push(l);
    ratios.push(l / b);
  }
  results.push({
    case: c.name,
    file: c.file.replace(fileURLToPath(new URL('..', import.meta.url)), ''),
    bytes: statSync(c.file).size,
    megapixels: (meta.width * meta.height) / 1e6,
    sourceBitDepth: meta.sourceBitDepth,
    bareDecodeMs: { median: median(bare), runs: bare },
    bareDecodeIgnoreIccMs: { median: median(bareNoIcc), runs: bareNoIcc },
    loadImageMs: { median: median(load), runs: load },
    ratio: median(load) / median(bare),
    ratioMedianOfRuns: median(ratios),
    ratioVsIgnoreIcc: median(load) / median(bareNoIcc),
  });
}

const machine = {
  node: process.version,
  nproc: cpus().length,
  cpu: (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1] ?? cpus()[0]?.model,
  sharp: sharp.versions.sharp,
  libvips: sharp.versions.vips,
  sharpConcurrency: sharp.concurrency(),
  loadavg1: loadavg()[0],
  runs: RUNS,
};
const out = { bench: 'load', machine, target: 'loadImage / bare decode <= 1.5', results };
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/load.json', import.meta.url), JSON.stringify(out, null, 2) + '\n');

console.log(`\n### loadImage vs sharp bare decode (median of ${RUNS} interleaved runs)\n`);
console.log(`Machine: Node ${machine.node}, ${machine.nproc} CPU (${machine.cpu}), sharp ${machine.sharp} / libvips ${machine.libvips}, sharp concurrency ${machine.sharpConcurrency}, load average ${machine.loadavg1.toFixed(2)}\n`);
console.log('| input | size | sharp bare decode (ms) | loadImage (ms) | ratio (target <= 1.5) | bare decode, ICC ignored (ms) | ratio to that |');
console.log('|---|---|---|---|---|---|---|');
for (const r of results) {
  console.log(
    `| ${r.case} | ${(r.bytes / 1e6).toFixed(1)} MB | ${r.bareDecodeMs.median.toFixed(0)} | ${r.loadImageMs.median.toFixed(0)} | ${r.ratio.toFixed(2)} ${r.ratio <= 1.5 ? '✓' : '✗'} | ` +
      `${r.bareDecodeIgnoreIccMs.median.toFixed(0)} | ${r.ratioVsIgnoreIcc.toFixed(2)} |`,
  );
}
console.log('\nloadImage returns linear-light Float32 (12 bytes/pixel) with EXIF, SHA-256 and orientation; the bare decode returns 8- or 16-bit sRGB codes.');
