/**
 * JPEG-like quantisation of an 8-bit sRGB-encoded image: full-resolution Y'CbCr (JFIF, ITU-T T.871), 8×8 DCT-II,
 * quantisation with the IJG-scaled example tables of ITU-T T.81 Annex K, inverse DCT. No entropy coding (lossless, so
 * irrelevant) and no chroma subsampling: the blocking and ringing artefacts of a camera JPEG at `quality`.
 */

// ITU-T T.81 Annex K, Tables K.1 (luminance) and K.2 (chrominance)
const Q_LUMA = [16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99];
const Q_CHROMA = [17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99];

function scaledTable(base: number[], quality: number): Float64Array {
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  const s = q < 50 ? 5000 / q : 200 - 2 * q; // IJG libjpeg jcparam.c jpeg_quality_scaling
  return Float64Array.from(base, (b) => Math.min(255, Math.max(1, Math.floor((b * s + 50) / 100))));
}

const COS = (() => {
  const c = new Float64Array(64);
  for (let x = 0; x < 8; x++) for (let u = 0; u < 8; u++) c[x * 8 + u] = Math.cos(((2 * x + 1) * u * Math.PI) / 16);
  return c;
})();
const alpha = (u: number): number => (u === 0 ? Math.SQRT1_2 : 1);

function quantiseBlock(block: Float64Array, table: Float64Array): void {
  const coef = new Float64Array(64);
  for (let v = 0; v < 8; v++) {
    for (let u = 0; u < 8; u++) {
      let s = 0;
      for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) s += block[y * 8 + x] * COS[x * 8 + u] * COS[y * 8 + v];
      const f = 0.25 * alpha(u) * alpha(v) * s; // T.81 A.3.3 FDCT
      coef[v * 8 + u] = Math.round(f / table[v * 8 + u]) * table[v * 8 + u];
    }
  }
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 8; x++) {
      let s = 0;
      for (let v = 0; v < 8; v++) for (let u = 0; u < 8; u++) s += alpha(u) * alpha(v) * coef[v * 8 + u] * COS[x * 8 + u] * COS[y * 8 + v];
      block[y * 8 + x] = 0.25 * s; // T.81 A.3.3 IDCT
    }
  }
}

/** Quantise interleaved 8-bit-range sRGB values (0..255 floats, 3 channels) in place. */
export function jpegQuantise(rgb: Float32Array, width: number, height: number, quality: number): void {
  const ql = scaledTable(Q_LUMA, quality);
  const qc = scaledTable(Q_CHROMA, quality);
  const n = width * height;
  const planes = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  for (let i = 0; i < n; i++) {
    const r = Math.round(rgb[3 * i]), g = Math.round(rgb[3 * i + 1]), b = Math.round(rgb[3 * i + 2]);
    planes[0][i] = 0.299 * r + 0.587 * g + 0.114 * b - 128; // T.871 §7
    planes[1][i] = -0.168736 * r - 0.331264 * g + 0.5 * b;
    planes[2][i] = 0.5 * r - 0.418688 * g - 0.081312 * b;
  }
  const block = new Float64Array(64);
  for (let c = 0; c < 3; c++) {
    const p = planes[c];
    const table = c === 0 ? ql : qc;
    for (let by = 0; by < height; by += 8) {
      for (let bx = 0; bx < width; bx += 8) {
        for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) block[y * 8 + x] = p[Math.min(height - 1, by + y) * width + Math.min(width - 1, bx + x)];
        quantiseBlock(block, table);
        for (let y = 0; y < 8 && by + y < height; y++) for (let x = 0; x < 8 && bx + x < width; x++) p[(by + y) * width + bx + x] = block[y * 8 + x];
      }
    }
  }
  for (let i = 0; i < n; i++) {
    const Y = planes[0][i] + 128, cb = planes[1][i], cr = planes[2][i];
    const clamp = (v: number): number => Math.min(255, Math.max(0, Math.round(v)));
    rgb[3 * i] = clamp(Y + 1.402 * cr); // T.871 §7
    rgb[3 * i + 1] = clamp(Y - 0.344136 * cb - 0.714136 * cr);
    rgb[3 * i + 2] = clamp(Y + 1.772 * cb);
  }
}
