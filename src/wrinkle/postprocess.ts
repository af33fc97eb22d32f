import { labelComponents } from './skeleton';

/** Threshold a probability map, keep pixels inside `within`, drop 8-connected components under `minPx` pixels. */
export function thresholdMask(prob: Float32Array, width: number, height: number, threshold: number, minPx: number, within?: Uint8Array): Uint8Array {
  const m = new Uint8Array(width * height);
  for (let i = 0; i < m.length; i++) m[i] = prob[i] >= threshold && (!within || within[i]) ? 1 : 0;
  if (minPx <= 1) return m;
  const { labels, count } = labelComponents(m, width, height);
  const size = new Int32Array(count + 1);
  for (let i = 0; i < labels.length; i++) size[labels[i]]++;
  for (let i = 0; i < m.length; i++) if (m[i] && size[labels[i]] < minPx) m[i] = 0;
  return m;
}
