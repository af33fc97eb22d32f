import { describe, expect, it } from 'vitest';
import { CANONICAL_POINTS, canonicalPoint } from '../../src/face/canonical';
import { detectFace } from '../../src/face/detect';
import { loadLinear } from './load-image';
import { portrait, uvMirrorPairs } from './helpers';

// The template face in src/face/canonical.ts is rebuilt here from its definition: the meshes detectFace finds on the
// three frontal public-domain portraits and their mirror images, generalised Procrustes mean [Gower1975], averaged
// with its mirror image, in face widths (234 → 454 = 1), centred.
type P = [number, number];
const norm = (X: P[]): P[] => {
  const n = X.length;
  const mx = X.reduce((s, p) => s + p[0], 0) / n, my = X.reduce((s, p) => s + p[1], 0) / n;
  const c = X.map((p): P => [p[0] - mx, p[1] - my]);
  const r = Math.sqrt(c.reduce((s, p) => s + p[0] ** 2 + p[1] ** 2, 0) / n);
  return c.map((p): P => [p[0] / r, p[1] / r]);
};
/** Similarity (rotation + scale) of centred X onto centred T, least squares [Umeyama1991]. */
const align = (X: P[], T: P[]): P[] => {
  let xx = 0, a = 0, b = 0;
  X.forEach((p, i) => {
    xx += p[0] ** 2 + p[1] ** 2;
    a += p[0] * T[i][0] + p[1] * T[i][1];
    b += p[0] * T[i][1] - p[1] * T[i][0];
  });
  a /= xx; b /= xx;
  return X.map((p): P => [a * p[0] - b * p[1], b * p[0] + a * p[1]]);
};

describe('template face (canonical.ts)', () => {
  it('is the mirrored Procrustes mean of the frontal test portraits\' meshes', async () => {
    // left/right mirror pairs from Human's UV layout (u → 1 − u, nearest point)
    const mir = uvMirrorPairs();
    expect(mir.every((j, i) => mir[j] === i)).toBe(true);
    const shapes: P[][] = [];
    for (const name of ['obama.jpg', 'biden2.jpg', 'grace_hopper.jpg']) {
      const face = await detectFace(await loadLinear(portrait(name)));
      const X = norm(face.landmarks.slice(0, 468).map((p): P => [p[0], p[1]]));
      shapes.push(X, mir.map((j): P => [-X[j][0], X[j][1]]));
    }
    let T = shapes[0];
    for (let it = 0; it < 20; it++) {
      const A = shapes.map((X) => norm(align(X, T)));
      const mean = norm(A[0].map((_, i): P => [A.reduce((s, a) => s + a[i][0], 0) / A.length, A.reduce((s, a) => s + a[i][1], 0) / A.length]));
      T = norm(align(mean, shapes[0]));
    }
    T = T.map((p, i): P => [(p[0] - T[mir[i]][0]) / 2, (p[1] + T[mir[i]][1]) / 2]);
    const w = T[454][0] - T[234][0];
    const my = T.reduce((s, p) => s + p[1], 0) / T.length;
    let worst = 0;
    for (let i = 0; i < CANONICAL_POINTS; i++) {
      const [x, y] = canonicalPoint(i);
      worst = Math.max(worst, Math.abs(T[i][0] / w - x), Math.abs((T[i][1] - my) / w - y));
    }
    expect(worst).toBeLessThan(5e-4); // stored to 4 decimals (face widths)
  });
});
