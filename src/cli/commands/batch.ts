import type { CAC } from 'cac';
import { runBatch } from '../../batch/run';
import { invalidOption } from '../../errors';
import { analyzeOptionsFromFlags } from './score';

export function registerBatch(cli: CAC): void {
  cli
    .command('batch <manifest>', 'Score a trial photo set (manifest CSV or directory) into results.jsonl, scores_long.csv, errors.csv, summary.json')
    .option('--out <dir>', 'Output folder (required)')
    .option('--workers <n>', 'Worker processes (default: all cores)')
    .option('--resume', 'Continue an interrupted run in --out (same manifest and options)')
    .option('--overwrite', 'Delete the results of an earlier run in --out first')
    .option('--shard <i/n>', "Score only shard i of n (photos assigned by subject), e.g. '0/4'; join with `dermametrics merge`")
    .option('--pattern <pattern>', "For a directory: where subject/visit sit in the path (default '{subject}/{visit}/{file}')")
    .option('--baseline-visit <visit>', 'The baseline visit name when the manifest has no baseline column (default: first visit per subject)')
    .option('--allow-outside', "Accept photo paths outside the manifest's folder")
    .option('--report', 'Also write report.html (plots by region, visit and arm; overlay thumbnails)')
    .option('--regions <file|whole>', 'Regions for every photo: a JSON file of named polygons, or "whole"')
    .option('--reference-region <name>', 'Region used as the within-photo erythema reference')
    .option('--calibration <file>', 'A saved score-to-grade calibration (JSON) to report predicted grades')
    .option('--ipd-mm <mm>', "Subjects' inter-pupillary distance in mm (default 63)")
    .option('--face-passes <n>', 'Face-landmark passes averaged (default 4; 3 is faster and a little less steady)')
    .option('--wrinkle-outline <mm>', 'Wrinkles: paint what lies beyond the regions with the skin colour around it and leave out a band of this width (mm) along their outline (default 1.5; 0 turns both off)')
    .option('--chart <corners.json>', 'Colour-correct every photo to a ColorChecker Classic at these corners (fixed camera set-ups)')
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
        overwrite: Boolean(flags.overwrite),
        shard: flags.shard === undefined ? undefined : String(flags.shard),
        analyze: analyzeOptionsFromFlags(flags) as Record<string, unknown>,
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
          `${result.timing.scoredThisRun > 0 ? `${result.timing.photosPerMinute.toFixed(1)} photos/min; ` : ''}outputs in ${flags.out}\n`,
      );
      if (result.failed > 0) process.exitCode = 3;
    });
}
