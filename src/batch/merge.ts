import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DermametricsError } from '../errors';
import { canonicalJson } from '../score/canonical';
import { RUN_FILE, readRunMeta, writeOutputs, type BatchSummary, type RunMeta } from './finalize';
import { collect } from './store';
import { writeFileAtomic } from './journal';

/**
 * Join the output folders of `--shard 0/n` … `--shard n-1/n` into one folder whose files are byte-identical to an
 * unsharded run of the same manifest and options. Refuses shards of different manifests, options or versions,
 * a missing or repeated shard, and (unless allowIncomplete) a shard that has not finished.
 */
export async function mergeShards(dirs: string[], out: string, options: { allowIncomplete?: boolean; report?: boolean } = {}): Promise<BatchSummary> {
  if (!Array.isArray(dirs) || dirs.length === 0) throw new DermametricsError('E_INVALID_OPTION', 'Pass the shard output folders to merge.', {});
  const metas: RunMeta[] = dirs.map((d) => {
    const m = readRunMeta(d);
    if (!m) throw new DermametricsError('E_NOT_FOUND', `${d} has no ${RUN_FILE}: it is not a batch output folder.`, { dir: d });
    return m;
  });
  const first = metas[0];
  const count = first.shard?.count ?? 1;
  const seen = new Set<number>();
  metas.forEach((m, i) => {
    for (const k of ['manifestSha256', 'manifestRows', 'version', 'analyze', 'analyzer'] as const) {
      if (canonicalJson(m[k]) !== canonicalJson(first[k])) {
        throw new DermametricsError('E_INVALID_OPTION', `${dirs[i]} was run with a different ${k} than ${dirs[0]}; shards must share manifest, options and version.`, { dir: dirs[i], field: k });
      }
    }
    const idx = m.shard?.index ?? 0;
    if ((m.shard?.count ?? 1) !== count) throw new DermametricsError('E_INVALID_OPTION', `${dirs[i]} is shard ${idx}/${m.shard?.count ?? 1} but ${dirs[0]} is of ${count}.`, { dir: dirs[i] });
    if (seen.has(idx)) throw new DermametricsError('E_INVALID_OPTION', `Shard ${idx}/${count} is given twice (${dirs[i]}).`, { dir: dirs[i] });
    seen.add(idx);
  });
  const missing = [...Array(count).keys()].filter((i) => !seen.has(i));
  if (missing.length) throw new DermametricsError('E_INVALID_OPTION', `Shard(s) ${missing.map((i) => `${i}/${count}`).join(', ')} missing from the merge.`, { missing });

  let photos = 0;
  dirs.forEach((d) => {
    const summaryFile = path.join(d, 'summary.json');
    if (!options.allowIncomplete && !existsSync(summaryFile)) {
      throw new DermametricsError('E_INVALID_OPTION', `${d} has not finished (no summary.json). Resume it first with --resume.`, { dir: d });
    }
    const s = existsSync(summaryFile) ? (JSON.parse(readFileSync(summaryFile, 'utf8')) as BatchSummary) : undefined;
    if (s && !s.complete && !options.allowIncomplete) throw new DermametricsError('E_INVALID_OPTION', `${d} is incomplete (${s.pending} photos pending). Resume it first with --resume.`, { dir: d });
    photos += s?.photos ?? 0;
  });
  // read-only scan of the shard folders (no repair: the merge never writes into them)
  const merged = collect(dirs, undefined, false);
  if (photos === 0) photos = merged.results.length + merged.errors.length;
  const target = path.resolve(out);
  mkdirSync(target, { recursive: true });
  const meta: RunMeta = { ...first, shard: null };
  writeFileAtomic(path.join(target, RUN_FILE), `${JSON.stringify(JSON.parse(canonicalJson(meta)), null, 2)}\n`);
  return writeOutputs(target, meta, photos, merged, { report: options.report });
}

