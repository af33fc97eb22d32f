// Public names of batch/ (re-exported by src/index.ts).
export { readManifest, photoId, compilePattern, IMAGE_EXTENSIONS, DEFAULT_PATTERN } from './manifest';
export type { ManifestRow, ReadManifestOptions } from './manifest';
