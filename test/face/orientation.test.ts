import { describe, expect, it } from 'vitest';
import { detectFace } from '../../src/face/index';
import type { Raster } from '../../src/image/raster';
import { loadLinear } from './load-image';
import { portrait } from './helpers';

/** The raster turned by 180° (a photo held upside down, with no EXIF orientation to undo it). */
function turned(r: Raster): Raster {
  const n = r.width * r.height, C = r.channels, data = new Float32Array(r.data.length);
  for (let i = 0, j = C * (n - 1); i < C * n; i += C, j -= C) for (let c = 0; c < C; c++) data[i + c] = r.data[j + c];
  return { ...r, data };
}

// Ground truth by construction: the face of an upside-down copy is the upright face turned by 180°, so its landmarks
// are the upright ones at (W − x, H − y). Without the check the face model lays an upright mesh on the turned face
// (obama: roll ≈ 4°, eyes on the eyes and mouth on the forehead) or finds none (biden2).
describe('upside-down photos (src/face/orientation.ts)', () => {
  it('are found turned back: landmarks = the upright ones turned by 180°, flagged upside_down; upright photos unchanged', async () => {
    for (const name of ['obama.jpg', 'biden2.jpg']) {
      const up = await loadLinear(portrait(name));
      const upright = await detectFace(up);
      const checked = await detectFace(up, { checkUpsideDown: true });
      expect(checked.landmarks, name).toEqual(upright.landmarks);
      expect(checked.flags.map((f) => f.code)).not.toContain('upside_down');
      const down = turned(up);
      const face = await detectFace(down, { checkUpsideDown: true });
      expect(face.flags.map((f) => f.code), name).toContain('upside_down');
      expect(Math.abs(Math.abs(face.pose.rollDeg) - 180), name).toBeLessThan(5);
      let worst = 0;
      for (let i = 0; i < 478; i++) {
        worst = Math.max(worst, Math.hypot(up.width - face.landmarks[i][0] - upright.landmarks[i][0], up.height - face.landmarks[i][1] - upright.landmarks[i][1]));
      }
      expect(worst / upright.ipdPx, name).toBeLessThan(0.01); // measured 0 (the turn of the turn is the photo itself)
      expect(face.ipdPx).toBeCloseTo(upright.ipdPx, 3);
    }
  });

  it('is off by default in detectFace (the upright mesh on a turned photo, as the face model gives it) and validated', async () => {
    const down = turned(await loadLinear(portrait('obama.jpg')));
    const face = await detectFace(down);
    expect(face.flags.map((f) => f.code)).not.toContain('upside_down');
    expect(Math.abs(face.pose.rollDeg)).toBeLessThan(15); // the wrong, upright reading this check exists for
    await expect(detectFace(down, { checkUpsideDown: 'yes' as never })).rejects.toMatchObject({ code: 'E_INVALID_OPTION' });
  });
});
