import { describe, expect, it } from 'vitest';
import * as api from '../../src/index';

// The names this folder (and image/ loading) promise; changing them is an API change (STYLE.md: culori test/api).
describe('public API of loading and chart correction', () => {
  it('exports the loader, chart and correction names', () => {
    expect(Object.keys(api)).toEqual(
      expect.arrayContaining([
        'loadImage', 'DEFAULT_MAX_PIXELS', 'FAIL_ON_LEVELS', 'SUPPORTED_FORMATS',
        'sampleChart', 'fitColorCorrection', 'applyColorCorrection', 'CORRECTION_MODELS',
        'COLORCHECKER_CLASSIC_NAMES', 'COLORCHECKER_CLASSIC_LAB_D50', 'COLORCHECKER_CLASSIC_LAB_D65', 'COLORCHECKER_CLASSIC_LINEAR_SRGB',
        'COLORCHECKER_CLASSIC_LAYOUT', 'homographyFromPoints', 'applyHomography',
      ]),
    );
    expect(api.CORRECTION_MODELS).toEqual(['linear3x3', 'affine3x4', 'rootPolynomial2Finlayson2015', 'rootPolynomial3Finlayson2015']);
  });
});
