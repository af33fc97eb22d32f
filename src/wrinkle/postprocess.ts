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
  return thresholdPixels(map, width, height, rule).mask;
}

/**
 * thresholdMask, and the mask's pixels as a list in raster order. `slot` (width × height, all 0; left so) is the
 * component search's scratch, allocated when not given.
 */
export function thresholdPixels(map: Float32Array, width: number, height: number, rule: MaskRule, slot?: Int32Array): { mask: Uint8Array; pixels: number[] } {
  const mask = new Uint8Array(width * height);
  const on: number[] = [];
  for (let i = 0; i < mask.length; i++) if (map[i] >= rule.threshold) (mask[i] = 1), on.push(i);
  if (rule.minPx <= 1) return { mask, pixels: on };
  // components of the (sparse) foreground list, not of the whole grid
  const { root, size } = listComponents(on, width, slot ?? new Int32Array(width * height));
  const pixels: number[] = [];
  for (let k = 0; k < on.length; k++) {
    if (size[root[k]] < rule.minPx) mask[on[k]] = 0;
    else pixels.push(on[k]);
  }
  return { mask, pixels };
}
