/**
 * analyzeErythema's arithmetic against outside references and constructed ground truth: colour-science's
 * sRGB→CIELAB vectors, Diffey's EI/MI definitions on known reflectances, Tsumura's linear OD model on pixels built
 * from known densities, type-7 quantiles against a sort, region bookkeeping, errors and determinism.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { itaDeg, srgbDecode } from '../../src/color';
import {
  addErythema,
  analyzeErythema,
  bloodRatioToHemoglobinOD,
  DEFAULT_HEMOGLOBIN_OD,
  DEFAULT_MELANIN_OD,
  hemoglobinIndexPerOD,
  renderErythemaOverlay,
} from '../../src/erythema';
import { quantilesInPlace, summarize } from '../../src/erythema/stats';
import { projectPigmentVector } from '../../src/erythema/vectors';
import { createMask, type Raster } from '../../src/image/raster';
import { createRng } from '../../src/random';
import { rectRegionSet } from '../utils/regions';
import sharp from 'sharp';

function uniform(width: number, height: number, rgb: readonly number[]): Raster {
  const data = new Float32Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(rgb, 3 * i);
  return { width, height, channels: 3, data };
}

function whole(r: Raster, mmPerPx: number | null = 0.2) {
  return rectRegionSet(r.width, r.height, [{ name: 'whole', x: 0, y: 0, width: r.width, height: r.height }], mmPerPx);
}

describe('per-pixel maps', () => {
  test('L*, a*, b*, ITA° match colour-science sRGB→CIELAB D65 vectors (200 colours)', () => {
    const rows = readFileSync(new URL('../fixtures/erythema/srgb_to_lab_d65_testvectors_colour2018_first200.csv', import.meta.url), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').map(Number));
    const r: Raster = { width: rows.length, height: 1, channels: 3, data: new Float32Array(rows.length * 3) };
    rows.forEach((row, i) => r.data.set([srgbDecode(row[0]), srgbDecode(row[1]), srgbDecode(row[2])], 3 * i));
    const res = analyzeErythema(r, whole(r, null), { maps: true, clipLevel: 2 });
    const m = res.maps!;
    let maxErr = 0;
    rows.forEach((row, i) => {
      if (Math.min(r.data[3 * i], r.data[3 * i + 1], r.data[3 * i + 2]) <= 1e-4) return; // black cells are invalid, maps still computed
      maxErr = Math.max(maxErr, Math.abs(m.lStar.data[i] - row[3]), Math.abs(m.aStar.data[i] - row[4]), Math.abs(m.bStar.data[i] - row[5]));
      expect(m.ita.data[i]).toBeCloseTo(itaDeg(row[3], row[5]), 2);
    });
    expect(maxErr).toBeLessThan(2e-3); // float32 maps vs float64 reference
  });

  test('Diffey erythema and melanin indices on known reflectances', () => {
    // R = 0.5, G = 0.25: EI = 100·log10(0.5/0.25) = 30.103; MI = 100·log10(1/0.5) = 30.103
    const res = analyzeErythema(uniform(10, 10, [0.5, 0.25, 0.2]), whole(uniform(10, 10, [0, 0, 0])));
    expect(res.regions[0].erythema.erythemaIndex.mean).toBeCloseTo(100 * Math.log10(2), 4);
    expect(res.regions[0].erythema.melaninIndex.mean).toBeCloseTo(100 * Math.log10(2), 4);
    expect(res.regions[0].erythema.erythemaIndex.sd).toBe(0);
  });

  test('OD separation recovers the densities pixels were built from, whatever the shading [Tsumura2003]', () => {
    const h = projectPigmentVector(DEFAULT_HEMOGLOBIN_OD);
    const m = projectPigmentVector(DEFAULT_MELANIN_OD);
    const rng = createRng(7);
    const n = 400;
    const r: Raster = { width: n, height: 1, channels: 3, data: new Float32Array(n * 3) };
    const truth: [number, number][] = [];
    for (let i = 0; i < n; i++) {
      const ch = rng.uniform(-0.05, 0.15);
      const cm = rng.uniform(0.1, 0.4);
      const shade = rng.uniform(0.2, 1.2); // OD of shading / exposure along (1,1,1)
      truth.push([ch, cm]);
      for (let c = 0; c < 3; c++) r.data[3 * i + c] = 10 ** -(ch * h[c] + cm * m[c] + shade);
    }
    const res = analyzeErythema(r, whole(r, null), { maps: true });
    for (let i = 0; i < n; i++) {
      expect(res.maps!.hemoglobin.data[i]).toBeCloseTo(100 * truth[i][0], 2);
      expect(res.maps!.melanin.data[i]).toBeCloseTo(100 * truth[i][1], 2);
    }
    expect(res.pigmentVectors.used).toBe('default');
  });

  test('per-photo ICA recovers pigment vectors rotated 8° from the defaults', () => {
    const rot = (v: number[], axis: number[], deg: number) => {
      // Rodrigues rotation about the (1,1,1) axis keeps the vector in the shading-free plane
      const k = axis.map((x) => x / Math.hypot(...axis));
      const t = (deg * Math.PI) / 180;
      const kv = [k[1] * v[2] - k[2] * v[1], k[2] * v[0] - k[0] * v[2], k[0] * v[1] - k[1] * v[0]];
      const kd = k[0] * v[0] + k[1] * v[1] + k[2] * v[2];
      return v.map((x, i) => x * Math.cos(t) + kv[i] * Math.sin(t) + k[i] * kd * (1 - Math.cos(t)));
    };
    const h = rot([...projectPigmentVector(DEFAULT_HEMOGLOBIN_OD)], [1, 1, 1], 8);
    const m = rot([...projectPigmentVector(DEFAULT_MELANIN_OD)], [1, 1, 1], -8);
    const rng = createRng(11);
    const W = 200;
    const r: Raster = { width: W, height: W, channels: 3, data: new Float32Array(W * W * 3) };
    const laplace = () => {
      const u = rng.next() - 0.5;
      return -Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
    };
    for (let i = 0; i < W * W; i++) {
      const ch = 0.05 + 0.02 * laplace(); // super-Gaussian, independent sources (ICA's assumption)
      const cm = 0.3 + 0.03 * (rng.next() - 0.5) * 3.4; // sub-Gaussian (uniform)
      const shade = rng.uniform(0.3, 0.5);
      for (let c = 0; c < 3; c++) r.data[3 * i + c] = 10 ** -(ch * h[c] + cm * m[c] + shade);
    }
    const res = analyzeErythema(r, whole(r, null), { pigmentVectors: 'estimate' });
    const est = res.pigmentVectors.estimate!;
    expect(est.accepted).toBe(true);
    expect(res.pigmentVectors.used).toBe('estimate');
    const ang = (a: number[], b: number[]) => (Math.acos(Math.min(1, a.reduce((s, x, i) => s + x * b[i], 0))) * 180) / Math.PI;
    expect(ang(est.hemoglobin, h)).toBeLessThan(1.5);
    expect(ang(est.melanin, m)).toBeLessThan(1.5);
    expect(Math.abs(est.angleHemoglobinDeg - 8)).toBeLessThan(1.5);
  });

  test('ICA on a photo with one pigment varying is rejected and falls back to the defaults, with a flag', () => {
    const r = uniform(40, 40, [0.4, 0.3, 0.25]);
    const res = analyzeErythema(r, whole(r, null), { pigmentVectors: 'estimate' });
    expect(res.pigmentVectors.used).toBe('default');
    expect(res.pigmentVectors.estimate?.accepted).toBe(false);
    expect(res.flags.map((f) => f.code)).toContain('erythema_estimate_rejected');
  });
});

describe('statistics', () => {
  test('type-7 quantiles equal a sort-based computation [Hyndman1996]', () => {
    const rng = createRng(3);
    for (const n of [1, 2, 3, 10, 101, 1000]) {
      const a = Float64Array.from({ length: n }, () => Math.round(rng.normal() * 5) / 2); // ties on purpose
      const sorted = Float64Array.from(a).sort();
      const q7 = (p: number) => {
        const h = (n - 1) * p;
        const lo = Math.floor(h);
        return sorted[lo] + (h - lo) * (sorted[Math.min(n - 1, lo + 1)] - sorted[lo]);
      };
      const got = quantilesInPlace(Float64Array.from(a), [0.1, 0.5, 0.9]);
      expect(got[0]).toBeCloseTo(q7(0.1), 12);
      expect(got[1]).toBeCloseTo(q7(0.5), 12);
      expect(got[2]).toBeCloseTo(q7(0.9), 12);
    }
  });

  test('summary of 1..10 (numpy: percentile 10 → 1.9, 90 → 9.1, sd ddof=1 → 3.0277)', () => {
    const s = summarize(Float64Array.from({ length: 10 }, (_, i) => 10 - i));
    expect(s.mean).toBe(5.5);
    expect(s.median).toBe(5.5);
    expect(s.p10).toBeCloseTo(1.9, 12);
    expect(s.p90).toBeCloseTo(9.1, 12);
    expect(s.sd).toBeCloseTo(3.0276503540974917, 12);
  });
});

describe('regions, reference, area fraction', () => {
  // left half pale, right half red; 0.05 mm/px photo → 4×4 binning to 0.2 mm
  const W = 80;
  const H = 40;
  const pale = [0.45, 0.32, 0.27];
  const red = addErythema(uniform(W, H, pale), maskRect(W, H, W / 2, 0, W / 2, H), bloodRatioToHemoglobinOD(3));
  function maskRect(w: number, h: number, x: number, y: number, mw: number, mh: number) {
    const m = createMask(w, h);
    for (let j = y; j < y + mh; j++) for (let i = x; i < x + mw; i++) m.data[j * w + i] = 1;
    return m;
  }
  const regions = rectRegionSet(
    W,
    H,
    [
      { name: 'hemiface_right', x: 0, y: 0, width: W / 2, height: H },
      { name: 'hemiface_left', x: W / 2, y: 0, width: W / 2, height: H },
      { name: 'full_face', x: 0, y: 0, width: W, height: H },
    ],
    0.05,
  );

  test('analysis resolution, deltas against the contralateral hemiface, area fraction', () => {
    const res = analyzeErythema(red, regions, { reference: 'hemiface_right' });
    expect(res.analysis.binPx).toBe(4);
    expect(res.analysis.mmPerPx).toBeCloseTo(0.2, 12);
    expect(res.analysis.width).toBe(20);
    const left = res.regions.find((r) => r.name === 'hemiface_left')!;
    const expected = hemoglobinIndexPerOD() * bloodRatioToHemoglobinOD(3);
    expect(left.delta!.hemoglobin).toBeCloseTo(expected, 3);
    expect(left.delta!.aStar).toBeGreaterThan(3);
    expect(left.erythema.areaFraction).toBe(1);
    expect(res.regions.find((r) => r.name === 'hemiface_right')!.erythema.areaFraction).toBe(0);
    expect(res.regions.find((r) => r.name === 'full_face')!.erythema.areaFraction).toBeCloseTo(0.5, 12);
    expect(res.area).toMatchObject({ measure: 'hemoglobin', threshold: 3, baselineSource: 'hemiface_right' });
  });

  test('a caller polygon as reference gives the same deltas as the equivalent region', () => {
    const res = analyzeErythema(red, regions, {
      reference: [
        [0, 0],
        [W / 2, 0],
        [W / 2, H],
        [0, H],
      ],
    });
    const left = res.regions.find((r) => r.name === 'hemiface_left')!;
    expect(res.reference!.name).toBe('reference_polygon');
    expect(res.reference!.pixels).toBe(10 * 10);
    expect(left.delta!.hemoglobin).toBeCloseTo(hemoglobinIndexPerOD() * bloodRatioToHemoglobinOD(3), 3);
  });

  test('clipped pixels are left out; an empty region gives nulls and a flag, never NaN', () => {
    const r = uniform(W, H, pale);
    for (let i = 0; i < (W * H) / 2; i++) r.data[3 * i] = 1; // top half clipped in red
    const rs = rectRegionSet(
      W,
      H,
      [
        { name: 'top', x: 0, y: 0, width: W, height: H / 2 },
        { name: 'bottom', x: 0, y: H / 2, width: W, height: H / 2 },
      ],
      0.05,
    );
    const res = analyzeErythema(r, rs);
    expect(res.regions[0].pixels).toBe(0);
    expect(res.regions[0].erythema.hemoglobin.mean).toBeNull();
    expect(res.regions[0].erythema.areaFraction).toBeNull();
    expect(res.regions[1].pixels).toBe(100);
    expect(res.analysis.clippedFraction).toBeCloseTo(0.5, 12);
    expect(res.flags.find((f) => f.code === 'erythema_region_empty')?.region).toBe('top');
    expect(JSON.stringify(res)).not.toMatch(/NaN|Infinity/);
  });

  test('NaN pixels in the raster are left out, not propagated', () => {
    const r = uniform(W, H, pale);
    r.data[0] = NaN;
    const res = analyzeErythema(r, rectRegionSet(W, H, [{ name: 'all', x: 0, y: 0, width: W, height: H }], 0.05));
    expect(res.regions[0].pixels).toBe(20 * 10 - 1);
    expect(Number.isFinite(res.regions[0].erythema.hemoglobin.mean)).toBe(true);
    expect(Number.isFinite(res.regions[0].erythema.aStar.p90)).toBe(true);
    expect(JSON.stringify(res)).not.toMatch(/NaN/);
  });

  test('same input → byte-identical JSON', () => {
    const a = JSON.stringify(analyzeErythema(red, regions, { reference: 'hemiface_right', pigmentVectors: 'estimate' }));
    const b = JSON.stringify(analyzeErythema(red, regions, { reference: 'hemiface_right', pigmentVectors: 'estimate' }));
    expect(a).toBe(b);
  });

  test('bad input → DermametricsError with a stable code', () => {
    expect(() => analyzeErythema(red, regions, { reference: 'nose' })).toThrow(expect.objectContaining({ code: 'E_BAD_REGIONS' }));
    expect(() => analyzeErythema(uniform(10, 10, pale), regions)).toThrow(expect.objectContaining({ code: 'E_BAD_REGIONS' }));
    expect(() => analyzeErythema(red, regions, { analysisMmPerPx: -1 })).toThrow(expect.objectContaining({ code: 'E_INVALID_OPTION' }));
    expect(() => analyzeErythema(red, regions, { areaMeasure: 'blue' as never })).toThrow(expect.objectContaining({ code: 'E_INVALID_OPTION' }));
    expect(() => analyzeErythema(red, regions, { pigmentVectors: { hemoglobin: [1, 1, 1], melanin: [1, 0, -1] } })).toThrow(
      expect.objectContaining({ code: 'E_INVALID_OPTION' }),
    );
    expect(() => analyzeErythema({ width: 2, height: 2, channels: 1, data: new Float32Array(4) }, regions)).toThrow(expect.objectContaining({ code: 'E_INVALID_OPTION' }));
  });

  test('overlay: a PNG with colour bar and legend panel, deterministic', async () => {
    const res = analyzeErythema(red, regions, { maps: true });
    const a = await renderErythemaOverlay(red, res.maps!, { map: 'hemoglobin', range: [-2, 12] });
    const b = await renderErythemaOverlay(red, res.maps!, { map: 'hemoglobin', range: [-2, 12] });
    expect(a.png.equals(b.png)).toBe(true);
    const meta = await sharp(a.png).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width).toBe(W + 150);
    const { data, info } = await sharp(a.png).raw().toBuffer({ resolveWithObject: true });
    // the right (red) half maps to a higher value → brighter in magma than the left half
    const lum = (x: number, y: number) => data[(y * info.width + x) * info.channels] + data[(y * info.width + x) * info.channels + 1];
    expect(lum(60, 20)).toBeGreaterThan(lum(20, 20));
  });
});

describe('simulated erythema (addErythema)', () => {
  test('doubling blood via addErythema moves the index like doubling blood in the spectral skin model', async () => {
    const { skinLinearRgb } = await import('../utils/phantom-spectra');
    const one = skinLinearRgb({ fMel: 0.03, fBlood: 0.01 });
    const two = skinLinearRgb({ fMel: 0.03, fBlood: 0.02 });
    const a = uniform(8, 8, one);
    const physical = analyzeErythema(uniform(8, 8, two), whole(a)).regions[0].erythema.hemoglobin.mean! - analyzeErythema(a, whole(a)).regions[0].erythema.hemoglobin.mean!;
    const simulated = analyzeErythema(addErythema(a, createMask(8, 8, 1), bloodRatioToHemoglobinOD(2)), whole(a)).regions[0].erythema.hemoglobin.mean! - analyzeErythema(a, whole(a)).regions[0].erythema.hemoglobin.mean!;
    expect(simulated).toBeGreaterThan(0);
    expect(Math.abs(simulated - physical) / physical).toBeLessThan(0.2);
  });

  test('mask weights feather the effect; the input raster is untouched', () => {
    const a = uniform(4, 1, [0.4, 0.3, 0.25]);
    const mask = createMask(4, 1);
    mask.data.set([0, 85, 170, 255]);
    const out = addErythema(a, mask, 0.1);
    expect(a.data[4]).toBeCloseTo(0.3, 6);
    const odG = [0, 1, 2, 3].map((i) => -Math.log10(out.data[3 * i + 1] / 0.3));
    expect(odG[0]).toBeCloseTo(0, 6);
    expect(odG[1]).toBeCloseTo(0.1 / 3, 5);
    expect(odG[3]).toBeCloseTo(0.1, 5);
  });
});

describe('statistics over cells', () => {
  test('summarizeCells (bucket selection, no copy) equals the gather + sort definition', async () => {
    const { summarizeCells } = await import('../../src/erythema/stats');
    const rng = createRng(5);
    const maps = [0, 1, 2].map((k) => Float32Array.from({ length: 5000 }, () => (k === 2 ? 1.5 : Math.round(rng.normal() * 40) / 8)));
    const cells = Uint32Array.from({ length: 3001 }, (_, i) => i + (i % 3 === 0 ? 1000 : 0)).sort();
    maps.forEach((m) => {
      const one = summarizeCells(m, cells);
      const ref = summarize(Float64Array.from(cells, (c) => m[c]));
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of m) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
      const ranged = summarizeCells(m, cells, { min: lo - 0.5, max: hi }); // map-wide bounds, wider than the cells'
      for (const key of ['mean', 'median', 'sd', 'p10', 'p90'] as const) {
        expect(one[key]).toBeCloseTo(ref[key] as number, 9);
        expect(ranged[key]).toBeCloseTo(ref[key] as number, 9);
      }
    });
  });
});

describe('region masks to analysis cells', () => {
  test('maskToCells equals a brute-force majority count (any non-zero byte counts; odd offsets, partial edge cells)', async () => {
    const { maskToCells } = await import('../../src/erythema/bin');
    const rng = createRng(11);
    const imageWidth = 103;
    const imageHeight = 61;
    for (const k of [1, 3, 4, 7]) {
      const grid = { width: Math.ceil(imageWidth / k), height: Math.ceil(imageHeight / k), imageWidth, imageHeight };
      const valid = Uint8Array.from({ length: grid.width * grid.height }, () => (rng.next() < 0.9 ? 1 : 0));
      for (const box of [
        { x: 0, y: 0, width: imageWidth, height: imageHeight },
        { x: 5, y: 3, width: 61, height: 40 },
        { x: 50, y: 30, width: 60, height: 40 }, // runs past the image edge
      ]) {
        const mask = Uint8Array.from({ length: box.width * box.height }, () => [0, 0, 1, 255][rng.int(0, 3)]);
        const count = new Uint32Array(grid.width * grid.height);
        for (let y = box.y; y < Math.min(imageHeight, box.y + box.height); y++) {
          for (let x = box.x; x < Math.min(imageWidth, box.x + box.width); x++) {
            if (mask[(y - box.y) * box.width + (x - box.x)] !== 0) count[Math.floor(y / k) * grid.width + Math.floor(x / k)]++;
          }
        }
        const expected: number[] = [];
        for (let cy = 0; cy < grid.height; cy++) {
          for (let cx = 0; cx < grid.width; cx++) {
            const n = (Math.min(imageHeight, (cy + 1) * k) - cy * k) * (Math.min(imageWidth, (cx + 1) * k) - cx * k);
            const idx = cy * grid.width + cx;
            if (count[idx] > 0 && 2 * count[idx] >= n && valid[idx]) expected.push(idx);
          }
        }
        expect(Array.from(maskToCells(mask, box, k, grid, valid))).toEqual(expected);
      }
    }
  });
});

describe('analysed extent (maps: true) against the whole photo (maps: full)', () => {
  // a 120×80 photo at 0.05 mm/px (4×4 binning); regions cover a 13..93 × 9..61 part; a reference polygon sticks out
  const rng = createRng(21);
  const W = 120;
  const H = 80;
  const photo: Raster = { width: W, height: H, channels: 3, data: Float32Array.from({ length: W * H * 3 }, () => 0.2 + 0.5 * rng.next()) };
  photo.data.fill(1, 0, 3 * W * 4); // clipped rows outside the regions: counted only with maps: 'full'
  const regions = rectRegionSet(
    W,
    H,
    [
      { name: 'a', x: 13, y: 9, width: 41, height: 30 },
      { name: 'b', x: 50, y: 30, width: 43, height: 31 },
    ],
    0.05,
  );
  const poly: [number, number][] = [
    [60, 5],
    [99, 7],
    [95, 21],
  ];

  test('same statistics; maps equal inside the extent, NaN and not valid outside; the overlay has no black holes', async () => {
    for (const reference of ['a', poly] as const) {
      const part = analyzeErythema(photo, regions, { maps: true, reference: reference as never, pigmentVectors: 'estimate' });
      const full = analyzeErythema(photo, regions, { maps: 'full', reference: reference as never, pigmentVectors: 'estimate' });
      const none = analyzeErythema(photo, regions, { reference: reference as never, pigmentVectors: 'estimate' }); // no maps
      expect(part.regions).toEqual(full.regions);
      expect(none.regions).toEqual(full.regions);
      expect(part.reference).toEqual(full.reference);
      expect(part.pigmentVectors).toEqual(full.pigmentVectors);
      expect(full.analysis.extent).toEqual({ x: 0, y: 0, width: 30, height: 20 });
      expect(full.analysis.clippedFraction).toBeCloseTo(30 / 600, 12);
      const e = part.analysis.extent;
      // cells under the boxes (x 13..92 → cells 3..23, y 9..60 → 2..15), widened for the polygon (centre rule, one cell margin)
      expect(e).toEqual(reference === 'a' ? { x: 3, y: 2, width: 21, height: 14 } : { x: 3, y: 0, width: 23, height: 16 });
      expect(part.analysis.clippedFraction).toBeCloseTo(reference === 'a' ? 0 : 23 / (23 * 16), 12);
      const pm = part.maps!;
      const fm = full.maps!;
      expect(pm.extent).toEqual(e);
      for (let cy = 0; cy < 20; cy++) {
        for (let cx = 0; cx < 30; cx++) {
          const i = cy * 30 + cx;
          const inside = cx >= e.x && cx < e.x + e.width && cy >= e.y && cy < e.y + e.height;
          expect(pm.valid[i]).toBe(inside ? fm.valid[i] : 0);
          expect(pm.hemoglobin.data[i]).toBe(inside ? fm.hemoglobin.data[i] : NaN);
          expect(pm.ita.data[i]).toBe(inside ? fm.ita.data[i] : NaN);
        }
      }
    }
    const part = analyzeErythema(photo, regions, { maps: true });
    const overlay = await renderErythemaOverlay(photo, part.maps!, { map: 'hemoglobin', alpha: 1, range: [-1000, 1000] });
    const { data, info } = await sharp(overlay.png).raw().toBuffer({ resolveWithObject: true });
    // alpha 1 over a range centred on the values: every drawn pixel is mid-magma, never black (a NaN would give 0, 0, 0)
    let black = 0;
    for (let y = 0; y < info.height; y++) for (let x = 0; x < W; x++) if (data[(y * info.width + x) * info.channels + 2] === 0) black++;
    expect(black).toBe(0);
  });
});

describe('analysed extent without binning (a 12 MP face photo is binned 1×1)', () => {
  test('regions, reference and pigment estimate equal those over the whole grid', () => {
    const rng = createRng(5);
    const W = 90;
    const H = 70;
    const photo: Raster = { width: W, height: H, channels: 3, data: Float32Array.from({ length: W * H * 3 }, () => 0.15 + 0.6 * rng.next()) };
    const regions = rectRegionSet(W, H, [{ name: 'a', x: 11, y: 7, width: 30, height: 25 }, { name: 'b', x: 35, y: 20, width: 33, height: 40 }], 0.2);
    const poly: [number, number][] = [[50, 3], [80, 9], [70, 30]];
    for (const reference of ['b', poly] as const) {
      const part = analyzeErythema(photo, regions, { reference: reference as never, pigmentVectors: 'estimate' });
      const full = analyzeErythema(photo, regions, { maps: 'full', reference: reference as never, pigmentVectors: 'estimate' });
      expect(part.analysis.binPx).toBe(1);
      expect(part.analysis.extent.width * part.analysis.extent.height).toBeLessThan(W * H);
      expect(part.regions).toEqual(full.regions);
      expect(part.reference).toEqual(full.reference);
      expect(part.pigmentVectors).toEqual(full.pigmentVectors);
    }
  });
});
