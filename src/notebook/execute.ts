// Execute a notebook's blocks in order, in this process, with the same command definitions as
// the command line (commander parses each block), and collect each block's output and charts.
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { registerPage } from '../cli/commands/page.js';
import { registerBacktest } from '../cli/commands/backtest.js';
import { registerCalibrate } from '../cli/commands/calibrate.js';
import { registerFit } from '../cli/commands/fit.js';
import { registerInfer } from '../cli/commands/infer.js';
import { registerRun } from '../cli/commands/run.js';
import { registerSize } from '../cli/commands/size.js';
import { registerSweep } from '../cli/commands/sweep.js';
import { UsageError } from '../cli/errors.js';
import type { Artifact, CommandIo } from '../cli/io.js';
import { renderSvg } from '../report/charts/render.js';
import type { Chart } from '../report/charts/spec.js';
import { ModelError } from '../scenario/errors.js';
import { answerLine } from '../report/answer-line.js';
import { sweepAnswer } from '../report/sweep-answer.js';
import { ChartBlockError, chartFromBlock } from './chart-block.js';
import { NotebookSyntaxError, parseNotebook, splitArgs, type Segment } from './parse.js';
import { quickArgs } from './quick.js';

export interface RenderedChart {
  chart: Chart;
  svg: string;
}

export type Executed =
  | { kind: 'prose'; text: string }
  | {
      kind: 'block';
      line: number;
      command: string;
      source: string;
      output: string;
      charts: RenderedChart[];
      page?: { file: string; model: string };
      /** A run's one-line answer, a sweep's fewest and most failures, a sizing's verdict. */
      answer?: string;
      /** The model's warnings the block printed. */
      warnings?: string[];
    };

export interface NotebookRun {
  name: string;
  file: string;
  segments: Executed[];
}

/** A block that failed: where, and whether it was the input's fault (exit 2) or not (1). */
export class NotebookBlockError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: unknown,
    readonly exitCode: 1 | 2,
  ) {
    super(`${file}:${line}: ${reason instanceof Error ? reason.message : String(reason)}`);
  }
}

export interface ExecuteOptions {
  quick?: boolean;
  /** Where blocks without --out keep their files (sweeps need a directory). */
  workDir: string;
  /** Called before each block (progress). */
  onBlock?: (line: number, command: string) => void;
}

const COMMANDS = new Set(['run', 'sweep', 'size', 'chart', 'page', 'calibrate', 'backtest', 'fit', 'infer']);

export async function executeNotebook(file: string, text: string, o: ExecuteOptions): Promise<NotebookRun> {
  const name = path.basename(file).replace(/\.md$/i, '');
  let segments: Segment[];
  try {
    segments = parseNotebook(text);
  } catch (e) {
    if (e instanceof NotebookSyntaxError) throw new NotebookBlockError(file, e.line, e, 2);
    throw e;
  }
  const artifacts: Artifact[] = [];
  const out: Executed[] = [];
  for (const s of segments) {
    if (s.kind === 'prose') {
      out.push(s);
      continue;
    }
    o.onBlock?.(s.line, s.command);
    try {
      let args = splitArgs(s.command);
      if (args[0] === 'capsim') args = args.slice(1);
      const cmd = args[0] ?? '';
      if (!COMMANDS.has(cmd)) throw new UsageError(`expected a run, sweep, size, chart, page, calibrate, backtest, fit or infer command; found "${cmd}"`);
      if (cmd === 'chart') {
        const chart = chartFromBlock(args.slice(1), artifacts);
        out.push({ ...s, output: '', charts: [{ chart, svg: await renderSvg(chart.spec) }] });
        continue;
      }
      if ((cmd === 'sweep' || cmd === 'size' || cmd === 'page') && !args.includes('--out')) args.push('--out', path.join(o.workDir, `block-${s.line}`));
      if (o.quick) args = quickArgs(cmd, args);
      let page: { file: string; model: string } | undefined;
      let answer: string | undefined;
      const output = await runCommand(args, s.command, (a) => {
        if (a.kind === 'page') page = { file: a.file, model: a.model };
        else {
          artifacts.push(a);
          answer = a.kind === 'run' ? answerLine(a.result) : a.kind === 'sweep' ? sweepAnswer(a.result) : a.size.summary;
        }
      });
      const warnings = output.split('\n').filter((l) => l.startsWith('capsim: warning')).map((l) => l.replace(/^capsim: warning:? ?/, ''));
      // A page block shows as a link to the page (its one line of output says no more).
      out.push(page ? { ...s, output: '', charts: [], page } : { ...s, output, charts: [], answer, warnings });
    } catch (e) {
      const input = e instanceof UsageError || e instanceof ModelError || e instanceof ChartBlockError || e instanceof CommanderError || (e instanceof Error && e.message.startsWith('unclosed'));
      throw new NotebookBlockError(file, s.line, e, input ? 2 : 1);
    }
  }
  return { name, file, segments: out };
}

/** One run/sweep/size/page/calibrate/backtest/fit command, parsed by the CLI's own definitions; returns what it printed. */
async function runCommand(args: string[], line: string, emit: (a: Artifact) => void): Promise<string> {
  let printed = '';
  let errors = '';
  const io: CommandIo = {
    out: (t) => (printed += t),
    err: (t) => (errors += t),
    progress: false,
    fail: (err) => {
      throw err;
    },
    commandLine: () => `capsim ${line}`.replace(/^capsim capsim /, 'capsim '),
    emit,
  };
  const program = new Command()
    .name('capsim')
    .exitOverride()
    .configureOutput({ writeOut: (t) => (printed += t), writeErr: (t) => (errors += t) });
  registerRun(program, io);
  registerSweep(program, io);
  registerSize(program, io);
  registerPage(program, io);
  registerCalibrate(program, io);
  registerBacktest(program, io);
  registerFit(program, io);
  registerInfer(program, io);
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) throw new UsageError(e.message.replace(/^error: /, ''));
    throw e;
  }
  // Warnings (capsim: warning: …) belong with the output: a reader should see them too.
  return `${errors}${printed}`.replace(/\s+$/, '');
}
