/**
 * Pixels as dermametrics passes them around (DESIGN.md, "Pixels"): row-major, interleaved.
 * A `Raster` with 3 channels holds linear-light sRGB (D65) in [0, 1] unless a name says otherwise.
 */
export interface Raster {
  width: number;
  height: number;
  channels: number;
  data: Float32Array;
}

/** A point in image pixel coordinates (x right, y down), full-resolution photo. */
export type Point = [number, number];

/** Integer pixel box, clipped to the image. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A binary (0/1) or weight (0-255) mask, one byte per pixel, row-major. */
export interface Mask {
  width: number;
  height: number;
  data: Uint8Array;
}

export function createRaster(width: number, height: number, channels = 3): Raster {
  return { width, height, channels, data: new Float32Array(width * height * channels) };
}

export function createMask(width: number, height: number, fill = 0): Mask {
  const data = new Uint8Array(width * height);
  if (fill) data.fill(fill);
  return { width, height, data };
}

/** One channel of a raster as its own single-channel raster. */
export function channel(raster: Raster, c: number): Raster {
  const { width, height, channels, data } = raster;
  const out = new Float32Array(width * height);
  for (let i = 0, j = c; i < out.length; i++, j += channels) out[i] = data[j];
  return { width, height, channels: 1, data: out };
}
