/**
 * Canonical JSON for PhotoScores: the same value gives the same bytes on every machine, backend and worker.
 * - object keys sorted by UTF-16 code units (recursively); array order kept; `undefined` members dropped;
 * - integers written exactly; other finite numbers rounded to SIGNIFICANT_DIGITS significant digits
 *   (Number(x.toPrecision(6))), so float32 / wasm / cpu differences below 1 part in 10^6 do not leak into bytes;
 * - -0 written as 0; NaN and ±Infinity written as null (the producer must add a QC flag that says why);
 * - no whitespace; strings as JSON.stringify writes them.
 */
export const SIGNIFICANT_DIGITS = 6;

/** Round a number as canonical JSON does (integers unchanged, NaN/±Infinity → null). */
export function roundCanonical(x: number): number | null {
  if (!Number.isFinite(x)) return null;
  if (Number.isInteger(x)) return x === 0 ? 0 : x;
  const r = Number(x.toPrecision(SIGNIFICANT_DIGITS));
  return r === 0 ? 0 : r;
}

/** Deep copy with canonical rounding and sorted keys (still a plain object: JSON.stringify(result) is canonical). */
export function canonicalize(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return roundCanonical(value);
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : canonicalize(v)));
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>, (v) => roundCanonical(v));
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (typeof (obj as { toJSON?: unknown }).toJSON === 'function') return canonicalize((obj as { toJSON: () => unknown }).toJSON());
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(obj).sort()) {
      const v = obj[k];
      if (v === undefined || typeof v === 'function') continue;
      out[k] = canonicalize(v);
    }
    return out;
  }
  return null;
}

/** The canonical JSON text of a value (one line, no trailing newline). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value));
}
