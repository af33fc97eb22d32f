import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { pngChunk } from '../utils/png';

/**
 * A synthetic trial whose identifying strings are planted everywhere a careless packet could leak them:
 * file and folder names, EXIF (ImageDescription, Artist, DateTimeOriginal), XMP, the ICC profile description,
 * a JPEG COM segment and PNG tEXt/iTXt chunks. Each photo's pixels encode its true grade (red level), so a
 * simulated reader can grade it from the packet alone and the test knows the answer without the key.
 */
export interface TrialPhoto {
  file: string;
  subject: string;
  visit: string;
  arm: string;
  date: string;
  grade: number;
  fgGrade: number;
}

export interface Trial {
  dir: string;
  manifest: string;
  photos: TrialPhoto[];
  /** strings that must never appear in a packet (all are in the sources: the test checks that too) */
  needles: string[];
}

export const SUBJECTS = ['SUBJQXZ0042', 'SUBJQXZ0117', 'SUBJQXZ0230', 'SUBJQXZ0391', 'SUBJQXZ0455'];
export const VISITS = ['VISITBASELINEQ', 'VISITWEEKTWELVEQ'];
export const ARMS = ['ARMZETAACTIVE', 'ARMZETAVEHICLE'];

/** red level of a grade: far enough apart to survive JPEG re-encoding */
export const redOfGrade = (g: number): number => 30 + 50 * g;

/** sharp's sRGB profile with its description (and copyright) replaced by `text` as an ICC v4 'mluc' [ICC1v43] */
async function iccWithDescription(text: string): Promise<Buffer> {
  const b = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#808080' } }).withIccProfile('srgb').png().toBuffer();
  const icc = Buffer.from((await sharp(b).metadata()).icc!);
  const str = Buffer.from(text, 'utf16le').swap16(); // UTF-16BE
  const mluc = Buffer.alloc(28 + str.length);
  mluc.write('mluc', 0, 'latin1');
  mluc.writeUInt32BE(1, 8);
  mluc.writeUInt32BE(12, 12);
  mluc.write('enUS', 16, 'latin1');
  mluc.writeUInt32BE(str.length, 20);
  mluc.writeUInt32BE(28, 24);
  str.copy(mluc, 28);
  const offset = Math.ceil(icc.length / 4) * 4;
  const out = Buffer.concat([icc, Buffer.alloc(offset - icc.length), mluc, Buffer.alloc((4 - (mluc.length % 4)) % 4)]);
  const n = out.readUInt32BE(128);
  for (let i = 0; i < n; i++) {
    const o = 132 + 12 * i;
    const sig = out.toString('latin1', o, o + 4);
    if (sig === 'desc' || sig === 'cprt') {
      out.writeUInt32BE(offset, o + 4);
      out.writeUInt32BE(mluc.length, o + 8);
    }
  }
  out.writeUInt32BE(out.length, 0);
  out.fill(0, 84, 100); // profile ID (MD5) no longer matches: zero means 'not computed'
  return out;
}

/** insert tEXt and iTXt chunks right after IHDR */
function addPngText(png: Buffer, text: string): Buffer {
  const ihdrEnd = 8 + 8 + 13 + 4;
  const tEXt = pngChunk('tEXt', Buffer.concat([Buffer.from('Comment\0', 'latin1'), Buffer.from(text, 'latin1')]));
  const iTXt = pngChunk('iTXt', Buffer.concat([Buffer.from('Title\0\0\0\0\0', 'latin1'), Buffer.from(text, 'utf8')]));
  return Buffer.concat([png.subarray(0, ihdrEnd), tEXt, iTXt, png.subarray(ihdrEnd)]);
}

/** insert a COM segment right after SOI */
function addJpegComment(jpeg: Buffer, text: string): Buffer {
  const body = Buffer.from(text, 'latin1');
  const seg = Buffer.alloc(4);
  seg.writeUInt16BE(0xfffe, 0);
  seg.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), seg, body, jpeg.subarray(2)]);
}

function xmp(text: string): string {
  return `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title><rdf:Alt><rdf:li xml:lang="x-default">${text}</rdf:li></rdf:Alt></dc:title></rdf:Description></rdf:RDF></x:xmpmeta>`;
}

/** Make the trial in `dir`: SUBJECTS × VISITS photos (48×32), half JPEG half PNG, and manifest.csv. */
export async function makeTrial(dir: string): Promise<Trial> {
  const photos: TrialPhoto[] = [];
  const lines = ['path,subject,visit,arm,photo_date,site_note'];
  let k = 0;
  for (let s = 0; s < SUBJECTS.length; s++) {
    for (let v = 0; v < VISITS.length; v++, k++) {
      const subject = SUBJECTS[s];
      const visit = VISITS[v];
      const arm = ARMS[s % 2];
      const day = String(10 + k).padStart(2, '0');
      const date = `2025-03-${day}`;
      const grade = (s + 2 * v + k) % 5;
      const fgGrade = 1 + ((3 * s + v) % 9);
      const png = k % 2 === 1;
      const file = `${subject}/${visit}/${subject}_${visit}_${date}_DSC${4400 + k}.${png ? 'png' : 'jpg'}`;
      mkdirSync(path.join(dir, subject, visit), { recursive: true });
      const label = `${subject} ${visit} ${arm} ${date} ${date.replace(/-/g, '')} ${path.basename(file)}`;
      const iccFile = path.join(dir, `icc_${k}.icc`);
      writeFileSync(iccFile, await iccWithDescription(label));
      // pixels: red encodes the grade, green the Fitzpatrick–Goldman grade, blue a gradient
      const w = 48;
      const h = 32;
      const raw = Buffer.alloc(w * h * 3);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const i = (y * w + x) * 3;
          raw[i] = redOfGrade(grade);
          raw[i + 1] = 20 * fgGrade;
          raw[i + 2] = (x * 5) % 256;
        }
      }
      let img = sharp(raw, { raw: { width: w, height: h, channels: 3 } })
        .withExif({
          IFD0: { ImageDescription: label, Artist: arm, Copyright: subject, DateTime: `2025:03:${day} 10:22:33`, Software: visit },
          IFD2: { DateTimeOriginal: `2025:03:${day} 10:22:33`, UserComment: label },
        })
        .withXmp(xmp(label))
        .withIccProfile(iccFile);
      if (k === 2) img = img.withMetadata({ orientation: 6 });
      let bytes: Buffer = png ? await img.png().toBuffer() : await img.jpeg({ quality: 92 }).toBuffer();
      bytes = png ? addPngText(bytes, label) : addJpegComment(bytes, label);
      writeFileSync(path.join(dir, file), bytes);
      photos.push({ file, subject, visit, arm, date, grade, fgGrade });
      lines.push(`${file},${subject},${visit},${arm},${date},"seen at ${subject}"`);
    }
  }
  const manifest = path.join(dir, 'manifest.csv');
  writeFileSync(manifest, lines.join('\n') + '\n');
  const needles = new Set<string>();
  for (const p of photos) {
    needles.add(p.subject);
    needles.add(p.visit);
    needles.add(p.arm);
    needles.add(p.date);
    needles.add(p.date.replace(/-/g, ':'));
    needles.add(p.date.replace(/-/g, ''));
    needles.add(path.basename(p.file));
    needles.add(path.basename(p.file, path.extname(p.file)));
    needles.add(`DSC${path.basename(p.file).match(/DSC(\d+)/)![1]}`);
  }
  return { dir, manifest, photos, needles: [...needles] };
}
