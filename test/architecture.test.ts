import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// docs/DESIGN.md: a folder imports only from folders above it in this list (and the top-level files).
const ORDER = ['image', 'color', 'model', 'face', 'erythema', 'wrinkle', 'agreement', 'score', 'batch', 'blind', 'report', 'cli'];
const SRC = path.resolve(__dirname, '../src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('architecture', () => {
  it('imports point only upward in the module list of docs/DESIGN.md', () => {
    const violations: string[] = [];
    for (const file of files(SRC)) {
      const rel = path.relative(SRC, file);
      const from = rel.split(path.sep)[0];
      if (!ORDER.includes(from)) continue; // top-level files (errors, flags, random, version, index)
      const src = readFileSync(file, 'utf8');
      for (const m of src.matchAll(/from\s+'(\.[^']+)'/g)) {
        const target = path.relative(SRC, path.resolve(path.dirname(file), m[1])).split(path.sep)[0];
        if (!ORDER.includes(target) || target === from) continue;
        if (ORDER.indexOf(target) > ORDER.indexOf(from)) violations.push(`${rel} imports ${m[1]}`);
      }
    }
    expect(violations).toEqual([]);
  });
});
