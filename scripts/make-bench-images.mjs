#!/usr/bin/env node
/**
 * Make the inputs of bench/load.mjs and bench/color.mjs (deterministic, no downloads):
 *   .bench-cache/images/photo-12mp.jpg   4000x3000, JPEG q92 4:2:0, sRGB ICC + EXIF
 *   .bench-cache/images/photo-12mp-untagged.jpg  the same pixels without ICC profile (EXIF only, as many cameras write)
 *   .bench-cache/images/photo-24mp.jpg   6000x4000, same
 *   .bench-cache/images/photo-12mp-16bit.tif  4000x3000, 16-bit RGB TIFF, deflate, untagged
 * Content: smooth skin-like shading, a few edges and texture, and signal-dependent sensor noise, so the JPEGs
 * compress like photographs (about 2.5-3 bits per pixel) rather than like flat synthetic images.
 *
 * Usage: node scripts/make-bench-images.mjs [outDir]
 */
import { mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Photo-like RGB content in [0, 1] (encoded), Float32, w x h x 3. */
function scene(w, h, seed) {
  const rnd = mulberry32(seed);
  const out = new Float32Array(w * h * 3);
  const cx = w * 0.5, cy = h * 0.45, rx = w * 0.28, ry = h * 0.4;
  const base = [0.78, 0.58, 0.48]; // skin-like
  const bg = [0.32, 0.36, 0.42];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const dx = (x - cx) / rx, dy = (y - cy) / ry;
      const r2 = dx * dx + dy * dy;
      const inside = r2 < 1 ? 1 : 0;
      const shade = 0.75 + 0.25 * Math.cos(dx * 1.2) * Math.cos(dy * 0.9);
      const tex = 0.03 * Math.sin(x * 0.37 + Math.sin(y * 0.05) * 3) * Math.sin(y * 0.29 + x * 0.011);
      const redness = inside * 0.06 * Math.max(0, Math.sin(dx * 5) * Math.cos(dy * 4));
      const i = (y * w + x) * 3;
      for (let c = 0; c < 3; c++) {
        const v = inside ? base[c] * shade + tex - (c > 0 ? redness : -redness) : bg[c] * (0.8 + 0.2 * Math.sin(x * 0.002 + y * 0.003 + c));
        const sigma = 0.006 + 0.012 * Math.sqrt(Math.max(0, v)); // read + shot noise, encoded units
        const n = (rnd() + rnd() + rnd() - 1.5) * 2 * sigma; // approx. Gaussian (sum of 3 uniforms)
        out[i + c] = Math.min(1, Math.max(0, v + n));
      }
    }
  }
  return out;
}

export async function makeBenchImages(outDir = join(fileURLToPath(new URL('..', import.meta.url)), '.bench-cache', 'images')) {
  mkdirSync(outDir, { recursive: true });
  const files = {
    jpeg12: join(outDir, 'photo-12mp.jpg'),
    jpeg12untagged: join(outDir, 'photo-12mp-untagged.jpg'),
    jpeg24: join(outDir, 'photo-24mp.jpg'),
    tiff16: join(outDir, 'photo-12mp-16bit.tif'),
  };
  const exif = { IFD0: { Make: 'dermametrics', Model: 'synthetic bench scene' }, IFD2: { DateTimeOriginal: '2026:01:01 12:00:00', ExposureTime: '1/125', FNumber: '8/1', ISOSpeedRatings: '200' } };
  for (const [key, w, h, seed, untagged] of [['jpeg12', 4000, 3000, 12, 'jpeg12untagged'], ['jpeg24', 6000, 4000, 24, null]]) {
    if (existsSync(files[key]) && (!untagged || existsSync(files[untagged]))) continue;
    const f = scene(w, h, seed);
    const u8 = Buffer.alloc(f.length);
    for (let i = 0; i < f.length; i++) u8[i] = Math.round(f[i] * 255);
    const img = () => sharp(u8, { raw: { width: w, height: h, channels: 3 } });
    await img().withIccProfile('srgb').withExif(exif).jpeg({ quality: 92, chromaSubsampling: '4:2:0' }).toFile(files[key]);
    if (untagged) await img().withExif(exif).jpeg({ quality: 92, chromaSubsampling: '4:2:0' }).toFile(files[untagged]);
  }
  if (!existsSync(files.tiff16)) {
    const f = scene(4000, 3000, 16);
    const u16 = new Uint16Array(f.length);
    for (let i = 0; i < f.length; i++) u16[i] = Math.round(f[i] * 65535);
    await sharp(u16, { raw: { width: 4000, height: 3000, channels: 3 } }).toColourspace('rgb16').tiff({ compression: 'deflate' }).toFile(files.tiff16);
  }
  return files;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = await makeBenchImages(process.argv[2]);
  for (const f of Object.values(files)) console.log(f);
}
