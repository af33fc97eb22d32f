#!/usr/bin/env node
// Train the wrinkle model (models/wrinkle-v3: first head + auto-context head) from synthetic data, evaluate it on held-out splits, write its card.
// Works from a fresh clone after `npm ci` (no build needed): esbuild (a dependency of tsup) bundles the TypeScript
// entry scripts/wrinkle/cli.ts into node_modules/.cache and runs it. Usage:
//   node scripts/train-wrinkle.mjs [--train 270] [--epochs 8] [--context 150] [--context-epochs 10] [--out models/wrinkle-v3] [--quick]
//   (--context 0: a one-stage model like wrinkle-v2)
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = path.join(root, 'node_modules', '.cache', 'dermametrics', 'train-wrinkle.mjs');
await build({
  entryPoints: [path.join(root, 'scripts', 'wrinkle', 'cli.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outfile,
  logLevel: 'warning',
});
const { main } = await import(pathToFileURL(outfile).href);
await main(process.argv.slice(2));
