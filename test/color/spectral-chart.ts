/**
 * Test utility: the ColorChecker as a camera would see it, built from spectra (not shipped).
 * XYZ_i = Σ R_i(λ) S_D65(λ) x̄(λ) / Σ S_D65(λ) ȳ(λ), 380–780 nm every 5 nm [CIE15] §7 (tristimulus values of
 * object colours), with the Ohta (1997) reflectances, the CIE D65 SPD and the CIE 1931 2° CMFs
 * (test/fixtures/color, see SOURCES.md there).
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { applyHomography, homographyFromPoints, LINEAR_SRGB_FROM_XYZ, srgbEncode, WHITE_D65, xyzToLab, type Homography } from '../../src/color';
import type { Point } from '../../src/image/raster';
import { createRng } from '../../src/random';

const FIX = new URL('../fixtures/color/', import.meta.url);
function table(name: string): Map<number, number[]> {
  const rows = readFileSync(new URL(name, FIX), 'utf8').trim().split(/\r?\n/).slice(1);
  return new Map(rows.map((l) => { const v = l.split(',').map(Number); return [v[0], v.slice(1)]; }));
}

/** Tristimulus values (Y of the perfect reflecting diffuser = 1) of the 24 patches under D65, and of the white. */
export function colorCheckerXyzD65(): { patches: number[][]; white: number[] } {
  const refl = table('colorchecker24_ohta1997_reflectance.csv');
  const spd = table('illuminant_D65_spd.csv');
  const cmf = table('cie1931_2deg_cmf_5nm.csv');
  const patches = Array.from({ length: 24 }, () => [0, 0, 0]);
  const white = [0, 0, 0];
  for (let nm = 380; nm <= 780; nm += 5) {
    const S = spd.get(nm)![0];
    const [xb, yb, zb] = cmf.get(nm)!;
    const R = refl.get(nm)!;
    white[0] += S * xb; white[1] += S * yb; white[2] += S * zb;
    for (let i = 0; i < 24; i++) {
      patches[i][0] += R[i] * S * xb;
      patches[i][1] += R[i] * S * yb;
      patches[i][2] += R[i] * S * zb;
    }
  }
  const k = 1 / white[1]; // [CIE15] normalisation k = 1 / Σ S ȳ (Y scale 0–1)
  return { patches: patches.map((p) => p.map((v) => v * k)), white: white.map((v) => v * k) };
}

/** Ground truth for the chart test: CIELAB D65/2° of the rendered patches (the library's D65 white; see the test). */
export function colorCheckerLabD65(): number[][] {
  return colorCheckerXyzD65().patches.map((xyz) => xyzToLab(xyz, WHITE_D65));
}

export interface CameraModel {
  /** Camera channel = row · (linear sRGB of the scene): a non-diagonal mix (crosstalk). */
  mix: number[][];
  /**
   * Optional spectral sensitivities instead of `mix`: Gaussian curves (peak nm, SD nm) per channel. Such a camera
   * is not a linear transform of the CIE observer (Luther condition violated), like real sensors.
   */
  gaussians?: [number, number][];
  /** White-balance gains per channel (1, 1, 1 = correct). */
  whiteBalance: number[];
  /** Exposure factor (0.5 = -1 EV). */
  exposure: number;
  /** Read noise SD and shot-noise variance per unit signal, linear units. */
  readNoise: number;
  shotNoise: number;
  seed: number;
  jpegQuality: number;
}

export const DEFAULT_CAMERA: CameraModel = {
  mix: [
    [0.78, 0.17, 0.05],
    [0.12, 0.74, 0.14],
    [0.04, 0.22, 0.74],
  ],
  whiteBalance: [1.22, 1.0, 0.8],
  exposure: 0.5,
  readNoise: 0.002,
  shotNoise: 0.0004,
  seed: 20150501,
  jpegQuality: 90,
};

/** Camera responses of the 24 patches and of a perfect white for Gaussian sensitivities under D65 (white's G = 1 before gains). */
function spectralResponses(gaussians: [number, number][]): { patches: number[][]; white: number[] } {
  const refl = table('colorchecker24_ohta1997_reflectance.csv');
  const spd = table('illuminant_D65_spd.csv');
  const patches = Array.from({ length: 24 }, () => [0, 0, 0]);
  const white = [0, 0, 0];
  for (let nm = 380; nm <= 780; nm += 5) {
    const S = spd.get(nm)![0];
    const R = refl.get(nm)!;
    gaussians.forEach(([peak, sd], c) => {
      const q = S * Math.exp(-0.5 * ((nm - peak) / sd) ** 2);
      white[c] += q;
      for (let i = 0; i < 24; i++) patches[i][c] += R[i] * q;
    });
  }
  // raw white balance as a camera would store it: channels scaled so that the white gives equal responses
  return { patches: patches.map((p) => p.map((v, c) => v / white[c])), white: [1, 1, 1] };
}

/** The camera's linear response to a scene colour given as XYZ (D65). Sensor responses cannot be negative. */
export function cameraResponse(xyz: readonly number[], cam: CameraModel): number[] {
  const lin = LINEAR_SRGB_FROM_XYZ.map((r) => r[0] * xyz[0] + r[1] * xyz[1] + r[2] * xyz[2]);
  return cam.mix.map((row, c) => Math.max(0, cam.exposure * cam.whiteBalance[c] * (row[0] * lin[0] + row[1] * lin[1] + row[2] * lin[2])));
}

export interface RenderedChart {
  jpeg: Buffer;
  width: number;
  height: number;
  /** The patch-grid corners in image pixels, in sampleChart's order. */
  corners: Point[];
  /** Noise-free camera response per patch (linear). */
  cameraRgb: number[][];
}

/**
 * A 6x4 chart (patches 0.84 of a cell, on a dark card with a 0.35-cell border) seen in perspective on a mid-grey
 * background, 2x2 supersampled, then noise, sRGB encoding, 8 bits and a JPEG through sharp.
 */
export async function renderChartPhoto(cam: CameraModel = DEFAULT_CAMERA, width = 900, height = 660): Promise<RenderedChart> {
  const { patches } = colorCheckerXyzD65();
  let cameraRgb = patches.map((xyz) => cameraResponse(xyz, cam));
  if (cam.gaussians) {
    const spectral = spectralResponses(cam.gaussians);
    cameraRgb = spectral.patches.map((p) => p.map((v, c) => Math.max(0, cam.exposure * cam.whiteBalance[c] * v)));
  }
  const card = cameraResponse([0.045, 0.047, 0.05], cam); // near-black card (Y ~ 0.05)
  const background = cameraResponse([0.17, 0.18, 0.19], cam);
  const corners: Point[] = [[130, 110], [790, 150], [760, 580], [160, 545]];
  const H: Homography = homographyFromPoints(corners, [[0, 0], [6, 0], [6, 4], [0, 4]])!; // image -> chart
  const rng = createRng(cam.seed);
  const px = Buffer.alloc(width * height * 3);
  const acc = [0, 0, 0];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      acc[0] = acc[1] = acc[2] = 0;
      for (const [dx, dy] of [[0.25, 0.25], [0.75, 0.25], [0.25, 0.75], [0.75, 0.75]]) {
        const [u, v] = applyHomography(H, x + dx, y + dy);
        let col = background;
        if (u >= -0.35 && u < 6.35 && v >= -0.35 && v < 4.35) {
          col = card;
          const c = Math.floor(u), r = Math.floor(v);
          if (c >= 0 && c < 6 && r >= 0 && r < 4 && u - c >= 0.08 && u - c < 0.92 && v - r >= 0.08 && v - r < 0.92) col = cameraRgb[r * 6 + c];
        }
        acc[0] += col[0] / 4; acc[1] += col[1] / 4; acc[2] += col[2] / 4;
      }
      for (let c = 0; c < 3; c++) {
        const s = acc[c];
        const noisy = s + rng.normal() * Math.sqrt(cam.readNoise ** 2 + cam.shotNoise * s);
        px[(y * width + x) * 3 + c] = Math.round(255 * srgbEncode(Math.min(1, Math.max(0, noisy))));
      }
    }
  }
  const jpeg = await sharp(px, { raw: { width, height, channels: 3 } }).jpeg({ quality: cam.jpegQuality }).toBuffer();
  return { jpeg, width, height, corners, cameraRgb };
}
