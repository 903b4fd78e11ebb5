// Progress of a long command on stderr: one line redrawn in place, with the elapsed time and an
// ETA, only on a terminal (a log or CI gets no progress lines: each command says what it did and
// wrote when it ends) and never with --quiet. It appears once a command has run for `delay`
// seconds, so quick commands print nothing, and it is redrawn every second so the ETA counts down
// between completions. The replications run on worker threads, which leaves this thread free to
// redraw; a single replication runs on this thread and shows no progress until it ends.
// Never on stdout, whose bytes must not depend on timing.
import type { SweepProgress } from '../experiment/sweep.js';

/** 75 -> "1m15s"; NaN or Infinity -> "?". */
export function clock(seconds: number): string {
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

export interface ProgressOptions {
  /** Seconds before the first line is drawn. */
  delay?: number;
  /** Milliseconds between redraws (0: only when something changes). */
  redraw?: number;
  /** Clock in milliseconds (tests give their own). */
  now?: () => number;
}

/** What is drawn: a label, done of total (null: open-ended), and the counts to show. */
interface State {
  label: string;
  done: number;
  total: number | null;
  counts: string;
}

export class ProgressReporter {
  private readonly on: boolean;
  private readonly delay: number;
  private readonly redrawMs: number;
  private readonly now: () => number;
  private started: number;
  private state: State | null = null;
  /** Seconds from the start to the last change of `done`. */
  private lastDone = 0;
  private phase = '';
  private drawn = false;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly out: ProgressStream = process.stderr,
    quiet = false,
    options: ProgressOptions = {},
  ) {
    this.on = !quiet && out.isTTY === true;
    this.delay = options.delay ?? 2;
    this.redrawMs = options.redraw ?? 1000;
    this.now = options.now ?? (() => performance.now());
    this.started = this.now();
  }

  /** A sweep's progress (replications done of this run's total; points done). */
  update(p: SweepProgress, phase = ''): void {
    if (!this.on) return;
    if (phase !== this.phase) {
      this.end();
      this.phase = phase;
      this.started = this.now();
      this.state = null;
    }
    const counts = `${p.done}/${p.total} replications, ${p.pointsDone}/${p.points} points${p.pointsReused ? ` (${p.pointsReused} reused)` : ''}`;
    this.show({ label: phase ? `${phase}: ` : '', done: p.done, total: p.total, counts });
  }

  /** Replications of one run; `total` null when open-ended (--precision). */
  replications(done: number, total: number | null): void {
    if (!this.on) return;
    this.show({ label: '', done, total, counts: `${done}${total !== null ? `/${total}` : ''} replications` });
  }

  /** A step of a list (a notebook's blocks): "3/7 FILE:LINE: command". */
  step(done: number, total: number, what: string): void {
    if (!this.on) return;
    this.show({ label: '', done, total, counts: `${done}/${total} ${what}` });
  }

  /**
   * A counted step of a command that is neither a sweep nor a run ("reading logs: 120000
   * records", "simulating: 2/5 replications"); a new label starts a new line and a new clock.
   * Replications on this thread redraw only as each one ends (the timer cannot fire meanwhile).
   */
  counted(label: string, done: number, total: number | null, unit: string): void {
    if (!this.on) return;
    if (label !== this.phase) {
      this.end();
      this.phase = label;
      this.started = this.now();
      this.state = null;
    }
    this.show({ label: `${label}: `, done, total, counts: `${done}${total !== null ? `/${total}` : ''} ${unit}` });
  }

  /** Leave the progress line (call before printing anything else to stderr). */
  end(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
  }

  private show(state: State): void {
    if (this.state === null || state.done !== this.state.done) this.lastDone = (this.now() - this.started) / 1000;
    this.state = state;
    if (this.timer === null && this.redrawMs > 0) {
      this.timer = setInterval(() => this.draw(), this.redrawMs);
      this.timer.unref?.();
    }
    this.draw();
  }

  /** The line as it reads now, at most `width` characters: label, bar (when it fits), counts, elapsed, ETA. */
  line(width = 80): string {
    const s = this.state!;
    const elapsed = (this.now() - this.started) / 1000;
    let times = `${clock(elapsed)} elapsed`;
    if (s.total !== null && s.done < s.total) {
      // The pace of what finished so far, counted down from the last completion.
      const eta = s.done > 0 ? Math.max(0, (this.lastDone / s.done) * (s.total - s.done) - (elapsed - this.lastDone)) : NaN;
      times += `, ETA ${clock(eta)}`;
    }
    const text = `${s.counts}, ${times}`;
    let bar = '';
    const room = Math.min(20, width - s.label.length - text.length - 9);
    if (s.total !== null && room >= 5) {
      const frac = s.total > 0 ? Math.min(1, s.done / s.total) : 1;
      const filled = Math.round(frac * room);
      bar = `[${'#'.repeat(filled)}${'.'.repeat(room - filled)}] ${(frac * 100).toFixed(0).padStart(3)}%  `;
    }
    const full = `${s.label}${bar}${text}`;
    // One terminal line, or the carriage return cannot go back over it.
    return full.length > width ? `${full.slice(0, width - 1)}…` : full;
  }

  private draw(): void {
    if (this.state === null) return;
    if ((this.now() - this.started) / 1000 < this.delay) return;
    this.out.write(`\r${this.line(Math.max(20, (this.out.columns || 80) - 1))}\x1b[K`);
    this.drawn = true;
  }
}
