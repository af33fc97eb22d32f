// Public names of model/ (re-exported by src/index.ts).
export { initBackend } from './backend';
export type { BackendName, BackendInfo } from './backend';
export { loadLayersModelDir, saveLayersModelDir, sha256Hex } from './layers-store';
export type { ModelManifest, LoadedLayersModel } from './layers-store';
export { packageRoot, resolveModelDir } from './package-root';
