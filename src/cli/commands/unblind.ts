import type { CAC } from 'cac';
import { UNBLINDED_COLUMNS, unblind, writeMissing, writeUnblinded } from '../../blind/index';
import { toCsv } from '../../blind/csv';
import { invalidOption } from '../../errors';
import { rawOption } from './blind';

function last(v: unknown): string | undefined {
  const x = Array.isArray(v) ? v[v.length - 1] : v;
  return x === undefined || x === '' ? undefined : String(x);
}

export function registerUnblind(cli: CAC): void {
  cli
    .command('unblind <ratings...>', 'Join filled rating sheets back to subject, visit and arm through the key: a long table (USUBJID, AVISIT, ARM, reader, scale, grade)')
    .option('--key <file>', "The key written by 'dermametrics blind' (required); repeat it for one packet per reader", { type: [String] })
    .option('--out <file>', 'Output CSV (default: standard output)', { type: [String] })
    .option('--missing <file>', 'Also write the list of grades not given (reader, code, subject, visit, scale, reason) as CSV', { type: [String] })
    .option('--scale <name:min-max>', 'Scales to read, repeatable (default: the scales recorded in the key)', { type: [String] })
    .option('--reader <id>', 'Reader id for rows whose reader cell is blank (single-reader sheets)', { type: [String] })
    .option('--require-complete', 'Fail when any reader left any photo or scale ungraded')
    .example('dermametrics unblind ratings-R1.csv ratings-R2.csv --key secure/key.csv --out ratings_long.csv --missing missing.csv')
    .action((ratings: string[], flags: Record<string, unknown>) => {
      const keys = (Array.isArray(flags.key) ? flags.key : flags.key === undefined ? [] : [flags.key]).map(String).filter((k) => k !== '');
      const key = keys.length ? keys : undefined;
      if (!key) throw invalidOption('--key', "the key file written by 'dermametrics blind'", flags.key);
      const scale = flags.scale === undefined ? undefined : (Array.isArray(flags.scale) ? flags.scale : [flags.scale]).map(String);
      const res = unblind(ratings, key, { scales: scale, reader: rawOption(cli.rawArgs, 'reader') ?? last(flags.reader), requireComplete: Boolean(flags.requireComplete) });
      const out = last(flags.out);
      if (out) writeUnblinded(res, out);
      else process.stdout.write(toCsv([...UNBLINDED_COLUMNS], res.ratings.map((r) => UNBLINDED_COLUMNS.map((c) => r[c]))));
      const missingFile = last(flags.missing);
      if (missingFile) writeMissing(res, missingFile);
      const log = out ? process.stdout : process.stderr;
      log.write(`${res.ratings.length} grades from ${res.readers.length} reader(s) (${res.readers.join(', ')}) for ${res.photos} packet photos, scales ${res.scales.map((s) => s.name).join(', ')}${out ? `; written to ${out}` : ''}\n`);
      if (res.ignoredColumns.length) process.stderr.write(`ignored sheet columns: ${res.ignoredColumns.join(', ')}\n`);
      if (res.missing.length) {
        const show = res.missing.slice(0, 10).map((m) => `  ${m.reader} ${m.code} (${m.USUBJID} ${m.AVISIT}) ${m.scale}: ${m.reason}`).join('\n');
        process.stderr.write(`${res.missing.length} grade(s) missing${missingFile ? ` (all listed in ${missingFile})` : ' (pass --missing FILE for the full list)'}:\n${show}${res.missing.length > 10 ? '\n  …' : ''}\n`);
      }
    });
}
