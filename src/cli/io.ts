// Where a command's output goes. On the command line: stdout, stderr, progress on a terminal,
// and failures end the process with their exit code. In a notebook (src/notebook/): output is
// captured, failures are thrown back to the notebook runner, and each command hands over its
// results (emit) so later blocks can draw them.
import type { RunResult } from '../experiment/run-experiment.js';
import type { SweepResult } from '../experiment/sweep.js';
import type { TimelineData } from '../model/timeline.js';
import type { SizeDoc } from '../report/charts/size-pareto.js';
import { fail } from './commands/experiment-common.js';

export type Artifact =
  | { kind: 'run'; result: RunResult; timeline?: TimelineData; file?: string }
  | { kind: 'sweep'; result: SweepResult }
  | { kind: 'size'; size: SizeDoc & { summary: string }; sweep: SweepResult }
  /** `capsim page`: the what-if page written (DIR/index.html). */
  | { kind: 'page'; file: string; model: string };

export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
  /** Progress lines on stderr (the command line shows them; notebooks do not). */
  progress: boolean;
  fail(err: unknown): void;
  /** The command as typed, for reports. */
  commandLine(): string;
  /** Results for an in-process caller; absent on the command line. */
  emit?(a: Artifact): void;
  /** Say what was written (the command line: one line on stderr; notebooks keep their own files quiet). */
  wrote?(paths: string[], note?: string): void;
}

const quote = (a: string) => (/^[A-Za-z0-9_./:=,%@+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);

export const cliIo: CommandIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  progress: true,
  fail,
  commandLine: () => ['capsim', ...process.argv.slice(2)].map(quote).join(' '),
  wrote: (paths, note) => process.stderr.write(wroteLine(paths, note)),
};

/** "capsim: wrote a, b (note)". */
export function wroteLine(paths: string[], note?: string): string {
  return `capsim: wrote ${paths.join(', ')}${note ? ` (${note})` : ''}\n`;
}
