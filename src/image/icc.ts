/**
 * Minimal reading of an ICC profile header and its description tag: enough to name the profile in the metadata
 * and to decide whether an embedded profile is sRGB (then the colour transform is skipped).
 * [ICC1v43] section 7.2 (header: data colour space at byte 16), 7.3 (tag table at byte 128),
 * multiLocalizedUnicodeType 'mluc' (v4) and ICC.1:2001-04 textDescriptionType 'desc' (v2).
 */
export interface IccInfo {
  /** Profile description ('desc' tag), e.g. "sRGB IEC61966-2.1", "Display P3"; null when absent or unreadable. */
  description: string | null;
  /** Data colour space signature from the header, trimmed: 'RGB', 'CMYK', 'GRAY', ... */
  colourSpace: string;
}

function ascii(buf: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end && i < buf.length; i++) {
    if (buf[i] === 0) break;
    s += String.fromCharCode(buf[i]);
  }
  return s;
}

export function readIccInfo(icc: Uint8Array): IccInfo | null {
  if (icc.length < 132) return null;
  const view = new DataView(icc.buffer, icc.byteOffset, icc.byteLength);
  const colourSpace = ascii(icc, 16, 20).trim(); // [ICC1v43] 7.2.6
  const count = view.getUint32(128); // [ICC1v43] 7.3.2
  let description: string | null = null;
  for (let t = 0; t < count && 132 + t * 12 + 12 <= icc.length; t++) {
    const e = 132 + t * 12;
    if (ascii(icc, e, e + 4) !== 'desc') continue;
    const off = view.getUint32(e + 4);
    const size = view.getUint32(e + 8);
    if (off + 12 > icc.length || off + size > icc.length) break;
    const type = ascii(icc, off, off + 4);
    if (type === 'desc') {
      const n = view.getUint32(off + 8); // ASCII count including the terminating NUL
      description = ascii(icc, off + 12, off + 12 + n);
    } else if (type === 'mluc' && size >= 28) {
      const recLen = view.getUint32(off + 20);
      const recOff = view.getUint32(off + 24);
      let s = '';
      for (let i = off + recOff; i + 1 < off + recOff + recLen && i + 1 < icc.length; i += 2) {
        const c = view.getUint16(i);
        if (c === 0) break;
        s += String.fromCharCode(c);
      }
      description = s;
    }
    break;
  }
  return { description: description === null ? null : description.trim(), colourSpace };
}

/** True when the profile names itself sRGB (IEC 61966-2-1) and is an RGB profile. */
export function isSrgbProfile(info: IccInfo | null): boolean {
  return info !== null && info.colourSpace === 'RGB' && info.description !== null && /sRGB|IEC\s*61966-2[-.]1/.test(info.description);
}
