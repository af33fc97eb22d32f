import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import exifr from 'exifr';
import sharp from 'sharp';

/** Segment/chunk names of a JPEG (markers) or PNG (chunk types), to see what a file carries besides pixels. */
export function containerParts(bytes: Buffer): string[] {
  const parts: string[] = [];
  if (bytes[0] === 0x89 && bytes.toString('latin1', 1, 4) === 'PNG') {
    for (let o = 8; o + 8 <= bytes.length; ) {
      const len = bytes.readUInt32BE(o);
      parts.push(bytes.toString('latin1', o + 4, o + 8));
      o += 12 + len;
    }
  } else if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    for (let o = 2; o + 4 <= bytes.length; ) {
      if (bytes[o] !== 0xff) break;
      const marker = bytes[o + 1];
      parts.push(`FF${marker.toString(16).toUpperCase()}`);
      if (marker === 0xda) break; // start of scan: entropy-coded data follows
      o += 2 + bytes.readUInt16BE(o + 2);
    }
  }
  return parts;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    out.push(p);
    if (statSync(p).isDirectory()) walk(p, out);
  }
  return out;
}

/**
 * Every place a needle could hide in a folder: entry names, raw bytes read as latin1, UTF-8, UTF-16LE and UTF-16BE,
 * and for images what sharp's metadata (EXIF, XMP, IPTC, ICC, comments) and exifr (TIFF/EXIF, XMP, IPTC, ICC, JFIF,
 * PNG text chunks) report. Returns one line per finding.
 */
export async function scanForNeedles(dir: string, needles: string[]): Promise<{ findings: string[]; files: string[] }> {
  const lower = needles.map((n) => n.toLowerCase());
  const findings: string[] = [];
  const check = (where: string, text: string): void => {
    const t = text.toLowerCase();
    lower.forEach((n, i) => {
      if (t.includes(n)) findings.push(`${where}: ${needles[i]}`);
    });
  };
  const entries = walk(dir);
  const files: string[] = [];
  for (const p of entries) {
    const rel = path.relative(dir, p);
    check(`name ${rel}`, rel);
    if (statSync(p).isDirectory()) continue;
    files.push(rel);
    const bytes = readFileSync(p);
    check(`latin1 ${rel}`, bytes.toString('latin1'));
    check(`utf8 ${rel}`, bytes.toString('utf8'));
    check(`utf16le ${rel}`, bytes.toString('utf16le'));
    check(`utf16le+1 ${rel}`, bytes.subarray(1).toString('utf16le'));
    const even = bytes.subarray(0, bytes.length - (bytes.length % 2));
    check(`utf16be ${rel}`, Buffer.from(even).swap16().toString('utf16le'));
    const odd = bytes.subarray(1, 1 + ((bytes.length - 1) - ((bytes.length - 1) % 2)));
    check(`utf16be+1 ${rel}`, Buffer.from(odd).swap16().toString('utf16le'));
    if (/\.(jpe?g|png)$/i.test(p)) {
      const m = await sharp(bytes).metadata();
      for (const field of ['exif', 'xmp', 'iptc', 'icc', 'tifftagPhotoshop'] as const) {
        const v = (m as unknown as Record<string, unknown>)[field];
        if (v !== undefined) {
          findings.push(`sharp ${field} present in ${rel}`);
          check(`sharp ${field} ${rel}`, Buffer.from(v as Buffer).toString('latin1'));
        }
      }
      if (m.comments?.length) check(`sharp comments ${rel}`, JSON.stringify(m.comments));
      const parsed = await exifr.parse(bytes, { tiff: true, exif: true, gps: true, xmp: true, iptc: true, icc: true, jfif: true, ihdr: true, makerNote: true, userComment: true, mergeOutput: false });
      if (parsed) check(`exifr ${rel}`, JSON.stringify(parsed, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v)));
    }
  }
  return { findings, files };
}
