import { spearman as spearmanTest } from '../../src/agreement';

/** Spearman's rho from the library's own implementation (validated against R in test/agreement). */
export function spearman(x: readonly number[], y: readonly number[]): number {
  return spearmanTest(x, y).estimate;
}
