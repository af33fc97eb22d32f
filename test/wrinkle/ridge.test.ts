import { describe, expect, it } from 'vitest';
import { frangiDark } from '../../src/wrinkle/ridge';
import type { Plane } from '../../src/wrinkle/filters';

// Tested like scikit-image tests its ridge filters (filters/tests/test_ridges.py): no golden numbers, but properties
// that any correct dark-valley filter must have.

/** A plane of L* = 60 with a dark straight line (Gaussian profile, depth 10 L*) of physical width `widthMm`. */
function linePlane(mmPerPx: number, sizeMm: number, widthMm: number, { angleDeg = 0, dark = true, offsetMm = 0 } = {}): Plane {
  const n = Math.round(sizeMm / mmPerPx);
  const data = new Float32Array(n * n);
  const a = (angleDeg * Math.PI) / 180;
  const s = widthMm / 2.355;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const px = (x + 0.5) * mmPerPx - sizeMm / 2, py = (y + 0.5) * mmPerPx - sizeMm / 2 - offsetMm;
      const d = -px * Math.sin(a) + py * Math.cos(a);
      data[y * n + x] = 60 + (dark ? -1 : 1) * 10 * Math.exp(-(d * d) / (2 * s * s));
    }
  }
  return { width: n, height: n, data };
}

const max = (a: Float32Array): number => a.reduce((m, v) => Math.max(m, v), -Infinity);

describe('frangiDark (dark-valley Frangi filter)', () => {
  it('blank in, constant (zero) out', () => {
    const plane: Plane = { width: 40, height: 30, data: new Float32Array(1200).fill(55) };
    const { vesselness } = frangiDark(plane);
    expect(max(vesselness)).toBe(0);
    expect(vesselness.every((v) => v === 0)).toBe(true);
  });

  it('responds to dark valleys, not to bright ridges (polarity)', () => {
    const dark = frangiDark(linePlane(0.1, 8, 0.4)).vesselness;
    const bright = frangiDark(linePlane(0.1, 8, 0.4, { dark: false })).vesselness;
    expect(max(dark)).toBeGreaterThan(0.5);
    // a bright ridge's centreline curves downward: zero response there; its tails curve upward and respond weakly
    const p = linePlane(0.1, 8, 0.4, { dark: false });
    const centre = Math.floor(p.height / 2) * p.width + 40;
    expect(bright[centre]).toBe(0);
    expect(dark[centre]).toBeGreaterThan(0.5);
    expect(max(bright)).toBeLessThan(0.5 * max(dark));
    // the bright ridge, inverted, is a dark valley again
    const inv = linePlane(0.1, 8, 0.4, { dark: false });
    for (let i = 0; i < inv.data.length; i++) inv.data[i] = 120 - inv.data[i];
    expect(max(frangiDark(inv).vesselness)).toBeCloseTo(max(dark), 5);
  });

  it('peaks on the valley centreline', () => {
    const p = linePlane(0.1, 8, 0.4);
    const { vesselness } = frangiDark(p);
    const col = 40;
    let best = 0;
    for (let y = 1; y < p.height; y++) if (vesselness[y * p.width + col] > vesselness[best * p.width + col]) best = y;
    expect(Math.abs(best + 0.5 - p.height / 2)).toBeLessThanOrEqual(1);
  });

  it('is scale invariant in physical units: the same line at 0.1 and 0.05 mm/px gives the same peak (sigmas in mm)', () => {
    const a = max(frangiDark(linePlane(0.1, 8, 0.5), { mmPerPx: 0.1 }).vesselness);
    const b = max(frangiDark(linePlane(0.05, 8, 0.5), { mmPerPx: 0.05 }).vesselness);
    expect(Math.abs(a - b) / a).toBeLessThan(0.05);
  });

  it('is rotation invariant within a few percent (0°, 30°, 45°, 90°)', () => {
    const peaks = [0, 30, 45, 90].map((deg) => max(frangiDark(linePlane(0.1, 8, 0.5, { angleDeg: deg })).vesselness));
    for (const p of peaks) expect(Math.abs(p - peaks[0]) / peaks[0]).toBeLessThan(0.05);
  });

  it('handles borders: a valley touching the edge gives finite values and the same peak as in the middle', () => {
    const mid = max(frangiDark(linePlane(0.1, 8, 0.4)).vesselness);
    const edge = frangiDark(linePlane(0.1, 8, 0.4, { offsetMm: -3.95 })).vesselness;
    expect(edge.every((v) => Number.isFinite(v) && v >= 0 && v < 1)).toBe(true);
    expect(Math.abs(max(edge) - mid) / mid).toBeLessThan(0.1);
    // a 1×1 and a 1×N plane do not crash
    expect(frangiDark({ width: 1, height: 1, data: new Float32Array([3]) }).vesselness[0]).toBe(0);
    expect(frangiDark({ width: 5, height: 1, data: new Float32Array([3, 2, 1, 2, 3]) }).vesselness.length).toBe(5);
  });

  it('rejects bad options with the shared message', () => {
    expect(() => frangiDark(linePlane(0.1, 2, 0.4), { sigmasMm: [] })).toThrow(/Expected a non-empty array of positive numbers \(mm\) for options.sigmasMm/);
    expect(() => frangiDark(linePlane(0.1, 2, 0.4), { mmPerPx: -1 })).toThrow(/options.mmPerPx/);
  });
});
