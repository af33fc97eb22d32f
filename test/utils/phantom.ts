/**
 * Skin-phantom photographs with known melanin and blood (test utility).
 *
 * Each pixel's reflectance spectrum comes from the two-layer KM skin model (phantom-spectra.ts) with the
 * pixel's own melanin and blood fractions (smooth mottling around the nominal values), rendered under D65 for the
 * CIE 1931 2° observer into linear sRGB; then shading (a smooth gradient and bowl, as on a curved face), fine
 * texture (pores / micro-relief as ±few % shading), exposure, a camera (white-balance gains and channel
 * cross-talk), signal-dependent noise, sRGB encoding to 8 bits and JPEG. The result is decoded back into a
 * linear-light Raster the way a photo would be.
 */
import sharp from 'sharp';
import { srgbDecode, srgbEncode } from '../../src/color';
import type { Raster } from '../../src/image/raster';
import { createRng, type Rng } from '../../src/random';
import { colorCheckerLinearRgb, skinReflectance, spectrumToLinearSrgb } from './phantom-spectra';

export interface PhantomCamera {
  /** per-channel gains on linear RGB (a white-balance error), default [1, 1, 1] */
  wbGains?: [number, number, number];
  /** channel mixing applied before the gains (camera primaries ≠ sRGB), default identity */
  matrix?: number[][];
}

export interface PhantomOptions {
  fMel: number;
  fBlood: number;
  sO2?: number;
  /** side of the skin square in pixels (default 160) */
  size?: number;
  /** exposure change in EV (default 0) */
  exposureEv?: number;
  /** linear value a perfect white diffuser reaches at 0 EV and full shading (default 0.7) */
  whiteLevel?: number;
  /** meter on the skin instead: 0 EV puts the nominal skin's luminance Y at this linear value (e.g. 0.2, an
   * average-metered exposure); overrides whiteLevel */
  meteredSkinY?: number;
  /** log-SD of the smooth melanin and blood mottling (default 0.12 and 0.2); 0 turns texture off */
  melaninMottle?: number;
  bloodMottle?: number;
  /** shading range [min, max] multiplying the light (default [0.45, 1]) */
  shading?: [number, number];
  /** pore / micro-relief amplitude as a fraction of the light (default 0.03) */
  microRelief?: number;
  /** noise: linear-light SD = sqrt(shot·v + read²) (defaults 2e-4 ≈ 5000 e⁻ full well, 1.5e-3 ≈ 1 code of 8-bit sRGB at code 40); false = none */
  noise?: { shot: number; read: number } | false;
  /** JPEG quality (default 95, a camera's 'fine' setting); 0 = keep the 8-bit pixels losslessly (PNG) */
  jpegQuality?: number;
  /** JPEG chroma subsampling (default '4:2:0') */
  chromaSubsampling?: '4:2:0' | '4:4:4';
  camera?: PhantomCamera;
  /** put a 4×6 ColorChecker (Ohta spectra) below the skin, evenly lit */
  chart?: boolean;
  seed?: number | string;
}

export interface PhantomChart {
  /** patch boxes (row-major, 24), in raster pixels; sample their centres */
  patches: { x: number; y: number; width: number; height: number }[];
  /** the patches' linear sRGB as an ideal camera records them at this exposure (ground truth for chart fitting) */
  idealLinear: [number, number, number][];
}

export interface Phantom {
  /** decoded linear-light raster (what analyzeErythema gets) */
  raster: Raster;
  /** the encoded file */
  file: Buffer;
  /** the skin square within the raster */
  skinBox: { x: number; y: number; width: number; height: number };
  chart?: PhantomChart;
  /** ground truth */
  truth: { fMel: number; fBlood: number; sO2: number; exposureEv: number };
}

/** Smooth value noise with unit-ish SD: bilinear interpolation of a coarse Gaussian grid (cell = `cell` px). */
function smoothNoise(rng: Rng, w: number, h: number, cell: number): Float64Array {
  const gw = Math.ceil(w / cell) + 2;
  const gh = Math.ceil(h / cell) + 2;
  const g = new Float64Array(gw * gh);
  for (let i = 0; i < g.length; i++) g[i] = rng.normal();
  const out = new Float64Array(w * h);
  for (let y = 0; y < h; y++) {
    const fy = y / cell;
    const y0 = Math.floor(fy);
    const ty = fy - y0;
    const sy = ty * ty * (3 - 2 * ty);
    for (let x = 0; x < w; x++) {
      const fx = x / cell;
      const x0 = Math.floor(fx);
      const tx = fx - x0;
      const sx = tx * tx * (3 - 2 * tx);
      const a = g[y0 * gw + x0];
      const b = g[y0 * gw + x0 + 1];
      const c = g[(y0 + 1) * gw + x0];
      const d = g[(y0 + 1) * gw + x0 + 1];
      out[y * w + x] = ((a * (1 - sx) + b * sx) * (1 - sy) + (c * (1 - sx) + d * sx) * sy) * 1.6;
    }
  }
  return out;
}

/** Linear RGB of skin for a small lattice of (melanin, blood) multipliers, bilinearly interpolated in log space. */
function skinLut(fMel: number, fBlood: number, sO2: number, span: number) {
  const n = 25;
  const lut = new Float64Array(n * n * 3);
  for (let i = 0; i < n; i++) {
    const mm = Math.exp(-span + (2 * span * i) / (n - 1));
    for (let j = 0; j < n; j++) {
      const bm = Math.exp(-span + (2 * span * j) / (n - 1));
      const rgb = spectrumToLinearSrgb(skinReflectance({ fMel: fMel * mm, fBlood: fBlood * bm, sO2 }));
      lut.set(rgb, (i * n + j) * 3);
    }
  }
  return (logMel: number, logBlood: number, out: Float64Array) => {
    const u = Math.min(n - 1.000001, Math.max(0, ((logMel + span) / (2 * span)) * (n - 1)));
    const v = Math.min(n - 1.000001, Math.max(0, ((logBlood + span) / (2 * span)) * (n - 1)));
    const i = Math.floor(u);
    const j = Math.floor(v);
    const tu = u - i;
    const tv = v - j;
    for (let c = 0; c < 3; c++) {
      const a = Math.log(lut[(i * n + j) * 3 + c]);
      const b = Math.log(lut[(i * n + j + 1) * 3 + c]);
      const d = Math.log(lut[((i + 1) * n + j) * 3 + c]);
      const e = Math.log(lut[((i + 1) * n + j + 1) * 3 + c]);
      out[c] = Math.exp((a * (1 - tv) + b * tv) * (1 - tu) + (d * (1 - tv) + e * tv) * tu);
    }
  };
}

/** Luminance Y (linear, perfect white = 1) of the nominal skin. */
function skinLuminance(fMel: number, fBlood: number, sO2: number): number {
  const [r, g, b] = spectrumToLinearSrgb(skinReflectance({ fMel, fBlood, sO2 }));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b; // [IEC61966] Y row of the sRGB matrix
}

const DECODE_LUT = Float32Array.from({ length: 256 }, (_, i) => srgbDecode(i / 255));

/** Render one phantom photograph (async: JPEG through sharp). */
export async function renderSkinPhantom(o: PhantomOptions): Promise<Phantom> {
  const size = o.size ?? 160;
  const sO2 = o.sO2 ?? 0.75;
  const ev = o.exposureEv ?? 0;
  const white0 = o.meteredSkinY !== undefined ? o.meteredSkinY / skinLuminance(o.fMel, o.fBlood, sO2) : (o.whiteLevel ?? 0.7);
  const white = white0 * 2 ** ev;
  const melSd = o.melaninMottle ?? 0.12;
  const bloodSd = o.bloodMottle ?? 0.2;
  const [shMin, shMax] = o.shading ?? [0.45, 1];
  const relief = o.microRelief ?? 0.03;
  const noise = o.noise === undefined ? { shot: 2e-4, read: 1.5e-3 } : o.noise;
  const quality = o.jpegQuality ?? 95;
  const rng = createRng(o.seed ?? `phantom:${o.fMel}:${o.fBlood}:${ev}`);
  // Texture fields depend on the seed only (not on exposure), so ±EV renders of one phantom share their skin.
  const texRng = createRng(`texture:${String(o.seed ?? 'default')}`);
  const nMel = smoothNoise(texRng, size, size, 24);
  const nBlood = smoothNoise(texRng, size, size, 12);
  const nRelief = smoothNoise(texRng, size, size, 2);

  const chartRows = 4;
  const chartCols = 6;
  const patch = Math.floor(size / chartCols);
  const height = o.chart ? size + chartRows * patch : size;
  const width = size;
  const lin = new Float64Array(width * height * 3);

  const span = 4 * Math.max(melSd, bloodSd, 0.05);
  const lut = skinLut(o.fMel, o.fBlood, sO2, span);
  const px = new Float64Array(3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      lut(melSd * nMel[i], bloodSd * nBlood[i], px);
      // Shading: horizontal gradient + a bowl (curved surface), then micro-relief.
      const gx = x / (size - 1);
      const gy = y / (size - 1);
      const bowl = 1 - 0.5 * ((gx - 0.5) ** 2 + (gy - 0.5) ** 2) * 2;
      const s = (shMin + (shMax - shMin) * (0.5 * gx + 0.5 * bowl)) * (1 + relief * nRelief[i]);
      for (let c = 0; c < 3; c++) lin[i * 3 + c] = px[c] * s * white;
    }
  }
  let chart: PhantomChart | undefined;
  if (o.chart) {
    const ideal = colorCheckerLinearRgb();
    const patches: PhantomChart['patches'] = [];
    for (let r = 0; r < chartRows; r++) {
      for (let c = 0; c < chartCols; c++) {
        const rgb = ideal[r * chartCols + c];
        const x0 = c * patch;
        const y0 = size + r * patch;
        patches.push({ x: x0, y: y0, width: patch, height: patch });
        for (let y = y0; y < y0 + patch; y++) {
          for (let x = x0; x < x0 + patch; x++) {
            const border = x - x0 < 2 || x0 + patch - x <= 2 || y - y0 < 2 || y0 + patch - y <= 2;
            for (let k = 0; k < 3; k++) lin[(y * width + x) * 3 + k] = border ? 0.01 * white : rgb[k] * white;
          }
        }
      }
    }
    chart = { patches, idealLinear: ideal.map((v) => v.map((c) => c * white) as [number, number, number]) };
  }

  // Camera: channel mixing, white-balance gains, noise, 8-bit sRGB encoding.
  const M = o.camera?.matrix ?? [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ];
  const gains = o.camera?.wbGains ?? [1, 1, 1];
  const bytes = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    const r = lin[i * 3];
    const g = lin[i * 3 + 1];
    const b = lin[i * 3 + 2];
    for (let c = 0; c < 3; c++) {
      let v = gains[c] * (M[c][0] * r + M[c][1] * g + M[c][2] * b);
      if (noise) v += rng.normal() * Math.sqrt(noise.shot * Math.max(v, 0) + noise.read * noise.read);
      const e = srgbEncode(Math.min(1, Math.max(0, v)));
      bytes[i * 3 + c] = Math.round(e * 255);
    }
  }
  const img = sharp(bytes, { raw: { width, height, channels: 3 } });
  const file = quality > 0 ? await img.jpeg({ quality, chromaSubsampling: o.chromaSubsampling ?? '4:2:0' }).toBuffer() : await img.png().toBuffer();
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  const out = new Float32Array(info.width * info.height * 3);
  for (let i = 0; i < out.length; i++) out[i] = DECODE_LUT[data[i]];
  return {
    raster: { width: info.width, height: info.height, channels: 3, data: out },
    file,
    skinBox: { x: 0, y: 0, width: size, height: size },
    chart,
    truth: { fMel: o.fMel, fBlood: o.fBlood, sO2, exposureEv: ev },
  };
}
