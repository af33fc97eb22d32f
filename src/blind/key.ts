import { DermametricsError } from '../errors';
import { normaliseCode } from './codes';
import { findColumn, readCsvTable } from './csv';
import { parseScales, type RatingScale } from './scales';

/** One photo of a key file as unblind needs it. */
export interface KeyEntry {
  code: string;
  subject: string;
  visit: string;
  arm: string;
  treatedSide: string;
  baseline: string;
  photoId: string;
  /** 1, or 2 for the second showing of a repeated photo (createReaderPacket's `repeats`) */
  replicate: number;
  /** 0-based row in the key file (manifest order) */
  index: number;
}

export interface PacketKey {
  file: string;
  entries: KeyEntry[];
  byCode: Map<string, KeyEntry>;
  /** the scales the packet was made with (the key's `scales` column), if the key records them */
  scales?: RatingScale[];
}

function bad(message: string, details: Record<string, unknown>): DermametricsError {
  return new DermametricsError('E_BAD_MANIFEST', message, details);
}

/**
 * Read a key file written by createReaderPacket (or any CSV with code, USUBJID/subject and AVISIT/visit columns).
 * @throws E_NOT_FOUND when the key is missing; E_BAD_MANIFEST for a missing column, an empty code or a duplicate code.
 */
export function readPacketKey(file: string): PacketKey {
  const t = readCsvTable(file, 'Key file', 'E_BAD_MANIFEST');
  const col = {
    code: findColumn(t.header, ['code']),
    subject: findColumn(t.header, ['USUBJID', 'subject', 'subjid']),
    visit: findColumn(t.header, ['AVISIT', 'visit']),
    arm: findColumn(t.header, ['ARM', 'arm', 'trt01p']),
    side: findColumn(t.header, ['TRTSIDE', 'treated_side']),
    baseline: findColumn(t.header, ['ABLFL', 'baseline']),
    photoId: findColumn(t.header, ['PHOTOID', 'photo_id']),
    scales: findColumn(t.header, ['scales']),
    replicate: findColumn(t.header, ['replicate']),
  };
  const missing = (['code', 'subject', 'visit'] as const).filter((k) => col[k] < 0);
  if (missing.length) {
    throw bad(`The key file ${file} has no ${missing.join(', ')} column (header: ${t.header.join(',')}). Pass the key written by 'dermametrics blind --key'.`, { path: file, missing });
  }
  const entries: KeyEntry[] = [];
  const byCode = new Map<string, KeyEntry>();
  let scaleText: string | undefined;
  t.rows.forEach((r, i) => {
    const get = (c: number): string => (c < 0 ? '' : (r[c] ?? '').trim());
    const code = normaliseCode(get(col.code));
    if (!code) throw bad(`Line ${t.lines[i]} of the key file ${file} has an empty code.`, { path: file, line: t.lines[i] });
    if (byCode.has(code)) throw bad(`The key file ${file} lists the code ${code} twice (line ${t.lines[i]}). The key is corrupt; use the file written by 'dermametrics blind'.`, { path: file, line: t.lines[i], code });
    const e: KeyEntry = { code, subject: get(col.subject), visit: get(col.visit), arm: get(col.arm), treatedSide: get(col.side), baseline: get(col.baseline), photoId: get(col.photoId), replicate: Number(get(col.replicate) || '1'), index: i };
    if (!Number.isInteger(e.replicate) || e.replicate < 1) throw bad(`Line ${t.lines[i]} of the key file ${file}: replicate "${get(col.replicate)}" is not 1 or 2.`, { path: file, line: t.lines[i] });
    if (!e.subject || !e.visit) throw bad(`Line ${t.lines[i]} of the key file ${file} has an empty subject or visit.`, { path: file, line: t.lines[i] });
    entries.push(e);
    byCode.set(code, e);
    if (col.scales >= 0 && scaleText === undefined && get(col.scales)) scaleText = get(col.scales);
  });
  if (entries.length === 0) throw bad(`The key file ${file} has a header but no rows.`, { path: file });
  return { file, entries, byCode, scales: scaleText ? parseScales(scaleText, `scales column of ${file}`) : undefined };
}
