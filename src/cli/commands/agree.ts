import type { CAC } from 'cac';
import { invalidOption } from '../../errors';
import { agreeReportJson, agreeReportText, runAgree, writeAgreeReport } from '../../report/index';

function last(v: unknown): string | undefined {
  const x = Array.isArray(v) ? v[v.length - 1] : v;
  return x === undefined || x === '' ? undefined : String(x);
}

export function registerAgree(cli: CAC): void {
  cli
    .command('agree', 'Rater-rater and rater-score agreement and the score-to-grade calibration: text report, and JSON + HTML with --out')
    .option('--ratings <file>', "Unblinded long ratings (USUBJID, AVISIT, reader, scale, grade), from 'dermametrics unblind' (required)", { type: [String] })
    .option('--scores <file>', "scores_long.csv from 'dermametrics batch' (required)", { type: [String] })
    .option('--parameter <PARAMCD>', 'The score to compare (PARAMCD); required when the scores file has several', { type: [String] })
    .option('--region <name>', 'The region of the score (REGION); required when there are several', { type: [String] })
    .option('--scale <name:min-max>', "The graded scale, e.g. 'erythema:0-4' (declares unused grades too); or just the name", { type: [String] })
    .option('--out <dir>', 'Write agree.json, agree.txt, agree.html and calibration.json here', { type: [String] })
    .option('--json', 'Print the JSON report instead of the text')
    .option('--folds <k>', 'Folds of the cross-validated grade prediction (default 5)')
    .option('--seed <n>', 'Seed of the fold assignment and the bootstrap (default 1)')
    .option('--bootstrap <n>', 'Subject-resampling bootstrap replicates for the cut-point CIs (default 200; 0 = Wald CIs only)')
    .option('--confidence <level>', 'Confidence level of every interval (default 0.95)')
    .example('dermametrics agree --ratings ratings_long.csv --scores out/trial/scores_long.csv --parameter ERYIDX --region cheek_left --scale erythema:0-4 --out out/agree')
    .action((flags: Record<string, unknown>) => {
      const ratings = last(flags.ratings);
      const scores = last(flags.scores);
      if (!ratings) throw invalidOption('--ratings', "the long ratings CSV written by 'dermametrics unblind'", flags.ratings);
      if (!scores) throw invalidOption('--scores', "the scores_long.csv written by 'dermametrics batch'", flags.scores);
      const report = runAgree(ratings, scores, {
        parameter: last(flags.parameter),
        region: last(flags.region),
        scale: last(flags.scale),
        folds: flags.folds === undefined ? undefined : Number(flags.folds),
        seed: flags.seed === undefined ? undefined : Number(flags.seed),
        bootstrap: flags.bootstrap === undefined ? undefined : Number(flags.bootstrap),
        confidence: flags.confidence === undefined ? undefined : Number(flags.confidence),
      });
      process.stdout.write(flags.json ? agreeReportJson(report) : agreeReportText(report));
      const out = last(flags.out);
      if (out) {
        const files = writeAgreeReport(report, out);
        process.stderr.write(`wrote ${[files.text, files.json, files.html, files.calibration].filter(Boolean).join(', ')}\n`);
      }
    });
}
