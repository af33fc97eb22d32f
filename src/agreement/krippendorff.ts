import { DermametricsError, choiceOption } from '../errors';
import { isMissing } from './validate';

export type KrippendorffLevel = 'nominal' | 'ordinal' | 'interval' | 'ratio';

export interface KrippendorffOptions {
  /** metric (default 'nominal') */
  level?: KrippendorffLevel;
  /** The ordered value set; defaults to the sorted distinct observed values. Values outside it are an error. */
  values?: readonly (number | string)[];
}

export interface KrippendorffResult {
  level: KrippendorffLevel;
  alpha: number;
  /** observed and expected disagreement: Do = Σ o_ck δ²_ck / n, De = Σ n_c n_k δ²_ck / (n(n−1)) */
  Do: number;
  De: number;
  /** the ordered values (rows/columns of the coincidence matrix) */
  values: (number | string)[];
  /** coincidence matrix o_ck [Krippendorff2011] */
  coincidence: number[][];
  /** marginal n_c and total n of pairable values */
  nc: number[];
  n: number;
  /** units with ≥ 2 values (pairable) */
  unitsPairable: number;
}

/**
 * Krippendorff's alpha [Krippendorff2011] for a units × coders matrix (rows = units/subjects, columns =
 * coders/raters; `null` = missing), via the coincidence matrix. Units with fewer than 2 values are not pairable and
 * are ignored. Matches irr::kripp.alpha (which takes the transpose, coders × units).
 * @throws DermametricsError E_DEGENERATE (fewer than 2 pairable values, or no variation: De = 0), E_BAD_RATINGS
 */
export function krippendorffAlpha(data: ArrayLike<ArrayLike<number | string | null | undefined>>, options: KrippendorffOptions = {}): KrippendorffResult {
  const level = choiceOption('options.level', options.level, ['nominal', 'ordinal', 'interval', 'ratio'] as const, 'nominal');
  const seen = new Set<number | string>();
  for (let u = 0; u < data.length; u++) for (let c = 0; c < data[u].length; c++) if (!isMissing(data[u][c])) seen.add(data[u][c] as number | string);
  let values: (number | string)[];
  if (options.values) values = options.values.slice();
  else values = [...seen].sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
  const index = new Map<number | string, number>(values.map((v, i) => [v, i]));
  for (const v of seen) {
    if (!index.has(v)) throw new DermametricsError('E_BAD_RATINGS', `value ${JSON.stringify(v)} is not in options.values`, { value: v });
  }
  if ((level === 'interval' || level === 'ratio') && values.some((v) => typeof v !== 'number')) {
    throw new DermametricsError('E_BAD_RATINGS', `${level} alpha needs numeric values`, { level });
  }
  const V = values.length;
  const o = Array.from({ length: V }, () => new Array<number>(V).fill(0));
  let unitsPairable = 0;
  for (let u = 0; u < data.length; u++) {
    const idx: number[] = [];
    for (let c = 0; c < data[u].length; c++) if (!isMissing(data[u][c])) idx.push(index.get(data[u][c] as number | string)!);
    const mu = idx.length;
    if (mu < 2) continue;
    unitsPairable++;
    // [Krippendorff2011] o_ck = Σ_u (number of c–k pairs in unit u) / (m_u − 1)
    for (let a = 0; a < mu; a++) for (let b = 0; b < mu; b++) if (a !== b) o[idx[a]][idx[b]] += 1 / (mu - 1);
  }
  const nc = o.map((r) => r.reduce((s, v) => s + v, 0));
  const n = nc.reduce((s, v) => s + v, 0);
  if (n < 2) throw new DermametricsError('E_DEGENERATE', "Krippendorff's alpha needs at least one unit rated by 2 or more coders", { n });
  // difference functions δ²_ck [Krippendorff2011] section D
  const delta = (c: number, k: number): number => {
    if (c === k) return 0;
    switch (level) {
      case 'nominal':
        return 1;
      case 'ordinal': {
        const lo = Math.min(c, k);
        const hi = Math.max(c, k);
        let s = 0;
        for (let g = lo; g <= hi; g++) s += nc[g];
        return (s - (nc[c] + nc[k]) / 2) ** 2;
      }
      case 'interval':
        return ((values[c] as number) - (values[k] as number)) ** 2;
      case 'ratio': {
        const a = values[c] as number;
        const b = values[k] as number;
        return a + b === 0 ? 0 : ((a - b) / (a + b)) ** 2;
      }
    }
  };
  let sO = 0;
  let sE = 0;
  for (let c = 0; c < V; c++)
    for (let k = 0; k < V; k++) {
      const d = delta(c, k);
      sO += o[c][k] * d;
      sE += nc[c] * nc[k] * d;
    }
  const Do = sO / n;
  const De = sE / (n * (n - 1));
  if (!(De > 0)) {
    throw new DermametricsError('E_DEGENERATE', "Krippendorff's alpha undefined: every pairable value is the same (no variation, De = 0)", { Do, De });
  }
  return { level, alpha: 1 - Do / De, Do, De, values, coincidence: o, nc, n, unitsPairable }; // α = 1 − Do/De
}
