import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { DermametricsError } from '../errors';
import { CODE_ALPHABET } from './codes';
import { ALLOWED_JPEG_PARTS, ALLOWED_PNG_PARTS, containerParts } from './container';
import { readCsvTable } from './csv';
import { readPacketKey } from './key';
import { PACKET_FILE_TIME, PACKET_PHOTOS, PACKET_README, PACKET_SHEET, readmeText, SHEET_LEAD_COLUMNS, SHEET_TAIL_COLUMNS } from './layout';
import type { RatingScale } from './scales';

export interface PacketFinding {
  /** path relative to the packet folder ('' = the folder itself) */
  file: string;
  problem: string;
}

export interface PacketCheck {
  ok: boolean;
  /** files and folders inspected, photos among them, and identifying strings searched for */
  entries: number;
  photos: number;
  needles: number;
  findings: PacketFinding[];
}

export interface CheckPacketOptions {
  /** the packet's key: its subjects, visits, arms, file names and manifest values are searched for, and its codes must be the packet's */
  key?: string;
  /** more strings that must not occur (e.g. site names, investigator names) */
  needles?: readonly string[];
  /** search photo bytes for the strings (default true when there are strings; metadata is always whitelisted) */
  scanBytes?: boolean;
}

const CODE_RE = new RegExp(`^[${CODE_ALPHABET}]{4}-[${CODE_ALPHABET}]{4}$`);
const PHOTO_RE = new RegExp(`^${PACKET_PHOTOS}/([${CODE_ALPHABET}]{4}-[${CODE_ALPHABET}]{4})\\.(jpg|png)$`);
/** strings shorter than this are not searched for in photo bytes (they would occur there by chance) */
export const MIN_BYTE_NEEDLE = 6;

function walk(dir: string, rel: string, out: string[]): void {
  for (const name of readdirSync(path.join(dir, rel)).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    out.push(r);
    if (statSync(path.join(dir, r)).isDirectory()) walk(dir, r, out);
  }
}

/** What identifies a photo: its subject, visit, arm, relative path and other manifest values. */
export interface IdentifyingRecord {
  subject: string;
  visit: string;
  arm?: string;
  relPath: string;
  extra?: Record<string, string>;
}

/**
 * The identifying strings of a trial: subjects, visits, arms, file names and their stems, folder names, every other
 * manifest value, and ISO dates also as YYYY:MM:DD (EXIF) and YYYYMMDD.
 */
export function identifyingStrings(records: readonly IdentifyingRecord[]): string[] {
  const out = new Set<string>();
  const put = (v: string | undefined): void => {
    const t = (v ?? '').trim();
    if (!t) return;
    out.add(t);
    const date = /^(\d{4})-(\d{2})-(\d{2})/.exec(t);
    if (date) {
      out.add(`${date[1]}:${date[2]}:${date[3]}`);
      out.add(`${date[1]}${date[2]}${date[3]}`);
    }
  };
  for (const r of records) {
    put(r.subject);
    put(r.visit);
    put(r.arm);
    const segs = r.relPath.split('/');
    for (const seg of segs.slice(0, -1)) put(seg);
    const file = segs[segs.length - 1];
    put(file);
    put(file.replace(/\.[^.]+$/, ''));
    for (const v of Object.values(r.extra ?? {})) put(v);
  }
  return [...out];
}

/** identifyingStrings of a key file written by createReaderPacket. */
export function keyNeedles(keyFile: string): string[] {
  const t = readCsvTable(keyFile, 'Key file', 'E_BAD_MANIFEST');
  const col = (h: string): number => t.header.indexOf(h);
  const extras = t.header.map((h, i) => ({ h, i })).filter(({ h }) => h.startsWith('manifest_'));
  return identifyingStrings(
    t.rows.map((r) => ({
      subject: r[col('USUBJID')] ?? '',
      visit: r[col('AVISIT')] ?? '',
      arm: r[col('ARM')] ?? '',
      relPath: r[col('rel_path')] ?? r[col('source_file_name')] ?? '',
      extra: Object.fromEntries(extras.map(({ h, i }) => [h, r[i] ?? ''])),
    })),
  );
}

function parseReadmeScales(text: string): RatingScale[] {
  const scales: RatingScale[] = [];
  for (const m of text.matchAll(/^ {2}([A-Za-z][A-Za-z0-9_]*) +an integer grade from (-?\d+) to (-?\d+)$/gm)) scales.push({ name: m[1], min: Number(m[2]), max: Number(m[3]) });
  return scales;
}

/**
 * Check a reader packet before it goes to readers, by whitelist: only README.txt, rating_sheet.csv and
 * photos/<code>.jpg|png; the README exactly as generated; the sheet with only order and code filled; photos with no
 * metadata segments or chunks (JPEG: JFIF, tables, scan; PNG: IHDR, IDAT, IEND) and no EXIF, XMP, IPTC or ICC as
 * sharp reads them; every time 2000-01-01. With a key (or needles), also searches every name and photo byte
 * (latin1, UTF-8, UTF-16LE/BE) for the subjects, visits, arms, file names and manifest values it holds.
 * createReaderPacket runs this on every packet it writes (without the byte search).
 */
export async function checkPacket(packetDir: string, options: CheckPacketOptions = {}): Promise<PacketCheck> {
  const findings: PacketFinding[] = [];
  const add = (file: string, problem: string): void => void findings.push({ file, problem });
  let st;
  try {
    st = statSync(packetDir);
  } catch {
    throw new DermametricsError('E_NOT_FOUND', `Packet folder not found: ${packetDir}.`, { path: packetDir });
  }
  if (!st.isDirectory()) throw new DermametricsError('E_INVALID_OPTION', `${packetDir} is not a folder.`, { path: packetDir });
  const entries: string[] = [];
  walk(packetDir, '', entries);
  const needles = [...new Set([...(options.key ? keyNeedles(options.key) : []), ...(options.needles ?? [])].map((n) => n.trim()).filter((n) => n.length >= 2))];
  const lower = needles.map((n) => n.toLowerCase());

  for (const rel of ['', ...entries]) {
    if (statSync(path.join(packetDir, rel)).mtime.getTime() !== PACKET_FILE_TIME.getTime()) add(rel, `modification time is not ${PACKET_FILE_TIME.toISOString()}`);
  }
  const photoCodes = new Map<string, string>();
  for (const rel of entries) {
    const m = PHOTO_RE.exec(rel);
    if (m) photoCodes.set(m[1], rel);
    else if (rel !== PACKET_README && rel !== PACKET_SHEET && rel !== PACKET_PHOTOS) add(rel, 'unexpected file or folder (a packet holds only README.txt, rating_sheet.csv and photos/<code>.jpg|png)');
  }

  // the rating sheet: order and code filled, every other cell blank
  let sheetCodes: string[] = [];
  let scaleNames: string[] = [];
  if (!entries.includes(PACKET_SHEET)) add(PACKET_SHEET, 'missing');
  else {
    const t = readCsvTable(path.join(packetDir, PACKET_SHEET), 'Rating sheet', 'E_BAD_RATINGS');
    const lead = [...SHEET_LEAD_COLUMNS] as string[];
    const tail = [...SHEET_TAIL_COLUMNS] as string[];
    scaleNames = t.header.slice(lead.length, t.header.length - tail.length);
    if (t.header.slice(0, lead.length).join() !== lead.join() || t.header.slice(-tail.length).join() !== tail.join() || scaleNames.length === 0 || scaleNames.some((n) => !/^[A-Za-z][A-Za-z0-9_]*$/.test(n))) {
      add(PACKET_SHEET, `unexpected header: ${t.header.join(',')}`);
    }
    t.rows.forEach((r, i) => {
      const code = (r[1] ?? '').trim();
      if ((r[0] ?? '').trim() !== String(i + 1)) add(PACKET_SHEET, `line ${t.lines[i]}: order is not ${i + 1}`);
      if (!CODE_RE.test(code)) add(PACKET_SHEET, `line ${t.lines[i]}: "${code.slice(0, 40)}" is not a packet code`);
      if (r.length !== t.header.length || r.slice(2).some((c) => c.trim() !== '')) add(PACKET_SHEET, `line ${t.lines[i]}: cells other than order and code must be blank`);
      sheetCodes.push(code);
    });
    if (new Set(sheetCodes).size !== sheetCodes.length) add(PACKET_SHEET, 'a code is listed twice');
    const missingPhoto = sheetCodes.filter((c) => !photoCodes.has(c));
    const notOnSheet = [...photoCodes.keys()].filter((c) => !sheetCodes.includes(c));
    if (missingPhoto.length) add(PACKET_SHEET, `codes without a photo: ${missingPhoto.slice(0, 5).join(', ')}`);
    if (notOnSheet.length) add(PACKET_PHOTOS, `photos not on the sheet: ${notOnSheet.slice(0, 5).join(', ')}`);
  }

  // the README: exactly the generated text
  if (!entries.includes(PACKET_README)) add(PACKET_README, 'missing');
  else {
    const text = readFileSync(path.join(packetDir, PACKET_README), 'utf8');
    const scales = parseReadmeScales(text);
    if (scales.map((s) => s.name).join() !== scaleNames.join() || text !== readmeText(scales, photoCodes.size)) add(PACKET_README, 'differs from the generated README (edited, or from another packet)');
  }

  // photos: no metadata, and (optionally) none of the identifying strings in their bytes
  const scanBytes = options.scanBytes ?? needles.length > 0;
  const byteNeedles = lower.filter((n) => n.length >= MIN_BYTE_NEEDLE);
  const byteRe = byteNeedles.length ? new RegExp(byteNeedles.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')) : null;
  for (const rel of photoCodes.values()) {
    const bytes = readFileSync(path.join(packetDir, rel));
    const parts = containerParts(bytes);
    const png = rel.endsWith('.png');
    const extra = parts.filter((p) => !(png ? ALLOWED_PNG_PARTS : ALLOWED_JPEG_PARTS).has(p));
    if (extra.length) add(rel, `carries ${png ? 'chunks' : 'segments'} other than pixels: ${[...new Set(extra)].join(', ')}`);
    try {
      const m = await sharp(bytes).metadata();
      if (m.format !== (png ? 'png' : 'jpeg')) add(rel, `is ${m.format}, not ${png ? 'png' : 'jpeg'}`);
      const meta = (['exif', 'xmp', 'iptc', 'icc'] as const).filter((k) => m[k] !== undefined);
      if (meta.length) add(rel, `carries metadata: ${meta.join(', ')}`);
      if (m.comments?.length) add(rel, 'carries comments');
    } catch {
      add(rel, 'does not decode');
    }
    if (scanBytes && byteRe) {
      for (const [enc, text] of [
        ['latin1', bytes.toString('latin1')],
        ['utf16le', bytes.toString('utf16le')],
        ['utf16le+1', bytes.subarray(1).toString('utf16le')],
        ['utf16be', Buffer.from(bytes.subarray(0, bytes.length & ~1)).swap16().toString('utf16le')],
        ['utf16be+1', Buffer.from(bytes.subarray(1, 1 + ((bytes.length - 1) & ~1))).swap16().toString('utf16le')],
      ] as const) {
        const hit = byteRe.exec(text.toLowerCase());
        if (hit) add(rel, `bytes (${enc}) contain "${needles[lower.indexOf(hit[0])] ?? hit[0]}"`);
      }
    }
  }
  // names: every fixed part is checked above; the codes are random, but one could by chance spell a short id
  // (createReaderPacket redraws such codes), so the codes themselves are searched too
  for (const [code, rel] of photoCodes) {
    const flat = code.replace('-', '').toLowerCase();
    const hit = lower.find((n) => n.length >= 2 && (code.toLowerCase().includes(n) || flat.includes(n)));
    if (hit) add(rel, `code contains "${needles[lower.indexOf(hit)]}"`);
  }
  if (options.key) {
    const key = readPacketKey(options.key);
    const keyCodes = new Set(key.entries.map((e) => e.code));
    const foreign = sheetCodes.filter((c) => !keyCodes.has(c));
    if (foreign.length || keyCodes.size !== sheetCodes.length) add(PACKET_SHEET, `codes do not match the key ${options.key} (${foreign.length} not in the key; key has ${keyCodes.size}, sheet ${sheetCodes.length})`);
  }
  return { ok: findings.length === 0, entries: entries.length, photos: photoCodes.size, needles: needles.length, findings };
}
