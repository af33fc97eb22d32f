import { DermametricsError, invalidOption } from '../errors';

/**
 * An ordinal rating scale that readers grade on: integer grades from `min` to `max` inclusive
 * (erythema 0–4, Fitzpatrick–Goldman wrinkle 1–9, or any scale the study declares).
 */
export interface RatingScale {
  /** column name on the rating sheet and `scale` value in the unblinded table: letters, digits, '_' */
  name: string;
  min: number;
  max: number;
}

/** The scale a packet gets when none is declared. */
export const DEFAULT_SCALES: readonly RatingScale[] = [{ name: 'erythema', min: 0, max: 4 }];

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Parse 'erythema:0-4' (also 'fg_wrinkle:1..9'); a RatingScale object is validated and returned. */
export function parseScale(spec: string | RatingScale, optionName = 'scale'): RatingScale {
  if (typeof spec === 'object' && spec !== null) {
    const { name, min, max } = spec;
    if (typeof name !== 'string' || !NAME.test(name)) throw invalidOption(`${optionName}.name`, 'a name of letters, digits and _ starting with a letter', name);
    if (!Number.isInteger(min) || !Number.isInteger(max) || max <= min) {
      throw invalidOption(`${optionName}`, 'integer min < max', `${min}-${max}`);
    }
    return { name, min, max };
  }
  const m = typeof spec === 'string' ? /^\s*([A-Za-z][A-Za-z0-9_]*)\s*:\s*(-?\d+)\s*(?:-|\.\.)\s*(-?\d+)\s*$/.exec(spec) : null;
  if (!m) throw invalidOption(optionName, "a scale such as 'erythema:0-4' (name:min-max, integer grades)", spec);
  const scale = { name: m[1], min: Number(m[2]), max: Number(m[3]) };
  if (scale.max <= scale.min) throw invalidOption(optionName, 'a scale whose max is greater than its min', spec);
  return scale;
}

/** Parse a list of scale specs; names must be distinct. Undefined or empty gives the default. */
export function parseScales(specs: readonly (string | RatingScale)[] | string | undefined, optionName = 'scales'): RatingScale[] {
  const list = specs === undefined ? [] : typeof specs === 'string' ? specs.split(/[;,]\s*(?=[A-Za-z])/) : [...specs];
  if (list.length === 0) return DEFAULT_SCALES.map((s) => ({ ...s }));
  const scales = list.map((s, i) => parseScale(s, `${optionName}[${i}]`));
  const seen = new Set<string>();
  for (const s of scales) {
    if (seen.has(s.name.toLowerCase())) throw invalidOption(optionName, 'distinct scale names', s.name);
    seen.add(s.name.toLowerCase());
  }
  return scales;
}

/** 'erythema:0-4' */
export function formatScale(s: RatingScale): string {
  return `${s.name}:${s.min}-${s.max}`;
}

/**
 * Read one grade cell: blank -> undefined (not rated); an integer in [min, max] -> the number;
 * anything else -> E_BAD_RATINGS naming the file, line and column.
 */
export function parseGrade(cell: string, scale: RatingScale, where: { file: string; line: number }): number | undefined {
  const t = cell.trim();
  if (t === '') return undefined;
  const v = Number(t);
  if (!/^[+-]?\d+(\.0*)?$/.test(t) || !Number.isInteger(v) || v < scale.min || v > scale.max) {
    throw new DermametricsError(
      'E_BAD_RATINGS',
      `Line ${where.line} of ${where.file}: ${scale.name} grade "${t}" is not an integer from ${scale.min} to ${scale.max}. Correct the cell or leave it blank (not rated).`,
      { file: where.file, line: where.line, scale: scale.name, value: t },
    );
  }
  return v;
}
