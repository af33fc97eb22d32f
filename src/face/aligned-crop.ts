import type { Raster } from '../image/raster';
import { CANONICAL_POINTS, mirrorIndex } from './canonical';
import { srgb8 } from './detector-input';

/** Similarity x = [a −b; b a]·u + t from frame coordinates u to image px. */
export interface Similarity {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

/**
 * The face's own frame, from all 468 mesh points (so it moves far less than any single landmark when the detector
 * jitters): origin at their mean; unit = their RMS distance from it (≈ 0.35 face widths); x axis along the sum of the
 * vectors joining each point to its mirror point (canonical.ts mirrorIndex), each turned to point from the subject's
 * right to left (as the outer canthi 33 → 263 do); midline points add nothing. Only the mirror pairs come from the
 * template, not its shape, so rebuilding the template (from detectFace's output) does not change detection.
 */
export function meshFrame(mesh: readonly (readonly number[])[]): Similarity {
  const n = CANONICAL_POINTS;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) (mx += mesh[i][0] / n), (my += mesh[i][1] / n);
  const ex = mesh[263][0] - mesh[33][0], ey = mesh[263][1] - mesh[33][1];
  let ss = 0, ax = 0, ay = 0;
  for (let i = 0; i < n; i++) {
    ss += ((mesh[i][0] - mx) ** 2 + (mesh[i][1] - my) ** 2) / n;
    const j = mirrorIndex(i);
    if (j <= i) continue; // each pair once; midline points pair with themselves
    const vx = mesh[j][0] - mesh[i][0], vy = mesh[j][1] - mesh[i][1];
    const sgn = vx * ex + vy * ey < 0 ? -1 : 1;
    ax += sgn * vx;
    ay += sgn * vy;
  }
  const r = Math.sqrt(ss), len = Math.hypot(ax, ay) || 1;
  return { a: (r * ax) / len, b: (r * ay) / len, tx: mx, ty: my };
}

export interface CropFrame {
  /** the frame's unit (meshFrame: RMS radius of the mesh) in crop px */
  unitPx: number;
  /** crop size (px) */
  width: number;
  height: number;
  /** where the frame origin lies, in crop px from the crop centre (sub-pixel offsets decorrelate passes) */
  offset: readonly [number, number];
  /** mirror the crop left ↔ right */
  mirrored: boolean;
}

export interface AlignedCrop {
  rgb: Uint8Array;
  width: number;
  height: number;
  /** source (detector) px of a continuous crop coordinate (pixel edges at integers) */
  toSource: (x: number, y: number) => [number, number];
  /** its inverse: the crop coordinate of a source px */
  fromSource: (x: number, y: number) => [number, number];
  /** source px per crop px */
  scale: number;
}

/**
 * The face resampled into a fixed frame: rolled upright, at a fixed size, the frame origin at a fixed sub-pixel place,
 * optionally mirrored. Crop px c ↦ source px S(D(c − c0) / unitPx), D = diag(±1, 1). Each crop pixel is
 * the mean of k × k bilinear samples (k = ⌈source px per crop px⌉, a box prefilter when the crop is smaller), in linear
 * light, then sRGB-encoded to 8 bits like the detector's copy (same table). Outside the source the edge pixels are repeated.
 */
export function alignedCrop(src: Raster, s: Similarity, frame: CropFrame): AlignedCrop {
  const F = frame.unitPx;
  const { width, height } = frame;
  const c0x = width / 2 + frame.offset[0], c0y = height / 2 + frame.offset[1];
  const sign = frame.mirrored ? -1 : 1;
  // source = [a −b; b a]·[sign·(cx − c0x), cy − c0y]/F + t
  const m00 = (s.a * sign) / F, m01 = -s.b / F, m10 = (s.b * sign) / F, m11 = s.a / F;
  const toSource = (x: number, y: number): [number, number] => {
    const dx = x - c0x, dy = y - c0y;
    return [m00 * dx + m01 * dy + s.tx, m10 * dx + m11 * dy + s.ty];
  };
  const det = m00 * m11 - m01 * m10;
  const fromSource = (x: number, y: number): [number, number] => {
    const u = x - s.tx, v = y - s.ty;
    return [(m11 * u - m01 * v) / det + c0x, (m00 * v - m10 * u) / det + c0y];
  };
  const scale = Math.hypot(s.a, s.b) / F;
  const k = Math.max(1, Math.ceil(scale - 1e-9));
  const { width: W, height: H, channels: C, data } = src;
  const rgb = new Uint8Array(width * height * 3);
  const inv = 1 / (k * k);
  const g = C >= 3 ? 1 : 0, bl = 2 * g;
  // the products of the transform with each sample column's dx and each sample row's dy, made once (the same sums:
  // source = m·dx + m·dy + t, in that order)
  const ax = new Float64Array(width * k), bx = new Float64Array(width * k);
  for (let x = 0; x < width; x++) {
    for (let sx = 0; sx < k; sx++) {
      const dx = x + (sx + 0.5) / k - c0x;
      ax[x * k + sx] = m00 * dx;
      bx[x * k + sx] = m10 * dx;
    }
  }
  for (let y = 0, o = 0; y < height; y++) {
    for (let x = 0; x < width; x++, o += 3) {
      let r = 0, gg = 0, bb = 0;
      for (let sy = 0; sy < k; sy++) {
        const dy = y + (sy + 0.5) / k - c0y;
        const ay = m01 * dy, by = m11 * dy;
        for (let sx = 0; sx < k; sx++) {
          // source point minus 0.5 (pixel centres at integers); bilinear, edge repeated
          const px = ax[x * k + sx] + ay + s.tx - 0.5, py = bx[x * k + sx] + by + s.ty - 0.5;
          const fx = px < 0 ? 0 : px > W - 1 ? W - 1 : px, fy = py < 0 ? 0 : py > H - 1 ? H - 1 : py;
          const x0 = fx | 0, y0 = fy | 0;
          const x1 = x0 + 1 < W ? x0 + 1 : x0, y1 = y0 + 1 < H ? y0 + 1 : y0;
          const wx = fx - x0, wy = fy - y0;
          const i00 = (y0 * W + x0) * C, i01 = (y0 * W + x1) * C, i10 = (y1 * W + x0) * C, i11 = (y1 * W + x1) * C;
          const w00 = (1 - wx) * (1 - wy), w01 = wx * (1 - wy), w10 = (1 - wx) * wy, w11 = wx * wy;
          r += w00 * data[i00] + w01 * data[i01] + w10 * data[i10] + w11 * data[i11];
          gg += w00 * data[i00 + g] + w01 * data[i01 + g] + w10 * data[i10 + g] + w11 * data[i11 + g];
          bb += w00 * data[i00 + bl] + w01 * data[i01 + bl] + w10 * data[i10 + bl] + w11 * data[i11 + bl];
        }
      }
      rgb[o] = srgb8(r * inv);
      rgb[o + 1] = srgb8(gg * inv);
      rgb[o + 2] = srgb8(bb * inv);
    }
  }
  return { rgb, width, height, toSource, fromSource, scale };
}

/**
 * A crop of `c`'s pixels rearranged: pixel (x, y) is c's pixel `at(x, y)`; `toC` maps this crop's continuous
 * coordinates to c's and `fromC` back.
 */
function rearranged(c: AlignedCrop, at: (x: number, y: number) => [number, number], toC: (x: number, y: number) => [number, number], fromC: (x: number, y: number) => [number, number]): AlignedCrop {
  const { width, height, rgb } = c;
  const out = new Uint8Array(rgb.length);
  for (let y = 0, o = 0; y < height; y++) {
    for (let x = 0; x < width; x++, o += 3) {
      const [sx, sy] = at(x, y);
      const i = (sy * width + sx) * 3;
      out[o] = rgb[i];
      out[o + 1] = rgb[i + 1];
      out[o + 2] = rgb[i + 2];
    }
  }
  return {
    rgb: out,
    width,
    height,
    scale: c.scale,
    toSource: (x, y) => c.toSource(...toC(x, y)),
    fromSource: (x, y) => fromC(...c.fromSource(x, y)),
  };
}

/** The same crop mirrored left ↔ right: a mirrored frame with offset (ox, oy) is the plain frame with (−ox, oy) flipped. */
export function mirrorCrop(c: AlignedCrop): AlignedCrop {
  const w = c.width;
  return rearranged(c, (x, y) => [w - 1 - x, y], (x, y) => [w - x, y], (u, v) => [w - u, v]);
}

/** The crop moved by whole pixels (dx, dy), the edge pixels repeated where it uncovers: crop px p shows old px p − (dx, dy). */
export function shiftCrop(c: AlignedCrop, dx: number, dy: number): AlignedCrop {
  if (dx === 0 && dy === 0) return c;
  const clamp = (v: number, n: number): number => (v < 0 ? 0 : v >= n ? n - 1 : v);
  return rearranged(c, (x, y) => [clamp(x - dx, c.width), clamp(y - dy, c.height)], (x, y) => [x - dx, y - dy], (u, v) => [u + dx, v + dy]);
}
