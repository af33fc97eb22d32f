// Public names of batch/ (re-exported by src/index.ts).
export { readManifest, photoId, compilePattern, IMAGE_EXTENSIONS, DEFAULT_PATTERN } from './manifest';
export type { ManifestRow, ReadManifestOptions } from './manifest';
export { runBatch, manifestSha256 } from './run';
export type { RunBatchOptions, BatchResult } from './run';
export { mergeShards } from './merge';
export type { BatchSummary, RunMeta } from './finalize';
export { parseShard, shardOf } from './shard';
export type { Shard } from './shard';
export { LONG_COLUMNS } from './long';
export type { ProgressState } from './progress';
export type { ErrorRecord, ResultRecord } from './records';
