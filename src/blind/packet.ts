import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, realpathSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readManifest, type ManifestRow } from '../batch/manifest';
import { choiceOption, DermametricsError, invalidOption, numberOption } from '../errors';
import { checkPacket, identifyingStrings } from './check';
import { drawCodes, KeyedStream } from './codes';
import { toCsv } from './csv';
import { readPhoto, reencodePhoto, type ReencodeOptions } from './reencode';
import { PACKET_FILE_TIME, PACKET_PHOTOS, PACKET_README, PACKET_SHEET, readmeText, SHEET_LEAD_COLUMNS, SHEET_TAIL_COLUMNS } from './layout';
import { formatScale, parseScales, type RatingScale } from './scales';

export { PACKET_FILE_TIME, PACKET_PHOTOS, PACKET_README, PACKET_SHEET, SHEET_LEAD_COLUMNS, SHEET_TAIL_COLUMNS } from './layout';

/** Columns of the key file, in order (manifest `extra` columns follow, prefixed 'manifest_'). */
export const KEY_COLUMNS = [
  'code', 'order', 'packet_file', 'USUBJID', 'AVISIT', 'ARM', 'TRTSIDE', 'ABLFL', 'PHOTOID', 'replicate',
  'rel_path', 'source_path', 'source_file_name', 'source_sha256', 'packet_sha256', 'scales', 'seed',
] as const;

export interface ReaderPacketOptions extends ReencodeOptions {
  /** packet folder to create; it must not exist or be empty */
  out: string;
  /** key CSV to write; must be outside the packet folder */
  key: string;
  /** seed of the order and the codes; with the manifest it rebuilds the key, so keep it as secret as the key */
  seed: string | number;
  /** scales readers grade on, 'name:min-max' or objects (default erythema:0-4) */
  scales?: readonly (string | RatingScale)[];
  /** passed to readManifest */
  allowOutside?: boolean;
  /** passed to readManifest (directory manifests) */
  pattern?: string;
  /** replace an existing key file (default false: refuse, a lost key cannot be recovered from the packet) */
  overwriteKey?: boolean;
  /** photos decoded at once (default 2) */
  concurrency?: number;
  /**
   * how many photos (chosen at random from the seed) appear a second time under another code, for intra-reader
   * (test–retest) agreement (default 0)
   */
  repeats?: number;
}

/** One packet photo as the packet shows it: nothing about the subject. */
export interface PacketItem {
  code: string;
  /** 1-based position on the rating sheet */
  order: number;
  /** path relative to the packet folder, e.g. 'photos/P7K2-XQ9M.jpg' */
  file: string;
}

/** One row of the key: the code and everything it hides. */
export interface KeyRow {
  code: string;
  order: number;
  packetFile: string;
  subject: string;
  visit: string;
  arm?: string;
  treatedSide?: string;
  baseline: boolean;
  photoId: string;
  /** 1, or 2 for the second showing of a repeated photo */
  replicate: number;
  relPath: string;
  sourcePath: string;
  sourceFileName: string;
  sourceSha256: string;
  packetSha256: string;
}

export interface ReaderPacket {
  packetDir: string;
  keyPath: string;
  sheetPath: string;
  readmePath: string;
  scales: RatingScale[];
  /** in sheet order */
  items: PacketItem[];
  /** in manifest order (write-only to the key file; never put this in the packet) */
  key: KeyRow[];
}

function sha256(b: Buffer | string): string {
  return createHash('sha256').update(b).digest('hex');
}

/** The nearest existing ancestor's real path joined with the rest: where `p` would really be. */
function realish(p: string): string {
  const rest: string[] = [];
  let cur = path.resolve(p);
  for (;;) {
    try {
      return path.join(realpathSync(cur), ...rest.reverse());
    } catch {
      const parent = path.dirname(cur);
      if (parent === cur) return path.resolve(p);
      rest.push(path.basename(cur));
      cur = parent;
    }
  }
}

function isInside(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Build a blinded reader packet from a trial manifest: every photo re-encoded without metadata (see reencodePhoto)
 * under a random code, in a random order; a rating sheet with blank grade columns for the declared scales; a README
 * for readers. The key (code -> subject, visit, arm, source file) is written to `options.key`, outside the packet.
 * Same manifest, photos and options -> byte-identical packet and key. All packet files and folders get the time
 * PACKET_FILE_TIME and are written in sheet order, so neither times nor directory order reflect the manifest.
 *
 * @throws E_INVALID_OPTION for a missing seed, a key path inside the packet, a non-empty packet folder or an
 *   existing key (unless overwriteKey); readManifest's errors; E_NOT_FOUND / E_DECODE for an unreadable photo.
 */
export async function createReaderPacket(manifestPath: string, options: ReaderPacketOptions): Promise<ReaderPacket> {
  if (options === null || typeof options !== 'object') throw invalidOption('options', 'an object with out, key and seed', options);
  const { out, key: keyOption, seed } = options;
  if (typeof out !== 'string' || out === '') throw invalidOption('options.out', 'the packet folder path', out);
  if (typeof keyOption !== 'string' || keyOption === '') {
    throw invalidOption('options.key', 'the key file path (outside the packet folder)', keyOption);
  }
  if ((typeof seed !== 'string' || seed === '') && (typeof seed !== 'number' || !Number.isFinite(seed))) {
    throw invalidOption('options.seed', 'a seed (string or number); record it with the key', seed);
  }
  const scales = parseScales(options.scales, 'options.scales');
  const format = choiceOption('options.format', options.format, ['jpeg', 'png'] as const, 'jpeg');
  const jpegQuality = numberOption('options.jpegQuality', options.jpegQuality, 95, { min: 1, max: 100, integer: true });
  const longEdgePx = options.longEdgePx === undefined ? undefined : numberOption('options.longEdgePx', options.longEdgePx, 0, { min: 16, max: 65535, integer: true });
  const concurrency = numberOption('options.concurrency', options.concurrency, 2, { min: 1, max: 64, integer: true });
  const repeats = numberOption('options.repeats', options.repeats, 0, { min: 0, integer: true });

  const packetDir = path.resolve(out);
  const keyPath = path.resolve(keyOption);
  if (isInside(realish(packetDir), realish(keyPath)) || isInside(packetDir, keyPath)) {
    throw new DermametricsError('E_INVALID_OPTION', `The key file ${keyPath} would be inside the packet folder ${packetDir}. Write the key elsewhere: readers receive the whole packet folder.`, { key: keyPath, out: packetDir });
  }
  if (existsSync(keyPath) && options.overwriteKey !== true) {
    throw new DermametricsError('E_INVALID_OPTION', `The key file ${keyPath} exists already. Choose another path, or pass overwriteKey (--force) if its packet is to be discarded.`, { key: keyPath });
  }
  if (existsSync(packetDir) && readdirSync(packetDir).length > 0) {
    throw new DermametricsError('E_INVALID_OPTION', `The packet folder ${packetDir} is not empty. Give a new or empty folder, so that no other file ends up in the packet.`, { out: packetDir });
  }

  const manifest = readManifest(manifestPath, { allowOutside: options.allowOutside, pattern: options.pattern });
  const ext = format === 'png' ? 'png' : 'jpg';
  // Order first, then codes: the draw position of a code is its sheet position, never a manifest position.
  if (repeats > manifest.length) throw invalidOption('options.repeats', `an integer from 0 to the number of photos (${manifest.length})`, repeats);
  const again = repeats > 0 ? new KeyedStream(seed, 'repeats').shuffle([...manifest]).slice(0, repeats) : [];
  const slots = [...manifest.map((row) => ({ row, replicate: 1 })), ...again.map((row) => ({ row, replicate: 2 }))];
  const order: { row: ManifestRow; replicate: number }[] = new KeyedStream(seed, 'order').shuffle(slots);
  const needles = identifyingStrings(manifest);
  const codes = drawCodes(new KeyedStream(seed, 'codes'), order.length, needles);

  mkdirSync(path.join(packetDir, PACKET_PHOTOS), { recursive: true });
  const items: PacketItem[] = [];
  const keyRows: KeyRow[] = [];
  for (let start = 0; start < order.length; start += concurrency) {
    const chunk = order.slice(start, start + concurrency);
    const sources = await Promise.all(chunk.map(({ row }) => readPhoto(row.path)));
    const encoded = await Promise.all(chunk.map(({ row }, j) => reencodePhoto(sources[j], { format, jpegQuality, longEdgePx }, row.path)));
    for (let j = 0; j < chunk.length; j++) {
      const i = start + j;
      const { row, replicate } = chunk[j];
      const file = `${PACKET_PHOTOS}/${codes[i]}.${ext}`;
      writeFileSync(path.join(packetDir, file), encoded[j]);
      items.push({ code: codes[i], order: i + 1, file });
      keyRows.push({
        code: codes[i],
        order: i + 1,
        packetFile: file,
        subject: row.subject,
        visit: row.visit,
        arm: row.arm,
        treatedSide: row.treatedSide,
        baseline: row.baseline,
        photoId: row.id,
        replicate,
        relPath: row.relPath,
        sourcePath: row.path,
        sourceFileName: path.basename(row.path),
        sourceSha256: sha256(sources[j]),
        packetSha256: sha256(encoded[j]),
      });
    }
  }
  const sheetHeader = [...SHEET_LEAD_COLUMNS, ...scales.map((s) => s.name), ...SHEET_TAIL_COLUMNS];
  const sheetPath = path.join(packetDir, PACKET_SHEET);
  writeFileSync(sheetPath, toCsv(sheetHeader, items.map((it) => [it.order, it.code, ...sheetHeader.slice(2).map(() => '')])));
  const readmePath = path.join(packetDir, PACKET_README);
  writeFileSync(readmePath, readmeText(scales, items.length));

  for (const it of items) utimesSync(path.join(packetDir, it.file), PACKET_FILE_TIME, PACKET_FILE_TIME);
  for (const p of [sheetPath, readmePath, path.join(packetDir, PACKET_PHOTOS), packetDir]) utimesSync(p, PACKET_FILE_TIME, PACKET_FILE_TIME);

  // Defence in depth: the finished packet must pass the whitelist check before a key makes it usable.
  const check = await checkPacket(packetDir, { needles, scanBytes: false });
  if (!check.ok) {
    throw new DermametricsError('E_INTERNAL', `The packet ${packetDir} failed its own check (${check.findings.length} finding(s), e.g. ${check.findings.slice(0, 3).map((f) => `${f.file}: ${f.problem}`).join('; ')}). No key was written; do not use this packet, and report this as a bug.`, { findings: check.findings.slice(0, 50) });
  }

  // The key, in manifest order, written last: a packet without its key would be useless, a key without photos harmless.
  const byPhoto = new Map(manifest.map((m, idx) => [m.id, idx]));
  keyRows.sort((a, b) => byPhoto.get(a.photoId)! - byPhoto.get(b.photoId)! || a.replicate - b.replicate);
  writeKey(keyPath, keyRows, manifest, scales, seed);
  return { packetDir, keyPath, sheetPath, readmePath, scales, items, key: keyRows };
}

function writeKey(keyPath: string, rows: KeyRow[], manifest: ManifestRow[], scales: RatingScale[], seed: string | number): void {
  const extraNames = [...new Set(manifest.flatMap((m) => Object.keys(m.extra)))];
  const extraOf = new Map(manifest.map((m) => [m.id, m.extra]));
  const header = [...KEY_COLUMNS, ...extraNames.map((n) => `manifest_${n}`)];
  const scaleText = scales.map(formatScale).join(';');
  const body = rows.map((k) => [
    k.code, k.order, k.packetFile, k.subject, k.visit, k.arm ?? '', k.treatedSide ?? '', k.baseline ? 'Y' : '', k.photoId, k.replicate,
    k.relPath, k.sourcePath, k.sourceFileName, k.sourceSha256, k.packetSha256, scaleText, String(seed),
    ...extraNames.map((n) => extraOf.get(k.photoId)?.[n] ?? ''),
  ]);
  mkdirSync(path.dirname(keyPath), { recursive: true });
  writeFileSync(keyPath, toCsv(header, body));
}
