import { beforeAll, describe, expect, it } from 'vitest';
import { detectFace } from '../../src/face/detect';
import { faceRegions } from '../../src/face/regions';
import { rasterizePolygon } from '../../src/face/polygon';
import type { Face, RegionSet } from '../../src/face/types';
import type { Raster } from '../../src/image/raster';
import { loadLinear } from './load-image';
import { PORTRAITS, nonSkinMask, portrait } from './helpers';

// Ground truth: non-skin polygons drawn by hand on each public-domain portrait (test/fixtures/face/*.nonskin.json,
// drawn on a 10–40 px grid at 1.5–4× zoom, independently of the mesh). Claim checked: ≥ 95 % of each region's kept
// pixels are skin, i.e. outside every hand-drawn non-skin polygon.
// Grace Hopper's amber spectacles (glabella 0.451, nose 0.814, crow's feet 0.806, hemifaces 0.902/0.944, full face
// 0.924 before) are detected and removed since the nose-profile frame-bar test; the astronaut's nose (0.928) passes
// with the 2 px band round the nostrils, and her right crow's-feet box (0.943, the lateral canthus inside) with the
// 1 mm band round the eyes. Every region of every portrait meets 0.95 (lowest: grace_hopper periorbital_left 0.950,
// biden2 forehead 0.958, measured 2026-11-24). The astronaut's forehead, a ~140 px strip under her bangs (flagged
// `forehead_occluded`), fell to 0.923 (6 hair pixels of 78 at the fringe's corner) when her right brow was read from
// mirrored passes (passes.ts); the hairline's median over a full 7 rays at the ends (regions.ts) brings it to 0.986.

const results = new Map<string, { raster: Raster; face: Face; regions: RegionSet }>();

beforeAll(async () => {
  for (const name of PORTRAITS) {
    const raster = await loadLinear(portrait(name));
    const face = await detectFace(raster);
    results.set(name, { raster, face, regions: faceRegions(face, raster) });
  }
});

describe.each(PORTRAITS)('skin mask on %s', (name) => {
  it('frontal portrait: no region outline folds (a fold would replace a hemiface by its convex hull)', () => {
    expect(results.get(name)!.regions.flags.map((f) => f.code)).not.toContain('region_outline_folded');
  });

  it('flags glasses exactly when the subject wears them (grace_hopper: amber frames with a skin-coloured bridge)', () => {
    expect(results.get(name)!.regions.flags.some((f) => f.code === 'glasses')).toBe(name === 'grace_hopper.jpg');
  });

  it('keeps ≥ 95 % skin in every region (against the hand-drawn non-skin fixture)', () => {
    const { raster, regions } = results.get(name)!;
    const truth = nonSkinMask(name, raster.width, raster.height);
    const report: Record<string, number> = {};
    for (const r of regions.regions) {
      let bad = 0;
      for (let y = 0; y < r.box.height; y++) {
        for (let x = 0; x < r.box.width; x++) {
          if (r.mask[y * r.box.width + x] && truth[(r.box.y + y) * raster.width + r.box.x + x]) bad++;
        }
      }
      report[r.name] = r.pixelsKept > 0 ? 1 - bad / r.pixelsKept : 1;
    }
    if (process.env.FACE_TEST_REPORT) console.log(name, JSON.stringify(Object.fromEntries(Object.entries(report).map(([k, v]) => [k, Number(v.toFixed(3))]))));
    for (const [region, skinFraction] of Object.entries(report)) {
      expect(skinFraction, `${name} ${region}`).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('removes most of what the fixture marks as non-skin inside the face outline (≥ 80 %)', () => {
    const { raster, regions } = results.get(name)!;
    const truth = nonSkinMask(name, raster.width, raster.height);
    const full = regions.regions.find((r) => r.name === 'full_face')!;
    const inside = rasterizePolygon(full.polygon, full.box);
    let nonSkinInside = 0, dropped = 0;
    for (let y = 0; y < full.box.height; y++) {
      for (let x = 0; x < full.box.width; x++) {
        const i = y * full.box.width + x;
        if (!inside[i] || !truth[(full.box.y + y) * raster.width + full.box.x + x]) continue;
        nonSkinInside++;
        if (!full.mask[i]) dropped++;
      }
    }
    if (process.env.FACE_TEST_REPORT) console.log(name, 'non-skin inside full_face', nonSkinInside, 'dropped', (dropped / nonSkinInside).toFixed(3));
    expect(nonSkinInside).toBeGreaterThan(0);
    expect(dropped / nonSkinInside).toBeGreaterThan(0.8); // 0.929 / 0.810 / 0.948 / 0.907 (obama, biden2, astronaut, grace_hopper)
  });
});
