import type { CAC } from 'cac';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DermametricsError, isDermametricsError } from '../../errors';
import { analyzePhoto, type AnalyzeOptions } from '../../score/analyze';
import { canonicalJson } from '../../score/canonical';
import type { PhotoScore } from '../../score/types';

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DermametricsError('E_INVALID_OPTION', `Could not read ${what} from ${file}: ${(e as Error).message}`, { file });
  }
}

/** analyzePhoto options from the flags shared by `score` and `batch`. */
export function analyzeOptionsFromFlags(flags: Record<string, unknown>): AnalyzeOptions {
  const o: AnalyzeOptions = {};
  if (flags.regions !== undefined) o.regions = String(flags.regions) === 'whole' ? 'whole' : (readJson(String(flags.regions), 'regions') as AnalyzeOptions['regions']);
  if (flags.chart !== undefined) {
    const c = readJson(String(flags.chart), 'chart corners');
    o.chart = Array.isArray(c) ? { corners: c as [number, number][] } : (c as AnalyzeOptions['chart']);
  }
  if (flags.referenceRegion !== undefined) o.referenceRegion = String(flags.referenceRegion);
  if (flags.calibration !== undefined) o.calibration = readJson(String(flags.calibration), 'calibration') as AnalyzeOptions['calibration'];
  if (flags.ipdMm !== undefined) o.ipdMm = Number(flags.ipdMm);
  if (flags.facePasses !== undefined) o.facePasses = Number(flags.facePasses);
  if (flags.mmPerPx !== undefined) o.mmPerPx = Number(flags.mmPerPx);
  if (flags.wrinkleOutline !== undefined) o.wrinkle = { fillOutside: Number(flags.wrinkleOutline) > 0, outlineGuardMm: Number(flags.wrinkleOutline) };
  return o;
}

const TABLE_PARAMS = ['HBIMEAN', 'EIMEAN', 'ASTMEAN', 'ITAMEAN', 'ERYAREA', 'WRKDENS', 'WRKAREA'];

function table(s: PhotoScore): string {
  const params = TABLE_PARAMS.filter((p) => s.measures.some((m) => m.paramcd === p));
  const regions = [...new Set(s.measures.map((m) => m.region))];
  const rows = [['region', ...params.map((p) => `${p} (${s.measures.find((m) => m.paramcd === p)!.unit})`)]];
  for (const r of regions) {
    rows.push([r, ...params.map((p) => {
      const v = s.measures.find((m) => m.region === r && m.paramcd === p)?.value;
      return v === null || v === undefined ? '—' : v.toFixed(Math.abs(v) >= 100 ? 0 : 2);
    })]);
  }
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const lines = rows.map((r) => r.map((x, c) => (c === 0 ? x.padEnd(w[c]) : x.padStart(w[c]))).join('  '));
  const flags = s.qc.flags.map((f) => `  ! ${f.code}${f.region ? ` (${f.region})` : ''}: ${f.message}`);
  const grade = s.grade ? [`predicted grade (${String(s.grade.scale)}): ${String(s.grade.grade)}`] : [];
  return [
    `${s.input.fileName}  ${s.input.width}×${s.input.height}  sha256 ${s.input.sha256.slice(0, 12)}…  scale ${s.scale.mmPerPx === null ? 'none' : `${s.scale.mmPerPx.toFixed(4)} mm/px (${s.scale.source})`}  QC ${s.qc.status.toUpperCase()}`,
    ...lines,
    ...grade,
    ...flags,
    '',
  ].join('\n');
}

export function registerScore(cli: CAC): void {
  cli
    .command('score <...photos>', 'Analyse photos one by one: erythema (and wrinkle) measures per facial region, QC flags, provenance')
    .option('--json', 'Print one canonical PhotoScore JSON per line (schema/photo-score.schema.json)')
    .option('--overlay <dir>', 'Write an erythema overlay JPEG per photo into this folder')
    .option('--regions <file|whole>', 'Measure in these regions instead of the face: a JSON file {name: [[x, y], ...]} in image pixels, or "whole"')
    .option('--chart <corners.json>', 'Colour-correct to a ColorChecker Classic: JSON [[x,y] × 4] (outer corners, clockwise from the dark-skin patch) or {corners, widthMm, model}')
    .option('--reference-region <name>', 'Region used as within-photo reference skin (erythema deltas, area baseline)')
    .option('--calibration <file>', 'A saved score-to-grade calibration (JSON): report the predicted grade')
    .option('--ipd-mm <mm>', "The subject's inter-pupillary distance in mm (default 63)")
    .option('--mm-per-px <mm>', 'A known scale in mm per pixel')
    .option('--face-passes <n>', 'Face-landmark passes averaged (default 4; 3 is faster and a little less steady)')
    .option('--wrinkle-outline <mm>', 'Wrinkles: paint what lies beyond the regions with the skin colour around it and leave out a band of this width (mm) along their outline (default 1.5; 0 turns both off)')
    .example('dermametrics score visit1.jpg --json > visit1.json')
    .example('dermametrics score patch.tif --regions whole --mm-per-px 0.05')
    .action(async (photos: string[], flags: Record<string, unknown>) => {
      const base = analyzeOptionsFromFlags(flags);
      let failed = 0;
      for (const photo of photos) {
        try {
          const overlay = flags.overlay ? { path: path.join(String(flags.overlay), `${path.parse(photo).name}.overlay.jpg`) } : undefined;
          const s = await analyzePhoto(photo, { ...base, overlay });
          process.stdout.write(flags.json ? `${canonicalJson(s)}\n` : table(s));
        } catch (e) {
          if (!isDermametricsError(e)) throw e;
          failed++;
          process.stderr.write(`dermametrics: ${photo}: ${e.code}: ${e.message}\n`);
        }
      }
      if (failed) {
        process.stderr.write(`dermametrics: ${failed} of ${photos.length} photo(s) failed\n`);
        process.exitCode = 3;
      }
    });
}
