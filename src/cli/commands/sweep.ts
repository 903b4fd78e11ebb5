// capsim sweep MODEL --vary PATH=LIST …: every point of the grid, with common random numbers,
// on worker threads; DIR/sweep.csv and DIR/sweep.json.
import path from 'node:path';
import type { Command } from 'commander';
import { ReplicationPool } from '../../experiment/pool.js';
import { profileFigures } from '../../experiment/replication-cost.js';
import { parseShard } from '../../experiment/shard.js';
import { Sweep, sweepResult } from '../../experiment/sweep.js';
import { ProgressReporter } from '../../report/progress.js';
import { sweepTable, sweepTableDoc } from '../../report/sweep-table.js';
import { checkOutputDir, OutputSet } from '../../experiment/output-set.js';
import { OutputLock } from '../../experiment/output-lock.js';
import { checkWork, sweepWork } from '../../experiment/work-estimate.js';
import { sweepReportHtml } from '../../report/html/reports.js';
import { collect } from '../options.js';
import { UsageError } from '../errors.js';
import { givenSweeps, givenSweepTable } from '../../infer/given-sweep.js';
import type { SweepSpec } from '../../experiment/sweep.js';
import { cliIo, type CommandIo } from '../io.js';
import { reportSettings } from './report-settings.js';
import { defaultOut, jobsOption, onInterrupt, specFromOptions, warnCosts, warningLines, resultWarnings, givenRun, sweepWarnings, workDone, writeSweepOutputs, type GridOptions } from './experiment-common.js';

interface SweepOptions extends GridOptions {
  jobs?: string;
  out?: string;
  resume?: boolean;
  shard?: string;
  json?: boolean;
  quiet?: boolean;
  profile?: boolean;
  force?: boolean;
  given?: string;
}

export function registerSweep(program: Command, io: CommandIo = cliIo): void {
  program
    .command('sweep')
    .description('simulate every point of a grid of settings (common random numbers), in parallel; writes DIR/sweep.csv and DIR/sweep.json')
    .argument('<model>', 'model file (YAML)')
    .option('--vary <path=list>', 'a key path and its values: 2,4,8 or 2..16 or 2..16:2 (repeatable: the full grid)', collect, [])
    .option('--set <key.path=value>', 'override a model value for every point (repeatable)', collect, [])
    .option('--duration <d>', 'measured simulated time per replication, e.g. 1h')
    .option('--warmup <d>', 'simulated time discarded at the start of each replication')
    .option('--replications <n>', 'replications per point')
    .option('--seed <s>', 'run seed (every point uses the same random numbers)')
    .option('--jobs <n>', 'worker threads (default: the number of cores); the output does not depend on it')
    .option('--out <dir>', 'output directory (default: out/sweep-MODELNAME)')
    .option('--resume', 'reuse the points an earlier, interrupted run of the same sweep finished in DIR')
    .option('--shard <k/n>', 'run only share K of N of the work (combine the shards with capsim merge)')
    .option('--prices <file>', 'price table (default: models/prices/fargate-us-east-1.yaml)')
    .option('--arch <arch>', "architecture in the price table: x86 or arm (default: the table's)")
    .option('--given <file>', 'evaluate every grid point at each point `capsim infer` did not rule out (its --json output, or its --out DIR): the worst and the range across them')
    .option('--json', 'print sweep.json on stdout instead of the table')
    .option('--quiet', 'no progress on stderr')
    .option('--profile', 'print the speed to stderr (one JSON line): replications, events and heap bytes per simulated request, simulated requests/s per core')
    .option('--force', 'run even when the work estimate says it would take very long (see docs/experiments.md)')
    .action(async (file: string, opts: SweepOptions) => {
      let outputs: OutputSet | undefined;
      let shardLock: OutputLock | undefined;
      try {
        const jobs = jobsOption(opts.jobs);
        const shard = opts.shard !== undefined ? parseShard(opts.shard) : null;
        const { spec, base } = specFromOptions(file, opts);
        if (opts.given !== undefined) {
          if (shard || opts.resume) throw new UsageError('--given does not go with --shard or --resume');
          await sweepGiven(spec, base.name, opts, jobs, io);
          return;
        }
        const sweep = new Sweep(spec, shard);
        warnCosts(sweep, io.err);
        const out = opts.out ?? defaultOut('sweep', base.name);
        checkWork(sweepWork(sweep, spec.replications, jobs, shard), opts.force ?? false, io.err);
        // A shard writes only its points; the unsharded run's outputs appear together at the end.
        // Shards of one sweep may share DIR: each holds its shard's lock; the unsharded run holds DIR's.
        if (shard && shard.n > 1) {
          checkOutputDir(out);
          shardLock = OutputLock.acquire(out, { shard });
        } else outputs = new OutputSet(out);
        sweep.open(out, opts.resume ?? false);
        if (sweep.stale > 0) io.err(`capsim: ${sweep.stale} point file${sweep.stale === 1 ? '' : 's'} in ${path.join(out, 'points')} did not match this sweep and will be recomputed\n`);
        const progress = new ProgressReporter(process.stderr, (opts.quiet ?? false) || !io.progress);
        let finished = 0;
        const off = onInterrupt(
          () => `${finished} of ${sweep.points.length} points finished and saved in ${path.join(out, 'points')}; run the same command with --resume to go on`,
          () => progress.end(),
        );
        const started = performance.now();
        const pool = new ReplicationPool(jobs);
        let ran;
        try {
          ran = await sweep.ensure(
            sweep.points.map((p) => ({ point: p.index, n: spec.replications })),
            pool,
            (p) => {
              finished = p.pointsDone;
              progress.update(p, shard && shard.n > 1 ? `shard ${shard.k}/${shard.n}` : '');
            },
          );
        } finally {
          progress.end();
          await pool.close();
          off();
        }
        if (opts.profile) io.err(`${JSON.stringify({ profile: profileFigures(pool.cost, (performance.now() - started) / 1000, pool.jobs) })}\n`);
        if (shard && shard.n > 1) {
          io.wrote?.([`${path.join(out, 'points')}/`], `shard ${shard.k}/${shard.n} done: its share of ${sweep.points.length} points; ${ran.total} replications run`);
          io.err(`capsim: combine the shards with: capsim merge DIR… --out DIR\n`);
          return;
        }
        const result = sweepResult(sweep);
        const json = writeSweepOutputs(outputs!, result);
        const table = sweepTable(result);
        const html = await sweepReportHtml({ command: io.commandLine(), result, figures: sweepTableDoc(result), settings: reportSettings(spec), warnings: warningLines(sweepWarnings(sweep)), imagesDir: outputs!.path('charts') });
        outputs!.write('report.html', html);
        outputs!.commit();
        io.emit?.({ kind: 'sweep', result });
        io.out(opts.json ? json : `${table}\n`);
        io.wrote?.(['sweep.csv', 'sweep.json', 'report.html', 'charts/', 'points/'].map((f) => path.join(out, f)), workDone(ran));
      } catch (err) {
        io.fail(err);
      } finally {
        outputs?.discard();
        shardLock?.release();
      }
    });
}

/** sweep --given: the grid at every plausible point; the pooled figures, and each grid point's worst and range across them. */
async function sweepGiven(spec: SweepSpec, name: string, opts: SweepOptions, jobs: number, io: CommandIo): Promise<void> {
  const out = opts.out ?? defaultOut('sweep', name);
  const { outputs, result: g } = await givenRun(out, 'a sweep over a plausible set', opts.quiet, jobs, io.progress, (pool, progress) =>
    givenSweeps(spec, opts.given!, pool, (p, phase) => progress.update(p, phase), (sweep) => {
      warnCosts(sweep, io.err);
      checkWork(sweepWork(sweep, spec.replications, jobs, null), opts.force ?? false, io.err);
    }),
  );
  const json = writeSweepOutputs(outputs, g.result);
  const table = `${givenSweepTable(g.result)}\n\n${sweepTable(g.result)}`;
  const html = await sweepReportHtml({ command: io.commandLine(), result: g.result, figures: [...givenSweepTable(g.result).split('\n'), '', ...sweepTableDoc(g.result)], settings: reportSettings(spec), warnings: resultWarnings(g.result), imagesDir: outputs.path('charts') });
  outputs.write('report.html', html);
  outputs.commit();
  io.emit?.({ kind: 'sweep', result: g.result });
  io.out(opts.json ? json : `${table}\n`);
  io.wrote?.(['sweep.csv', 'sweep.json', 'report.html', 'charts/'].map((f) => path.join(out, f)), `${g.result.points.length} points × ${g.plausible} plausible points: ${g.replications} replications run`);
}
