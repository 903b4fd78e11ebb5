// capsim run MODEL: replications of one model, a table for people or JSON for tools.
import path from 'node:path';
import type { Command } from 'commander';
import { checkOutputFile, OutputSet } from '../../experiment/output-set.js';
import { OutputLock } from '../../experiment/output-lock.js';
import { checkWork, runWork } from '../../experiment/work-estimate.js';
import { metricName, metricUnit, parseMetricName, METRIC_FORMS, type MetricSpec } from '../../experiment/metrics.js';
import { DEFAULT_MAX_REPLICATIONS, DEFAULT_MIN_REPLICATIONS, parsePrecision, type PrecisionOutcome } from '../../experiment/precision.js';
import { runExperimentParallel, type ParallelRunOptions } from '../../experiment/run-experiment.js';
import { analyticDoc, analyticLines } from '../../report/analytic-lines.js';
import { num } from '../../report/format.js';
import { ProgressReporter } from '../../report/progress.js';
import { runTable, runTableDoc } from '../../report/run-table.js';
import { explainValues, printModelWarnings } from '../../report/explain.js';
import { runReportHtml } from '../../report/html/reports.js';
import { parseDuration } from '../../scenario/units.js';
import { runReplication, type ReplicationResult } from '../../experiment/replication.js';
import { defaultTimelineInterval } from '../../model/timeline.js';
import { cliIo, type CommandIo } from '../io.js';
import { loadModelWithProvenance } from '../../scenario/load-model.js';
import { modelWarnings } from '../../scenario/warnings.js';
import { readObserved } from '../../observe/readers.js';
import { compareRun, comparisonLines, matchingObservations } from '../../infer/run-comparison.js';
import { profileFigures } from '../../experiment/replication-cost.js';
import { UsageError } from '../errors.js';
import { AccessLogWriter, LOG_OUT_FORMATS, type LogOutFormat } from '../../logs/out/access-log-writer.js';
import type { Model } from '../../scenario/model-types.js';
import { collect, simulationOverrides, type SimulationOptions } from '../options.js';
import { jobsOption, onInterrupt, wholeNumber } from './experiment-common.js';
import { acrossLine, acrossPoints, GIVEN_METRICS, readGiven } from '../../infer/given.js';
import { ReplicationPool } from '../../experiment/pool.js';
import { summarize } from '../../experiment/summarize.js';

interface RunOptions extends SimulationOptions {
  json?: boolean;
  profile?: boolean;
  precision?: string;
  metric?: string;
  maxReplications?: string;
  jobs?: string;
  out?: string;
  timeline?: string | boolean;
  accessLog?: string[];
  force?: boolean;
  quiet?: boolean;
  given?: string;
  observed?: string[];
}

export function registerRun(program: Command, io: CommandIo = cliIo): void {
  program
    .command('run')
    .description('simulate a model: 502s and other failures by cause, latency, with 95% intervals')
    .argument('<model>', 'model file (YAML)')
    .option('--set <key.path=value>', 'override a model value (repeatable)', collect, [])
    .option('--duration <d>', 'measured simulated time per replication, e.g. 1h')
    .option('--warmup <d>', 'simulated time discarded at the start of each replication, e.g. 5m')
    .option('--replications <n>', 'number of independent replications (with --precision: the least number)')
    .option('--seed <s>', 'run seed (same model and seed: same output)')
    .option('--precision <p>', 'add replications until the 95% interval of --metric is this narrow: 10% (of the mean) or an absolute half-width such as 0.5')
    .option('--metric <m>', `the metric --precision is about: ${METRIC_FORMS} (default 502/5min)`)
    .option('--max-replications <n>', `with --precision: stop there even if the precision is not reached (default ${DEFAULT_MAX_REPLICATIONS})`)
    .option('--jobs <n>', 'worker threads for the replications (default: the number of cores); the output does not depend on it')
    .option('--out <dir>', 'also write the JSON result to DIR/run.json and a report with charts to DIR/report.html (atomically)')
    .option('--timeline [interval]', "record replication 0's timeline (workers, accept queue, busy contexts per container; every failure) to DIR/timeline.json and draw it in the report; sampled every INTERVAL (default: the window / 4000, at least 1s)")
    .option('--access-log <format-and-file...>', "also write replication 0's requests as an access log: FORMAT FILE, FORMAT one of alb, elb, nginx (streamed, atomically)")
    .option('--json', 'print one JSON object instead of the table (its keys: README, "JSON output")')
    .option('--given <file>', "answer over the points `capsim infer` did not rule out (its --json output, or its --out DIR): the replications spread over them; intervals that include what is not known, and the replication noise alone")
    .option('--observed <file...>', "also show, under the answer, each observation made in the run's configuration (an observations file, CloudWatch export or access log, read as capsim infer reads them) beside capsim's figure, and whether the two are consistent")
    .option('--profile', 'print the speed to stderr (one JSON line): wall time, events and heap bytes per simulated request, simulated requests/s per core, peak memory')
    .option('--force', 'run even when the work estimate says it would take very long (see docs/experiments.md)')
    .option('--quiet', 'no progress on stderr')
    .action(async (file: string, opts: RunOptions) => {
      let outputs: OutputSet | undefined;
      let logLock: OutputLock | undefined;
      try {
        const started = performance.now();
        const jobs = jobsOption(opts.jobs);
        let precision: ParallelRunOptions['precision'];
        if (opts.precision !== undefined) {
          const metric: MetricSpec | undefined = parseMetricName(opts.metric ?? '502/5min');
          if (!metric) throw new UsageError(`--metric ${opts.metric}: unknown metric; expected ${METRIC_FORMS}`);
          const min = opts.replications !== undefined ? wholeNumber('--replications', opts.replications) : DEFAULT_MIN_REPLICATIONS;
          const max = opts.maxReplications !== undefined ? wholeNumber('--max-replications', opts.maxReplications) : Math.max(DEFAULT_MAX_REPLICATIONS, min);
          if (max < min) throw new UsageError(`--max-replications ${max}: expected at least the ${min} replications to start with`);
          precision = { precision: parsePrecision(opts.precision), metric, min, max };
        } else if (opts.metric !== undefined || opts.maxReplications !== undefined) {
          throw new UsageError(`${opts.metric !== undefined ? '--metric' : '--max-replications'} goes with --precision, such as --precision 10%`);
        }
        const sets = [...opts.set, ...simulationOverrides(opts)];
        const { model, provenance } = loadModelWithProvenance(file, sets);
        // Read before any work: a bad observations file is exit 2 at once.
        const observed = opts.observed !== undefined ? await readObserved(opts.observed) : undefined;
        const atThisConfiguration = observed !== undefined ? matchingObservations(observed, model, file, sets) : undefined;
        if (opts.given !== undefined) {
          if (precision || opts.timeline !== undefined || opts.accessLog !== undefined) throw new UsageError('--given runs over the plausible points: it does not go with --precision, --timeline or --access-log');
          await runGiven(file, opts, model, jobs, io);
          return;
        }
        const timelineInterval = timelineOption(opts.timeline, model.simulation.duration);
        const accessLog = accessLogOption(opts.accessLog);
        if (accessLog) checkOutputFile(accessLog.file, '--access-log');
        if (timelineInterval !== undefined && opts.out === undefined && !io.emit) {
          throw new UsageError('--timeline writes DIR/timeline.json and draws it in DIR/report.html: give --out DIR');
        }
        // Settings the named version ignores, or that contradict each other: say so before running.
        const warnings = modelWarnings(model, provenance);
        printModelWarnings(warnings, io.err);
        checkWork(runWork(model, file, precision ? precision.max! : model.simulation.replications, jobs, precision ? `--precision may stop before --max-replications ${precision.max!}` : undefined), opts.force ?? false, io.err);
        // Both locks before any work: a second writer of either is refused at once.
        outputs = opts.out !== undefined ? new OutputSet(opts.out) : undefined;
        if (accessLog) logLock = OutputLock.acquire(accessLog.file, { kind: 'file', option: '--access-log' });
        const progress = new ProgressReporter(process.stderr, (opts.quiet ?? false) || !io.progress);
        let done = 0;
        // A run keeps nothing until it ends: Ctrl-C says so. One replication runs on this thread,
        // where a handler would only run once it ends: there Ctrl-C keeps its default, at once.
        const single = !precision && model.simulation.replications === 1;
        const off = single ? () => {} : onInterrupt(
          () => `${done} replication${done === 1 ? '' : 's'} finished, nothing written (a run's files appear only when it completes); rerun it, shorter with --duration or --replications`,
          () => {
            progress.end();
            outputs?.discard(); // the staging directory: nothing half-written stays behind
          },
        );
        let experiment;
        try {
          experiment = await runExperimentParallel(model, {
            jobs,
            precision,
            onReplication: () => progress.replications(++done, precision ? null : model.simulation.replications),
          });
        } finally {
          progress.end();
          off();
        }
        const { result, replications } = experiment;
        if (opts.profile) io.err(`${JSON.stringify({ profile: profileFigures(experiment.cost, (performance.now() - started) / 1000, Math.min(jobs, replications.length)) })}\n`);
        // Replication 0 again, on this thread, with the trace: the run's figures are untouched.
        const timeline = timelineInterval !== undefined ? runReplication(model, 0, { timelineInterval }).timeline : undefined;
        if (accessLog) writeAccessLog(model, accessLog.format, accessLog.file);
        const comparisons = atThisConfiguration !== undefined ? compareRun(atThisConfiguration, replications, model.simulation.duration) : undefined;
        const json = `${JSON.stringify(comparisons !== undefined ? { ...result, observed: comparisons } : result, null, 2)}\n`;
        const parts = [];
        if (result.precision) parts.push(precisionLine(result.precision, precision!.metric), '');
        const table = runTable(result, model.simulation.warmup);
        if (comparisons !== undefined) {
          // Right under the answer line: where the run stands against what was seen.
          const [answer, ...rest] = table.split('\n');
          const lines = comparisons.length > 0 ? comparisonLines(comparisons, atThisConfiguration!) : [`observed: none of the ${observed!.length} observations in ${opts.observed!.join(', ')} is at this run's configuration`];
          parts.push([answer, ...lines, ...rest].join('\n'), '', analyticLines(result));
        } else parts.push(table, '', analyticLines(result));
        const text = `${parts.join('\n')}\n`;
        if (outputs) {
          outputs.write('run.json', json);
          if (timeline) outputs.write('timeline.json', `${JSON.stringify(timeline)}\n`);
          const settings = explainValues(model, provenance, file);
          const figures = [...(result.precision ? [precisionLine(result.precision, precision!.metric), ''] : []), ...runTableDoc(result, model.simulation.warmup), '', ...analyticDoc(result)];
          const html = await runReportHtml({ file, command: io.commandLine(), result, figures, settings, warnings, timeline, imagesDir: outputs.path('charts') });
          outputs.write('report.html', html);
          outputs.commit();
        }
        io.emit?.({ kind: 'run', result, timeline, file });
        io.out(opts.json ? json : text);
        const files = opts.out !== undefined ? ['run.json', ...(timeline ? ['timeline.json'] : []), 'report.html', 'charts/'].map((f) => path.join(opts.out!, f)) : [];
        if (accessLog) files.push(accessLog.file);
        if (files.length > 0) io.wrote?.(files);
      } catch (err) {
        io.fail(err);
      } finally {
        outputs?.discard();
        logLock?.release();
      }
    });
}

/** run --given: the replications spread over the plausible points, then figures across them. */
async function runGiven(file: string, opts: RunOptions, base: Model, jobs: number, io: CommandIo): Promise<void> {
  const given = readGiven(opts.given!);
  const models = given.sets.map((sets) => loadModelWithProvenance(file, [...opts.set, ...simulationOverrides(opts), ...sets]));
  printModelWarnings(modelWarnings(models[0]!.model, models[0]!.provenance), io.err);
  // At least 2 per point, so each point has its own noise estimate.
  const per = Math.max(2, Math.ceil(base.simulation.replications / given.points.length));
  const tasks = models.flatMap((m) => Array.from({ length: per }, (_, r) => ({ model: m.model, replication: r })));
  checkWork(runWork(base, file, tasks.length, jobs), opts.force ?? false, io.err);
  const outputs = opts.out !== undefined ? new OutputSet(opts.out) : undefined;
  const progress = new ProgressReporter(process.stderr, (opts.quiet ?? false) || !io.progress);
  let done = 0;
  const off = onInterrupt(
    () => `${done} replications finished, nothing written; rerun it, shorter with --duration or --replications`,
    () => {
      progress.end();
      outputs?.discard();
    },
  );
  const pool = new ReplicationPool(jobs);
  let reps: ReplicationResult[];
  try {
    reps = await pool.run(tasks, () => progress.replications(++done, tasks.length));
  } finally {
    progress.end();
    await pool.close();
    off();
  }
  const perPoint = given.points.map((point, i) => ({ point, reps: reps.slice(i * per, (i + 1) * per) }));
  const result = summarize(models[0]!.model, reps);
  const across = GIVEN_METRICS.map((g) => ({ ...g, a: acrossPoints(g.metric, perPoint, base.simulation.duration) }));
  const head = `over the plausible set of ${given.file}: ${given.points.length} of its ${given.plausible} points, ${per} replications each (pooled below)`;
  const lines = [head, ...across.filter((x) => Number.isFinite(x.a.mean)).map((x) => `  ${acrossLine(x.a, given.points.length, x.unit)}`)];
  const json = `${JSON.stringify({ ...result, given: { file: given.file, plausible: given.plausible, points: given.points, replicationsPerPoint: per, figures: across.map((x) => x.a) } }, null, 2)}\n`;
  const text = `${lines.join('\n')}\n\n${runTable(result, base.simulation.warmup)}\n`;
  if (outputs) {
    outputs.write('run.json', json);
    const m = models[0]!;
    const figures = [...lines, '', ...runTableDoc(result, base.simulation.warmup)];
    outputs.write('report.html', await runReportHtml({ file, command: io.commandLine(), result, figures, settings: explainValues(m.model, m.provenance, file), warnings: modelWarnings(m.model, m.provenance), imagesDir: outputs.path('charts') }));
    outputs.commit();
  }
  io.emit?.({ kind: 'run', result, file });
  io.out(opts.json ? json : text);
  if (opts.out !== undefined) io.wrote?.(['run.json', 'report.html', 'charts/'].map((f) => path.join(opts.out!, f)));
}

/** "precision: 502/5min = 0.52 [0.47, 0.57] per 5 min, half-width 9.6% of the mean (target 10%): reached after 23 replications" */
export function precisionLine(p: PrecisionOutcome, metric: MetricSpec): string {
  const unit = metricUnit(metric);
  const e = p.estimate;
  const value = metric.kind === 'rate' || metric.kind === 'cpu' || metric.kind === 'util' ? (x: number | null) => (x === null ? '—' : `${num(x * 100)}%`) : (x: number | null) => num(x);
  const est = `${metricName(metric)} = ${value(e.mean)} [${value(e.ci95[0])}, ${value(e.ci95[1])}]${metric.kind === 'rate' ? ' of requests' : ` ${unit}`}`;
  const width = p.relativeHalfWidth !== null ? `half-width ${num(p.relativeHalfWidth * 100, 2)}% of the mean` : `half-width ${value(p.halfWidth)}`;
  const n = `${p.replications} replication${p.replications === 1 ? '' : 's'}`;
  if (p.reached) return `precision ${p.target}: ${est}, ${width}: reached after ${n}`;
  if (p.stop === 'zero') {
    return (
      `precision ${p.target}: not reached: ${metricName(metric)} was 0 in all ${n} (95% upper bound ${value(e.ci95[1])}${metric.kind === 'rate' ? '' : ` ${unit}`}); ` +
      'a relative precision needs a mean above 0: give an absolute one, such as --precision 0.1'
    );
  }
  return `precision ${p.target}: not reached after ${n} (--max-replications): ${est}, ${width}`;
}

/** --access-log FORMAT FILE */
function accessLogOption(v: string[] | undefined): { format: LogOutFormat; file: string } | undefined {
  if (v === undefined) return undefined;
  const [format, file] = v;
  if (v.length !== 2 || !(LOG_OUT_FORMATS as readonly string[]).includes(format!)) {
    throw new UsageError(`--access-log ${v.join(' ')}: expected FORMAT FILE, FORMAT one of ${LOG_OUT_FORMATS.join(', ')} (after MODEL: --access-log takes the next two words)`);
  }
  return { format: format as LogOutFormat, file: file! };
}

/** Replication 0 again, on this thread, reporting each request to the log: the run's figures are untouched. */
function writeAccessLog(model: Model, format: LogOutFormat, file: string): void {
  const writer = new AccessLogWriter(format, file, model);
  try {
    runReplication(model, 0, { requestSink: writer });
    writer.commit();
  } catch (e) {
    writer.abort();
    throw e;
  }
}

/** Samples at most this many per replication (the trace stays bounded). */
const MAX_SAMPLES = 20_000;

/** --timeline [INTERVAL]: seconds between samples, or undefined without the option. */
export function timelineOption(v: string | boolean | undefined, duration: number): number | undefined {
  if (v === undefined || v === false) return undefined;
  let interval: number;
  if (v === true) {
    interval = defaultTimelineInterval(duration);
  } else {
    try {
      interval = parseDuration(v);
    } catch {
      throw new UsageError(`--timeline ${v}: expected a sampling interval such as 1s or 500ms`);
    }
    if (!(interval > 0)) throw new UsageError(`--timeline ${v}: expected an interval above 0`);
  }
  if (duration / interval > MAX_SAMPLES) {
    throw new UsageError(`--timeline ${v}: ${Math.ceil(duration / interval)} samples; at most ${MAX_SAMPLES} (give an interval of at least ${duration / MAX_SAMPLES}s)`);
  }
  return interval;
}
