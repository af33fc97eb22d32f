// Shared helpers of the wrinkle tests: synthetic patches as a RegionSet.
import type { RegionSet } from '../../src/face/types';
import type { SynthPatch } from '../../src/wrinkle/synth/render';

/** One region covering the whole patch, with the patch's own physical scale. */
export function wholePatchRegions(p: SynthPatch, name = 'forehead'): RegionSet {
  const { width, height } = p.raster;
  return {
    imageWidth: width,
    imageHeight: height,
    source: 'caller-mask',
    regions: [{ name, polygon: [[0, 0], [width, 0], [width, height], [0, height]], box: { x: 0, y: 0, width, height }, mask: new Uint8Array(width * height).fill(1), pixelsInside: width * height, pixelsKept: width * height, removedFraction: 0 }],
    scale: { mmPerPx: p.mmPerPx, source: 'caller' },
    flags: [],
  };
}
