// capsim size MODEL --vary PATH=LIST … --slo EXPR …: the cheapest point of the grid that meets
// every SLO, with close points rerun, the Pareto front of cost against 502 rate, in words.
import path from 'node:path';
import type { Command } from 'commander';
import { OutputSet } from '../../experiment/output-set.js';
import { checkWork, sweepWork } from '../../experiment/work-estimate.js';
import { ReplicationPool } from '../../experiment/pool.js';
import { profileFigures } from '../../experiment/replication-cost.js';
import { sizeFleet } from '../../experiment/size.js';
import { fleetCost } from '../../experiment/prices.js';
import { fixCandidates } from '../../experiment/fix-candidates.js';
import { implicitGuards, parseSlo } from '../../experiment/slo.js';
import { Sweep, sweepResult, type SweepProgress } from '../../experiment/sweep.js';
import { ProgressReporter } from '../../report/progress.js';
import { sizeJson, sizeTable, sizeTableDoc } from '../../report/size-table.js';
import { sizeReportHtml } from '../../report/html/reports.js';
import type { SizeDoc } from '../../report/charts/size-pareto.js';
import { UsageError } from '../errors.js';
import { givenSize, givenSizeTable } from '../../infer/given-size.js';
import type { Slo } from '../../experiment/slo.js';
import type { SweepSpec } from '../../experiment/sweep.js';
import { collect } from '../options.js';
import { cliIo, type CommandIo } from '../io.js';
import { reportSettings } from './report-settings.js';
import { defaultOut, jobsOption, onInterrupt, specFromOptions, warnCosts, warningLines, resultWarnings, givenRun, sweepWarnings, wholeNumber, workDone, writeSweepOutputs, type GridOptions } from './experiment-common.js';

interface SizeOptions extends GridOptions {
  slo: string[];
  maxReplications?: string;
  jobs?: string;
  out?: string;
  resume?: boolean;
  json?: boolean;
  quiet?: boolean;
  profile?: boolean;
  force?: boolean;
  fixes?: boolean;
  margin?: boolean;
  given?: string;
}

export function registerSize(program: Command, io: CommandIo = cliIo): void {
  program
    .command('size')
    .description('find the cheapest point of a grid that meets every SLO, with its cost per hour')
    .argument('<model>', 'model file (YAML)')
    .option('--vary <path=list>', 'a key path and its values: 2,4,8 or 2..16 or 2..16:2 (repeatable: the full grid)', collect, [])
    .option('--slo <expr>', 'an objective: 502/5min<=1, 5xx/5min<=2, 502-rate<=0.01%, 5xx-rate<=1%, p99<=800ms (also p50, p95, mean), util<=70% (worker processes busy) (repeatable)', collect, [])
    .option('--set <key.path=value>', 'override a model value for every point (repeatable)', collect, [])
    .option('--duration <d>', 'measured simulated time per replication, e.g. 1h')
    .option('--warmup <d>', 'simulated time discarded at the start of each replication')
    .option('--replications <n>', 'replications per point in the first pass')
    .option('--max-replications <n>', 'most replications a point close to an SLO limit is rerun with (default: 4 × --replications)')
    .option('--seed <s>', 'run seed (every point uses the same random numbers)')
    .option('--jobs <n>', 'worker threads (default: the number of cores); the output does not depend on it')
    .option('--out <dir>', 'output directory for the points, sweep.csv, sweep.json and size.json (default: out/size-MODELNAME)')
    .option('--resume', 'reuse points already finished in DIR (by an interrupted run, or capsim merge of a sharded sweep)')
    .option('--prices <file>', 'price table (default: models/prices/fargate-us-east-1.yaml)')
    .option('--arch <arch>', "architecture in the price table: x86 or arm (default: the table's)")
    .option('--given <file>', 'recommend only what meets every SLO at every point `capsim infer` did not rule out (its --json output, or its --out DIR), or say at which it fails')
    .option('--json', 'print { best, pareto, summary, points, … } on stdout instead of the table')
    .option('--quiet', 'no progress on stderr')
    .option('--profile', 'print the speed to stderr (one JSON line): replications, events and heap bytes per simulated request, simulated requests/s per core')
    .option('--no-fixes', "don't add the fixes the model's own warnings name (such as fleet.server.connectionClose=true) to the grid as candidates")
    .option('--no-margin', "don't search the answer's load margin (how much more traffic it holds) by simulation")
    .option('--force', 'run even when the work estimate says it would take very long (see docs/experiments.md)')
    .action(async (file: string, opts: SizeOptions) => {
      let outputs: OutputSet | undefined;
      try {
        const jobs = jobsOption(opts.jobs);
        if (opts.slo.length === 0) throw new UsageError('give at least one --slo, such as --slo 502/5min<=1 --slo p99<=800ms');
        // The user's SLOs, then the guards that keep an overloaded point from "meeting" them.
        const asked = opts.slo.map(parseSlo);
        const slos = [...asked, ...implicitGuards(asked)];
        const { spec, base } = specFromOptions(file, opts);
        // The fixes the model's warnings name, tried as candidates: one more varied key each.
        const fixes = opts.fixes === false ? [] : fixCandidates(base, spec.vary.map((v) => v.path));
        for (const f of fixes) spec.vary.push({ path: f.path, texts: [f.today, f.value] });
        const max = opts.maxReplications !== undefined ? wholeNumber('--max-replications', opts.maxReplications, spec.replications) : 4 * spec.replications;
        if (opts.given !== undefined) {
          if (opts.resume) throw new UsageError('--given does not go with --resume');
          await sizeGiven(spec, base.name, slos, max, opts, jobs, io);
          return;
        }
        const sweep = new Sweep(spec);
        warnCosts(sweep, io.err);
        const out = opts.out ?? defaultOut('size', base.name);
        checkWork(sweepWork(sweep, spec.replications, jobs, null, max), opts.force ?? false, io.err);
        outputs = new OutputSet(out);
        sweep.open(out, opts.resume ?? false);
        const progress = new ProgressReporter(process.stderr, (opts.quiet ?? false) || !io.progress);
        let finished = 0;
        let first: SweepProgress | undefined;
        const reruns = new Map<string, number>();
        // Replications of the load margin's traffic levels and of today's model.
        const extra = new Map<string, number>();
        const off = onInterrupt(
          () => `${finished} points finished and saved in ${path.join(out, 'points')}; run the same command with --resume to go on`,
          () => progress.end(),
        );
        const started = performance.now();
        const pool = new ReplicationPool(jobs);
        let outcome;
        try {
          outcome = await sizeFleet(sweep, slos, {
            pool,
            maxReplications: max,
            margin: opts.margin !== false,
            today: { model: base, cost: fleetCost(base, spec.prices, spec.arch) },
            fixes: fixes.map(({ path: p, value, warning }) => ({ path: p, value, warning })),
            onProgress: (p, phase) => {
              if (phase === 'sweep') {
                finished = p.pointsDone;
                first = p;
              }
              if (phase === 'sweep' || phase.startsWith('rerun')) reruns.set(phase, p.total);
              else if (p.done === p.total) extra.set(phase, p.total);
              progress.update(p, phase);
            },
          });
        } finally {
          progress.end();
          await pool.close();
          off();
        }
        if (opts.profile) io.err(`${JSON.stringify({ profile: profileFigures(pool.cost, (performance.now() - started) / 1000, pool.jobs) })}\n`);
        const used = new Map(outcome.evals.map((e) => [e.index, e.replications]));
        const result = sweepResult(sweep, (i) => used.get(i)!);
        writeSweepOutputs(outputs, result);
        const json = sizeJson(outcome, sweep, slos, result);
        outputs.write('size.json', json);
        const table = sizeTable(outcome, sweep, slos, result);
        const size = JSON.parse(json) as SizeDoc & { summary: string };
        const html = await sizeReportHtml({ command: io.commandLine(), result, figures: sizeTableDoc(outcome, sweep, slos, result), settings: reportSettings(spec), warnings: warningLines(sweepWarnings(sweep)), size, imagesDir: outputs.path('charts') });
        outputs.write('report.html', html);
        outputs.commit();
        io.emit?.({ kind: 'size', size, sweep: result });
        io.out(opts.json ? json : `${table}\n`);
        const total = [...reruns.values()].reduce((a, b) => a + b, 0);
        const more = [...extra.values()].reduce((a, b) => a + b, 0);
        io.wrote?.(
          ['size.json', 'sweep.csv', 'sweep.json', 'report.html', 'charts/', 'points/'].map((f) => path.join(out, f)),
          workDone({ ...first!, total }) +
            (reruns.size > 1 ? `, with ${reruns.size - 1} rerun${reruns.size === 2 ? '' : 's'} of close points` : '') +
            (more > 0 ? `, and ${more} replications of the load margin's traffic levels and today's model` : ''),
        );
      } catch (err) {
        io.fail(err);
      } finally {
        outputs?.discard();
      }
    });
}

/**
 * size --given: sized at every plausible point; size.json is the best-fitting point's sizing with
 * `best` and `summary` replaced by the answer across the set, and a `given` section.
 */
async function sizeGiven(spec: SweepSpec, name: string, slos: Slo[], max: number, opts: SizeOptions, jobs: number, io: CommandIo): Promise<void> {
  const out = opts.out ?? defaultOut('size', name);
  const { outputs, result: g } = await givenRun(out, 'sizing over a plausible set', opts.quiet, jobs, io.progress, (pool, progress) =>
    givenSize(spec, opts.given!, slos, pool, max, (p, phase) => progress.update(p, phase), (sweep) => {
      warnCosts(sweep, io.err);
      checkWork(sweepWork(sweep, spec.replications, jobs, null, max), opts.force ?? false, io.err);
    }),
  );
  writeSweepOutputs(outputs, g.result);
  const doc = JSON.parse(sizeJson(g.outcomes[0]!, g.sweeps[0]!, slos, g.result)) as SizeDoc & { summary: string; points: unknown[] };
  doc.best = g.bestIndex !== undefined ? (doc.points[g.bestIndex] as SizeDoc['best']) : null;
  doc.summary = g.section.summary;
  const json = `${JSON.stringify({ ...doc, given: g.section }, null, 2)}\n`;
  outputs.write('size.json', json);
  const text = givenSizeTable(g.section, g.result.vary.map((v) => v.path), g.result.prices.currency);
  const html = await sizeReportHtml({ command: io.commandLine(), result: g.result, figures: text.split('\n'), settings: reportSettings(spec), warnings: resultWarnings(g.result), size: doc, imagesDir: outputs.path('charts') });
  outputs.write('report.html', html);
  outputs.commit();
  io.emit?.({ kind: 'size', size: doc, sweep: g.result });
  io.out(opts.json ? json : `${text}\n`);
  io.wrote?.(['size.json', 'sweep.csv', 'sweep.json', 'report.html', 'charts/'].map((f) => path.join(out, f)));
}
