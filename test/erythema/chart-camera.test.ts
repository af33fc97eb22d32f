/**
 * 4. A phantom shot through a simulated camera (white-balance error + channel cross-talk, i.e. non-sRGB primaries)
 * with a ColorChecker in frame gives, after chart correction (src/color sampleChart → fitColorCorrection →
 * applyColorCorrection), haemoglobin and erythema indices within 3 % of their blood range of the same phantom
 * shot with the ideal (colorimetric sRGB) camera. Reference for the fit: the chart's own spectra (Ohta 1997)
 * rendered by the ideal camera — the ground truth the test constructs. The library's X-Rite reference values
 * (a different physical chart) are reported too.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { applyColorCorrection, COLORCHECKER_CLASSIC_LAB_D65, fitColorCorrection, linearToLab, sampleChart } from '../../src/color';
import { analyzeErythema } from '../../src/erythema';
import type { Raster } from '../../src/image/raster';
import { renderSkinPhantom, type PhantomCamera } from '../utils/phantom';
import { rectRegionSet } from '../utils/regions';

const SIZE = 192;
const MELANIN = [0.01, 0.045, 0.15];
const BLOOD = [0.005, 0.02, 0.05];
const CAMERA: PhantomCamera = {
  wbGains: [1.3, 1.0, 0.72],
  matrix: [
    [0.84, 0.13, 0.03],
    [0.07, 0.86, 0.07],
    [0.02, 0.16, 0.82],
  ],
};
const report = process.env.ERYTHEMA_REPORT === '1';
const regions = rectRegionSet(SIZE, SIZE + 4 * Math.floor(SIZE / 6), [{ name: 'skin', x: 8, y: 8, width: SIZE - 16, height: SIZE - 16 }], 0.1);

type Row = { mel: number; blood: number; ideal: number[]; raw: number[]; ohta: number[]; xrite: number[] };
/** Highest-quality JPEG (asserted at the 3 % target) and a common 'fine' JPEG (reported; flat chart patches pick up
 * JPEG's 8-bit YCbCr colour bias, see docs/erythema.md), limits as [hemoglobin, erythemaIndex]. */
const CONFIGS = [
  { name: 'JPEG q98 4:4:4', jpegQuality: 98, chromaSubsampling: '4:4:4' as const, limits: [0.03, 0.03] },
  { name: 'JPEG q95 4:2:0', jpegQuality: 95, chromaSubsampling: '4:2:0' as const, limits: [0.05, 0.1] },
];

function indices(r: Raster): number[] {
  const e = analyzeErythema(r, regions).regions[0].erythema;
  return [e.hemoglobin.mean as number, e.erythemaIndex.mean as number, e.aStar.mean as number];
}

for (const config of CONFIGS) {
const rows: Row[] = [];
describe(`simulated camera + ColorChecker, after chart correction, ${config.name}`, () => {
  beforeAll(async () => {
    for (const mel of MELANIN) {
      for (const blood of BLOOD) {
        const common = { fMel: mel, fBlood: blood, size: SIZE, whiteLevel: 0.7, chart: true, seed: `chart:${mel}:${blood}`, jpegQuality: config.jpegQuality, chromaSubsampling: config.chromaSubsampling };
        const ideal = await renderSkinPhantom(common);
        const cam = await renderSkinPhantom({ ...common, camera: CAMERA });
        const chart = cam.chart!;
        const p = chart.patches;
        const w = p[0].width;
        const corners: [number, number][] = [
          [p[0].x, p[0].y],
          [p[5].x + w, p[5].y],
          [p[23].x + w, p[23].y + w],
          [p[18].x, p[18].y + w],
        ];
        const sample = sampleChart(cam.raster, corners);
        const refOhta = chart.idealLinear.map((v) => linearToLab(v));
        const fitOhta = fitColorCorrection(sample.rgb, refOhta, { model: 'linear3x3' });
        const fitXrite = fitColorCorrection(sample.rgb, COLORCHECKER_CLASSIC_LAB_D65.map((v) => [...v]), { model: 'linear3x3' });
        rows.push({
          mel,
          blood,
          ideal: indices(ideal.raster),
          raw: indices(cam.raster),
          ohta: indices(applyColorCorrection(cam.raster, fitOhta.model)),
          xrite: indices(applyColorCorrection(cam.raster, fitXrite.model)),
        });
      }
    }
  });

  test(`haemoglobin and erythema indices within ${config.limits.map((v) => 100 * v).join(' / ')} % of their blood range of the ideal camera`, () => {
    const names = ['hemoglobin', 'erythemaIndex', 'aStar'];
    const worst = { raw: [0, 0, 0], ohta: [0, 0, 0], xrite: [0, 0, 0] };
    for (const mel of MELANIN) {
      const sub = rows.filter((r) => r.mel === mel);
      for (let k = 0; k < 3; k++) {
        const vals = sub.map((r) => r.ideal[k]);
        const range = Math.max(...vals) - Math.min(...vals);
        for (const r of sub) {
          for (const key of ['raw', 'ohta', 'xrite'] as const) worst[key][k] = Math.max(worst[key][k], Math.abs(r[key][k] - r.ideal[k]) / range);
        }
      }
    }
    if (report) {
      console.log(config.name + '\n| measure | uncorrected camera | corrected to the chart\'s own spectra | corrected to X-Rite reference values |\n|---|---|---|---|');
      names.forEach((n, k) => console.log(`| ${n} | ${(100 * worst.raw[k]).toFixed(1)} % | ${(100 * worst.ohta[k]).toFixed(1)} % | ${(100 * worst.xrite[k]).toFixed(1)} % |`));
    }
    expect(worst.ohta[0]).toBeLessThanOrEqual(config.limits[0]);
    expect(worst.ohta[1]).toBeLessThanOrEqual(config.limits[1]);
    // the uncorrected camera is far off: the test is not trivially passing
    expect(worst.raw[0]).toBeGreaterThan(0.1);
  });
});
}
