import { listComponents } from './skeleton';

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
  const on: number[] = [];
  for (let i = 0; i < m.length; i++) if (map[i] >= rule.threshold) (m[i] = 1), on.push(i);
  if (rule.minPx <= 1) return m;
  // components of the (sparse) foreground list, not of the whole grid
  const { root, size } = listComponents(on, width, new Int32Array(width * height));
  for (let k = 0; k < on.length; k++) if (size[root[k]] < rule.minPx) m[on[k]] = 0;
  return m;
}
