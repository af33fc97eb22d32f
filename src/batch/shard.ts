import { createHash } from 'node:crypto';
import { invalidOption } from '../errors';
import type { ManifestRow } from './manifest';

export interface Shard {
  index: number;
  count: number;
}

/** Parse 'i/n' (0 ≤ i < n) as given to --shard. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(String(text));
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count) throw invalidOption('shard', "'i/n' with 0 <= i < n, e.g. '0/4'", text);
  return { index, count };
}

/**
 * The shard a photo belongs to: SHA-256 of its SUBJECT, first 8 hex digits as an integer, mod n.
 * All photos of one subject land in one shard, so each shard's change-from-baseline table is complete on its own;
 * the assignment depends only on the subject id and n (not on row order or machine).
 */
export function shardOf(row: Pick<ManifestRow, 'subject'>, count: number): number {
  if (count === 1) return 0;
  const h = parseInt(createHash('sha256').update(row.subject, 'utf8').digest('hex').slice(0, 8), 16);
  return h % count;
}

export function selectShard<T extends Pick<ManifestRow, 'subject'>>(rows: T[], shard: Shard | undefined): T[] {
  if (!shard || shard.count === 1) return rows;
  return rows.filter((r) => shardOf(r, shard.count) === shard.index);
}
