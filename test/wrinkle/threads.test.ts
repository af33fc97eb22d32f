import { describe, expect, it, vi } from 'vitest';
import { computeWrinkleMaps, computeWrinkleMapsThreaded } from '../../src/wrinkle/maps';
import { loadWrinkleModel } from '../../src/wrinkle/head';
import { initBackend } from '../../src/model/backend';
import { renderScene } from '../../src/wrinkle/synth/render';
import { sampleScene } from '../../src/wrinkle/synth/scene';
import { SEED_BASE, TEST_SETTINGS } from '../../src/wrinkle/synth/settings';

// Every worker fails (as a crashed or out-of-memory worker would): the tiles are computed on the calling thread.
const failing = vi.hoisted(() => ({ calls: 0 }));
vi.mock('../../src/wrinkle/threads', async (orig) => ({
  ...(await orig<typeof import('../../src/wrinkle/threads')>()),
  workerScript: () => 'dist/wrinkle-worker.js',
  featuresOnWorker: () => {
    failing.calls++;
    return Promise.reject(new Error('worker exited with code 1'));
  },
}));

describe('wrinkle feature threads', () => {
  it('a failing worker costs time, not the result: the same maps as on one thread', async () => {
    await initBackend('wasm');
    const m = await loadWrinkleModel();
    const p = renderScene(sampleScene(SEED_BASE.test + 11, TEST_SETTINGS, { severity: 2 }), 0.1);
    const one = computeWrinkleMaps(p.raster, 0.1, m, 64);
    const failed = await computeWrinkleMapsThreaded(p.raster, 0.1, m, 64, undefined, 2);
    expect(Buffer.from(failed.prob.buffer).equals(Buffer.from(one.prob.buffer))).toBe(true);
    expect(Buffer.from(failed.frangi.buffer).equals(Buffer.from(one.frangi.buffer))).toBe(true);
    expect(failing.calls).toBeGreaterThan(1); // every tile went to a (failing) worker first
  });
});
