import type { CAC } from 'cac';
import path from 'node:path';
import { checkPacket, createReaderPacket } from '../../blind/index';
import { invalidOption } from '../../errors';

/** the last value of a repeatable or string-typed cac option */
function last(v: unknown): string | undefined {
  const x = Array.isArray(v) ? v[v.length - 1] : v;
  return x === undefined || x === '' ? undefined : String(x);
}

/**
 * The option's value exactly as typed: cac (mri) turns numeric-looking values into numbers, so '--seed 0042' would
 * arrive as 42 and seed another packet. Reads the last '--name VALUE' or '--name=VALUE' from the raw arguments.
 */
export function rawOption(rawArgs: readonly string[], name: string): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < rawArgs.length; i++) {
    const a = rawArgs[i];
    if (a === '--') break;
    if (a === `--${name}` && i + 1 < rawArgs.length) found = rawArgs[++i];
    else if (a.startsWith(`--${name}=`)) found = a.slice(name.length + 3);
  }
  return found;
}

function list(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v : [v]).map(String);
}

export function registerBlind(cli: CAC): void {
  cli
    .command('blind <manifest>', 'Make a blinded reader packet: photos re-encoded without metadata under random codes, a rating sheet, and a key kept apart')
    .option('--out <dir>', 'Packet folder to create (new or empty); give this folder to readers (required)')
    .option('--seed <seed>', 'Seed of the codes and the order (required); keep it as secret as the key', { type: [String] })
    .option('--key <file>', 'Key CSV (code -> subject, visit, arm, file); must be outside the packet (default: <out>-key.csv beside the packet)', { type: [String] })
    .option('--scale <name:min-max>', "A scale readers grade on, repeatable (default 'erythema:0-4'), e.g. --scale erythema:0-4 --scale fg_wrinkle:1-9", { type: [String] })
    .option('--format <jpeg|png>', 'Format of every packet photo (default jpeg, quality 95, 4:4:4)')
    .option('--quality <q>', 'JPEG quality 1-100 (default 95)')
    .option('--long-edge <px>', 'Resize every photo to this longer edge, so that size does not tell camera or site (default: keep)')
    .option('--pattern <pattern>', "For a directory manifest: where subject/visit sit in the path (default '{subject}/{visit}/{file}')")
    .option('--allow-outside', "Accept photo paths outside the manifest's folder")
    .option('--repeats <n>', 'Show this many photos (chosen from the seed) a second time under another code, for intra-reader agreement (default 0)')
    .option('--force', 'Replace an existing key file')
    .option('--check', 'Check an existing packet instead: dermametrics blind PACKET --check [--key KEY] (whitelist of files, no metadata, fixed times; with the key, searches names and bytes for its subjects, visits, arms, file names)')
    .example('dermametrics blind trial/manifest.csv --out packet-R1 --key secure/key-R1.csv --seed 7d1f3a9c --scale erythema:0-4')
    .example('dermametrics blind packet-R1 --check --key secure/key-R1.csv')
    .action(async (manifest: string, flags: Record<string, unknown>) => {
      if (flags.check) {
        const res = await checkPacket(manifest, { key: last(flags.key) });
        for (const f of res.findings) process.stdout.write(`${f.file || '.'}: ${f.problem}\n`);
        process.stdout.write(`${res.ok ? 'passed' : 'FAILED'}: ${res.entries} entries, ${res.photos} photos${res.needles ? `, searched for ${res.needles} identifying strings` : ''}, ${res.findings.length} finding(s)\n`);
        if (!res.ok) process.exitCode = 3;
        return;
      }
      const out = last(flags.out);
      if (!out) throw invalidOption('--out', 'the packet folder', flags.out);
      const seed = rawOption(cli.rawArgs, 'seed') ?? last(flags.seed);
      if (!seed) throw invalidOption('--seed', 'a seed (record it with the key)', flags.seed);
      const key = last(flags.key) ?? `${path.resolve(out).replace(/[\\/]+$/, '')}-key.csv`;
      const packet = await createReaderPacket(manifest, {
        out,
        key,
        seed,
        scales: list(flags.scale),
        format: last(flags.format) as 'jpeg' | 'png' | undefined,
        jpegQuality: flags.quality === undefined ? undefined : Number(flags.quality),
        longEdgePx: flags.longEdge === undefined ? undefined : Number(flags.longEdge),
        pattern: last(flags.pattern),
        allowOutside: Boolean(flags.allowOutside),
        overwriteKey: Boolean(flags.force),
        repeats: flags.repeats === undefined ? undefined : Number(flags.repeats),
      });
      process.stdout.write(
        `packet: ${packet.items.length} photos in ${packet.packetDir}\n` +
          `rating sheet: ${packet.sheetPath} (${packet.scales.map((s) => `${s.name} ${s.min}-${s.max}`).join(', ')})\n` +
          `key: ${packet.keyPath}\n` +
          'check: passed (only photos, sheet and README; no metadata; fixed times)\n' +
          'Keep the key and the seed away from readers; give them only the packet folder.\n',
      );
    });
}
