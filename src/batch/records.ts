import type { ManifestInfo, PhotoScore } from '../score/types';
import type { ManifestRow } from './manifest';

/** One failed photo in errors.jsonl (errors.csv is derived from it). */
export interface ErrorRecord {
  manifest: ManifestInfo;
  code: string;
  message: string;
}

export type ResultRecord = PhotoScore & { manifest: ManifestInfo };

/** The manifest fields a result line carries (no absolute path: results do not depend on where the set lives). */
export function manifestInfo(row: ManifestRow): ManifestInfo {
  const info: ManifestInfo = { id: row.id, index: row.index, relPath: row.relPath, subject: row.subject, visit: row.visit, baseline: row.baseline, extra: row.extra };
  if (row.arm !== undefined) info.arm = row.arm;
  if (row.treatedSide !== undefined) info.treatedSide = row.treatedSide;
  return info;
}

/** Manifest order: index, then id (ids are unique). */
export function byManifestOrder(a: { manifest: ManifestInfo }, b: { manifest: ManifestInfo }): number {
  return a.manifest.index - b.manifest.index || (a.manifest.id < b.manifest.id ? -1 : a.manifest.id > b.manifest.id ? 1 : 0);
}
