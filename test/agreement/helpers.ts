import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

const FIXTURES = path.resolve(__dirname, '../fixtures/agreement');

// Test vectors copied from /work/shared/reference/stats (SOURCES.md there and here lists the publications / R code).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function fixture(name: string): any {
  return JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));
}

/** Worst deviation seen per check kind, printed by the tests so docs/agreement.md can quote the achieved tolerances. */
export const worst: Record<string, number> = {};

function note(kind: string, dev: number): void {
  worst[kind] = Math.max(worst[kind] ?? 0, dev);
}

/**
 * Match an R oracle value: |a − e| ≤ 1e-6 · max(1, |e|), and for |e| < 1e-3 (small p-values) relative 1e-6.
 */
export function expectR(actual: number, expected: number, label = '', tol = 1e-6): void {
  const scale = Math.abs(expected) < 1e-3 ? Math.abs(expected) : Math.max(1, Math.abs(expected));
  const dev = Math.abs(actual - expected) / (scale || 1);
  note(tol === 1e-6 ? 'r_oracle (relative to max(1,|x|))' : `r_oracle tol ${tol}`, dev);
  if (!(dev <= tol)) expect.fail(`${label}: got ${actual}, R gives ${expected} (scaled deviation ${dev.toExponential(2)} > ${tol})`);
}

/** Match a published value to its printed precision: |a − p| ≤ half a unit in the last printed decimal (+1e-12). */
export function expectPublished(actual: number, published: number, label = '', decimals?: number): void {
  const dec = decimals ?? ((String(published).split('.')[1] ?? '').replace(/e.*$/, '').length);
  const half = 0.5 * 10 ** -dec + 1e-12;
  const dev = Math.abs(actual - published);
  note('published (in units of the last printed digit)', dev * 10 ** dec);
  if (!(dev <= half)) expect.fail(`${label}: got ${actual}, published ${published} (±${half})`);
}

export function transpose<T>(m: T[][]): T[][] {
  return m[0].map((_, j) => m.map((r) => r[j]));
}
