/**
 * The segments of a JPEG (marker names up to the first scan) or the chunks of a PNG, to see what a file carries
 * besides pixels. JPEG markers per ITU-T T.81 Table B.1 [ITU-T81]; PNG chunk layout per [PNG3] §5.3.
 */
export function containerParts(bytes: Buffer): string[] {
  const parts: string[] = [];
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes.toString('latin1', 1, 4) === 'PNG') {
    for (let o = 8; o + 8 <= bytes.length; ) {
      const len = bytes.readUInt32BE(o);
      parts.push(bytes.toString('latin1', o + 4, o + 8));
      o += 12 + len;
    }
  } else if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    for (let o = 2; o + 4 <= bytes.length; ) {
      if (bytes[o] !== 0xff) {
        parts.push('?');
        break;
      }
      const marker = bytes[o + 1];
      parts.push(`FF${marker.toString(16).toUpperCase().padStart(2, '0')}`);
      if (marker === 0xda) break; // start of scan: entropy-coded data follows
      o += 2 + bytes.readUInt16BE(o + 2);
    }
  } else parts.push('?');
  return parts;
}

/** What a packet photo may contain: JFIF APP0, DQT, SOF0/1/2, DHT, DRI, SOS; PNG IHDR, IDAT, IEND. */
export const ALLOWED_JPEG_PARTS = new Set(['FFE0', 'FFDB', 'FFC0', 'FFC1', 'FFC2', 'FFC4', 'FFDD', 'FFDA']);
export const ALLOWED_PNG_PARTS = new Set(['IHDR', 'IDAT', 'IEND']);
