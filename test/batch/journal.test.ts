import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appendRecord } from '../../src/batch/journal';
import { scanJournal } from '../../src/batch/store';

function repairJournal(f: string): unknown[] {
  const out: unknown[] = [];
  scanJournal(f, (r) => out.push(r));
  return out;
}
import { parseShard, shardOf } from '../../src/batch/shard';
import { canonicalJson } from '../../src/score/canonical';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'dm-journal-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('journal', () => {
  it('truncates a torn last line (a write cut by SIGKILL) and keeps every complete record', () => {
    const f = path.join(tmp, 'j.jsonl');
    appendRecord(f, '{"a":1}');
    appendRecord(f, '{"a":2}');
    appendFileSync(f, '{"a":3,"b":[1,2'); // torn: no newline, not JSON
    expect(repairJournal(f)).toEqual([{ a: 1 }, { a: 2 }]);
    expect(readFileSync(f, 'utf8')).toBe('{"a":1}\n{"a":2}\n');
    appendRecord(f, '{"a":3}');
    expect(repairJournal(f)).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    writeFileSync(f, '{"a":1}\n{"a":');
    expect(repairJournal(f)).toEqual([{ a: 1 }]);
    expect(repairJournal(path.join(tmp, 'missing.jsonl'))).toEqual([]);
  });

  it('reads records that cross the 1 MiB read chunks, with exact offsets, and repairs a torn tail after them', () => {
    const f = path.join(tmp, 'big.jsonl');
    const lines = Array.from({ length: 7 }, (_, i) => JSON.stringify({ i, pad: 'é'.repeat(150_000 + 7919 * i) })); // 2-byte UTF-8
    for (const l of lines) appendRecord(f, l);
    appendFileSync(f, '{"i":7,"pad":"xx');
    const seen: { i: number; offset: number; length: number }[] = [];
    scanJournal(f, (r, offset, length) => seen.push({ i: (r as { i: number }).i, offset, length }));
    expect(seen.map((s) => s.i)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const bytes = readFileSync(f);
    expect(bytes.length).toBe(lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0));
    for (const s of seen) expect(bytes.subarray(s.offset, s.offset + s.length).toString('utf8')).toBe(lines[s.i]);
  });
});

describe('shards', () => {
  it('parses i/n and assigns every subject to exactly one shard, the same for every row order', () => {
    expect(parseShard('3/8')).toEqual({ index: 3, count: 8 });
    for (const bad of ['8/8', '1/0', 'a/b', '1', '-1/2']) expect(() => parseShard(bad)).toThrow(/shard/);
    const subjects = Array.from({ length: 400 }, (_, i) => `SUBJ-${i}`);
    const counts = [0, 0, 0, 0];
    for (const s of subjects) counts[shardOf({ subject: s }, 4)]++;
    // a hash split: every shard gets a fair share (binomial 400 × 1/4: sd ≈ 8.7; allow ±5 sd)
    for (const c of counts) expect(Math.abs(c - 100)).toBeLessThan(44);
  });
});

describe('canonical JSON', () => {
  it('sorts keys, rounds to 6 significant digits, keeps integers, maps NaN/Infinity to null and -0 to 0', () => {
    expect(canonicalJson({ b: 1 / 3, a: [2, -0, NaN, Infinity, 123456789], c: undefined, d: { z: 1e-9 * Math.PI, y: 'x' } })).toBe(
      '{"a":[2,0,null,null,123456789],"b":0.333333,"d":{"y":"x","z":3.14159e-9}}',
    );
    // float32 noise below 1e-6 relative does not change the bytes
    expect(canonicalJson(Math.fround(0.1234567))).toBe(canonicalJson(0.1234567));
  });
});
