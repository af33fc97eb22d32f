import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatch } from '../../src/batch/run';
import { hemoglobinIndexPerOD } from '../../src/erythema/simulate';
import { analyzePhoto } from '../../src/score/analyze';
import { canonicalJson } from '../../src/score/canonical';
import { DIST_WORKER, ROOT, parseCsv, requireBuilt } from '../batch/helpers';
import { validate } from './json-schema';

/**
 * ONE end-to-end run of the real pipeline (built worker, face model, erythema, wrinkles) on 2 photos of the bundled trial set
 * plus the 5 bad photos. Ground truth: test-images/trial/truth.csv (the haemoglobin optical density that
 * scripts/make-trial-set.mjs added to each photo) and the bad photos' known defects.
 */
const schema = JSON.parse(readFileSync(path.join(ROOT, 'schema/photo-score.schema.json'), 'utf8'));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'dm-e2e-'));
const set = path.join(tmp, 'set');
const out = path.join(tmp, 'out');
const GOOD = ['S02/baseline.jpg', 'S02/week4.jpg'];
const BAD: [string, string][] = [
  ['empty.jpg', 'E_DECODE'],
  ['truncated.jpg', 'E_DECODE'],
  ['not-an-image.jpg', 'E_UNSUPPORTED_FORMAT'],
  ['no-face.jpg', 'E_NO_FACE'],
  ['huge.png', 'E_TOO_LARGE'],
];
const truth = new Map(
  readFileSync(path.join(ROOT, 'test-images/trial/truth.csv'), 'utf8').trim().split('\n').slice(1).map((l) => {
    const c = l.split(',');
    return [c[0], Number(c[5])] as const;
  }),
);
let summary: Awaited<ReturnType<typeof runBatch>>;
let lines: Record<string, any>[];

beforeAll(async () => {
  requireBuilt();
  const rows = ['path,subject,visit,arm'];
  for (const g of GOOD) {
    mkdirSync(path.join(set, path.dirname(g)), { recursive: true });
    copyFileSync(path.join(ROOT, 'test-images/trial', g), path.join(set, g));
    rows.push(`${g},${g.split('/')[0]},${path.basename(g, '.jpg')},${g.startsWith('S02') ? 'vehicle' : 'active'}`);
  }
  mkdirSync(path.join(set, 'bad'), { recursive: true });
  for (const [f] of BAD) {
    copyFileSync(path.join(ROOT, 'test-images/bad', f), path.join(set, 'bad', f));
    rows.push(`bad/${f},S99,baseline,vehicle`);
  }
  writeFileSync(path.join(set, 'manifest.csv'), `${rows.join('\n')}\n`);
  summary = await runBatch(path.join(set, 'manifest.csv'), { out, workers: 2, progress: false, workerScript: DIST_WORKER, report: true });
  lines = readFileSync(path.join(out, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}, 180_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('real pipeline, end to end', () => {
  it('scores the good photos and lists each bad photo in errors.csv with its code', () => {
    expect(summary).toMatchObject({ photos: 7, scored: 2, failed: 5, complete: true });
    const errors = parseCsv(readFileSync(path.join(out, 'errors.csv'), 'utf8'));
    expect(errors.map((e) => [e.path, e.code])).toEqual(BAD.map(([f, c]) => [`bad/${f}`, c]));
    expect(lines.map((l) => l.manifest.relPath)).toEqual(GOOD);
  });

  it('writes PhotoScores that validate against schema/photo-score.schema.json', () => {
    for (const l of lines) expect(validate(schema, l)).toEqual([]);
    // the validator is not vacuous
    const broken = JSON.parse(JSON.stringify(lines[0]));
    broken.measures[0].paramcd = 'not a code';
    delete broken.provenance.version;
    broken.qc.status = 'ok';
    expect(validate(schema, broken)).toEqual([
      '$.measures[0].paramcd: "not a code" does not match ^[A-Z][A-Z0-9]{0,7}$',
      '$.provenance: missing required version',
      '$.qc.status: "ok" not in enum',
    ]);
  });

  it('measures the simulated erythema: CHG of the haemoglobin index matches the optical density the set added', () => {
    const long = parseCsv(readFileSync(path.join(out, 'scores_long.csv'), 'utf8'));
    const row = long.find((r) => r.PHOTO === 'S02/week4.jpg' && r.REGION === 'full_face' && r.PARAMCD === 'HBIMEAN')!;
    const expected = hemoglobinIndexPerOD() * (truth.get('S02/week4.jpg')! - truth.get('S02/baseline.jpg')!);
    // the simulated absorbance is feathered at the mask edge and the visits differ by ±1.5 % exposure: allow 30 %
    expect(Number(row.CHG)).toBeLessThan(0);
    expect(Number(row.CHG) / expected).toBeGreaterThan(0.7);
    expect(Number(row.CHG) / expected).toBeLessThan(1.3);
  });

  it('gives the same bytes in a worker process and in this process, and flags a blurred copy', async () => {
    const photo = path.join(set, 'S02/baseline.jpg');
    const here = await analyzePhoto(photo);
    const { manifest: _m, ...fromWorker } = lines[0];
    expect(canonicalJson(here)).toBe(canonicalJson(fromWorker));
    expect(here.qc.flags.map((f) => f.code)).not.toContain('image_blurred');
    const blurred = path.join(tmp, 'blurred.jpg');
    await sharp(photo).blur(3).jpeg({ quality: 92 }).toFile(blurred);
    const b = await analyzePhoto(blurred, { wrinkles: false });
    expect(b.qc.flags.map((f) => f.code)).toContain('image_blurred');
    expect(b.qc.metrics!.blur).toBeGreaterThan(here.qc.metrics!.blur);
    // the face passes are recorded with the numbers they changed; fewer passes are another, recorded, analysis
    expect(here.provenance.options.facePasses).toBe(4);
    const three = await analyzePhoto(photo, { facePasses: 3, wrinkles: false });
    expect(three.provenance.options.facePasses).toBe(3);
    expect(three.regions.map((r) => r.name)).toEqual(here.regions.map((r) => r.name));
    // wrinkle measures are there when the model is installed (wrinkles: 'auto')
    expect(here.measures.some((m) => m.paramcd === 'WRKDENS') || here.qc.flags.some((f) => f.code === 'wrinkle_unavailable')).toBe(true);
  });
});
