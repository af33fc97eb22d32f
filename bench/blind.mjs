#!/usr/bin/env node
/**
 * createReaderPacket cost per photo relative to sharp's own decode + re-encode (JPEG q95 4:4:4) of the same files,
 * measured in the same run, interleaved. Inputs: the 12 MP and 24 MP bench JPEGs of scripts/make-bench-images.mjs,
 * copied into a temporary trial (4 photos each). Prints a markdown table and writes bench/results/blind.json.
 *
 *   npm run build && node bench/blind.mjs [--runs 3]
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { runsOption, median, cpuModel } from './common.mjs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createReaderPacket } from '../dist/index.js';
import { makeBenchImages } from '../scripts/make-bench-images.mjs';

const RUNS = runsOption(3);
const PHOTOS = 4;
sharp.cache(false);

async function time(fn) {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const files = await makeBenchImages();
const work = mkdtempSync(path.join(tmpdir(), 'dm-bench-blind-'));
const cases = [
  { name: 'JPEG 12 MP (4000x3000, q92, sRGB ICC, EXIF)', src: files.jpeg12 },
  { name: 'JPEG 24 MP (6000x4000, q92, sRGB ICC, EXIF)', src: files.jpeg24 },
];
const results = [];
for (const c of cases) {
  const dir = path.join(work, path.basename(c.src, '.jpg'));
  mkdirSync(dir, { recursive: true });
  const lines = ['path,subject,visit'];
  const photos = [];
  for (let i = 0; i < PHOTOS; i++) {
    const f = path.join(dir, `p${i}.jpg`);
    copyFileSync(c.src, f);
    photos.push(f);
    lines.push(`p${i}.jpg,S${i},V1`);
  }
  writeFileSync(path.join(dir, 'manifest.csv'), lines.join('\n') + '\n');
  const bareAll = async () => {
    // the same work with sharp alone: 2 at a time, decode, orient, sRGB, encode q95 4:4:4
    for (let i = 0; i < photos.length; i += 2) {
      await Promise.all(photos.slice(i, i + 2).map((f) => sharp(f).rotate().toColourspace('srgb').jpeg({ quality: 95, chromaSubsampling: '4:4:4', optimiseCoding: true }).toBuffer()));
    }
  };
  let run = 0;
  const packetAll = () => createReaderPacket(path.join(dir, 'manifest.csv'), { out: path.join(work, `packet-${path.basename(dir)}-${run}`), key: path.join(work, `key-${path.basename(dir)}-${run++}.csv`), seed: 1 });
  await bareAll(); // warm-up
  await packetAll();
  const bare = [];
  const packet = [];
  for (let r = 0; r < RUNS; r++) {
    bare.push((await time(bareAll)) / PHOTOS);
    packet.push((await time(packetAll)) / PHOTOS);
  }
  results.push({ case: c.name, photos: PHOTOS, sharpDecodeEncodeMsPerPhoto: { median: median(bare), runs: bare }, packetMsPerPhoto: { median: median(packet), runs: packet }, ratio: median(packet) / median(bare) });
}
rmSync(work, { recursive: true, force: true });

const machine = {
  node: process.version,
  nproc: cpus().length,
  cpu: cpuModel(),
  sharp: sharp.versions.sharp,
  libvips: sharp.versions.vips,
  loadavg1: loadavg()[0],
  runs: RUNS,
};
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/blind.json', import.meta.url), JSON.stringify({ bench: 'blind', machine, results }, null, 2) + '\n');
console.log(`\n### createReaderPacket vs sharp decode + re-encode (median of ${RUNS} interleaved runs, ${PHOTOS} photos each)\n`);
console.log(`Machine: Node ${machine.node}, ${machine.nproc} CPU (${machine.cpu}), sharp ${machine.sharp} / libvips ${machine.libvips}, load average ${machine.loadavg1.toFixed(2)}\n`);
console.log('| input | sharp decode+encode (ms/photo) | createReaderPacket (ms/photo) | ratio |');
console.log('|---|---|---|---|');
for (const r of results) console.log(`| ${r.case} | ${r.sharpDecodeEncodeMsPerPhoto.median.toFixed(0)} | ${r.packetMsPerPhoto.median.toFixed(0)} | ${r.ratio.toFixed(2)} |`);
console.log('\ncreateReaderPacket also reads each file, hashes source and output (SHA-256), writes photos, sheet, README and key, and sets file times.');
