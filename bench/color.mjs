#!/usr/bin/env node
/**
 * Colour throughput on a 12 MP frame: raster -> CIELAB (linearRasterToLab), chart correction (applyColorCorrection,
 * each model), and for scale libvips' own decode + Lab float conversion of the same file.
 * Prints a markdown table and writes bench/results/color.json.
 *
 *   npm run build && node bench/color.mjs [--runs 5]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { runsOption, median, cpuModel } from './common.mjs';
import { cpus, loadavg } from 'node:os';
import sharp from 'sharp';
import {
  CORRECTION_MODELS,
  COLORCHECKER_CLASSIC_LAB_D65,
  COLORCHECKER_CLASSIC_LINEAR_SRGB,
  applyColorCorrection,
  fitColorCorrection,
  linearRasterToLab,
  loadImage,
} from '../dist/index.js';
import { makeBenchImages } from '../scripts/make-bench-images.mjs';

const RUNS = runsOption(5);
sharp.cache(false);
async function timeRuns(fn) {
  await fn(); // warm-up
  const ms = [];
  for (let r = 0; r < RUNS; r++) {
    if (global.gc) global.gc();
    const t0 = process.hrtime.bigint();
    await fn();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return ms;
}

const files = await makeBenchImages();
const { raster } = await loadImage(files.jpeg12);
const mp = (raster.width * raster.height) / 1e6;
const rows = [];
const add = (name, ms, note = '') => rows.push({ name, megapixels: mp, ms: median(ms), runs: ms, mpPerS: mp / (median(ms) / 1000), note });

add('linearRasterToLab (JS, Float32 -> L*a*b* D65)', await timeRuns(() => linearRasterToLab(raster)));
// A plausible camera: the reference with a channel mix, so every model has something to fit.
const measured = COLORCHECKER_CLASSIC_LINEAR_SRGB.map(([r, g, b]) => [0.7 * Math.max(0, r) + 0.2 * g, 0.1 * r + 0.75 * g + 0.1 * b, 0.05 * g + 0.8 * b].map((v) => Math.max(0, v)));
for (const model of CORRECTION_MODELS) {
  const fit = fitColorCorrection(measured, COLORCHECKER_CLASSIC_LAB_D65, { model });
  add(`applyColorCorrection ${model}`, await timeRuns(() => applyColorCorrection(raster, fit.model)));
}
add('for scale: sharp decode JPEG + toColourspace(lab) float', await timeRuns(() => sharp(files.jpeg12).toColourspace('lab').raw({ depth: 'float' }).toBuffer()), 'includes decode');

const machine = {
  node: process.version,
  nproc: cpus().length,
  cpu: cpuModel(),
  loadavg1: loadavg()[0],
  runs: RUNS,
};
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/color.json', import.meta.url), JSON.stringify({ bench: 'color', machine, frame: `${raster.width}x${raster.height}`, rows }, null, 2) + '\n');

console.log(`\n### Colour throughput, ${raster.width}x${raster.height} (${mp} MP), median of ${RUNS}\n`);
console.log(`Machine: Node ${machine.node}, ${machine.nproc} CPU (${machine.cpu}), load average ${machine.loadavg1.toFixed(2)}\n`);
console.log('| operation | ms | MP/s |');
console.log('|---|---|---|');
for (const r of rows) console.log(`| ${r.name} | ${r.ms.toFixed(0)} | ${r.mpPerS.toFixed(1)} |`);
