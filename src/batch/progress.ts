/**
 * Progress for long batches, on stderr: a redrawn bar with rate and ETA on a terminal; on anything else (CI logs,
 * SLURM output files) one plain line every `intervalS` seconds and one at the end.
 */
export interface ProgressState {
  done: number;
  total: number;
  failed: number;
  elapsedS: number;
  photosPerMinute: number;
  etaS: number | null;
}

function fmtDuration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = Math.floor(s % 60);
  return h ? `${h}h${String(m).padStart(2, '0')}m` : m ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`;
}

export class Progress {
  private readonly start = process.hrtime.bigint();
  private done = 0;
  private failed = 0;
  private lastDraw = 0;
  private lastLine = 0;
  private readonly tty: boolean;

  constructor(
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream | undefined,
    private readonly intervalS = 10,
    private readonly onUpdate?: (s: ProgressState) => void,
    /** photos already done before this run (resume): not counted in the rate */
    private readonly already = 0,
  ) {
    this.tty = Boolean(stream?.isTTY);
  }

  state(): ProgressState {
    const elapsedS = Number(process.hrtime.bigint() - this.start) / 1e9;
    const rate = elapsedS > 0 ? this.done / elapsedS : 0;
    const left = this.total - this.already - this.done;
    return { done: this.already + this.done, total: this.total, failed: this.failed, elapsedS, photosPerMinute: rate * 60, etaS: rate > 0 ? left / rate : null };
  }

  tick(ok: boolean): void {
    this.done++;
    if (!ok) this.failed++;
    const s = this.state();
    this.onUpdate?.(s);
    if (!this.stream) return;
    if (this.tty) {
      if (s.elapsedS - this.lastDraw >= 0.1 || s.done === s.total) {
        this.lastDraw = s.elapsedS;
        this.stream.write(`\r${this.bar(s)}\u001b[K`);
      }
    } else if (s.elapsedS - this.lastLine >= this.intervalS) {
      this.lastLine = s.elapsedS;
      this.stream.write(`${this.line(s)}\n`);
    }
  }

  finish(): void {
    if (!this.stream) return;
    const s = this.state();
    this.stream.write(this.tty ? `\r${this.bar(s)}\u001b[K\n` : `${this.line(s)}\n`);
  }

  private line(s: ProgressState): string {
    const pct = s.total ? ((100 * s.done) / s.total).toFixed(0) : '100';
    return `batch: ${s.done}/${s.total} photos (${pct}%), ${s.failed} failed, ${s.photosPerMinute.toFixed(1)} photos/min, elapsed ${fmtDuration(s.elapsedS)}, ETA ${s.etaS === null ? '?' : fmtDuration(s.etaS)}`;
  }

  private bar(s: ProgressState): string {
    const width = 28;
    const frac = s.total ? s.done / s.total : 1;
    const filled = Math.round(frac * width);
    return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${s.done}/${s.total} ${(100 * frac).toFixed(0)}% | ${s.photosPerMinute.toFixed(1)}/min | ETA ${s.etaS === null ? '?' : fmtDuration(s.etaS)} | ${s.failed} failed`;
  }
}
