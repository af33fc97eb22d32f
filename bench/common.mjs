/** What every benchmark shares: the --runs option, the median, a millisecond clock and the machine description. */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** `--runs N` from the command line, else `fallback`. */
export function runsOption(fallback) {
  const i = process.argv.indexOf('--runs');
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

export function median(a) {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Milliseconds from a monotonic clock. */
export const now = () => Number(process.hrtime.bigint()) / 1e6;

/** The CPU model as /proc/cpuinfo names it (Node's os.cpus() elsewhere). */
export function cpuModel() {
  try {
    return (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1] ?? cpus()[0]?.model;
  } catch {
    return cpus()[0]?.model;
  }
}
