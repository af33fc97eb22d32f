import { copyFileSync, cpSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkPacket, createReaderPacket, keyNeedles, PACKET_FILE_TIME, type ReaderPacket } from '../../src/blind/index';
import { drawCodes, KeyedStream } from '../../src/blind/codes';
import { makeTrial, type Trial } from './fixtures';

let tmp: string;
let trial: Trial;
let packet: ReaderPacket;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dm-check-'));
  trial = await makeTrial(path.join(tmp, 'trial'));
  packet = await createReaderPacket(trial.manifest, { out: path.join(tmp, 'packet'), key: path.join(tmp, 'key.csv'), seed: 'chk', scales: ['erythema:0-4', 'fg_wrinkle:1-9'] });
});

/** a copy of the packet with one change, all times reset so that only the change differs */
function tampered(name: string, change: (dir: string) => void): string {
  const dir = path.join(tmp, name);
  cpSync(packet.packetDir, dir, { recursive: true });
  change(dir);
  for (const rel of ['', 'photos', 'README.txt', 'rating_sheet.csv', ...packet.items.map((i) => i.file)]) {
    try {
      utimesSync(path.join(dir, rel), PACKET_FILE_TIME, PACKET_FILE_TIME);
    } catch {
      /* removed by the change */
    }
  }
  return dir;
}

describe('checkPacket', () => {
  it('passes a packet from createReaderPacket, searching names and bytes for every identifying string of the key', async () => {
    const res = await checkPacket(packet.packetDir, { key: packet.keyPath });
    expect(res.findings).toEqual([]);
    expect(res.ok).toBe(true);
    expect(res.photos).toBe(10);
    const searched = keyNeedles(packet.keyPath);
    expect(res.needles).toBe(searched.length);
    for (const n of trial.needles.filter((x) => !x.startsWith('DSC'))) expect(searched, n).toContain(n);
  });

  it('finds a source photo slipped into the packet: metadata segments, EXIF/XMP/ICC, and the subject id in its bytes', async () => {
    const victim = packet.items[0];
    const dir = tampered('leak', (d) => copyFileSync(path.join(trial.dir, trial.photos[0].file), path.join(d, victim.file)));
    const res = await checkPacket(dir, { key: packet.keyPath });
    expect(res.ok).toBe(false);
    const about = res.findings.filter((f) => f.file === victim.file).map((f) => f.problem).join('\n');
    expect(about).toMatch(/segments other than pixels: .*FFE1/);
    expect(about).toMatch(/metadata: exif, xmp, icc/);
    expect(about).toMatch(new RegExp(`bytes \\(latin1\\) contain "(${trial.photos[0].subject}|${trial.photos[0].visit}|[^"]*DSC4400[^"]*)"`, 'i'));
  });

  it('finds extra files, an edited README, a filled sheet, a changed time, and the key of another packet', async () => {
    const extra = await checkPacket(tampered('extra', (d) => {
      writeFileSync(path.join(d, '.DS_Store'), 'x');
      utimesSync(path.join(d, '.DS_Store'), PACKET_FILE_TIME, PACKET_FILE_TIME);
    }));
    expect(extra.findings).toEqual([{ file: '.DS_Store', problem: expect.stringMatching(/unexpected file/) }]);
    const readme = await checkPacket(tampered('readme', (d) => writeFileSync(path.join(d, 'README.txt'), readFileSync(path.join(d, 'README.txt'), 'utf8') + 'Site: Berlin\n')));
    expect(readme.findings).toEqual([{ file: 'README.txt', problem: expect.stringMatching(/differs from the generated README/) }]);
    const sheet = await checkPacket(tampered('sheet', (d) => {
      const f = path.join(d, 'rating_sheet.csv');
      writeFileSync(f, readFileSync(f, 'utf8').replace(/\n(1,[^,]+),,,/, '\n$1,Dr X,,'));
    }));
    expect(sheet.findings).toEqual([{ file: 'rating_sheet.csv', problem: expect.stringMatching(/line 2: cells other than order and code must be blank/) }]);
    const dir = tampered('time', () => undefined);
    utimesSync(path.join(dir, packet.items[3].file), new Date(), new Date());
    expect((await checkPacket(dir)).findings).toEqual([{ file: packet.items[3].file, problem: expect.stringMatching(/modification time/) }]);
    const other = await createReaderPacket(trial.manifest, { out: path.join(tmp, 'packet-b'), key: path.join(tmp, 'key-b.csv'), seed: 'other' });
    const mismatch = await checkPacket(packet.packetDir, { key: other.keyPath });
    expect(mismatch.findings.map((f) => f.problem).join()).toMatch(/codes do not match the key/);
  });

  it('codes never spell an identifying string: drawCodes redraws them', () => {
    const avoid = ['2A', 'B3', 'XY', 'Q9', 'MM', 'S23', 'P4', 'Z7', 'K2', 'CD'];
    const codes = drawCodes(new KeyedStream('avoid', 'codes'), 500, avoid);
    expect(new Set(codes).size).toBe(500);
    for (const c of codes) for (const a of avoid) expect(c.replace('-', '').includes(a) || c.includes(a), `${c} ${a}`).toBe(false);
    // without the list, these codes would occur: the test is live
    const free = drawCodes(new KeyedStream('avoid', 'codes'), 500);
    expect(free.some((c) => avoid.some((a) => c.replace('-', '').includes(a)))).toBe(true);
  });
});
