// Shared helpers of the wrinkle tests: synthetic patches as a RegionSet, temporary folders.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
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

/** A maker of temporary folders for one test file; every folder it made is removed after the file's tests. */
export function tempDirs(): (prefix: string) => string {
  const made: string[] = [];
  afterAll(() => {
    for (const d of made) rmSync(d, { recursive: true, force: true });
  });
  return (prefix) => {
    const d = mkdtempSync(path.join(os.tmpdir(), prefix));
    made.push(d);
    return d;
  };
}
