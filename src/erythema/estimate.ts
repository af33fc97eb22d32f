import { projectPigmentVector, vectorAngleDeg, type Vec3 } from './vectors';

/** What the per-photo estimate found (reported whether or not it was used). */
export interface PigmentEstimate {
  method: 'ica-logcosh';
  hemoglobin: Vec3;
  melanin: Vec3;
  /** angles from the default vectors, degrees */
  angleHemoglobinDeg: number;
  angleMelaninDeg: number;
  /** skin cells used */
  pixels: number;
  accepted: boolean;
  reason?: string;
}

const E1: Vec3 = [1 / Math.SQRT2, -1 / Math.SQRT2, 0];
const E2: Vec3 = [1 / Math.sqrt(6), 1 / Math.sqrt(6), -2 / Math.sqrt(6)];
const MAX_SAMPLES = 20000;

/** Negentropy proxy of a unit-variance sample: (E[log cosh y] − E[log cosh ν])², ν ~ N(0,1) [Hyvarinen1999] eq. (5). */
function negentropy(ys: Float64Array): number {
  let s = 0;
  for (let i = 0; i < ys.length; i++) {
    const a = Math.abs(ys[i]);
    s += a + Math.log1p(Math.exp(-2 * a)) - Math.LN2; // log cosh, overflow-safe
  }
  const d = s / ys.length - 0.3745672075; // E[log cosh ν] for ν ~ N(0, 1)
  return d * d;
}

/**
 * Estimate the two pigment directions from a photo's skin by independent component analysis in the shading-free
 * plane of optical density [Tsumura1999]: project S onto the plane ⟂ (1,1,1), whiten, and find the rotation that
 * maximises the summed log-cosh negentropy of the two components [Hyvarinen1999] (in 2-D the ICA is a 1-parameter
 * search, done here by an exhaustive 0.25° grid: deterministic, no random start). The columns of the mixing matrix
 * are the pigment vectors; each is matched to the nearer default (sign fixed to agree). The estimate is accepted only
 * if both vectors lie within `maxAngleDeg` of the defaults and the plane spread is not degenerate.
 */
export function estimatePigmentVectors(
  od: Float64Array,
  defaults: { hemoglobin: readonly number[]; melanin: readonly number[] },
  maxAngleDeg: number,
): PigmentEstimate {
  const nAll = od.length / 3;
  const step = Math.max(1, Math.ceil(nAll / MAX_SAMPLES));
  const n = Math.floor((nAll + step - 1) / step);
  const px = new Float64Array(n);
  const py = new Float64Array(n);
  let mx = 0;
  let my = 0;
  for (let i = 0, c = 0; c < n; i += step, c++) {
    const r = od[3 * i], g = od[3 * i + 1], b = od[3 * i + 2];
    px[c] = E1[0] * r + E1[1] * g + E1[2] * b;
    py[c] = E2[0] * r + E2[1] * g + E2[2] * b;
    mx += px[c];
    my += py[c];
  }
  const fail = (reason: string): PigmentEstimate => ({
    method: 'ica-logcosh',
    hemoglobin: [...projectPigmentVector(defaults.hemoglobin)] as Vec3,
    melanin: [...projectPigmentVector(defaults.melanin)] as Vec3,
    angleHemoglobinDeg: 0,
    angleMelaninDeg: 0,
    pixels: n,
    accepted: false,
    reason,
  });
  if (n < 200) return fail(`only ${n} skin cells (need >= 200)`);
  mx /= n;
  my /= n;
  let sxx = 0, sxy = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = px[i] - mx;
    const dy = py[i] - my;
    px[i] = dx;
    py[i] = dy;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  sxx /= n - 1;
  sxy /= n - 1;
  syy /= n - 1;
  // Eigen-decomposition of the 2×2 covariance for whitening.
  const tr = sxx + syy;
  const det = sxx * syy - sxy * sxy;
  const disc = Math.sqrt(Math.max(0, (tr * tr) / 4 - det));
  const l1 = tr / 2 + disc;
  const l2 = tr / 2 - disc;
  if (!(l2 > 1e-10) || l2 / l1 < 1e-4) return fail('skin colours vary along one direction only: two pigments cannot be separated');
  const phi = 0.5 * Math.atan2(2 * sxy, sxx - syy); // principal axis angle
  const c0 = Math.cos(phi), s0 = Math.sin(phi);
  const z1 = new Float64Array(n);
  const z2 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    z1[i] = (c0 * px[i] + s0 * py[i]) / Math.sqrt(l1);
    z2[i] = (-s0 * px[i] + c0 * py[i]) / Math.sqrt(l2);
  }
  let best = -1;
  let bestTheta = 0;
  const y1 = new Float64Array(n);
  const y2 = new Float64Array(n);
  for (let t = 0; t < 360; t++) {
    const th = (t * 0.25 * Math.PI) / 180; // [0°, 90°): the two components swap beyond
    const c = Math.cos(th), s = Math.sin(th);
    for (let i = 0; i < n; i++) {
      y1[i] = c * z1[i] + s * z2[i];
      y2[i] = -s * z1[i] + c * z2[i];
    }
    const J = negentropy(y1) + negentropy(y2);
    if (J > best) {
      best = J;
      bestTheta = th;
    }
  }
  // Mixing columns in the plane: x = Σ^{1/2} Rᵀ y → column k = U·diag(√l)·(row k of R)ᵀ.
  const c = Math.cos(bestTheta), s = Math.sin(bestTheta);
  const cols: [number, number][] = [
    [c * Math.sqrt(l1), s * Math.sqrt(l2)],
    [-s * Math.sqrt(l1), c * Math.sqrt(l2)],
  ];
  const vecs = cols.map(([u, v]) => {
    const ax = c0 * u - s0 * v; // rotate back from principal axes
    const ay = s0 * u + c0 * v;
    return [ax * E1[0] + ay * E2[0], ax * E1[1] + ay * E2[1], ax * E1[2] + ay * E2[2]] as Vec3;
  });
  const dh = projectPigmentVector(defaults.hemoglobin);
  const dm = projectPigmentVector(defaults.melanin);
  const cos = (a: Vec3, b: Vec3) => (a[0] * b[0] + a[1] * b[1] + a[2] * b[2]) / Math.hypot(...a) / Math.hypot(...b);
  const keep = Math.abs(cos(vecs[0], dh)) + Math.abs(cos(vecs[1], dm)) >= Math.abs(cos(vecs[1], dh)) + Math.abs(cos(vecs[0], dm));
  let h = keep ? vecs[0] : vecs[1];
  let m = keep ? vecs[1] : vecs[0];
  if (cos(h, dh) < 0) h = h.map((v) => -v) as Vec3;
  if (cos(m, dm) < 0) m = m.map((v) => -v) as Vec3;
  h = projectPigmentVector(h);
  m = projectPigmentVector(m);
  const angleHemoglobinDeg = vectorAngleDeg(h, dh);
  const angleMelaninDeg = vectorAngleDeg(m, dm);
  const accepted = angleHemoglobinDeg <= maxAngleDeg && angleMelaninDeg <= maxAngleDeg;
  return {
    method: 'ica-logcosh',
    hemoglobin: h,
    melanin: m,
    angleHemoglobinDeg,
    angleMelaninDeg,
    pixels: n,
    accepted,
    reason: accepted ? undefined : `estimated vectors are more than ${maxAngleDeg}° from the defaults`,
  };
}
