#!/usr/bin/env node
/**
 * Runs every benchmark in bench/ one after another (never two at once: they measure ratios on a 2-core machine),
 * each in its own Node process with --expose-gc, after `npm run build`. Each prints its markdown table and writes
 * bench/results/<name>.json; the README quotes those files.
 *
 *   npm run bench                 # all
 *   npm run bench -- load face    # some
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const all = readdirSync(here).filter((f) => f.endsWith('.mjs') && f !== 'run.mjs' && !f.startsWith('zz')).map((f) => f.slice(0, -4)).sort();
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : all;
let failed = 0;
for (const name of names) {
  if (!all.includes(name)) {
    process.stderr.write(`bench: no bench/${name}.mjs (have: ${all.join(', ')})\n`);
    failed++;
    continue;
  }
  process.stdout.write(`\n## ${name}\n\n`);
  const r = spawnSync(process.execPath, ['--expose-gc', path.join(here, `${name}.mjs`)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
