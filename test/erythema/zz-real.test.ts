import { test } from 'vitest';
import { readdirSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';
import { loadImage } from '../../src/image';
import { analyzeErythema, renderErythemaOverlay } from '../../src/erythema';
import { rectRegion } from '../utils/regions';
const base = '/work/shared/faces/PatchBasedRosaceaDetection/';
test('real', async () => {
  const rows: string[] = [];
  for (const set of ['test_rosacea', 'test_normal']) {
    for (const f of readdirSync(base + set).sort()) {
      const img = await loadImage(base + set + '/' + f);
      const r = img.raster;
      // crude skin mask for this development look only (YCbCr box, Chai & Ngan 1999)
      const enc = await sharp(base + set + '/' + f).removeAlpha().raw().toBuffer();
      const mask = new Uint8Array(r.width * r.height);
      for (let i = 0; i < mask.length; i++) {
        const R = enc[3 * i], G = enc[3 * i + 1], B = enc[3 * i + 2];
        const cb = 128 - 0.168736 * R - 0.331264 * G + 0.5 * B;
        const cr = 128 + 0.5 * R - 0.418688 * G - 0.081312 * B;
        const y = 0.299 * R + 0.587 * G + 0.114 * B;
        mask[i] = cb >= 70 && cb <= 127 && cr >= 133 && cr <= 205 && y > 40 ? 1 : 0;
      }
      const regions = { imageWidth: r.width, imageHeight: r.height, source: 'whole' as const, regions: [rectRegion({ name: 'skin', x: 0, y: 0, width: r.width, height: r.height }, mask)], scale: { mmPerPx: NaN, source: 'none' as const }, flags: [] };
      const res = analyzeErythema(r, regions, { maps: true });
      const e = res.regions[0].erythema;
      rows.push(`${set}/${f} ${r.width}x${r.height} kept=${res.regions[0].pixels} hb=${e.hemoglobin.mean?.toFixed(2)} p90=${e.hemoglobin.p90?.toFixed(2)} a*=${e.aStar.mean?.toFixed(2)} EI=${e.erythemaIndex.mean?.toFixed(2)} ITA=${e.ita.mean?.toFixed(1)} mel=${e.melanin.mean?.toFixed(1)}`);
      for (const map of ['hemoglobin', 'aStar', 'erythemaIndex'] as const) {
        const ranges = { hemoglobin: [-5, 25], aStar: [0, 35], erythemaIndex: [10, 60] } as const;
        const o = await renderErythemaOverlay(r, res.maps!, { map, regions, alpha: 0.75 });
        writeFileSync(`/tmp/ery/out/${set}_${f.replace('.png', '')}_${map}.png`, o.png);
      }
    }
  }
  console.log(rows.join('\n'));
});
