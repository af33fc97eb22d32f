import { defineConfig } from 'tsup';

// Library: ESM + CJS + declarations. CLI, batch worker and wrinkle feature worker: ESM only (entry points, not imports).
export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    shims: true,
    target: 'node20',
    splitting: false,
  },
  {
    entry: { cli: 'src/cli/main.ts', worker: 'src/batch/worker.ts', 'wrinkle-worker': 'src/wrinkle/worker.ts' },
    format: ['esm'],
    sourcemap: true,
    shims: true,
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
