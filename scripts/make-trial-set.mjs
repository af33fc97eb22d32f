#!/usr/bin/env node
/**
 * Make the bundled demo trial (test-images/trial/) and the bad-photo set (test-images/bad/) from the four
 * public-domain portraits in test-images/portraits/. Run after `npm run build`:  node scripts/make-trial-set.mjs
 *
 * Design: 4 subjects (one portrait each) × 3 visits (baseline = day 1 after a procedure, week1, week4) × arms
 * active / vehicle (2 subjects each). Post-procedure erythema is simulated by adding haemoglobin absorbance in
 * optical-density space inside the subject's facial skin mask (erythema/simulate.ts addErythema, [Tsumura2003]),
 * feathered at the edge; it fades faster in the active arm. Every number comes from a seeded PRNG, so the set is
 * reproducible: the same script gives the same pixels (JPEG encoding by the same libvips/mozjpeg gives the same bytes).
 *
 * Ground truth written to test-images/trial/truth.csv: the blood-volume ratio and ΔOD added to each photo.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import sharp from 'sharp';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lib = await import(process.env.DERMAMETRICS_LIB ?? path.join(root, 'dist/index.js'));
const { loadImage, detectFace, faceRegions, addErythema, bloodRatioToHemoglobinOD, srgbEncode, createRng } = lib;

const TARGET_PIXELS = 1_000_000;
const QUALITY = 85;
/** Dermal blood-volume ratio (post-procedure / normal) per arm and visit: the simulated treatment effect. */
const SCHEDULE = {
  active: { baseline: 2.6, week1: 1.6, week4: 1.12 },
  vehicle: { baseline: 2.6, week1: 2.15, week4: 1.6 },
};
const VISITS = ['baseline', 'week1', 'week4'];
const SUBJECTS = [
  { id: 'S01', portrait: 'astronaut.png', arm: 'active', site: 'site-A' },
  { id: 'S02', portrait: 'obama.jpg', arm: 'vehicle', site: 'site-A' },
  { id: 'S03', portrait: 'grace_hopper.jpg', arm: 'active', site: 'site-B' },
  { id: 'S04', portrait: 'biden2.jpg', arm: 'vehicle', site: 'site-B' },
];

const trialDir = path.join(root, 'test-images/trial');
const badDir = path.join(root, 'test-images/bad');
rmSync(trialDir, { recursive: true, force: true });
rmSync(badDir, { recursive: true, force: true });
mkdirSync(trialDir, { recursive: true });
mkdirSync(badDir, { recursive: true });

/** Resize the source to about TARGET_PIXELS (Lanczos in sharp), returned as an 8-bit sRGB PNG buffer. */
async function resized(file) {
  const m = await sharp(file).metadata();
  const s = Math.sqrt(TARGET_PIXELS / (m.width * m.height));
  return sharp(file).resize(Math.round(m.width * s), Math.round(m.height * s), { kernel: 'lanczos3' }).removeAlpha().toColourspace('srgb').png().toBuffer();
}

/** Full-image 0–255 weight mask from the full_face region's skin mask, feathered by a Gaussian blur. */
async function skinWeights(regionSet, width, height) {
  const face = regionSet.regions.find((r) => r.name === 'full_face');
  if (!face) throw new Error('faceRegions gave no full_face region');
  const m = new Uint8Array(width * height);
  const { x, y, width: bw, height: bh } = face.box;
  for (let j = 0; j < bh; j++) for (let i = 0; i < bw; i++) if (face.mask[j * bw + i]) m[(y + j) * width + x + i] = 255;
  const sigma = Math.max(1.5, width / 400);
  const blurred = await sharp(Buffer.from(m), { raw: { width, height, channels: 1 } }).blur(sigma).extractChannel(0).raw().toBuffer();
  if (blurred.length !== width * height) throw new Error('mask blur returned the wrong size');
  return { width, height, data: new Uint8Array(blurred) };
}

function toJpeg(raster, gain) {
  const { width, height, channels, data } = raster;
  const out = Buffer.alloc(width * height * 3);
  for (let i = 0, j = 0; i < width * height; i++, j += channels) {
    for (let c = 0; c < 3; c++) out[i * 3 + c] = Math.max(0, Math.min(255, Math.round(255 * srgbEncode(Math.min(1, data[j + c] * gain)))));
  }
  return sharp(out, { raw: { width, height, channels: 3 } }).jpeg({ quality: QUALITY, mozjpeg: false }).toBuffer();
}

const rng = createRng('dermametrics-trial-set-v1');
const manifest = ['path,subject,visit,arm,baseline,site,portrait'];
const truth = ['path,subject,visit,arm,blood_ratio,delta_hemoglobin_od'];
let firstJpeg;
for (const s of SUBJECTS) {
  const png = await resized(path.join(root, 'test-images/portraits', s.portrait));
  const { raster } = await loadImage(png);
  const face = await detectFace(raster);
  const regions = faceRegions(face, raster);
  const weights = await skinWeights(regions, raster.width, raster.height);
  const subjectFactor = rng.uniform(0.9, 1.1); // between-subject variation of the response
  mkdirSync(path.join(trialDir, s.id), { recursive: true });
  for (const visit of VISITS) {
    const ratio = 1 + (SCHEDULE[s.arm][visit] - 1) * subjectFactor;
    const dOD = bloodRatioToHemoglobinOD(ratio);
    const gain = rng.uniform(0.985, 1.015); // visit-to-visit exposure jitter (±1.5 %)
    const jpeg = await toJpeg(addErythema(raster, weights, dOD), gain);
    const rel = `${s.id}/${visit}.jpg`;
    writeFileSync(path.join(trialDir, rel), jpeg);
    firstJpeg ??= jpeg;
    manifest.push(`${rel},${s.id},${visit},${s.arm},${visit === 'baseline' ? 'Y' : 'N'},${s.site},${s.portrait}`);
    truth.push(`${rel},${s.id},${visit},${s.arm},${ratio.toFixed(4)},${dOD.toFixed(5)}`);
    process.stdout.write(`${rel}: ${raster.width}x${raster.height}, blood ratio ${ratio.toFixed(3)}, ΔOD ${dOD.toFixed(4)}, ${(jpeg.length / 1024).toFixed(0)} KiB\n`);
  }
}
writeFileSync(path.join(trialDir, 'manifest.csv'), `${manifest.join('\n')}\n`);
writeFileSync(path.join(trialDir, 'truth.csv'), `${truth.join('\n')}\n`);

// ---- bad photos ----
writeFileSync(path.join(badDir, 'empty.jpg'), Buffer.alloc(0));
writeFileSync(path.join(badDir, 'truncated.jpg'), firstJpeg.subarray(0, Math.floor(firstJpeg.length * 0.4)));
writeFileSync(path.join(badDir, 'not-an-image.jpg'), 'This is a text file with a .jpg name, as a site upload sometimes is.\n');
{
  // no face: a smooth skin-coloured gradient with mild noise
  const w = 640;
  const h = 480;
  const px = Buffer.alloc(w * h * 3);
  const r2 = createRng('no-face');
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const n = r2.normal(0, 3);
    const i = (y * w + x) * 3;
    px[i] = Math.max(0, Math.min(255, Math.round(200 - (40 * y) / h + n)));
    px[i + 1] = Math.max(0, Math.min(255, Math.round(150 - (30 * y) / h + n)));
    px[i + 2] = Math.max(0, Math.min(255, Math.round(130 + (20 * x) / w + n)));
  }
  writeFileSync(path.join(badDir, 'no-face.jpg'), await sharp(px, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 80 }).toBuffer());
}
{
  // huge: a PNG whose header claims 60000 × 60000 pixels (3.6 gigapixels; a decompression-bomb shape), tiny on disk
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(60000, 0);
  ihdr.writeUInt32BE(60000, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const idat = zlib.deflateSync(Buffer.alloc(60000 * 3 + 1)); // one row; the rest is missing
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
  writeFileSync(path.join(badDir, 'huge.png'), png);
}
writeFileSync(
  path.join(badDir, 'README.md'),
  '# Bad photos for tests (made by scripts/make-trial-set.mjs)\n\n| file | expected code |\n|---|---|\n' +
    '| empty.jpg | E_DECODE |\n| truncated.jpg | E_DECODE |\n| not-an-image.jpg | E_UNSUPPORTED_FORMAT |\n| no-face.jpg | E_NO_FACE |\n| huge.png | E_TOO_LARGE |\n',
);
process.stdout.write(`wrote ${SUBJECTS.length * VISITS.length} trial photos to ${path.relative(root, trialDir)} and 5 bad photos to ${path.relative(root, badDir)}\n`);
