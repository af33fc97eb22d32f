import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { photoId } from '../../src/batch/manifest';
import { makeTrial, type Trial } from './fixtures';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
let tmp: string;
let trial: Trial;

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('Run `npm run build` first (npm test does): this test runs dist/cli.js');
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dm-blind-cli-'));
  trial = await makeTrial(path.join(tmp, 'trial'));
});

describe('dermametrics blind | unblind | agree', () => {
  it('runs the whole reader workflow from the command line', async () => {
    const packet = path.join(tmp, 'packet');
    const key = path.join(tmp, 'vault', 'key.csv');
    let r = run('blind', trial.manifest, '--out', packet, '--key', key, '--seed', '0042', '--scale', 'erythema:0-4', '--scale', 'fg_wrinkle:1-9');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/packet: 10 photos/);
    const keyRows = parse(readFileSync(key, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(keyRows[0].seed).toBe('0042'); // the seed stays a string (not the number 42)
    // two readers grade from the pixels
    const sheet = parse(readFileSync(path.join(packet, 'rating_sheet.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    const filled: Record<string, string>[] = [];
    for (const reader of ['RA', 'RB']) {
      for (const row of sheet) {
        const st = await sharp(path.join(packet, 'photos', `${row.code}.jpg`)).stats();
        const g = Math.round((st.channels[0].mean - 30) / 50);
        filled.push({ ...row, reader, date: '2026-02-01', erythema: String(reader === 'RB' && row.order === '3' ? Math.min(4, g + 1) : g), fg_wrinkle: String(Math.round(st.channels[1].mean / 20)) });
      }
    }
    const sheetFile = path.join(tmp, 'filled.csv');
    writeFileSync(sheetFile, stringify(filled, { header: true }));
    const long = path.join(tmp, 'ratings_long.csv');
    r = run('unblind', sheetFile, '--key', key, '--out', long);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/40 grades from 2 reader\(s\) \(RA, RB\) for 10 packet photos/);
    // scores_long.csv as batch writes it, with a score that tracks the true grade
    const scoreRows = trial.photos.map((p, i) => ({ USUBJID: p.subject, AVISIT: p.visit, PHOTOID: photoId(p.file), REGION: 'full_face', PARAMCD: 'ERYIDX', AVAL: String(3 * p.grade + (i % 3) * 0.7) }));
    const scores = path.join(tmp, 'scores_long.csv');
    writeFileSync(scores, stringify(scoreRows, { header: true }));
    const out = path.join(tmp, 'agree');
    r = run('agree', '--ratings', long, '--scores', scores, '--scale', 'erythema:0-4', '--out', out, '--folds', '2');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/matched on PHOTOID/);
    expect(r.stdout).toMatch(/10 items \(10 with a score\), 2 reader\(s\) \(RA, RB\), 20 grades/);
    expect(r.stdout).toMatch(/Bland–Altman: RA − RB/);
    const json = JSON.parse(readFileSync(path.join(out, 'agree.json'), 'utf8'));
    expect(json.counts.grades).toBe(20);
    expect(readFileSync(path.join(out, 'agree.html'), 'utf8')).toMatch(/<svg /);
  });

  it('bad input exits with status 2 and a one-line reason', () => {
    let r = run('blind', trial.manifest, '--out', path.join(tmp, 'p2'), '--seed', '1', '--key', path.join(tmp, 'p2', 'key.csv'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^dermametrics: E_INVALID_OPTION: The key file .* would be inside the packet folder/);
    r = run('blind', trial.manifest, '--out', path.join(tmp, 'p3'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--seed/);
    r = run('unblind', path.join(tmp, 'none.csv'), '--key', path.join(tmp, 'nokey.csv'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/E_NOT_FOUND: Key file not found/);
    r = run('agree', '--ratings', path.join(tmp, 'none.csv'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--scores/);
  });
});
