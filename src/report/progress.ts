// Progress of a long experiment on stderr: a bar with an ETA redrawn in place when stderr is a
// terminal; otherwise (a log, CI) a quiet line now and then. Never on stdout, whose bytes must
// not depend on timing.
import type { SweepProgress } from '../experiment/sweep.js';

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

export class ProgressReporter {
  private started = performance.now();
  private lastLine = 0;
  private drawn = false;
  private phase = '';

  constructor(
    private readonly out: ProgressStream = process.stderr,
    private readonly quiet = false,
    /** Seconds between lines when not a terminal. */
    private readonly every = 10,
  ) {}

  /** A sweep's progress (replications done of this run's total; points done). */
  update(p: SweepProgress, phase = ''): void {
    if (this.quiet) return;
    if (phase !== this.phase) {
      this.end();
      this.phase = phase;
      this.started = performance.now();
    }
    const elapsed = (performance.now() - this.started) / 1000;
    const frac = p.total > 0 ? p.done / p.total : 1;
    const eta = p.done > 0 ? (elapsed / p.done) * (p.total - p.done) : NaN;
    const label = phase ? `${phase}: ` : '';
    const counts = `${p.done}/${p.total} replications, ${p.pointsDone}/${p.points} points${p.pointsReused ? ` (${p.pointsReused} reused)` : ''}`;
    const times = `${clock(elapsed)} elapsed${p.done < p.total && Number.isFinite(eta) ? `, ETA ${clock(eta)}` : ''}`;
    if (this.out.isTTY) {
      const width = Math.max(10, Math.min(30, (this.out.columns ?? 80) - 90));
      const filled = Math.round(frac * width);
      this.out.write(`\r${label}[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}%  ${counts}, ${times}\x1b[K`);
      this.drawn = true;
      if (p.done === p.total) this.end();
    } else {
      const now = performance.now();
      const last = p.done === p.total;
      if (!last && p.done > 0 && now - this.lastLine < this.every * 1000) return;
      if (p.done === 0 && p.total > 0 && this.lastLine > 0) return;
      this.lastLine = now;
      this.out.write(`capsim: ${label}${counts}, ${times}\n`);
    }
  }

  /** Replications of one run (no points). */
  replications(done: number, total: number | null): void {
    if (this.quiet) return;
    const elapsed = (performance.now() - this.started) / 1000;
    const counts = `${done}${total !== null ? `/${total}` : ''} replications`;
    const eta = total !== null && done > 0 && done < total ? `, ETA ${clock((elapsed / done) * (total - done))}` : '';
    if (this.out.isTTY) {
      this.out.write(`\r${counts}, ${clock(elapsed)} elapsed${eta}\x1b[K`);
      this.drawn = true;
    } else {
      const now = performance.now();
      if (now - this.lastLine < this.every * 1000 && done !== total) return;
      this.lastLine = now;
      this.out.write(`capsim: ${counts}, ${clock(elapsed)} elapsed${eta}\n`);
    }
  }

  /** Leave the bar's line (call before printing anything else to stderr). */
  end(): void {
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}
