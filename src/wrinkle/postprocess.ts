import { labelComponents } from './skeleton';

/** How a probability (or vesselness) map becomes a mask. */
export interface MaskRule {
  /** pixels at or above this value are on the mask */
  threshold: number;
  /** 8-connected components of fewer pixels are dropped */
  minPx: number;
}

/** Threshold a map by `rule`: pixels ≥ threshold, without the 8-connected components under minPx pixels. */
export function thresholdMask(map: Float32Array, width: number, height: number, rule: MaskRule): Uint8Array {
  const m = new Uint8Array(width * height);
  for (let i = 0; i < m.length; i++) m[i] = map[i] >= rule.threshold ? 1 : 0;
  if (rule.minPx <= 1) return m;
  const { labels, count } = labelComponents(m, width, height);
  const size = new Int32Array(count + 1);
  for (let i = 0; i < labels.length; i++) size[labels[i]]++;
  for (let i = 0; i < m.length; i++) if (m[i] && size[labels[i]] < rule.minPx) m[i] = 0;
  return m;
}
