import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import exifr from 'exifr';
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { DermametricsError, choiceOption, invalidOption, numberOption } from '../errors';
import { flag, type QcFlag } from '../flags';
import { isSrgbProfile, readIccInfo } from './icc';
import type { Raster } from './raster';
import { srgbDecodeLut16 } from './transfer';

/** The container formats loadImage accepts (sharp's `metadata().format` names). */
export const SUPPORTED_FORMATS = ['jpeg', 'png', 'tiff', 'webp'] as const;
export type ImageFormat = (typeof SUPPORTED_FORMATS)[number];

/** sharp/libvips `failOn` levels, least to most strict. */
export const FAIL_ON_LEVELS = ['none', 'truncated', 'error', 'warning'] as const;
export type FailOn = (typeof FAIL_ON_LEVELS)[number];

export const DEFAULT_MAX_PIXELS = 100_000_000;

export interface LoadImageOptions {
  /** Refuse images with more pixels than this (width x height), read from the header before decoding. Default 100 MP. */
  maxPixels?: number;
  /**
   * How strictly damaged pixel data is refused (sharp `failOn`). Default 'warning': the only level at which a JPEG
   * whose entropy-coded data is corrupt is refused (at 'error' and below libjpeg fills the damage with grey and
   * decoding "succeeds"). Relax to 'error' only for files known to carry benign libjpeg warnings.
   */
  failOn?: FailOn;
}

export interface ExposureInfo {
  /** Seconds. */
  exposureTime?: number;
  fNumber?: number;
  /** ISO speed (EXIF ISOSpeedRatings / PhotographicSensitivity). */
  iso?: number;
  /** Millimetres (actual, not 35 mm equivalent). */
  focalLength?: number;
}

export interface ImageMeta {
  /** Pixel size of the returned raster (after EXIF orientation). */
  width: number;
  height: number;
  format: ImageFormat;
  /** Bits per channel of the decoded source: 8 or 16 (lower PNG depths report 8; float TIFFs report 32). */
  sourceBitDepth: number;
  /** libvips interpretation of the source, e.g. 'srgb', 'rgb16', 'b-w', 'grey16', 'cmyk'. */
  sourceColourSpace: string;
  /** Description of the embedded ICC profile, null when the file has none (then sRGB is assumed). */
  colourProfile: string | null;
  /** True when the pixels went through an ICC transform to sRGB (non-sRGB profile, or CMYK). */
  iccConverted: boolean;
  /** EXIF orientation (1-8) that was applied; 1 when the file has none. */
  orientationApplied: number;
  /** EXIF DateTimeOriginal (else CreateDate / DateTime) as 'YYYY-MM-DDTHH:MM:SS', with its offset when EXIF has one; never re-zoned. */
  captureTime: string | null;
  make: string | null;
  model: string | null;
  exposure: ExposureInfo;
  alphaDropped: boolean;
  wasGrey: boolean;
  /** SHA-256 (hex) of the input bytes exactly as read. */
  sha256: string;
  byteLength: number;
  /** Non-fatal messages from libvips/libpng/libjpeg while reading (sorted); damaged-profile ones also raise a flag. */
  decoderWarnings: string[];
}

export interface LoadedImage {
  /** Linear-light sRGB (D65), 3 channels, Float32 in [0, 1]. */
  raster: Raster;
  meta: ImageMeta;
  flags: QcFlag[];
}

interface ExifTags {
  Make?: unknown;
  Model?: unknown;
  DateTimeOriginal?: unknown;
  CreateDate?: unknown;
  DateTime?: unknown;
  ModifyDate?: unknown;
  OffsetTimeOriginal?: unknown;
  ExposureTime?: unknown;
  FNumber?: unknown;
  ISO?: unknown;
  FocalLength?: unknown;
  ColorSpace?: unknown;
}

const EXIF_OPTIONS = {
  tiff: true,
  exif: true,
  ifd1: false,
  gps: false,
  interop: false,
  icc: false,
  xmp: false,
  iptc: false,
  jfif: false,
  ihdr: false,
  makerNote: false,
  userComment: false,
  // Raw values: no Date objects (they would be re-zoned to the machine's clock) and no translated enums.
  reviveValues: false,
  translateValues: false,
  sanitize: true,
  mergeOutput: true,
  silentErrors: true,
} as const;

function text(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const s = v.replace(/\0+$/, '').trim();
  return s.length ? s : null;
}

function positive(v: unknown): number | undefined {
  const n = Array.isArray(v) ? v[0] : v;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : undefined;
}

/** 'YYYY:MM:DD HH:MM:SS' (EXIF 2.32 §4.6.4, DateTimeOriginal) -> 'YYYY-MM-DDTHH:MM:SS[+hh:mm]'. */
function exifTime(v: unknown, offset: unknown): string | null {
  const s = text(v);
  if (!s) return null;
  const m = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(s);
  if (!m || m[1] === '0000') return null;
  const off = text(offset);
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${off && /^[+-]\d{2}:\d{2}$/.test(off) ? off : ''}`;
}

const LITTLE_ENDIAN = endianness() === 'LE';

/** 16-bit code values (native byte order, as sharp writes them) -> linear light, two samples per Uint32 word. */
function decode16(data: Buffer, lut: Float32Array, out: Float32Array): void {
  const total = out.length;
  if (LITTLE_ENDIAN && data.byteOffset % 4 === 0) {
    const words = new Uint32Array(data.buffer, data.byteOffset, data.length >> 2);
    const n2 = words.length;
    for (let i = 0, o = 0; i < n2; i++, o += 2) {
      const w = words[i];
      out[o] = lut[w & 0xffff];
      out[o + 1] = lut[w >>> 16];
    }
    if (n2 * 2 < total) out[total - 1] = lut[data.readUInt16LE((total - 1) * 2)];
    return;
  }
  for (let i = 0; i < total; i++) out[i] = lut[LITTLE_ENDIAN ? data.readUInt16LE(i * 2) : data.readUInt16BE(i * 2)];
}

async function readInput(pathOrBuffer: unknown): Promise<{ bytes: Buffer; path: string | null }> {
  if (typeof pathOrBuffer === 'string') {
    try {
      return { bytes: await readFile(pathOrBuffer), path: pathOrBuffer };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'UNKNOWN';
      const why = code === 'EISDIR' ? 'is a directory, not an image file' : code === 'EACCES' ? 'cannot be read (permission denied)' : 'does not exist';
      throw new DermametricsError('E_NOT_FOUND', `Image file "${pathOrBuffer}" ${why}. Check the path (relative paths resolve from ${process.cwd()}).`, {
        path: pathOrBuffer,
        fsCode: code,
      });
    }
  }
  if (pathOrBuffer instanceof Uint8Array) {
    const bytes = Buffer.isBuffer(pathOrBuffer) ? pathOrBuffer : Buffer.from(pathOrBuffer.buffer, pathOrBuffer.byteOffset, pathOrBuffer.byteLength);
    return { bytes, path: null };
  }
  throw invalidOption('pathOrBuffer', 'a file path string or a Buffer/Uint8Array of image bytes', pathOrBuffer);
}

function decodeError(message: string, source: string, details: Record<string, unknown>, cause: unknown): DermametricsError {
  if (/exceeds pixel limit/i.test(message)) {
    return new DermametricsError('E_TOO_LARGE', `${source} has more pixels than options.maxPixels allows (${message}). Downscale it, or raise options.maxPixels if the memory is there.`, details, { cause });
  }
  if (/unsupported image format/i.test(message)) {
    return new DermametricsError(
      'E_UNSUPPORTED_FORMAT',
      `${source} is not an image dermametrics can read (${message}). Supply JPEG, PNG, TIFF (8 or 16 bit) or WebP.`,
      details,
      { cause },
    );
  }
  return new DermametricsError(
    'E_DECODE',
    `${source} could not be decoded: the file is truncated or corrupt (${message}). Copy the original file again from the camera or archive; ` +
      `options.failOn = 'none' would read damaged pixels as grey and is not suitable for measurement.`,
    details,
    { cause },
  );
}

/**
 * Decode a photo into linear-light sRGB (D65) Float32 in [0, 1], 3 channels, with EXIF orientation applied and any
 * embedded ICC profile (Display P3, Adobe RGB, CMYK, ...) converted to sRGB. Untagged files are taken as sRGB.
 * 16-bit sources are decoded at 16 bits and linearised through a 65536-entry table (never rounded to 8 bits);
 * 8-bit sources through a 256-entry table. Grey becomes three equal channels; alpha is dropped (flag `alpha_dropped`).
 *
 * @param pathOrBuffer a file path, or the file's bytes
 * @param options `maxPixels` (default 100e6, checked from the header before decoding), `failOn` (default 'warning')
 * @throws {DermametricsError} E_NOT_FOUND, E_UNSUPPORTED_FORMAT, E_DECODE, E_TOO_LARGE, E_INVALID_OPTION
 */
export async function loadImage(pathOrBuffer: string | Uint8Array, options: LoadImageOptions = {}): Promise<LoadedImage> {
  if (options === null || typeof options !== 'object') throw invalidOption('options', 'an object', options);
  const maxPixels = numberOption('options.maxPixels', options.maxPixels, DEFAULT_MAX_PIXELS, { min: 1, integer: true });
  const failOn = choiceOption('options.failOn', options.failOn, FAIL_ON_LEVELS, 'warning');
  const { bytes, path } = await readInput(pathOrBuffer);
  const source = path ? `Image file "${path}"` : 'The image buffer';
  const details: Record<string, unknown> = path ? { path } : {};
  if (bytes.length === 0) {
    throw new DermametricsError('E_DECODE', `${source} is empty (0 bytes). The copy or upload probably failed: copy the original file again.`, details);
  }

  // 1. Header only: format, size, depth, profile, orientation. Nothing is decoded yet.
  // Non-fatal decoder warnings (e.g. libpng dropping a damaged ICC profile) become flags, not silence.
  const warnings = new Set<string>();
  const onWarning = (w: unknown) => warnings.add(String(w).trim());
  let header: Metadata;
  try {
    header = await sharp(bytes, { failOn, limitInputPixels: false }).on('warning', onWarning).metadata();
  } catch (e) {
    throw decodeError((e as Error).message, source, details, e);
  }
  if (!(SUPPORTED_FORMATS as readonly string[]).includes(header.format)) {
    throw new DermametricsError(
      'E_UNSUPPORTED_FORMAT',
      `${source} is ${header.format.toUpperCase()}, which dermametrics does not read. Convert it to PNG or 16-bit TIFF (lossless) and load that.`,
      { ...details, format: header.format },
    );
  }
  const pixels = header.width * header.height;
  if (!(pixels <= maxPixels)) {
    throw new DermametricsError(
      'E_TOO_LARGE',
      `${source} declares ${header.width}x${header.height} = ${(pixels / 1e6).toFixed(1)} megapixels, more than options.maxPixels = ${(maxPixels / 1e6).toFixed(1)} MP. ` +
        `Downscale it before analysis, or raise options.maxPixels if it is a genuine photo and the memory (16 bytes per pixel) is available.`,
      { ...details, width: header.width, height: header.height, pixels, maxPixels },
    );
  }

  const is16 = header.depth !== 'uchar' && header.depth !== 'char';
  const sourceBitDepth = header.depth === 'ushort' || header.depth === 'short' ? 16 : header.depth === 'float' ? 32 : 8;
  const icc = header.icc ? readIccInfo(header.icc) : null;
  const isCmyk = header.space === 'cmyk';
  const wasGrey = header.space === 'b-w' || header.space === 'grey16';
  // A tagged sRGB file needs no transform: skipping it saves a full-frame lcms pass (findings/ecosystem.md §3).
  const skipIcc = header.hasProfile && !isCmyk && isSrgbProfile(icc);
  // sharp applies no embedded profile to 16-bit grey (pipeline.cc), so that case is not converted.
  const iccConverted = isCmyk || (header.hasProfile && !skipIcc && header.space !== 'grey16');
  const orientation = header.orientation && header.orientation >= 1 && header.orientation <= 8 ? header.orientation : 1;
  const swap = orientation >= 5;
  const width = swap ? header.height : header.width;
  const height = swap ? header.width : header.height;

  // 2. Start the decode (runs on a libuv worker thread), then do the main-thread work while it runs.
  // Two routes to linear light, both through a decode table of 256 (8-bit) or 65536 (16-bit) entries:
  // - usually libvips' own sRGB -> scRGB conversion (its tables are the IEC curve; the tests check every code),
  //   written straight into the float buffer that becomes the raster: one pass, no intermediate 8/16-bit frame;
  // - for 16-bit files with a non-sRGB profile, sharp's ICC transform must end in 16-bit sRGB codes (see below), so
  //   those are linearised here in JS with the same 65536-entry table.
  // Measured (bench/load.mjs): the libvips route costs 1.4-2.5x less than decoding to 8-bit and linearising in JS.
  const jsLinearise = is16 && header.hasProfile && !skipIcc && !wasGrey && !isCmyk;
  let pipeline = sharp(bytes, { failOn, limitInputPixels: maxPixels, ignoreIcc: skipIcc, autoOrient: true });
  if (header.hasAlpha) pipeline = pipeline.removeAlpha();
  if (jsLinearise) {
    // sharp converts tagged 16-bit RGB into its 'p3' processing space; bring it back to sRGB at 16 bits.
    pipeline = pipeline.toColourspace('rgb16').withIccProfile('srgb').raw({ depth: 'ushort' });
  } else {
    pipeline = pipeline.toColourspace('scrgb').raw({ depth: 'float' });
  }
  pipeline.on('warning', onWarning);
  const decoding = pipeline.toBuffer({ resolveWithObject: true });
  decoding.catch(() => undefined); // handled below; avoid an unhandled rejection while the main thread works

  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let exif: ExifTags = {};
  if (header.exif || header.format === 'tiff') {
    try {
      exif = ((await exifr.parse(bytes, EXIF_OPTIONS)) as ExifTags | undefined) ?? {};
    } catch {
      exif = {};
    }
  }

  let decoded: { data: Buffer; info: OutputInfo };
  try {
    decoded = await decoding;
  } catch (e) {
    throw decodeError((e as Error).message, source, details, e);
  }
  const { data, info } = decoded;
  if (info.width !== width || info.height !== height || info.channels !== 3) {
    throw new DermametricsError('E_INTERNAL', `Decoder returned ${info.width}x${info.height}x${info.channels}, expected ${width}x${height}x3. Please report this file.`, {
      ...details,
      info,
    });
  }
  let out: Float32Array;
  if (jsLinearise) {
    out = new Float32Array(width * height * 3);
    decode16(data, srgbDecodeLut16(), out);
  } else if (LITTLE_ENDIAN && data.byteOffset === 0 && data.buffer.byteLength === data.length) {
    out = new Float32Array(data.buffer, 0, width * height * 3); // the decoder's own buffer, no copy
  } else {
    out = new Float32Array(width * height * 3);
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, LITTLE_ENDIAN);
  }

  const alphaDropped = header.hasAlpha;
  const flags: QcFlag[] = [];
  if (alphaDropped) flags.push(flag('alpha_dropped', 'The image has an alpha channel; it was ignored and the colour values of all pixels (also transparent ones) were kept.'));
  if (!header.hasProfile && !isCmyk && exif.ColorSpace === 0xffff) {
    flags.push(
      flag(
        'colour_space_uncertain',
        'No ICC profile and EXIF ColorSpace = Uncalibrated (often a camera set to Adobe RGB): the pixels were taken as sRGB. Export the photos as sRGB or with an embedded profile.',
      ),
    );
  }
  const profileWarnings = [...warnings].filter((w) => /icc|iccp|profile/i.test(w));
  if (profileWarnings.length) {
    flags.push(
      flag('icc_profile_ignored', `The file's embedded colour profile is damaged and was not applied; the pixels were read as sRGB (${profileWarnings[0]}). Re-export the photo with a valid profile.`),
    );
  }
  const exposure: ExposureInfo = {};
  const et = positive(exif.ExposureTime);
  const fn = positive(exif.FNumber);
  const iso = positive(exif.ISO);
  const fl = positive(exif.FocalLength);
  if (et !== undefined) exposure.exposureTime = et;
  if (fn !== undefined) exposure.fNumber = fn;
  if (iso !== undefined) exposure.iso = iso;
  if (fl !== undefined) exposure.focalLength = fl;

  const meta: ImageMeta = {
    width,
    height,
    format: header.format as ImageFormat,
    sourceBitDepth,
    sourceColourSpace: header.space,
    colourProfile: icc?.description ?? (header.hasProfile ? 'unnamed ICC profile' : null),
    iccConverted,
    orientationApplied: orientation,
    captureTime: exifTime(exif.DateTimeOriginal ?? exif.CreateDate ?? exif.DateTime ?? exif.ModifyDate, exif.OffsetTimeOriginal),
    make: text(exif.Make),
    model: text(exif.Model),
    exposure,
    alphaDropped,
    wasGrey,
    sha256,
    byteLength: bytes.length,
    decoderWarnings: [...warnings].sort(),
  };
  return { raster: { width, height, channels: 3, data: out }, meta, flags };
}
