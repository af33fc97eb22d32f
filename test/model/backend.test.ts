import { describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../src/model/backend';

describe('initBackend', () => {
  it('starts wasm when tfjs-node is absent, and can switch to cpu', async () => {
    const info = await initBackend();
    expect(['tensorflow', 'wasm']).toContain(info.name);
    expect(tf.getBackend()).toBe(info.name);
    const cpu = await initBackend('cpu');
    expect(cpu.name).toBe('cpu');
    const back = await initBackend('wasm');
    expect(back.name).toBe('wasm');
    expect(tf.sum(tf.tensor1d([1, 2, 3])).dataSync()[0]).toBe(6);
  });
});
