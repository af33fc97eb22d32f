import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { createReaderPacket, PACKET_FILE_TIME, readPacketKey, type ReaderPacket } from '../../src/blind/index';
import { makeTrial, type Trial } from './fixtures';
import { containerParts, scanForNeedles } from './scan';

let tmp: string;
let trial: Trial;
let packet: ReaderPacket;
const SCALES = ['erythema:0-4', 'fg_wrinkle:1-9'];

function listTree(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel)).sort().flatMap((n) => {
    const r = rel ? `${rel}/${n}` : n;
    return statSync(path.join(dir, r)).isDirectory() ? [r + '/', ...listTree(dir, r)] : [r];
  });
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dm-blind-'));
  trial = await makeTrial(path.join(tmp, 'trial'));
  packet = await createReaderPacket(trial.manifest, { out: path.join(tmp, 'packet'), key: path.join(tmp, 'secret', 'key.csv'), seed: 'trial-42', scales: SCALES });
});

describe('reader packet: nothing identifying', () => {
  it('the planted identifiers are really in the sources (so the scan below is meaningful)', async () => {
    const { findings } = await scanForNeedles(trial.dir, trial.needles);
    for (const n of trial.needles) expect(findings.some((f) => f.endsWith(`: ${n}`)), n).toBe(true);
    // and each metadata channel the scan reads does carry them in the sources
    const jpg = path.join(trial.dir, trial.photos[0].file);
    const png = path.join(trial.dir, trial.photos[1].file);
    const channels = findings.filter((f) => f.includes(trial.photos[0].file.split('/').pop()!) || f.includes(trial.photos[1].file.split('/').pop()!)).map((f) => f.split(' ')[0]);
    for (const c of ['sharp', 'exifr', 'latin1', 'utf16be', 'name']) expect(channels, c).toContain(c);
    expect(containerParts(readFileSync(jpg))).toEqual(expect.arrayContaining(['FFE1', 'FFE2', 'FFFE']));
    expect(containerParts(readFileSync(png))).toEqual(expect.arrayContaining(['tEXt', 'iTXt', 'iCCP']));
  });

  it('no packet file name, byte string, EXIF, XMP, ICC or text chunk holds a subject, visit, arm, date or file name', async () => {
    const { findings, files } = await scanForNeedles(packet.packetDir, trial.needles);
    expect(files.length).toBe(trial.photos.length + 2);
    expect(findings).toEqual([]);
  });

  it('packet photos carry pixels only: no metadata segments or chunks, sRGB without a profile, 8-bit', async () => {
    for (const it of packet.items) {
      const bytes = readFileSync(path.join(packet.packetDir, it.file));
      const parts = containerParts(bytes);
      if (it.file.endsWith('.png')) expect(parts.filter((p) => !['IHDR', 'IDAT', 'IEND'].includes(p))).toEqual([]);
      // SOI is not listed; allowed: DQT, SOF0/1/2, DHT, SOS, JFIF APP0 (density only), DRI
      else expect(parts.filter((p) => !['FFDB', 'FFC0', 'FFC1', 'FFC2', 'FFC4', 'FFDA', 'FFE0', 'FFDD'].includes(p))).toEqual([]);
      const m = await sharp(bytes).metadata();
      expect([m.exif, m.xmp, m.iptc, m.icc, m.hasProfile]).toEqual([undefined, undefined, undefined, undefined, false]);
      expect(m.space).toBe('srgb');
      expect(m.depth).toBe('uchar');
    }
  });

  it('file and folder times are all the fixed date; codes are 8 random characters in random order', () => {
    for (const rel of ['', ...listTree(packet.packetDir)]) {
      expect(statSync(path.join(packet.packetDir, rel)).mtime.toISOString(), rel).toBe(PACKET_FILE_TIME.toISOString());
    }
    for (const it of packet.items) expect(it.code).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
    // sheet order is not manifest order
    const key = readPacketKey(packet.keyPath);
    expect(key.entries.map((e) => e.code)).not.toEqual(packet.items.map((i) => i.code));
    expect(new Set(packet.items.map((i) => i.code)).size).toBe(packet.items.length);
  });

  it('the rating sheet has the declared scale columns, blank, one row per photo', () => {
    const rows = parse(readFileSync(packet.sheetPath, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0])).toEqual(['order', 'code', 'reader', 'date', 'erythema', 'fg_wrinkle', 'comment']);
    expect(rows.map((r) => r.code)).toEqual(packet.items.map((i) => i.code));
    for (const r of rows) expect([r.reader, r.date, r.erythema, r.fg_wrinkle, r.comment].join('')).toBe('');
  });

  it('the key maps each code to the photo whose pixels it shows', async () => {
    const key = readPacketKey(packet.keyPath);
    expect(key.entries.map((e) => `${e.subject}/${e.visit}`)).toEqual(trial.photos.map((p) => `${p.subject}/${p.visit}`));
    for (const e of key.entries) {
      const item = packet.items.find((i) => i.code === e.code)!;
      const photo = trial.photos.find((p) => p.subject === e.subject && p.visit === e.visit)!;
      const stats = await sharp(path.join(packet.packetDir, item.file)).stats();
      expect(Math.abs(stats.channels[0].mean - (30 + 50 * photo.grade))).toBeLessThan(3);
      expect(Math.abs(stats.channels[1].mean - 20 * photo.fgGrade)).toBeLessThan(3);
    }
    const keyText = readFileSync(packet.keyPath, 'utf8');
    expect(keyText.split('\n')[0]).toContain('code,order,packet_file,USUBJID,AVISIT,ARM');
    expect(keyText).toContain('manifest_photo_date');
  });

  it('EXIF orientation is applied to the pixels (a 48x32 photo tagged Orientation 6 becomes 32x48)', async () => {
    const key = readPacketKey(packet.keyPath);
    const rotated = key.entries[2];
    const item = packet.items.find((i) => i.code === rotated.code)!;
    const m = await sharp(path.join(packet.packetDir, item.file)).metadata();
    expect([m.width, m.height]).toEqual([32, 48]);
  });
});

describe('reader packet: reproducible from its seed', () => {
  it('same seed -> byte-identical packet; another seed -> other codes and another order', async () => {
    const again = await createReaderPacket(trial.manifest, { out: path.join(tmp, 'packet2'), key: path.join(tmp, 'secret', 'key2.csv'), seed: 'trial-42', scales: SCALES });
    const a = listTree(packet.packetDir);
    expect(listTree(again.packetDir)).toEqual(a);
    for (const rel of a.filter((r) => !r.endsWith('/'))) {
      expect(readFileSync(path.join(again.packetDir, rel)).equals(readFileSync(path.join(packet.packetDir, rel))), rel).toBe(true);
    }
    expect(readFileSync(again.keyPath, 'utf8')).toBe(readFileSync(packet.keyPath, 'utf8').replace(/trial-42/g, 'trial-42'));
    const other = await createReaderPacket(trial.manifest, { out: path.join(tmp, 'packet3'), key: path.join(tmp, 'secret', 'key3.csv'), seed: 'trial-43', scales: SCALES });
    expect(other.items.map((i) => i.code).filter((c) => packet.items.some((p) => p.code === c))).toEqual([]);
    const order = (p: ReaderPacket): string[] => p.items.map((i) => p.key.find((k) => k.code === i.code)!.photoId);
    expect(order(other)).not.toEqual(order(packet));
  });
});

describe('reader packet: refuses unsafe or incomplete requests', () => {
  it('refuses a key inside the packet, a non-empty packet folder, an existing key, a missing seed', async () => {
    const out = path.join(tmp, 'p-bad');
    await expect(createReaderPacket(trial.manifest, { out, key: path.join(out, 'key.csv'), seed: 1 })).rejects.toMatchObject({ code: 'E_INVALID_OPTION', message: expect.stringMatching(/inside the packet folder/) });
    await expect(createReaderPacket(trial.manifest, { out, key: path.join(out, 'sub', '..', 'photos', 'k.csv'), seed: 1 })).rejects.toMatchObject({ code: 'E_INVALID_OPTION' });
    await expect(createReaderPacket(trial.manifest, { out: packet.packetDir, key: path.join(tmp, 'k-new.csv'), seed: 1 })).rejects.toMatchObject({ code: 'E_INVALID_OPTION', message: expect.stringMatching(/not empty/) });
    await expect(createReaderPacket(trial.manifest, { out, key: packet.keyPath, seed: 1 })).rejects.toMatchObject({ code: 'E_INVALID_OPTION', message: expect.stringMatching(/exists already/) });
    await expect(createReaderPacket(trial.manifest, { out, key: path.join(tmp, 'k.csv') } as never)).rejects.toMatchObject({ code: 'E_INVALID_OPTION', message: expect.stringMatching(/options\.seed/) });
    await expect(createReaderPacket(trial.manifest, { out, key: path.join(tmp, 'k.csv'), seed: 1, scales: ['erythema:4-0'] })).rejects.toMatchObject({ code: 'E_INVALID_OPTION' });
  });

  it('a manifest naming a missing photo fails with E_NOT_FOUND and writes no key', async () => {
    const dir = path.join(tmp, 'broken');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'manifest.csv'), 'path,subject,visit\nnope.jpg,S1,V1\n');
    const key = path.join(tmp, 'k-broken.csv');
    await expect(createReaderPacket(path.join(dir, 'manifest.csv'), { out: path.join(tmp, 'p-broken'), key, seed: 5 })).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    expect(() => statSync(key)).toThrow();
  });
});
