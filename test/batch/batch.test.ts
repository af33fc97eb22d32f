import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeShards } from '../../src/batch/merge';
import { runBatch } from '../../src/batch/run';
import { DIST_WORKER, STUB, makeStubTrial, parseCsv, readOutputs, requireBuilt, type StubPhoto } from './helpers';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'dm-batch-'));
let photos: StubPhoto[];
const manifest = path.join(tmp, 'set', 'manifest.csv');
const run = (out: string, extra: Record<string, unknown> = {}) =>
  runBatch(manifest, { out: path.join(tmp, out), workers: 2, progress: false, workerScript: DIST_WORKER, analyzerModule: STUB, ...extra });

beforeAll(() => {
  requireBuilt();
  photos = makeStubTrial(path.join(tmp, 'set'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('runBatch with a stub analyser', () => {
  it('scores the good photos, lists the bad ones in errors.csv with their codes, and counts them', async () => {
    const s = await run('a');
    const good = photos.filter((p) => p.a !== undefined);
    expect(s).toMatchObject({ photos: photos.length, scored: good.length, failed: 4, pending: 0, complete: true });
    expect(s.errorsByCode).toEqual({ E_DECODE: 1, E_NO_FACE: 1, E_UNSUPPORTED_FORMAT: 1, E_WORKER_CRASH: 1 });
    const errors = parseCsv(readFileSync(path.join(tmp, 'a', 'errors.csv'), 'utf8'));
    expect(errors.map((e) => [e.path, e.code])).toEqual([
      ['photos/bad/empty.jpg', 'E_DECODE'],
      ['photos/bad/notimage.jpg', 'E_UNSUPPORTED_FORMAT'],
      ['photos/bad/noface.jpg', 'E_NO_FACE'],
      ['photos/bad/crash.jpg', 'E_WORKER_CRASH'],
    ]);
    expect(errors[3].message).toMatch(/SIGSEGV/);
    // results.jsonl: one line per good photo, in manifest order
    const lines = readFileSync(path.join(tmp, 'a', 'results.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.manifest.relPath)).toEqual(good.map((p) => p.rel));
    expect(lines[0].manifest).toMatchObject({ subject: 'S01', visit: 'V0', arm: 'active', baseline: true, extra: { site: 'siteA' } });
  });

  it('derives scores_long.csv: AVAL, BASE, CHG and PCHG against the values the test put in', async () => {
    const long = parseCsv(readFileSync(path.join(tmp, 'a', 'scores_long.csv'), 'utf8'));
    const good = photos.filter((p) => p.a !== undefined);
    expect(long.length).toBe(good.length * 3);
    expect(Object.keys(long[0])).toEqual([
      'USUBJID', 'AVISIT', 'AVISITN', 'ARM', 'TRTSIDE', 'PHOTOID', 'PHOTO', 'REGION', 'SIDE', 'PARAMCD', 'PARAM', 'AVAL', 'AVALU', 'ABLFL', 'BASE', 'CHG', 'PCHG', 'QCSTAT', 'QCFLAGS', 'site',
    ]);
    for (const p of good) {
      const base = good.find((q) => q.subject === p.subject && q.visit === 'V0')!;
      const row = long.find((r) => r.PHOTO === p.rel && r.REGION === 'cheek_left')!;
      expect(Number(row.AVAL)).toBeCloseTo(p.a! + 1 / 3, 4);
      expect(Number(row.BASE)).toBeCloseTo(base.a! + 1 / 3, 4);
      expect(row.AVISITN).toBe(String(Number(p.visit.slice(1)) + 1));
      if (p.visit === 'V0') {
        expect([row.ABLFL, row.CHG, row.PCHG]).toEqual(['Y', '', '']);
      } else {
        expect(row.ABLFL).toBe('');
        expect(Number(row.CHG)).toBeCloseTo(p.a! - base.a!, 4);
        expect(Number(row.PCHG)).toBeCloseTo((100 * (p.a! - base.a!)) / (base.a! + 1 / 3), 3);
      }
      const w = long.find((r) => r.PHOTO === p.rel && r.PARAMCD === 'WRKDENS')!;
      expect(Number(w.AVAL)).toBeCloseTo(p.b!, 6);
      expect(w.AVALU).toBe('mm/cm2');
    }
    // QC: a > 90 gets a flag on cheek_left only (subjects S09+ do not exist here, so all PASS)
    expect(new Set(long.map((r) => r.QCSTAT))).toEqual(new Set(['PASS']));
  });

  it('gives byte-identical outputs for --workers 1 and 2, and for shards 0/2 + 1/2 merged', async () => {
    await run('w1', { workers: 1 });
    await run('w2', { workers: 2 });
    const s0 = await run('s0', { shard: '0/2' });
    const s1 = await run('s1', { shard: { index: 1, count: 2 } });
    expect(s0.photos + s1.photos).toBe(photos.length);
    expect(s0.photos).toBeGreaterThan(0);
    expect(s1.photos).toBeGreaterThan(0);
    await mergeShards([path.join(tmp, 's1'), path.join(tmp, 's0')], path.join(tmp, 'merged'));
    const w1 = readOutputs(path.join(tmp, 'w1'));
    expect(readOutputs(path.join(tmp, 'w2'))).toEqual(w1);
    expect(readOutputs(path.join(tmp, 'merged'))).toEqual(w1);
    expect(readOutputs(path.join(tmp, 'a'))).toEqual(w1);
  });

  it('refuses to mix runs: an existing out without --resume, a resume with other options, an incomplete merge', async () => {
    await expect(run('a')).rejects.toMatchObject({ code: 'E_INVALID_OPTION', message: /--resume/ });
    await expect(run('a', { resume: true, analyze: { referenceRegion: 'forehead' } })).rejects.toMatchObject({ code: 'E_INVALID_OPTION', message: /different analyze/ });
    // a bad analyze option fails the run before its first photo (not once per photo in errors.csv)
    await expect(run('bad-option', { analyze: { wrinkle: { outlineGuardMm: -1 } } })).rejects.toMatchObject({ code: 'E_INVALID_OPTION', message: /outlineGuardMm/ });
    expect(existsSync(path.join(tmp, 'bad-option', 'results.jsonl'))).toBe(false);
    await expect(mergeShards([path.join(tmp, 's0')], path.join(tmp, 'm2'))).rejects.toMatchObject({ message: /1\/2 missing/ });
    await expect(mergeShards([path.join(tmp, 's0'), path.join(tmp, 'w1')], path.join(tmp, 'm3'))).rejects.toMatchObject({ code: 'E_INVALID_OPTION' });
    // a resume of a finished run changes nothing
    const before = readOutputs(path.join(tmp, 'a'));
    const again = await run('a', { resume: true });
    expect(again.timing.scoredThisRun).toBe(0);
    expect(readOutputs(path.join(tmp, 'a'))).toEqual(before);
  });
});

describe('report.html', () => {
  it('is one self-contained page: inline SVG per parameter and region, no scripts, no external assets', async () => {
    await run('rep', { report: true, workers: 1 });
    const html = readFileSync(path.join(tmp, 'rep', 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script|<link|src="http|href="http|url\(/i);
    // 2 parameters (EIMEAN, WRKDENS) × their regions × 2 panels (value, change from baseline)
    expect((html.match(/<svg /g) ?? []).length).toBe(2 * 2 + 1 * 2);
    expect(html).toContain('EIMEAN');
    expect(html).toContain('photos/bad/crash.jpg');
    expect(html).toContain('E_WORKER_CRASH');
  });
});
