import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Raster } from '../../src/image/raster';
import { rasterizePolygon } from '../../src/face/polygon';
import type { Point } from '../../src/face/types';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PORTRAITS = ['obama.jpg', 'biden2.jpg', 'astronaut.png', 'grace_hopper.jpg'] as const;
export const portrait = (name: string) => path.join(ROOT, 'test-images/portraits', name);

/** Left/right mirror pairs of the 468 mesh points from Human's own UV468 layout (u → 1 − u, nearest point): an outside
 * reference for canonical.ts, which derives its pairs from the template. */
export function uvMirrorPairs(): number[] {
  const dir = path.join(path.dirname(createRequire(import.meta.url).resolve('@vladmandic/human')), '..');
  const src = readFileSync(path.join(dir, 'src/face/facemeshcoords.ts'), 'utf8');
  const uvText = src.slice(src.indexOf('export const UV468'), src.indexOf('];', src.indexOf('export const UV468')));
  const uv = [...uvText.matchAll(/\[([\d.e-]+),\s*([\d.e-]+)\]/g)].map((m) => [Number(m[1]), Number(m[2])]);
  if (uv.length !== 468) throw new Error(`UV468 layout: ${uv.length} points read`);
  return uv.map(([u, v]) => {
    let best = 0, bd = Infinity;
    uv.forEach(([u2, v2], j) => {
      const d = (u2 - (1 - u)) ** 2 + (v2 - v) ** 2;
      if (d < bd) (bd = d), (best = j);
    });
    return best;
  });
}

/** The hand-drawn non-skin polygons of a test portrait (test/fixtures/face/<stem>.nonskin.json) as a full-size mask. */
export function nonSkinMask(name: string, width: number, height: number): Uint8Array {
  const stem = name.replace(/\.\w+$/, '');
  const fx = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/face', `${stem}.nonskin.json`), 'utf8')) as { nonSkin: Record<string, Point[]> };
  const out = new Uint8Array(width * height);
  for (const poly of Object.values(fx.nonSkin)) {
    const m = rasterizePolygon(poly, { x: 0, y: 0, width, height });
    for (let i = 0; i < m.length; i++) out[i] |= m[i];
  }
  return out;
}

/**
 * Affine warp of a linear raster with bilinear sampling: output pixel centre p' maps to input point
 * A⁻¹(p' − t), where p' = A p + t is the forward map (full-resolution, pixel-edge coordinates). Outside → `fill`.
 */
export function warpAffine(r: Raster, a: [[number, number], [number, number]], t: [number, number], width: number, height: number, fill = 0.2): Raster {
  const det = a[0][0] * a[1][1] - a[0][1] * a[1][0];
  const inv = [
    [a[1][1] / det, -a[0][1] / det],
    [-a[1][0] / det, a[0][0] / det],
  ];
  const out = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const px = x + 0.5 - t[0], py = y + 0.5 - t[1];
      const u = inv[0][0] * px + inv[0][1] * py - 0.5;
      const v = inv[1][0] * px + inv[1][1] * py - 0.5;
      const x0 = Math.floor(u), y0 = Math.floor(v);
      const fx = u - x0, fy = v - y0;
      for (let c = 0; c < 3; c++) {
        const at = (xx: number, yy: number) => (xx < 0 || yy < 0 || xx >= r.width || yy >= r.height ? fill : r.data[(yy * r.width + xx) * 3 + c]);
        out[(y * width + x) * 3 + c] =
          (1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x0 + 1, y0)) + fy * ((1 - fx) * at(x0, y0 + 1) + fx * at(x0 + 1, y0 + 1));
      }
    }
  }
  return { width, height, channels: 3, data: out };
}

/** Apply the inverse of p' = A p + t to a point. */
export function unwarpPoint(p: readonly number[], a: [[number, number], [number, number]], t: [number, number]): Point {
  const det = a[0][0] * a[1][1] - a[0][1] * a[1][0];
  const px = p[0] - t[0], py = p[1] - t[1];
  return [(a[1][1] * px - a[0][1] * py) / det, (-a[1][0] * px + a[0][0] * py) / det];
}
