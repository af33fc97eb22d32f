// Shared by the training script and the tests: generate a split of synthetic patches at the analysis resolution.
import { sampleScene } from '../../src/wrinkle/synth/scene';
import { renderScene, type SynthPatch } from '../../src/wrinkle/synth/render';
import type { SynthSettings } from '../../src/wrinkle/synth/settings';

export function* patches(settings: SynthSettings, seedBase: number, count: number, mmPerPx = 0.1, force: { severity?: 0 | 1 | 2 | 3 } = {}): Generator<SynthPatch> {
  for (let k = 0; k < count; k++) yield renderScene(sampleScene(seedBase + k, settings, force), mmPerPx);
}
