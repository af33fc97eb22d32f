/**
 * The one error type dermametrics throws on purpose. `code` is stable across versions (code on it, not on
 * `message`); `message` says what went wrong and what to do; `details` carries structured fields
 * (the path, the option name, the limit that was hit).
 */
export type ErrorCode =
  | 'E_NOT_FOUND'
  | 'E_UNSUPPORTED_FORMAT'
  | 'E_DECODE'
  | 'E_TOO_LARGE'
  | 'E_INVALID_OPTION'
  | 'E_NO_FACE'
  | 'E_MULTIPLE_FACES'
  | 'E_BAD_REGIONS'
  | 'E_BAD_CHART'
  | 'E_MODEL'
  | 'E_BAD_MANIFEST'
  | 'E_PATH_OUTSIDE'
  | 'E_BAD_RATINGS'
  | 'E_DEGENERATE'
  | 'E_WORKER_CRASH'
  | 'E_INTERNAL';

export class DermametricsError extends Error {
  override readonly name = 'DermametricsError';
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.details = details;
  }

  toJSON(): { code: ErrorCode; message: string; details: Record<string, unknown> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export function isDermametricsError(e: unknown): e is DermametricsError {
  return e instanceof DermametricsError || (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'DermametricsError');
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `array of length ${value.length}`;
  const t = typeof value;
  if (t === 'string') return `"${String(value).slice(0, 60)}" of type string`;
  if (t === 'number' || t === 'boolean') return `${String(value)} of type ${t}`;
  return `a value of type ${t}`;
}

/**
 * The message for a bad option, built one way everywhere (after sharp's `invalidParameterError`):
 * "Expected <expected> for <name> but received <value> of type <type>".
 */
export function invalidOption(name: string, expected: string, actual: unknown): DermametricsError {
  return new DermametricsError('E_INVALID_OPTION', `Expected ${expected} for ${name} but received ${describe(actual)}`, {
    option: name,
    expected,
  });
}

/** Validate a number option: undefined takes the default, a valid value is kept, anything else throws. */
export function numberOption(
  name: string,
  value: unknown,
  fallback: number,
  { min = -Infinity, max = Infinity, integer = false }: { min?: number; max?: number; integer?: boolean } = {},
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    const range = `${integer ? 'an integer' : 'a number'}${Number.isFinite(min) ? ` >= ${min}` : ''}${Number.isFinite(max) ? ` and <= ${max}` : ''}`;
    throw invalidOption(name, range, value);
  }
  return value;
}

/** Validate a string option against a fixed set of choices. */
export function choiceOption<T extends string>(name: string, value: unknown, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw invalidOption(name, `one of ${choices.map((c) => `'${c}'`).join(', ')}`, value);
  }
  return value as T;
}
