#!/usr/bin/env node
/**
 * Batch throughput and memory for 12 MP photos, and single-photo latency vs decode time.
 *   npm run build && node bench/batch.mjs [--photos 8]
 * Inputs: 12 MP (4000 × 3000) JPEGs made from the bundled trial photos (a face on a 4:3 canvas, upscaled with
 * Lanczos), cached in .bench-cache/batch/. Writes bench/results/batch.json and prints a markdown table.
 * Peak memory: the largest sum of resident set sizes (VmRSS) of this process and its worker processes, sampled every 50 ms.
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { analyzePhoto, loadImage, runBatch, VERSION } = await import(path.join(root, 'dist/index.js'));
const nPhotos = Number(process.argv[process.argv.indexOf('--photos') + 1]) || 8;
sharp.cache(false);

const cache = path.join(root, '.bench-cache/batch');
mkdirSync(cache, { recursive: true });
const sources = ['S01/baseline.jpg', 'S02/baseline.jpg', 'S03/baseline.jpg', 'S04/baseline.jpg', 'S01/week4.jpg', 'S02/week4.jpg', 'S03/week4.jpg', 'S04/week4.jpg'];
const files = [];
for (let i = 0; i < nPhotos; i++) {
  const f = path.join(cache, `p${String(i).padStart(2, '0')}.jpg`);
  if (!existsSync(f)) {
    const src = path.join(root, 'test-images/trial', sources[i % sources.length]);
    // the 1 MP photo scaled to 3000 px high and centred on a 4000 × 3000 canvas: 12 MP, face ~3× larger
    const body = await sharp(src).resize({ height: 3000, kernel: 'lanczos3' }).toBuffer();
    const meta = await sharp(body).metadata();
    await sharp({ create: { width: 4000, height: 3000, channels: 3, background: { r: 90, g: 90, b: 95 } } })
      .composite([{ input: body, left: Math.round((4000 - meta.width) / 2), top: 0 }])
      .jpeg({ quality: 92 })
      .toFile(f);
  }
  files.push(f);
}
writeFileSync(path.join(cache, 'manifest.csv'), `path,subject,visit\n${files.map((f, i) => `${path.basename(f)},B${i % 4},V${Math.floor(i / 4)}`).join('\n')}\n`);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
async function time(fn, n = 3) {
  await fn(); // warm-up
  const t = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}

function treeRssBytes(rootPid) {
  // this process + every descendant, from /proc (Linux)
  const kids = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      (kids.get(ppid) ?? kids.set(ppid, []).get(ppid)).push(Number(d));
    } catch {}
  }
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop();
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) total += Number(m[1]) * 1024;
    } catch {}
    stack.push(...(kids.get(pid) ?? []));
  }
  return total;
}

const loadStart = os.loadavg().map((x) => Number(x.toFixed(2)));
// ---- single photo ----
const one = files[1];
const decodeMs = await time(() => sharp(one).raw().toBuffer());
const loadMs = await time(() => loadImage(one));
const analyzeMs = await time(() => analyzePhoto(one));

// ---- batch, 1 and 2 workers ----
const rows = [];
for (const workers of [1, 2]) {
  const out = path.join(cache, `out-w${workers}`);
  rmSync(out, { recursive: true, force: true });
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, treeRssBytes(process.pid))), 50);
  const t0 = performance.now();
  const s = await runBatch(path.join(cache, 'manifest.csv'), { out, workers, progress: false });
  const ms = performance.now() - t0;
  clearInterval(timer);
  rows.push({ workers, photos: s.photos, scored: s.scored, failed: s.failed, seconds: ms / 1000, photosPerMinute: (60000 * s.scored) / ms, peakRssMiB: peak / 2 ** 20 });
}
const same = readFileSync(path.join(cache, 'out-w1/results.jsonl'), 'utf8') === readFileSync(path.join(cache, 'out-w2/results.jsonl'), 'utf8');

const cpu = (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1] ?? 'unknown';
const machine = { node: process.version, nproc: os.availableParallelism?.() ?? os.cpus().length, cpu, dermametrics: VERSION, loadAverageAtStart: loadStart, loadAverageAtEnd: os.loadavg().map((x) => Number(x.toFixed(2))) };
const result = {
  machine,
  input: '4000×3000 JPEG q92 (12 MP), face from the bundled trial set',
  singlePhoto: { sharpDecodeMs: decodeMs, loadImageMs: loadMs, analyzePhotoMs: analyzeMs, analyzeOverDecode: analyzeMs / decodeMs, analyzeOverLoad: analyzeMs / loadMs },
  batch: rows,
  workers1And2ByteIdentical: same,
};
writeFileSync(path.join(root, 'bench/results/batch.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(`machine: Node ${machine.node}, ${machine.nproc} cores, ${cpu}; dermametrics ${VERSION}; load average ${loadStart[0]} at start, ${machine.loadAverageAtEnd[0]} at end (other jobs on the machine slow every figure down)\n`);
console.log('| single 12 MP photo | ms (median of 3) | ratio |\n|---|---|---|');
console.log(`| sharp decode to raw RGB | ${decodeMs.toFixed(0)} | 1 |`);
console.log(`| loadImage (decode + linear Float32 + SHA-256) | ${loadMs.toFixed(0)} | ${(loadMs / decodeMs).toFixed(1)} |`);
console.log(`| analyzePhoto (whole pipeline) | ${analyzeMs.toFixed(0)} | ${(analyzeMs / decodeMs).toFixed(1)} |\n`);
console.log(`| batch of ${nPhotos} × 12 MP | seconds | photos/min | peak RSS (all processes) |\n|---|---|---|---|`);
for (const r of rows) console.log(`| --workers ${r.workers} | ${r.seconds.toFixed(1)} | ${r.photosPerMinute.toFixed(1)} | ${r.peakRssMiB.toFixed(0)} MiB |`);
console.log(`\nresults.jsonl identical for 1 and 2 workers: ${same}`);
