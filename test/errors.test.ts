import { describe, expect, it } from 'vitest';
import { DermametricsError, invalidOption, numberOption } from '../src/errors';

describe('DermametricsError', () => {
  it('carries a stable code and structured details', () => {
    const e = invalidOption('options.sigma', 'a number > 0', -1);
    expect(e).toBeInstanceOf(DermametricsError);
    expect(e.code).toBe('E_INVALID_OPTION');
    expect(e.message).toBe('Expected a number > 0 for options.sigma but received -1 of type number');
    expect(JSON.parse(JSON.stringify(e))).toEqual({ code: 'E_INVALID_OPTION', message: e.message, details: { option: 'options.sigma', expected: 'a number > 0' } });
  });
  it('validates numbers at the boundary', () => {
    expect(numberOption('x', undefined, 3)).toBe(3);
    expect(numberOption('x', 2, 3, { min: 0 })).toBe(2);
    expect(() => numberOption('x', Number.NaN, 3)).toThrow(/Expected a number for x/);
  });
});
