/** Validation measures for wrinkle masks (used by the training script, the model card and the tests). */
import { skeletonLengthPx, thin } from './skeleton';

/** Pooled Jaccard index over many patches: Σ|A∩B| / Σ|A∪B| [Jaccard1912]. */
export class JaccardPool {
  inter = 0;
  union = 0;
  add(pred: Uint8Array, truth: Uint8Array): void {
    for (let i = 0; i < pred.length; i++) {
      if (pred[i] && truth[i]) this.inter++;
      if (pred[i] || truth[i]) this.union++;
    }
  }
  get value(): number {
    return this.union ? this.inter / this.union : 1;
  }
}

/** Length density of a binary mask's skeleton: mm of centreline per cm² of `areaPx` pixels. */
export function lengthDensity(mask: Uint8Array, width: number, height: number, mmPerPx: number, areaPx = width * height, within?: Uint8Array): number {
  const lenMm = skeletonLengthPx(thin(mask, width, height), width, height, within) * mmPerPx;
  const areaCm2 = (areaPx * mmPerPx * mmPerPx) / 100;
  return areaCm2 > 0 ? lenMm / areaCm2 : 0;
}

/** Ranks with ties given their mean rank (1-based). */
export function ranks(v: readonly number[]): number[] {
  const idx = v.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(v.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1][0] === idx[i][0]) j++;
    for (let k = i; k <= j; k++) r[idx[k][1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

/** Spearman's rank correlation: Pearson's r of the tie-averaged ranks [Spearman1904]. */
export function spearman(a: readonly number[], b: readonly number[]): number {
  const ra = ranks(a), rb = ranks(b);
  const n = a.length;
  const ma = ra.reduce((s, x) => s + x, 0) / n, mb = rb.reduce((s, x) => s + x, 0) / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (ra[i] - ma) * (rb[i] - mb);
    saa += (ra[i] - ma) ** 2;
    sbb += (rb[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}
