/**
 * A small JSON Schema (2020-12) validator for the keywords schema/photo-score.schema.json uses: type, const, enum,
 * properties, required, additionalProperties, items, prefixItems, minItems, maxItems, minimum, maximum,
 * exclusiveMinimum, minLength, pattern, oneOf, $ref (to #/$defs/...). An unknown keyword fails loudly, so the schema
 * cannot silently use something this validator ignores.
 */
type Schema = Record<string, unknown> | boolean;

const KNOWN = new Set([
  '$schema', '$id', '$defs', 'title', 'description', 'type', 'const', 'enum', 'properties', 'required', 'additionalProperties',
  'items', 'prefixItems', 'minItems', 'maxItems', 'minimum', 'maximum', 'exclusiveMinimum', 'minLength', 'pattern', 'oneOf', '$ref',
]);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(v: unknown, t: string): boolean {
  const actual = typeOf(v);
  return actual === t || (t === 'number' && actual === 'integer');
}

export function validate(root: Record<string, unknown>, value: unknown): string[] {
  const errors: string[] = [];
  const walk = (schema: Schema, v: unknown, at: string): void => {
    if (schema === true) return;
    if (schema === false) {
      errors.push(`${at}: not allowed`);
      return;
    }
    for (const k of Object.keys(schema)) if (!KNOWN.has(k)) throw new Error(`validator does not support keyword ${k} (at ${at})`);
    if (typeof schema.$ref === 'string') {
      const m = /^#\/\$defs\/(.+)$/.exec(schema.$ref);
      if (!m) throw new Error(`unsupported $ref ${schema.$ref}`);
      walk((root.$defs as Record<string, Schema>)[m[1]], v, at);
    }
    if (schema.type !== undefined) {
      const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
      if (!types.some((t) => typeMatches(v, t))) {
        errors.push(`${at}: expected ${types.join('|')}, got ${typeOf(v)}`);
        return;
      }
    }
    if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(v)) errors.push(`${at}: expected ${JSON.stringify(schema.const)}`);
    if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) errors.push(`${at}: ${JSON.stringify(v)} not in enum`);
    if (Array.isArray(schema.oneOf)) {
      const passing = (schema.oneOf as Schema[]).filter((s) => subValid(s, v));
      if (passing.length !== 1) errors.push(`${at}: matches ${passing.length} of oneOf (need exactly 1)`);
    }
    if (typeof v === 'number') {
      if (typeof schema.minimum === 'number' && v < schema.minimum) errors.push(`${at}: ${v} < minimum ${schema.minimum}`);
      if (typeof schema.maximum === 'number' && v > schema.maximum) errors.push(`${at}: ${v} > maximum ${schema.maximum}`);
      if (typeof schema.exclusiveMinimum === 'number' && v <= schema.exclusiveMinimum) errors.push(`${at}: ${v} <= exclusiveMinimum ${schema.exclusiveMinimum}`);
    }
    if (typeof v === 'string') {
      if (typeof schema.minLength === 'number' && v.length < schema.minLength) errors.push(`${at}: shorter than ${schema.minLength}`);
      if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(v)) errors.push(`${at}: ${JSON.stringify(v)} does not match ${schema.pattern}`);
    }
    if (Array.isArray(v)) {
      if (typeof schema.minItems === 'number' && v.length < schema.minItems) errors.push(`${at}: fewer than ${schema.minItems} items`);
      if (typeof schema.maxItems === 'number' && v.length > schema.maxItems) errors.push(`${at}: more than ${schema.maxItems} items`);
      const prefix = (schema.prefixItems as Schema[] | undefined) ?? [];
      v.forEach((item, i) => {
        if (i < prefix.length) walk(prefix[i], item, `${at}[${i}]`);
        else if (schema.items !== undefined) walk(schema.items as Schema, item, `${at}[${i}]`);
      });
    }
    if (typeOf(v) === 'object') {
      const obj = v as Record<string, unknown>;
      for (const r of (schema.required as string[] | undefined) ?? []) if (!(r in obj)) errors.push(`${at}: missing required ${r}`);
      const props = (schema.properties as Record<string, Schema> | undefined) ?? {};
      for (const [k, val] of Object.entries(obj)) {
        if (k in props) walk(props[k], val, `${at}.${k}`);
        else if (schema.additionalProperties !== undefined) walk(schema.additionalProperties as Schema, val, `${at}.${k}`);
      }
    }
  };
  const subValid = (s: Schema, v: unknown): boolean => {
    const saved = errors.length;
    walk(s, v, '');
    const ok = errors.length === saved;
    errors.length = saved;
    return ok;
  };
  walk(root, value, '$');
  return errors;
}
