import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { photoId, readManifest } from '../../src/batch/manifest';
import { DermametricsError } from '../../src/errors';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'dm-manifest-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function write(rel: string, text = 'x'): string {
  const p = path.join(tmp, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
}

function codeOf(fn: () => unknown): { code: string; message: string; details: Record<string, unknown> } {
  try {
    fn();
  } catch (e) {
    const err = e as DermametricsError;
    return { code: err.code, message: err.message, details: err.details };
  }
  throw new Error('expected a throw');
}

describe('readManifest (CSV)', () => {
  it('reads rows in file order with case-insensitive headers, aliases, flags and extra columns', () => {
    const m = write(
      'a/manifest.csv',
      '\uFEFFUSUBJID,AVISIT,Path,Arm,Treated_Side,Baseline,site\n' +
        'S1,baseline,photos/s1_b.jpg,active,L,Y,Berlin\n' +
        '\n' +
        'S1,week4,photos\\s1_w4.jpg,active,L,n,Berlin\n' +
        'S2,baseline,./photos/s2_b.jpg,vehicle,,yes,"Paris, FR"\n',
    );
    const rows = readManifest(m);
    expect(rows.map((r) => [r.index, r.line, r.subject, r.visit, r.relPath, r.arm, r.treatedSide, r.baseline])).toEqual([
      [0, 2, 'S1', 'baseline', 'photos/s1_b.jpg', 'active', 'left', true],
      [1, 4, 'S1', 'week4', 'photos/s1_w4.jpg', 'active', 'left', false],
      [2, 5, 'S2', 'baseline', 'photos/s2_b.jpg', 'vehicle', undefined, true],
    ]);
    expect(rows[2].extra).toEqual({ site: 'Paris, FR' });
    expect(rows[0].path).toBe(path.join(tmp, 'a/photos/s1_b.jpg'));
    expect(rows[0].baselineSource).toBe('column');
    // the id depends only on the relative path: sha256("photos/s1_b.jpg"), first 16 hex digits
    expect(rows[0].id).toBe(photoId('photos/s1_b.jpg'));
    expect(rows[0].id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('derives baseline as each subject\'s first visit in manifest order, or from baselineVisit', () => {
    const m = write('b/m.csv', 'path,subject,visit\nx1.jpg,S1,day7\nx2.jpg,S2,day0\nx3.jpg,S1,day0\nx4.jpg,S1,day7b\n');
    expect(readManifest(m).map((r) => r.baseline)).toEqual([true, true, false, false]);
    expect(readManifest(m).every((r) => r.baselineSource === 'first-visit')).toBe(true);
    expect(readManifest(m, { baselineVisit: 'day0' }).map((r) => r.baseline)).toEqual([false, true, true, false]);
    expect(codeOf(() => readManifest(m, { baselineVisit: 'V1' })).code).toBe('E_BAD_MANIFEST');
  });

  it('accepts semicolon and tab separated files', () => {
    expect(readManifest(write('c/m.csv', 'path;subject;visit\np.jpg;S1;V1\n'))[0].subject).toBe('S1');
    expect(readManifest(write('c/m.tsv', 'path\tsubject\tvisit\np.jpg\tS1\tV1\n'))[0].visit).toBe('V1');
  });

  it('refuses bad manifests with E_BAD_MANIFEST and the line number', () => {
    const cases: [string, RegExp][] = [
      ['path,subject\na.jpg,S1\n', /no visit column \(line 1/],
      ['path,subject,visit\na.jpg,S1,V1\nb.jpg,,V1\n', /Line 3 .* empty subject/],
      ['path,subject,visit\na.jpg,S1,V1\na.jpg,S1,V2\n', /listed twice \(line 2 and line 3\)/],
      ['path,subject,visit,baseline\na.jpg,S1,V1,maybe\n', /Line 2: baseline "maybe"/],
      ['path,subject,visit,side\na.jpg,S1,V1,top\n', /Line 2: treated_side "top"/],
      ['path,subject,visit,Visit\na.jpg,S1,V1,V2\n', /column "Visit" twice/],
      ['path,subject,visit\n', /no rows/],
      ['', /empty/],
      ['path,subject,visit\na.jpg,S1,V1,extra\n', /Line 2 .* 4 fields/],
      ['path,subject,visit\n"a.jpg,S1,V1\n', /parse/],
    ];
    cases.forEach(([text, re], i) => {
      const err = codeOf(() => readManifest(write(`bad/${i}.csv`, text)));
      expect(err.code, text).toBe('E_BAD_MANIFEST');
      expect(err.message, text).toMatch(re);
    });
    expect(codeOf(() => readManifest(path.join(tmp, 'nope.csv'))).code).toBe('E_NOT_FOUND');
  });

  it('refuses photo paths that leave the manifest folder unless allowOutside', () => {
    write('outside.jpg');
    mkdirSync(path.join(tmp, 'd'), { recursive: true });
    symlinkSync(path.join(tmp, 'outside.jpg'), path.join(tmp, 'd', 'link.jpg'));
    symlinkSync(tmp, path.join(tmp, 'd', 'linkdir'));
    const escapes = ['../outside.jpg', 'sub/../../outside.jpg', path.join(tmp, 'outside.jpg'), 'link.jpg', 'linkdir/outside.jpg', 'linkdir/not-yet.jpg'];
    escapes.forEach((p, i) => {
      const m = write(`d/m${i}.csv`, `path,subject,visit\nok.jpg,S0,V1\n"${p}",S1,V1\n`);
      const err = codeOf(() => readManifest(m));
      expect(err.code, p).toBe('E_PATH_OUTSIDE');
      expect(err.message, p).toContain('line 3');
      const rows = readManifest(m, { allowOutside: true });
      expect(rows[1].path).toBe(path.resolve(path.join(tmp, 'd'), p));
    });
    // inside paths, also via an absolute path into the folder, are fine
    const ok = write('d/ok.csv', `path,subject,visit\nsub/../a.jpg,S1,V1\n"${path.join(tmp, 'd', 'b.jpg')}",S1,V2\n`);
    expect(readManifest(ok).map((r) => r.relPath)).toEqual(['a.jpg', 'b.jpg']);
  });
});

describe('readManifest (directory)', () => {
  it('scans with the default pattern, sorted by relative path', () => {
    write('dir1/S2/V1/a.jpg');
    write('dir1/S1/V2/b.JPG');
    write('dir1/S1/V1/c.png');
    write('dir1/S1/V1/notes.txt');
    write('dir1/.hidden/x.jpg');
    const rows = readManifest(path.join(tmp, 'dir1'));
    expect(rows.map((r) => [r.relPath, r.subject, r.visit, r.baseline, r.line])).toEqual([
      ['S1/V1/c.png', 'S1', 'V1', true, 0],
      ['S1/V2/b.JPG', 'S1', 'V2', false, 0],
      ['S2/V1/a.jpg', 'S2', 'V1', true, 0],
    ]);
  });

  it('takes a custom pattern with extra fields and refuses unmatched photos', () => {
    write('dir2/site1/S1_V1.jpg');
    write('dir2/site1/S1_V2.jpg');
    write('dir2/site2/S9_baseline_extra.jpg');
    const rows = readManifest(path.join(tmp, 'dir2'), { pattern: '{site}/{subject}_{visit}.jpg' });
    expect(rows.map((r) => [r.subject, r.visit, r.extra.site])).toEqual([
      ['S1', 'V1', 'site1'],
      ['S1', 'V2', 'site1'],
      ['S9', 'baseline_extra', 'site2'],
    ]);
    write('dir2/stray.jpg');
    const err = codeOf(() => readManifest(path.join(tmp, 'dir2'), { pattern: '{site}/{subject}_{visit}.jpg' }));
    expect(err.code).toBe('E_BAD_MANIFEST');
    expect(err.message).toContain('stray.jpg');
    expect(codeOf(() => readManifest(path.join(tmp, 'dir2'), { pattern: '{subject}/{file}' })).code).toBe('E_INVALID_OPTION');
  });
});
