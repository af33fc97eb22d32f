import type { CAC } from 'cac';
import { readFileSync } from 'node:fs';
import { runBatch } from '../../batch/run';
import { invalidOption } from '../../errors';

/** Options of `score` and `batch` that go to analyzePhoto (JSON values). */
export function analyzeOptionsFromFlags(flags: Record<string, unknown>): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (flags.regions !== undefined) {
    const r = String(flags.regions);
    o.regions = r === 'whole' ? 'whole' : JSON.parse(readFileSync(r, 'utf8'));
  }
  if (flags.chart !== undefined) o.chart = JSON.parse(readFileSync(String(flags.chart), 'utf8'));
  if (flags.referenceRegion !== undefined) o.referenceRegion = String(flags.referenceRegion);
  if (flags.calibration !== undefined) o.calibration = JSON.parse(readFileSync(String(flags.calibration), 'utf8'));
  if (flags.ipdMm !== undefined) o.ipdMm = Number(flags.ipdMm);
  return o;
}

export function registerBatch(cli: CAC): void {
  cli
    .command('batch <manifest>', 'Score a trial photo set (manifest CSV or directory) into results.jsonl, scores_long.csv, errors.csv, summary.json')
    .option('--out <dir>', 'Output folder (required)')
    .option('--workers <n>', 'Worker processes (default: all cores)')
    .option('--resume', 'Continue an interrupted run in --out (same manifest and options)')
    .option('--shard <i/n>', "Score only shard i of n (photos assigned by subject), e.g. '0/4'; join with `dermametrics merge`")
    .option('--pattern <pattern>', "For a directory: where subject/visit sit in the path (default '{subject}/{visit}/{file}')")
    .option('--baseline-visit <visit>', 'The baseline visit name when the manifest has no baseline column (default: first visit per subject)')
    .option('--allow-outside', "Accept photo paths outside the manifest's folder")
    .option('--report', 'Also write report.html (plots by region, visit and arm; overlay thumbnails)')
    .option('--regions <file|whole>', 'Regions for every photo: a JSON file of named polygons, or "whole"')
    .option('--reference-region <name>', 'Region used as the within-photo erythema reference')
    .option('--calibration <file>', 'A saved score-to-grade calibration (JSON) to report predicted grades')
    .option('--timeout <s>', 'Per-photo time limit in seconds (default 600)')
    .option('--quiet', 'No progress output')
    .example('dermametrics batch trial/manifest.csv --out out/trial --workers 2 --report')
    .example("dermametrics batch photos/ --pattern '{site}/{subject}/{visit}/{file}' --out out/ --shard $SLURM_ARRAY_TASK_ID/8")
    .action(async (manifest: string, flags: Record<string, unknown>) => {
      if (typeof flags.out !== 'string' || flags.out === '') throw invalidOption('--out', 'an output folder', flags.out);
      const result = await runBatch(manifest, {
        out: flags.out,
        workers: flags.workers === undefined ? undefined : Number(flags.workers),
        resume: Boolean(flags.resume),
        shard: flags.shard === undefined ? undefined : String(flags.shard),
        analyze: analyzeOptionsFromFlags(flags),
        manifest: {
          allowOutside: Boolean(flags.allowOutside),
          pattern: flags.pattern === undefined ? undefined : String(flags.pattern),
          baselineVisit: flags.baselineVisit === undefined ? undefined : String(flags.baselineVisit),
        },
        progress: !flags.quiet,
        report: Boolean(flags.report),
        timeoutS: flags.timeout === undefined ? undefined : Number(flags.timeout),
        analyzerModule: process.env.DERMAMETRICS_TEST_ANALYZER || undefined,
      });
      const codes = Object.entries(result.errorsByCode).map(([c, n]) => `${c} ${n}`).join(', ');
      process.stdout.write(
        `scored ${result.scored} of ${result.photos} photos, ${result.failed} failed${codes ? ` (${codes})` : ''}, ${result.qc.review} flagged for review; ` +
          `${result.timing.photosPerMinute.toFixed(1)} photos/min; outputs in ${flags.out}\n`,
      );
      if (result.failed > 0) process.exitCode = 3;
    });
}
