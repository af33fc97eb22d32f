import sharp from 'sharp';
import { srgbDecode } from '../../src/color';
import type { Raster } from '../../src/image/raster';

/** Test-only loader: 8-bit sRGB file → linear-light Float32 raster (EXIF orientation applied, alpha dropped). */
export async function loadLinear(file: string | Buffer): Promise<Raster> {
  const { data, info } = await sharp(file).autoOrient().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const lut = new Float32Array(256);
  for (let i = 0; i < 256; i++) lut[i] = srgbDecode(i / 255);
  const out = new Float32Array(info.width * info.height * 3);
  for (let i = 0; i < out.length; i++) out[i] = lut[data[i]];
  return { width: info.width, height: info.height, channels: 3, data: out };
}
