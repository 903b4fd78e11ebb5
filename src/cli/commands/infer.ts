// capsim infer MODEL --observed FILE… --vary KEY=LO..HI|LIST…: history matching of the unknowns
// against what was observed (src/infer/); the points not ruled out, or "nothing fits".
import path from 'node:path';
import type { Command } from 'commander';
import { OutputSet } from '../../experiment/output-set.js';
import { ReplicationPool } from '../../experiment/pool.js';
import { inferAnswer, inferText, uniqueNames, type InferAnswer } from '../../infer/answer.js';
import { historyMatch, pointModel, type InferSpec } from '../../infer/history-match.js';
import { pairCharts } from '../../infer/pair-charts.js';
import { parseUnknown, valueAt } from '../../infer/unknowns.js';
import { readObserved } from '../../observe/readers.js';
import { chartBlocks } from '../../report/html/reports.js';
import { htmlPage } from '../../report/html/page.js';
import { ProgressReporter } from '../../report/progress.js';
import { readModelFile } from '../../scenario/load-model.js';
import { parseModelText } from '../../scenario/parse-model.js';
import { UsageError } from '../errors.js';
import { cliIo, type CommandIo } from '../io.js';
import { collect, simulationOverrides, type SimulationOptions } from '../options.js';
import { jobsOption, onInterrupt, wholeNumber } from './experiment-common.js';

interface InferOptions extends SimulationOptions {
  observed: string[];
  vary: string[];
  points?: string;
  waves?: string;
  jobs?: string;
  out?: string;
  json?: boolean;
  quiet?: boolean;
}

export const DEFAULT_POINTS = 100;
export const DEFAULT_WAVES = 3;
export const DEFAULT_MAX_REPLICATIONS = 8;
export const START_REPLICATIONS = 2;
/**
 * The run length when --duration is not given: every figure is a mean rate or a mean, which 5
 * simulated minutes estimate (a per-hour count too, with more Poisson noise, which the
 * implausibility counts); sequential replications add what a verdict needs.
 */
const RUN_FOR = 300;

export function registerInfer(program: Command, io: CommandIo = cliIo): void {
  program
    .command('infer')
    .description('history matching: which values of unknown settings are not ruled out by what was observed (an observations file, an access log), or "nothing fits"')
    .argument('<model>', 'model file (YAML)')
    .option('--observed <file...>', 'what was observed: an observations file (YAML, docs/calibrate.md), an access log (told apart by content; repeatable)', collect, [])
    .option('--vary <key=range>', 'an unknown and its range: KEY=LO..HI (50us..500us, 2..16) or KEY=LIST (lifo,fifo,random) (repeatable)', collect, [])
    .option('--set <key.path=value>', 'override a model value at every point (repeatable)', collect, [])
    .option('--duration <d>', 'measured simulated time per replication (default: 5m, never more than the model says)')
    .option('--warmup <d>', 'simulated time discarded at the start of each replication')
    .option('--replications <n>', `the most replications a point gets at each configuration (it starts with ${START_REPLICATIONS}; default ${DEFAULT_MAX_REPLICATIONS})`)
    .option('--points <n>', `points per wave (default ${DEFAULT_POINTS})`)
    .option('--waves <k>', `waves (default ${DEFAULT_WAVES}); each resamples near the points not ruled out`)
    .option('--seed <s>', 'run seed: the design and every simulation (same model, observations and seed: same output)')
    .option('--jobs <n>', 'worker threads (default: the number of cores); the output does not depend on it')
    .option('--out <dir>', 'write DIR/infer.json (for --given), DIR/report.html and DIR/charts/ (pairwise pictures of the unknowns)')
    .option('--json', 'print the answer as one JSON object instead of the table')
    .option('--quiet', 'no progress on stderr')
    .action(async (file: string, opts: InferOptions) => {
      try {
        if (opts.observed.length === 0) throw new UsageError('give at least one --observed FILE (an observations file or an access log)');
        if (opts.vary.length === 0) throw new UsageError('give at least one --vary KEY=LO..HI or KEY=LIST, such as --vary fleet.server.closeLag=50us..500us');
        const unknowns = opts.vary.map(parseUnknown);
        if (new Set(unknowns.map((u) => u.key)).size !== unknowns.length) throw new UsageError('--vary: a key is given twice; give one --vary per key');
        const jobs = jobsOption(opts.jobs);
        const points = opts.points !== undefined ? wholeNumber('--points', opts.points, 2) : DEFAULT_POINTS;
        const waves = opts.waves !== undefined ? wholeNumber('--waves', opts.waves) : DEFAULT_WAVES;
        const maxReplications = opts.replications !== undefined ? wholeNumber('--replications', opts.replications) : DEFAULT_MAX_REPLICATIONS;
        const text = readModelFile(file);
        const observations = uniqueNames(await readObserved(opts.observed));
        const sets = [...opts.set, ...simulationOverrides({ ...opts, replications: undefined })];
        const base = parseModelText(text, file, sets);
        if (opts.duration === undefined && base.simulation.duration > RUN_FOR) sets.push(`simulation.duration=${RUN_FOR}s`);
        const spec: InferSpec = {
          file,
          text,
          sets,
          unknowns,
          observations,
          points,
          waves,
          startReplications: Math.min(START_REPLICATIONS, maxReplications),
          maxReplications,
          seed: String(base.simulation.seed),
        };
        // Every key and every configuration must resolve before anything runs.
        const corners = [0, 1 - 1e-12].map((x) => Object.fromEntries(unknowns.map((u) => [u.key, valueAt(u, x)])));
        for (const c of corners) for (const o of observations) pointModel(spec, c, o.set, o);
        const outputs = opts.out !== undefined ? new OutputSet(opts.out, ['infer.json', 'report.html', 'charts']) : undefined;
        const progress = new ProgressReporter(process.stderr, (opts.quiet ?? false) || !io.progress);
        const off = onInterrupt(
          () => 'nothing was written (infer keeps no partial results)',
          () => {
            progress.end();
            outputs?.discard();
          },
        );
        const pool = new ReplicationPool(jobs);
        const started = performance.now();
        let match;
        try {
          match = await historyMatch(spec, pool, (p) => progress.update({ total: p.total, done: p.done, points: p.points, pointsDone: p.pointsDone, pointsReused: 0 }, `wave ${p.wave}`));
        } finally {
          progress.end();
          await pool.close();
          off();
        }
        const wall = (performance.now() - started) / 1000;
        const answer = inferAnswer(spec, match);
        const json = `${JSON.stringify(answer, null, 2)}\n`;
        if (outputs) {
          outputs.write('infer.json', json);
          const origin = { source: file, seed: answer.seed, replications: `${spec.startReplications} to ${maxReplications} replications per point`, seconds: answer.simulatedSeconds };
          const blocks = await chartBlocks(pairCharts(answer, unknowns, origin), outputs.path('charts'));
          outputs.write(
            'report.html',
            htmlPage(`capsim infer: ${answer.model}`, `${file}; ${answer.tried.length} points in ${answer.waves.length} waves, seed ${answer.seed}`, [
              { kind: 'command', text: io.commandLine() },
              { kind: 'paragraph', text: answer.summary },
              ...(blocks.length > 0 ? [{ kind: 'heading' as const, text: 'The unknowns, pair by pair' }, ...blocks] : []),
              { kind: 'heading', text: 'Figures' },
              { kind: 'pre', text: inferText(answer, spec, 200) },
            ]),
          );
          outputs.commit();
        }
        io.out(opts.json ? json : inferText(answer, spec));
        const cost = answer.waves.reduce((a, w) => ({ r: a.r + w.replications, s: a.s + w.simulatedSeconds }), { r: 0, s: 0 });
        const note = `${answer.tried.length} points, ${cost.r} replications, ${(cost.s / 3600).toFixed(1)} simulated hours in ${wall.toFixed(0)} s`;
        if (outputs) io.wrote?.(['infer.json', 'report.html', 'charts/'].map((f) => path.join(opts.out!, f)), note);
        else if (!opts.quiet && io.progress) io.err(`capsim: ${note}\n`); // wall time: never in a notebook's output
      } catch (err) {
        io.fail(err);
      }
    });
}

export type { InferAnswer };
