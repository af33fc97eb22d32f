import { describe, expect, it } from 'vitest';
import * as api from '../src/index';

describe('public API', () => {
  it('exports the documented names', () => {
    expect(Object.keys(api).sort()).toEqual(expect.arrayContaining(['DermametricsError', 'VERSION', 'isDermametricsError']));
  });
});
