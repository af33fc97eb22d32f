import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { DermametricsError } from '../errors';

export interface ReencodeOptions {
  /** output format for every packet photo, so that the format itself tells nothing (default 'jpeg') */
  format?: 'jpeg' | 'png';
  /** JPEG quality 1–100 (default 95; 4:4:4 chroma, so redness is not smeared by subsampling) */
  jpegQuality?: number;
  /** resize every photo so that its longer edge is this many pixels (default: keep the size) */
  longEdgePx?: number;
}

/** Read a photo file; a missing file is E_NOT_FOUND naming the manifest's path column. */
export async function readPhoto(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch {
    throw new DermametricsError('E_NOT_FOUND', `Photo not found: ${file}. Check the manifest's path column.`, { path: file });
  }
}

/**
 * Decode a photo and re-encode its pixels only: EXIF orientation applied to the pixels, any embedded ICC profile
 * converted to sRGB and not embedded, alpha flattened on white, 8 bits per channel. sharp writes no metadata unless
 * asked (no EXIF, XMP, IPTC, ICC, PNG text chunks) [sharp-output]; the test of blind/ checks the bytes.
 */
export async function reencodePhoto(source: string | Buffer, options: ReencodeOptions = {}, file = typeof source === 'string' ? source : 'photo'): Promise<Buffer> {
  const input = typeof source === 'string' ? await readPhoto(source) : source;
  try {
    let img = sharp(input, { failOn: 'error' }).rotate().flatten({ background: '#ffffff' }).toColourspace('srgb');
    if (options.longEdgePx !== undefined) {
      img = img.resize({ width: options.longEdgePx, height: options.longEdgePx, fit: 'inside', kernel: 'lanczos3' });
    }
    if ((options.format ?? 'jpeg') === 'png') {
      return await img.png({ compressionLevel: 9, adaptiveFiltering: false, palette: false }).toBuffer();
    }
    return await img
      .jpeg({ quality: options.jpegQuality ?? 95, chromaSubsampling: '4:4:4', mozjpeg: false, optimiseCoding: true })
      .toBuffer();
  } catch (e) {
    throw new DermametricsError('E_DECODE', `Could not decode the photo ${file}: ${(e as Error).message}. Re-export it as JPEG, PNG or TIFF.`, { path: file }, { cause: e });
  }
}
