/**
 * Decode tables from sRGB-encoded integers to linear light, built once and reused by the loader.
 * image/ sits below color/ in the import order, so the transfer curve is written out here; test/image checks
 * every entry against color/'s `srgbDecode`.
 */

/** [IEC61966] sRGB EOTF (the piecewise inverse companding), v encoded in [0, 1] -> linear in [0, 1]. */
function decodeSrgb(v: number): number {
  return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); // [IEC61966] eq. for R'sRGB <= 0.04045 / > 0.04045
}

let lut8: Float32Array | undefined;
let lut16: Float32Array | undefined;

/** 256 entries: 8-bit code value -> linear light (Float32). */
export function srgbDecodeLut8(): Float32Array {
  if (!lut8) {
    lut8 = new Float32Array(256);
    for (let i = 0; i < 256; i++) lut8[i] = decodeSrgb(i / 255);
  }
  return lut8;
}

/** 65536 entries: 16-bit code value -> linear light (Float32). */
export function srgbDecodeLut16(): Float32Array {
  if (!lut16) {
    lut16 = new Float32Array(65536);
    for (let i = 0; i < 65536; i++) lut16[i] = decodeSrgb(i / 65535);
  }
  return lut16;
}
