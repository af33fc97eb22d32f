#!/usr/bin/env node
/**
 * Face pipeline on a 12 MP photo: detectFace (default 4 averaged passes, and 1 pass) + faceRegions (regions, hairline, skin
 * mask at full resolution), wasm backend unless tfjs-node is installed. The 12 MP input is made here from the
 * public-domain test-images/portraits/obama.jpg (910×1137), upscaled ×3.4 with lanczos3 to 3094×3866 and re-encoded
 * as JPEG q92 in memory. For scale: sharp's bare decode of the same JPEG (to 8-bit RGB), timed in the same run.
 * Medians after 3 warm-up rounds (the first round's time, JIT still cold, is reported too). Prints a markdown table
 * and writes bench/results/face.json.
 *
 *   npm run build && node bench/face.mjs [--runs 7]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { runsOption, median, now, cpuModel } from './common.mjs';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { detectFace, faceRegions, loadImage } from '../dist/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const RUNS = runsOption(7);

const src = path.join(here, '..', 'test-images', 'portraits', 'obama.jpg');
const jpeg = await sharp(src).resize(3094, 3866, { kernel: 'lanczos3' }).jpeg({ quality: 92 }).toBuffer();
const { raster } = await loadImage(jpeg);
// warm-up: model load, then 3 whole rounds so the JIT has compiled faceRegions' loops (it needs about 5 calls to
// settle, 130 → 55 ms); the first round (model already loaded) is reported as `firstCall`
const backend = { name: (await detectFace({ ...raster })).backend };
let firstCall = 0;
for (let w = 0; w < 3; w++) {
  const fresh = { ...raster };
  const t = now();
  faceRegions(await detectFace(fresh), fresh);
  if (w === 0) firstCall = now() - t;
  await detectFace({ ...raster }, { passes: 1 });
}

const rows = { decode: [], detectDefault: [], detect1: [], regions: [], total: [] };
for (let r = 0; r < RUNS; r++) {
  let t = now();
  await sharp(jpeg).raw().toBuffer();
  rows.decode.push(now() - t);

  const fresh = { ...raster }; // new object: the per-raster downscale cache starts empty, as for a new photo
  t = now();
  const face = await detectFace(fresh);
  const t1 = now();
  const regions = faceRegions(face, fresh);
  const t2 = now();
  rows.detectDefault.push(t1 - t);
  rows.regions.push(t2 - t1);
  rows.total.push(t2 - t);
  if (r === 0 && regions.regions.length !== 12) throw new Error('unexpected region count');

  const fresh1 = { ...raster };
  t = now();
  await detectFace(fresh1, { passes: 1 });
  rows.detect1.push(now() - t);
}

const m = Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, median(v)]));
const machine = {
  node: process.version,
  cpus: cpus().length,
  cpu: cpuModel(),
  backend: backend.name,
  loadavg1: Number((await import('node:os')).loadavg()[0].toFixed(2)),
};
const results = {
  photo: { width: raster.width, height: raster.height, megapixels: Number(((raster.width * raster.height) / 1e6).toFixed(2)), jpegBytes: jpeg.length },
  runs: RUNS,
  warmupRounds: 3,
  firstCallMs: Number(firstCall.toFixed(1)),
  medianMs: Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Number(v.toFixed(1))])),
  perDecode: {
    detectDefault: Number((m.detectDefault / m.decode).toFixed(2)),
    detect1: Number((m.detect1 / m.decode).toFixed(2)),
    regions: Number((m.regions / m.decode).toFixed(2)),
    total: Number((m.total / m.decode).toFixed(2)),
  },
};
mkdirSync(path.join(here, 'results'), { recursive: true });
writeFileSync(path.join(here, 'results', 'face.json'), JSON.stringify({ bench: 'face', machine, target: 'detectFace + faceRegions < 400 ms on a 12 MP photo (wasm)', results }, null, 2) + '\n');

console.log(`\n### Face pipeline, ${results.photo.width}×${results.photo.height} (${results.photo.megapixels} MP) JPEG, median of ${RUNS} runs, backend ${backend.name}\n`);
console.log('| step | median ms | ÷ bare decode |');
console.log('|---|---|---|');
console.log(`| sharp bare decode (8-bit RGB) | ${m.decode.toFixed(0)} | 1.00 |`);
console.log(`| detectFace, default (4 passes) | ${m.detectDefault.toFixed(0)} | ${results.perDecode.detectDefault} |`);
console.log(`| detectFace, 1 pass | ${m.detect1.toFixed(0)} | ${results.perDecode.detect1} |`);
console.log(`| faceRegions (12 regions, hairline, skin mask at full res) | ${m.regions.toFixed(0)} | ${results.perDecode.regions} |`);
console.log(`| **detectFace + faceRegions** | **${m.total.toFixed(0)}** | **${results.perDecode.total}** |`);
console.log(`\nFirst detectFace + faceRegions after the model load (JIT cold): ${firstCall.toFixed(0)} ms`);
console.log(`\n${machine.cpu}, ${machine.cpus} cores, Node ${machine.node}, load average ${machine.loadavg1} at the end of the run`);
