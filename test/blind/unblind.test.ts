import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { createReaderPacket, unblind, writeUnblinded, type ReaderPacket } from '../../src/blind/index';
import { photoId } from '../../src/batch/manifest';
import { agreeReportText, runAgree } from '../../src/report/index';
import { scanForNeedles } from './scan';
import { makeTrial, type Trial } from './fixtures';

let tmp: string;
let trial: Trial;
let packet: ReaderPacket;
let otherKey: string;
type Row = Record<string, string>;
let sheet: Row[];

/** A simulated reader sees only the packet: grades come from the photo's pixels, plus the reader's own bias. */
async function readerGrades(p: ReaderPacket, reader: string, bias: number): Promise<Row[]> {
  const rows: Row[] = [];
  for (const r of sheet) {
    const item = p.items.find((i) => i.code === r.code)!;
    const st = await sharp(path.join(p.packetDir, item.file)).stats();
    const ery = Math.min(4, Math.max(0, Math.round((st.channels[0].mean - 30) / 50) + bias));
    const fg = Math.round(st.channels[1].mean / 20);
    rows.push({ ...r, reader, date: '2026-01-15', erythema: String(ery), fg_wrinkle: String(fg) });
  }
  return rows;
}

function writeSheet(file: string, rows: Row[]): string {
  writeFileSync(file, stringify(rows, { header: true, columns: Object.keys(sheet[0]) }));
  return file;
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dm-unblind-'));
  trial = await makeTrial(path.join(tmp, 'trial'));
  packet = await createReaderPacket(trial.manifest, { out: path.join(tmp, 'packet'), key: path.join(tmp, 'key.csv'), seed: 20261124, scales: ['erythema:0-4', 'fg_wrinkle:1-9'] });
  otherKey = (await createReaderPacket(trial.manifest, { out: path.join(tmp, 'packet-b'), key: path.join(tmp, 'key-b.csv'), seed: 7, scales: ['erythema:0-4', 'fg_wrinkle:1-9'] })).keyPath;
  sheet = parse(readFileSync(packet.sheetPath, 'utf8'), { columns: true }) as Row[];
});

describe('blind -> rate -> unblind round trip', () => {
  it('loses no rating: every grade comes back to its subject and visit, a blank cell is listed as missing', async () => {
    const r1 = await readerGrades(packet, 'READER_A', 0);
    const r2 = await readerGrades(packet, 'READER_B', +1);
    const r3 = await readerGrades(packet, 'READER_C', 0);
    r3[4] = { ...r3[4], erythema: '' };
    const both = writeSheet(path.join(tmp, 'ab.csv'), [...r2, ...r1]); // two readers in one file, any order
    const c = writeSheet(path.join(tmp, 'c.csv'), [...r3].reverse());
    const res = unblind([both, c], packet.keyPath);
    expect(res.readers).toEqual(['READER_A', 'READER_B', 'READER_C']);
    expect(res.scales.map((s) => s.name)).toEqual(['erythema', 'fg_wrinkle']); // read from the key
    expect(res.ratings.length).toBe(3 * trial.photos.length * 2 - 1);
    expect(res.missing).toEqual([expect.objectContaining({ reader: 'READER_C', code: r3[4].code, scale: 'erythema', reason: 'blank' })]);
    for (const r of res.ratings) {
      const truth = trial.photos.find((p) => p.subject === r.USUBJID && p.visit === r.AVISIT)!;
      expect(r.ARM).toBe(truth.arm);
      const want = r.scale === 'fg_wrinkle' ? truth.fgGrade : Math.min(4, truth.grade + (r.reader === 'READER_B' ? 1 : 0));
      expect(r.grade, `${r.reader} ${r.USUBJID} ${r.AVISIT} ${r.scale}`).toBe(want);
      expect(r.rating_date).toBe('2026-01-15');
    }
    // every (reader, photo, scale) is either a rating or listed missing
    const count = new Set([...res.ratings.map((r) => `${r.reader}|${r.code}|${r.scale}`), ...res.missing.map((m) => `${m.reader}|${m.code}|${m.scale}`)]).size;
    expect(count).toBe(3 * trial.photos.length * 2);
    const out = path.join(tmp, 'unblinded.csv');
    writeUnblinded(res, out);
    const back = parse(readFileSync(out, 'utf8'), { columns: true }) as Row[];
    expect(Object.keys(back[0])).toEqual(['USUBJID', 'AVISIT', 'ARM', 'TRTSIDE', 'ABLFL', 'PHOTOID', 'code', 'replicate', 'reader', 'scale', 'grade', 'rating_date']);
    expect(back.length).toBe(res.ratings.length);
    expect(back.map((b) => Number(b.grade))).toEqual(res.ratings.map((r) => r.grade));
    // baseline = each subject's first visit (readManifest's rule), carried through the key
    for (const b of back) expect(b.ABLFL).toBe(b.AVISIT === 'VISITBASELINEQ' ? 'Y' : '');
  });

  it('a row deleted from a sheet is listed as not-on-sheet; requireComplete turns the list into an error', async () => {
    const r = await readerGrades(packet, 'R1', 0);
    const file = writeSheet(path.join(tmp, 'short.csv'), r.slice(1));
    const res = unblind(file, packet.keyPath);
    expect(res.missing.map((m) => [m.code, m.reason])).toEqual([[r[0].code, 'not-on-sheet'], [r[0].code, 'not-on-sheet']]);
    expect(() => unblind(file, packet.keyPath, { requireComplete: true })).toThrow(expect.objectContaining({ code: 'E_BAD_RATINGS', message: expect.stringMatching(/2 grade\(s\) are missing/) }));
  });
});

describe('repeated showings (intra-reader agreement)', () => {
  it('shows 3 photos twice under other codes; unblind and agree pair each reader\'s two grades of them', async () => {
    const rp = await createReaderPacket(trial.manifest, { out: path.join(tmp, 'packet-rep'), key: path.join(tmp, 'key-rep.csv'), seed: 'rep', scales: ['erythema:0-4'], repeats: 3 });
    expect(rp.items.length).toBe(trial.photos.length + 3);
    const second = rp.key.filter((k) => k.replicate === 2);
    expect(second.length).toBe(3);
    for (const k of second) expect(rp.key.filter((x) => x.photoId === k.photoId).map((x) => x.replicate)).toEqual([1, 2]);
    const { findings } = await scanForNeedles(rp.packetDir, trial.needles);
    expect(findings).toEqual([]);
    const repSheet = parse(readFileSync(rp.sheetPath, 'utf8'), { columns: true }) as Row[];
    const rows: Row[] = [];
    for (const reader of ['RA', 'RB']) {
      for (const r of repSheet) {
        const st = await sharp(path.join(rp.packetDir, rp.items.find((i) => i.code === r.code)!.file)).stats();
        const g = Math.round((st.channels[0].mean - 30) / 50);
        // RB grades the second showing of each photo one grade higher (capped): imperfect test-retest
        const isSecond = second.some((k) => k.code === r.code);
        rows.push({ ...r, reader, date: '2026-01-20', erythema: String(reader === 'RB' && isSecond ? Math.min(4, g + 1) : g) });
      }
    }
    const file = path.join(tmp, 'rep.csv');
    writeFileSync(file, stringify(rows, { header: true, columns: Object.keys(repSheet[0]) }));
    const res = unblind(file, rp.keyPath);
    expect(res.missing).toEqual([]);
    expect(res.ratings.length).toBe(2 * 13);
    expect(res.ratings.filter((r) => r.replicate === 2).length).toBe(2 * 3);
    const long = path.join(tmp, 'rep_long.csv');
    writeUnblinded(res, long);
    const scores = path.join(tmp, 'rep_scores.csv');
    writeFileSync(scores, stringify(trial.photos.map((p, i) => ({ USUBJID: p.subject, AVISIT: p.visit, PHOTOID: photoId(p.file), REGION: 'full_face', PARAMCD: 'ERYIDX', AVAL: String(3 * p.grade + (i % 3)) })), { header: true }));
    const rep = runAgree(long, scores, { scale: 'erythema:0-4', bootstrap: 0, folds: 2 });
    expect(rep.counts.grades).toBe(2 * 10); // second showings do not enter the main analysis
    expect(rep.intraRater!.map((x) => [x.reader, x.n])).toEqual([['RA', 3], ['RB', 3]]);
    expect(rep.intraRater![0].exact).toBe(1);
    const grades = second.map((k) => trial.photos.find((p) => photoId(p.file) === k.photoId)!.grade);
    expect(rep.intraRater![1].exact).toBeCloseTo(grades.filter((g) => g === 4).length / 3, 12);
    expect(agreeReportText(rep)).toMatch(/Intra-reader agreement/);
  });
});

describe('unblind: one packet per reader', () => {
  it('joins each reader\'s sheet through that reader\'s key; nobody is counted missing on a packet they never had', async () => {
    const b = await createReaderPacket(trial.manifest, { out: path.join(tmp, 'packet-r2'), key: path.join(tmp, 'key-r2.csv'), seed: 'second reader', scales: ['erythema:0-4', 'fg_wrinkle:1-9'] });
    const sheetB = parse(readFileSync(b.sheetPath, 'utf8'), { columns: true }) as Row[];
    const ra = writeSheet(path.join(tmp, 'pa.csv'), await readerGrades(packet, 'RA', 0));
    const saved = sheet;
    sheet = sheetB;
    const rb = writeSheet(path.join(tmp, 'pb.csv'), await readerGrades(b, 'RB', 0));
    sheet = saved;
    const res = unblind([ra, rb], [packet.keyPath, b.keyPath]);
    expect(res.readers).toEqual(['RA', 'RB']);
    expect(res.missing).toEqual([]);
    expect(res.ratings.length).toBe(2 * trial.photos.length * 2);
    for (const r of res.ratings) {
      const truth = trial.photos.find((p) => p.subject === r.USUBJID && p.visit === r.AVISIT)!;
      expect(r.grade).toBe(r.scale === 'erythema' ? truth.grade : truth.fgGrade);
    }
    // a code in two keys would make its grades ambiguous
    const clash = path.join(tmp, 'key-clash.csv');
    const firstCode = readFileSync(packet.keyPath, 'utf8').split('\n')[1].split(',')[0];
    const lines = readFileSync(b.keyPath, 'utf8').split('\n');
    lines[1] = [firstCode, ...lines[1].split(',').slice(1)].join(',');
    writeFileSync(clash, lines.join('\n'));
    expect(() => unblind([ra], [packet.keyPath, clash])).toThrow(expect.objectContaining({ code: 'E_BAD_MANIFEST', message: expect.stringMatching(/is in two keys/) }));
  });
});

describe('unblind: degenerate input gets a clear error', () => {
  it('unknown codes are named with file and line', async () => {
    const r = await readerGrades(packet, 'R1', 0);
    r[3] = { ...r[3], code: 'ZZZZ-ZZZZ' };
    const file = writeSheet(path.join(tmp, 'unknown.csv'), r);
    expect(() => unblind(file, packet.keyPath)).toThrow(expect.objectContaining({ code: 'E_BAD_RATINGS', message: expect.stringMatching(/1 code\(s\) .* not in the key .*ZZZZ-ZZZZ \(.*unknown\.csv:5\)/) }));
  });

  it('ratings of one packet against the key of another (mismatched ids) are refused', async () => {
    const file = writeSheet(path.join(tmp, 'mismatch.csv'), await readerGrades(packet, 'R1', 0));
    expect(() => unblind(file, otherKey)).toThrow(expect.objectContaining({ code: 'E_BAD_RATINGS', message: expect.stringMatching(/None of the codes .* is this the key of this packet/) }));
  });

  it('a missing key, a duplicate rating, an out-of-range grade and a missing reader id are errors', async () => {
    const r = await readerGrades(packet, 'R1', 0);
    const ok = writeSheet(path.join(tmp, 'ok.csv'), r);
    expect(() => unblind(ok, path.join(tmp, 'no-such-key.csv'))).toThrow(expect.objectContaining({ code: 'E_NOT_FOUND', message: expect.stringMatching(/Key file not found/) }));
    const dup = writeSheet(path.join(tmp, 'dup.csv'), [...r, { ...r[2], erythema: '0' }]);
    expect(() => unblind(dup, packet.keyPath)).toThrow(expect.objectContaining({ code: 'E_BAD_RATINGS', message: expect.stringMatching(/graded twice by the same reader: .* by R1 \(.*dup\.csv:4 and .*dup\.csv:12\)/) }));
    const range = writeSheet(path.join(tmp, 'range.csv'), r.map((x, i) => (i === 1 ? { ...x, erythema: '5' } : x)));
    expect(() => unblind(range, packet.keyPath)).toThrow(expect.objectContaining({ code: 'E_BAD_RATINGS', message: expect.stringMatching(/Line 3 .* erythema grade "5" is not an integer from 0 to 4/) }));
    const half = writeSheet(path.join(tmp, 'half.csv'), r.map((x, i) => (i === 1 ? { ...x, erythema: '2.5' } : x)));
    expect(() => unblind(half, packet.keyPath)).toThrow(expect.objectContaining({ code: 'E_BAD_RATINGS' }));
    const anon = writeSheet(path.join(tmp, 'anon.csv'), r.map((x) => ({ ...x, reader: '' })));
    expect(() => unblind(anon, packet.keyPath)).toThrow(expect.objectContaining({ code: 'E_BAD_RATINGS', message: expect.stringMatching(/no reader id.*--reader/) }));
    expect(unblind(anon, packet.keyPath, { reader: 'SOLO' }).readers).toEqual(['SOLO']);
    writeFileSync(path.join(tmp, 'nocode.csv'), 'photo,erythema\nA,1\n');
    expect(() => unblind(path.join(tmp, 'nocode.csv'), packet.keyPath)).toThrow(expect.objectContaining({ code: 'E_BAD_RATINGS', message: expect.stringMatching(/no code column/) }));
  });
});
