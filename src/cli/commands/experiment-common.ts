// What `capsim sweep`, `size` and `merge` share: option parsing, the sweep's spec from the
// command line, writing the final files, Ctrl-C, and mapping the experiment layer's input errors
// to exit code 2.
import { modelWarnings } from '../../scenario/warnings.js';
import path from 'node:path';
import { ExperimentInputError } from '../../experiment/errors.js';
import { OutputSet } from '../../experiment/output-set.js';
import { ProgressReporter } from '../../report/progress.js';
import { parseVary, type Vary } from '../../experiment/grid.js';
import { defaultJobs, ReplicationPool } from '../../experiment/pool.js';
import { loadPriceTable } from '../../experiment/price-file.js';
import { checkArch } from '../../experiment/prices.js';
import type { Sweep, SweepProgress, SweepResult, SweepSpec } from '../../experiment/sweep.js';
import { sweepCsv } from '../../report/csv.js';
import { readModelFile } from '../../scenario/load-model.js';
import { parseModelText } from '../../scenario/parse-model.js';
import type { Model } from '../../scenario/model-types.js';
import { reportAndExit, UsageError } from '../errors.js';
import { simulationOverrides, type SimulationOptions } from '../options.js';

/** Report an error with the exit code it deserves (ExperimentInputError is bad input: 2). */
export function fail(err: unknown): never {
  reportAndExit(err instanceof ExperimentInputError ? new UsageError(err.message) : err);
}

export function wholeNumber(option: string, text: string, min = 1): number {
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !(n >= min)) throw new UsageError(`${option} ${text}: expected a whole number >= ${min}`);
  return n;
}

/** More worker threads than this only costs memory (each holds a simulation): a typo. */
export const MAX_JOBS = 256;

export function jobsOption(text: string | undefined): number {
  if (text === undefined) return defaultJobs();
  const n = wholeNumber('--jobs', text);
  if (n > MAX_JOBS) throw new UsageError(`--jobs ${text}: expected a whole number from 1 to ${MAX_JOBS} (worker threads; the default is the number of cores)`);
  return n;
}

/** The model file's text (scenario/load-model.ts: missing, too large or binary files are exit 2). */
export const readModelText = readModelFile;

export interface GridOptions extends SimulationOptions {
  vary: string[];
  prices?: string;
  arch?: string;
}

/** The sweep asked for on the command line; every input problem is thrown before anything runs. */
export function specFromOptions(file: string, opts: GridOptions): { spec: SweepSpec; varies: Vary[]; base: Model } {
  const text = readModelText(file);
  const sets = [...opts.set, ...simulationOverrides(opts)];
  const base = parseModelText(text, file, sets);
  if (opts.vary.length === 0) throw new UsageError('give at least one --vary PATH=LIST, such as --vary fleet.server.workers=2,4,8');
  const varies = opts.vary.map(parseVary);
  const prices = loadPriceTable(opts.prices);
  const arch = checkArch(prices, opts.arch);
  return {
    spec: { file, text, sets, vary: varies.map((v) => ({ path: v.path, texts: v.texts })), replications: base.simulation.replications, prices, arch },
    varies,
    base,
  };
}

export function defaultOut(kind: string, modelName: string): string {
  return path.join('out', `${kind}-${modelName.replace(/[^A-Za-z0-9._-]+/g, '-')}`);
}

/**
 * Cost warnings and the points' model warnings (ignored settings, memory that does not fit…),
 * each once, with the points it concerns when not all of them: the lines stderr and report.html show.
 */
export interface ScopedWarning {
  /** The points it concerns ("every point", or some); null for a cost warning. */
  scope: string | null;
  text: string;
}

export function sweepWarnings(sweep: Sweep): ScopedWarning[] {
  const out: ScopedWarning[] = [];
  const seen = new Set<string>();
  for (const p of sweep.points) {
    const w = p.cost.warning;
    if (w && !seen.has(w)) {
      seen.add(w);
      out.push({ scope: null, text: w });
    }
  }
  const where = new Map<string, string[]>();
  for (const p of sweep.points) {
    const label = Object.entries(p.values)
      .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join(' ');
    for (const w of modelWarnings(p.model)) {
      const at = where.get(w) ?? [];
      at.push(label);
      where.set(w, at);
    }
  }
  for (const [w, at] of where) {
    const scope = at.length === sweep.points.length ? 'every point' : at.length <= 3 ? at.join('; ') : `${at.length} points, e.g. ${at.slice(0, 2).join('; ')}`;
    out.push({ scope, text: w });
  }
  return out;
}

/** The distinct warnings of a finished sweep's points, for report.html (when the Sweep itself is gone). */
export function resultWarnings(r: { points: readonly { warnings: readonly string[] }[] }): string[] {
  return [...new Set(r.points.flatMap((p) => p.warnings))];
}

/** For report.html: "TEXT (at POINTS)". */
export const warningLines = (ws: readonly ScopedWarning[]): string[] => ws.map((w) => (w.scope === null ? w.text : `${w.text} (at ${w.scope})`));

/** The same on stderr, one "capsim: warning" line each. */
export function warnCosts(sweep: Sweep, write: (text: string) => void = (t) => process.stderr.write(t)): void {
  for (const w of sweepWarnings(sweep)) write(w.scope === null ? `capsim: warning: ${w.text}\n` : `capsim: warning (${w.scope}): ${w.text}\n`);
}

/** sweep.json and sweep.csv, staged in the run's outputs (committed with the report); returns the JSON text. */
export function writeSweepOutputs(outputs: OutputSet, result: SweepResult): string {
  const json = `${JSON.stringify(result, null, 2)}\n`;
  outputs.write('sweep.json', json);
  outputs.write('sweep.csv', sweepCsv(result));
  return json;
}

/** "6 points: 5 reused from an earlier run, 3 replications run" (what `capsim: wrote …` adds). */
export function workDone(p: SweepProgress): string {
  const reused = p.pointsReused > 0 ? `${p.pointsReused} reused from an earlier run, ` : '';
  return `${p.points} point${p.points === 1 ? '' : 's'}: ${reused}${p.total} replication${p.total === 1 ? '' : 's'} run`;
}

/** On Ctrl-C: say what was kept and how to go on, then exit 130. Returns a function that removes the handler. */
export function onInterrupt(message: () => string, before?: () => void): () => void {
  const handler = () => {
    before?.();
    process.stderr.write(`\ncapsim: interrupted; ${message()}\n`);
    process.exit(130);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

/**
 * A sweep or sizing over `capsim infer`'s plausible points (--given): its outputs (staged), a
 * progress line, Ctrl-C that writes nothing (`what` keeps no partial results), and a pool of
 * worker threads for `work`; all of it let go however `work` ends.
 */
export async function givenRun<T>(out: string, what: string, quiet: boolean | undefined, jobs: number, progressOnTerminal: boolean, work: (pool: ReplicationPool, progress: ProgressReporter) => Promise<T>): Promise<{ outputs: OutputSet; result: T }> {
  const outputs = new OutputSet(out);
  const progress = new ProgressReporter(process.stderr, (quiet ?? false) || !progressOnTerminal);
  const off = onInterrupt(
    () => `nothing written (${what} keeps no partial results)`,
    () => {
      progress.end();
      outputs.discard();
    },
  );
  const pool = new ReplicationPool(jobs);
  try {
    return { outputs, result: await work(pool, progress) };
  } finally {
    progress.end();
    await pool.close();
    off();
  }
}
