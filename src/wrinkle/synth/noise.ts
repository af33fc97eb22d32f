import type { Rng } from '../../random';

/**
 * Smooth value noise in [-1, 1]: random values on a square lattice of spacing `cellMm`, smoothstep-interpolated
 * [Perlin1985]; evaluated at pixel centres of a width × height grid of `mmPerPx`.
 */
export function valueNoise(rng: Rng, width: number, height: number, mmPerPx: number, cellMm: number, sizeMm: number): Float32Array {
  // the lattice depends on the physical size only, so one seed gives one texture at every pixel resolution
  const gw = Math.ceil(sizeMm / cellMm) + 2;
  const gh = gw;
  const lattice = new Float32Array(gw * gh);
  for (let i = 0; i < lattice.length; i++) lattice[i] = rng.uniform(-1, 1);
  const out = new Float32Array(width * height);
  const ss = (t: number): number => t * t * (3 - 2 * t);
  const fx = new Float32Array(width);
  const ix = new Int32Array(width);
  for (let x = 0; x < width; x++) {
    const u = ((x + 0.5) * mmPerPx) / cellMm;
    ix[x] = Math.floor(u);
    fx[x] = ss(u - ix[x]);
  }
  for (let y = 0; y < height; y++) {
    const v = ((y + 0.5) * mmPerPx) / cellMm;
    const iy = Math.floor(v);
    const ty = ss(v - iy);
    const r0 = iy * gw;
    const r1 = r0 + gw;
    for (let x = 0; x < width; x++) {
      const a = lattice[r0 + ix[x]], b = lattice[r0 + ix[x] + 1], c = lattice[r1 + ix[x]], d = lattice[r1 + ix[x] + 1];
      const tx = fx[x];
      out[y * width + x] = (a + (b - a) * tx) * (1 - ty) + (c + (d - c) * tx) * ty;
    }
  }
  return out;
}

/** Sum of `octaves` value-noise layers, each half the cell size and `gain` times the amplitude of the previous. */
export function fractalNoise(rng: Rng, width: number, height: number, mmPerPx: number, sizeMm: number, cellMm: number, octaves: number, gain = 0.5): Float32Array {
  const out = new Float32Array(width * height);
  let amp = 1;
  let norm = 0;
  for (let o = 0; o < octaves; o++) {
    const n = valueNoise(rng, width, height, mmPerPx, cellMm / 2 ** o, sizeMm);
    for (let i = 0; i < out.length; i++) out[i] += amp * n[i];
    norm += amp;
    amp *= gain;
  }
  for (let i = 0; i < out.length; i++) out[i] /= norm;
  return out;
}
