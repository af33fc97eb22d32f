import { beforeAll, describe, expect, it } from 'vitest';
import { detectFace } from '../../src/face/detect';
import { faceRegions } from '../../src/face/regions';
import { polygonArea, polygonCentroid } from '../../src/face/polygon';
import type { Face, RegionSet } from '../../src/face/types';
import type { Raster } from '../../src/image/raster';
import { loadLinear } from './load-image';
import { portrait, unwarpPoint, warpAffine } from './helpers';

// Ground truth is the transform the test applies: region polygons found on a shifted / scaled / rotated copy, mapped
// back through the known inverse transform, must match those found on the original (areas within 3 %, centroids
// within 1 % of the face width), and repeated runs must give identical output.
type Mat = [[number, number], [number, number]];
interface Case {
  label: string;
  a: Mat;
  t: [number, number];
  size: (w: number, h: number) => [number, number];
}
const rot = (deg: number, w: number, h: number): { a: Mat; t: [number, number] } => {
  const r = (deg * Math.PI) / 180;
  const a: Mat = [
    [Math.cos(r), -Math.sin(r)],
    [Math.sin(r), Math.cos(r)],
  ];
  const c = [w / 2, h / 2];
  return { a, t: [c[0] - (a[0][0] * c[0] + a[0][1] * c[1]), c[1] - (a[1][0] * c[0] + a[1][1] * c[1])] };
};

const IMAGES = ['biden2.jpg', 'obama.jpg'];
// The targets, 3 % (area) and 1 % of face width (centroid), hold for every region with default options since
// the extra detector passes see the face resampled upright at a fixed size, alternately mirrored (src/face/passes.ts,
// docs/face.md "Stability"). Before, the perioral area (3.4 / 4.2 %), the right crow's-feet centroid (1.47 / 1.23 %)
// and the forehead centroid (0.91 / 1.32 %) were held at looser limits here.
const LOOSER: Record<string, { area: number; centroid: number }> = {};
const OPTS = {}; // defaults (4 averaged detector passes)
const base = new Map<string, { raster: Raster; face: Face; regions: RegionSet }>();

beforeAll(async () => {
  for (const name of IMAGES) {
    const raster = await loadLinear(portrait(name));
    const face = await detectFace(raster, OPTS);
    base.set(name, { raster, face, regions: faceRegions(face, raster) });
  }
});

function cases(w: number, h: number): Case[] {
  return [
    { label: 'shift +20,+20 px', a: [[1, 0], [0, 1]], t: [20, 20], size: (W, H) => [W, H] },
    { label: 'shift −20,+20 px', a: [[1, 0], [0, 1]], t: [-20, 20], size: (W, H) => [W, H] },
    { label: 'scale ×1.05', a: [[1.05, 0], [0, 1.05]], t: [0, 0], size: (W, H) => [Math.round(W * 1.05), Math.round(H * 1.05)] },
    { label: 'scale ×0.95', a: [[0.95, 0], [0, 0.95]], t: [0, 0], size: (W, H) => [Math.round(W * 0.95), Math.round(H * 0.95)] },
    { label: 'rotate +3°', ...rot(3, w, h), size: (W, H) => [W, H] },
    { label: 'rotate −3°', ...rot(-3, w, h), size: (W, H) => [W, H] },
  ];
}

describe.each(IMAGES)('stability on %s', (name) => {
  it('region areas within 3 % and centroids within 1 % of face width under shift, ±5 % scale and ±3° rotation', async () => {
    const { raster, face, regions } = base.get(name)!;
    const lm = face.landmarks;
    const faceW = Math.hypot(lm[454][0] - lm[234][0], lm[454][1] - lm[234][1]);
    const worst: Record<string, { area: number; centroid: number; kept: number }> = {};
    for (const c of cases(raster.width, raster.height)) {
      const [w, h] = c.size(raster.width, raster.height);
      const moved = warpAffine(raster, c.a, c.t, w, h);
      const f2 = await detectFace(moved, OPTS);
      const r2 = faceRegions(f2, moved);
      const det = c.a[0][0] * c.a[1][1] - c.a[0][1] * c.a[1][0];
      if (process.env.FACE_TEST_REPORT) {
        const m2 = f2.landmarks;
        const e0 = Math.hypot(lm[263][0] - lm[33][0], lm[263][1] - lm[33][1]), e1 = Math.hypot(m2[263][0] - m2[33][0], m2[263][1] - m2[33][1]) / Math.sqrt(det);
        const gl = (rs: RegionSet) => polygonArea(rs.regions.find((r) => r.name === 'glabella')!.polygon);
        console.log(name, c.label, 'ipd ratio', (f2.ipdPx / Math.sqrt(det) / face.ipdPx).toFixed(4), 'canthi ratio', (e1 / e0).toFixed(4), 'glabella area ratio', (gl(r2) / det / gl(regions)).toFixed(4), 'roll', f2.pose.rollDeg.toFixed(2));
      }
      for (const reg of regions.regions) {
        const other = r2.regions.find((r) => r.name === reg.name)!;
        const back = other.polygon.map((p) => unwarpPoint(p, c.a, c.t));
        const area0 = polygonArea(reg.polygon);
        const dArea = Math.abs(polygonArea(back) - area0) / area0;
        const c0 = polygonCentroid(reg.polygon), c1 = polygonCentroid(back);
        const dCentroid = Math.hypot(c1[0] - c0[0], c1[1] - c0[1]) / faceW;
        const dKept = Math.abs(other.pixelsKept / det - reg.pixelsKept) / Math.max(1, reg.pixelsInside);
        const wr = (worst[reg.name] ??= { area: 0, centroid: 0, kept: 0 });
        wr.area = Math.max(wr.area, dArea);
        wr.centroid = Math.max(wr.centroid, dCentroid);
        wr.kept = Math.max(wr.kept, dKept);
      }
    }
    if (process.env.FACE_TEST_REPORT) console.log(name, JSON.stringify(Object.fromEntries(Object.entries(worst).map(([k, v]) => [k, [v.area, v.centroid, v.kept].map((x) => Number(x.toFixed(4)))]))));
    for (const [region, v] of Object.entries(worst)) {
      const lim = LOOSER[region] ?? { area: 0.03, centroid: 0.01 };
      expect(v.area, `${name} ${region} area`).toBeLessThanOrEqual(lim.area);
      expect(v.centroid, `${name} ${region} centroid`).toBeLessThanOrEqual(lim.centroid);
    }
  });

  it('gives identical results on repeated runs (fresh copies of the raster)', async () => {
    const { raster, face, regions } = base.get(name)!;
    const copy: Raster = { ...raster, data: Float32Array.from(raster.data) };
    const f2 = await detectFace(copy);
    const r2 = faceRegions(f2, copy);
    expect(JSON.stringify(f2)).toBe(JSON.stringify(face));
    expect(r2.regions.map((r) => [r.name, r.pixelsKept, Buffer.from(r.mask).toString('base64')])).toEqual(
      regions.regions.map((r) => [r.name, r.pixelsKept, Buffer.from(r.mask).toString('base64')]),
    );
  });
});
