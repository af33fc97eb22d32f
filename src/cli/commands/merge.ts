import type { CAC } from 'cac';
import { mergeShards } from '../../batch/merge';
import { invalidOption } from '../../errors';

export function registerMerge(cli: CAC): void {
  cli
    .command('merge <...dirs>', 'Join the output folders of `batch --shard i/n` runs into one (identical to an unsharded run)')
    .option('--out <dir>', 'Output folder for the merged files (required)')
    .option('--allow-incomplete', 'Merge even if a shard has photos pending')
    .option('--report', 'Also write report.html for the merged set')
    .example('dermametrics merge out/shard-0 out/shard-1 out/shard-2 --out out/all')
    .action(async (dirs: string[], flags: Record<string, unknown>) => {
      if (typeof flags.out !== 'string' || flags.out === '') throw invalidOption('--out', 'an output folder', flags.out);
      const s = await mergeShards(dirs, flags.out, { allowIncomplete: Boolean(flags.allowIncomplete), report: Boolean(flags.report) });
      process.stdout.write(`merged ${dirs.length} shard(s): ${s.scored} of ${s.photos} photos scored, ${s.failed} failed, ${s.pending} pending; outputs in ${flags.out}\n`);
      if (s.failed > 0) process.exitCode = 3;
    });
}
