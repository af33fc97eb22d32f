/**
 * Test utility: write a minimal ICC v2.1 RGB display profile (matrix/TRC: desc, wtpt, rXYZ/gXYZ/bXYZ, rTRC/gTRC/bTRC,
 * cprt) from primaries, a D65 white and a pure gamma, after ICC.1:2001-04 §6 (tag types 'desc', 'XYZ ', 'curv',
 * 'text') and §6.3.4.2 (colorants adapted to the D50 PCS, here with Bradford).
 */
import { bradfordMatrix } from '../../src/color';

const D50_ICC = [0.9642, 1.0, 0.8249]; // ICC PCS illuminant, §6.3.4.3

function s15f16(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(Math.round(v * 65536));
  return b;
}
function sig(s: string): Buffer {
  return Buffer.from(s.padEnd(4, ' '), 'latin1');
}
function pad4(b: Buffer): Buffer {
  return b.length % 4 ? Buffer.concat([b, Buffer.alloc(4 - (b.length % 4))]) : b;
}
const xyzTag = (v: number[]) => Buffer.concat([sig('XYZ '), Buffer.alloc(4), ...v.map(s15f16)]);
function descTag(text: string): Buffer {
  const ascii = Buffer.from(text + '\0', 'latin1');
  const count = Buffer.alloc(4);
  count.writeUInt32BE(ascii.length);
  return Buffer.concat([sig('desc'), Buffer.alloc(4), count, ascii, Buffer.alloc(4 + 4 + 2 + 1 + 67)]);
}
function curvTag(gamma: number): Buffer {
  const b = Buffer.alloc(14);
  sig('curv').copy(b, 0);
  b.writeUInt32BE(1, 8);
  b.writeUInt16BE(Math.round(gamma * 256), 12); // u8Fixed8Number
  return b;
}
const textTag = (t: string) => Buffer.concat([sig('text'), Buffer.alloc(4), Buffer.from(t + '\0', 'latin1')]);

/** Normalised primary matrix (columns = XYZ of R, G, B at full drive) for xy primaries and white, Y_white = 1. */
export function rgbToXyzMatrix(primaries: number[][], whiteXy: number[]): number[][] {
  const cols = primaries.map(([x, y]) => [x / y, 1, (1 - x - y) / y]);
  const W = [whiteXy[0] / whiteXy[1], 1, (1 - whiteXy[0] - whiteXy[1]) / whiteXy[1]];
  const P = [0, 1, 2].map((r) => cols.map((c) => c[r]));
  const det = (m: number[][]) =>
    m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  const D = det(P);
  const S = [0, 1, 2].map((i) => det(P.map((row, r) => row.map((v, c) => (c === i ? W[r] : v)))) / D); // Cramer
  return P.map((row) => row.map((v, j) => v * S[j]));
}

/** An ICC profile for an RGB space with a pure power-law transfer (e.g. Adobe RGB (1998): gamma 563/256). */
export function matrixTrcProfile(description: string, primaries: number[][], whiteXy: number[], gamma: number): Buffer {
  const M = rgbToXyzMatrix(primaries, whiteXy);
  const white = [whiteXy[0] / whiteXy[1], 1, (1 - whiteXy[0] - whiteXy[1]) / whiteXy[1]];
  const A = bradfordMatrix(white, D50_ICC);
  const col = (j: number) => [0, 1, 2].map((r) => A[r][0] * M[0][j] + A[r][1] * M[1][j] + A[r][2] * M[2][j]);
  const tags: [string, Buffer][] = [
    ['desc', descTag(description)],
    ['wtpt', xyzTag(D50_ICC)],
    ['rXYZ', xyzTag(col(0))],
    ['gXYZ', xyzTag(col(1))],
    ['bXYZ', xyzTag(col(2))],
    ['rTRC', curvTag(gamma)],
    ['gTRC', curvTag(gamma)],
    ['bTRC', curvTag(gamma)],
    ['cprt', textTag('Test profile, no copyright')],
  ];
  const tableLen = 4 + tags.length * 12;
  let offset = 128 + tableLen;
  const table = Buffer.alloc(tableLen);
  table.writeUInt32BE(tags.length, 0);
  const bodies: Buffer[] = [];
  tags.forEach(([name, data], i) => {
    sig(name).copy(table, 4 + i * 12);
    table.writeUInt32BE(offset, 8 + i * 12);
    table.writeUInt32BE(data.length, 12 + i * 12);
    const padded = pad4(data);
    bodies.push(padded);
    offset += padded.length;
  });
  const header = Buffer.alloc(128);
  header.writeUInt32BE(offset, 0);
  header.writeUInt32BE(0x02100000, 8); // version 2.1
  sig('mntr').copy(header, 12);
  sig('RGB ').copy(header, 16);
  sig('XYZ ').copy(header, 20);
  header.writeUInt16BE(2024, 24);
  header.writeUInt16BE(1, 26);
  header.writeUInt16BE(1, 28);
  sig('acsp').copy(header, 36);
  D50_ICC.forEach((v, i) => s15f16(v).copy(header, 68 + i * 4));
  return Buffer.concat([header, table, ...bodies]);
}
