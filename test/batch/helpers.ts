import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const STUB = path.join(ROOT, 'test/batch/fixtures/stub-analyzer.mjs');

/**
 * The built package, snapshotted once per test file into a temp folder (dist/ + package.json, node_modules and
 * models linked), so that a concurrent `npm run build` (tsup cleans dist/) cannot pull files from under a test.
 */
function snapshot(): string {
  const src = path.join(ROOT, 'dist');
  if (!existsSync(path.join(src, 'cli.js')) || !existsSync(path.join(src, 'worker.js'))) {
    throw new Error('Run `npm run build` first (npm test does): the batch and CLI tests run dist/cli.js and dist/worker.js');
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dm-dist-'));
  cpSync(src, path.join(dir, 'dist'), { recursive: true });
  cpSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  if (existsSync(path.join(ROOT, 'models'))) symlinkSync(path.join(ROOT, 'models'), path.join(dir, 'models'), 'dir');
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
const SNAP = snapshot();
export const DIST_CLI = path.join(SNAP, 'dist/cli.js');
export const DIST_WORKER = path.join(SNAP, 'dist/worker.js');

export function requireBuilt(): void {
  if (!existsSync(DIST_CLI) || !existsSync(DIST_WORKER)) throw new Error('Run `npm run build` first (npm test does): the batch tests run dist/worker.js');
}

export interface StubPhoto {
  rel: string;
  subject: string;
  visit: string;
  arm: string;
  content: string;
  /** the erythema number the stub returns for cheek_left (minus 1/3), when content is GOOD */
  a?: number;
  b?: number;
}

/**
 * A stub trial: `subjects` × visits V0 (baseline), V1, V2, arms alternating; a = 10·s + visit effect, b = s + v.
 * Plus the bad photos (empty, not an image, no face, a worker crash) for subject S02 at visit V9.
 */
export function makeStubTrial(dir: string, subjects = 6, bad = true): StubPhoto[] {
  const photos: StubPhoto[] = [];
  for (let s = 1; s <= subjects; s++) {
    for (let v = 0; v < 3; v++) {
      const subject = `S${String(s).padStart(2, '0')}`;
      const a = 10 * s + [0, -3.25, -5.5][v] * (s % 2 ? 1 : 0.5);
      const b = s + v / 4;
      photos.push({ rel: `photos/${subject}/V${v}.jpg`, subject, visit: `V${v}`, arm: s % 2 ? 'active' : 'vehicle', content: `GOOD ${a} ${b}`, a, b });
    }
  }
  if (bad) {
    for (const [name, content] of [['empty', ''], ['notimage', 'NOTIMAGE'], ['noface', 'NOFACE'], ['crash', 'CRASH']]) {
      photos.push({ rel: `photos/bad/${name}.jpg`, subject: 'S02', visit: 'V9', arm: 'vehicle', content });
    }
  }
  for (const p of photos) {
    mkdirSync(path.dirname(path.join(dir, p.rel)), { recursive: true });
    writeFileSync(path.join(dir, p.rel), p.content);
  }
  const lines = ['path,subject,visit,arm,site', ...photos.map((p) => `${p.rel},${p.subject},${p.visit},${p.arm},site${p.subject.endsWith('1') ? 'A' : 'B'}`)];
  writeFileSync(path.join(dir, 'manifest.csv'), `${lines.join('\n')}\n`);
  return photos;
}

export const OUTPUT_FILES = ['results.jsonl', 'errors.jsonl', 'errors.csv', 'scores_long.csv', 'summary.json', 'run.json'];

export function readOutputs(out: string): Record<string, string> {
  return Object.fromEntries(OUTPUT_FILES.map((f) => [f, readFileSync(path.join(out, f), 'utf8')]));
}

/** Minimal CSV reader for our own outputs (quoted fields with "" escapes). */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') q = false;
      else field += c;
    } else if (c === '"') q = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n') row.push(field), rows.push(row), (row = []), (field = '');
    else field += c;
  }
  if (field !== '' || row.length) row.push(field), rows.push(row);
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}
