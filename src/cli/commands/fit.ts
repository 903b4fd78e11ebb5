// capsim fit MODEL LOG… --vary KEY=LIST: the value of one knob that best explains the logs' 5xx.
import type { Command } from 'commander';
import { fitKnob } from '../../backtest/fit-knob.js';
import { observeLogs, periodOverrides, simulateWindows } from '../../backtest/run-backtest.js';
import { readLines } from '../../calibrate/report.js';
import { parseVary } from '../../experiment/grid.js';
import { FORMATS, isFormatName } from '../../logs/formats.js';
import { table } from '../../report/format.js';
import { loadModelFile } from '../../scenario/load-model.js';
import { ProgressReporter } from '../../report/progress.js';
import { UsageError } from '../errors.js';
import { cliIo, type CommandIo } from '../io.js';
import { collect } from '../options.js';

interface FitOptions {
  vary: string[];
  format: string;
  logFormat?: string;
  set: string[];
  replications?: string;
  json?: boolean;
  quiet?: boolean;
}

export function registerFit(program: Command, io: CommandIo = cliIo): void {
  program
    .command('fit')
    .description("pick the value of one model knob whose predicted 5xx per 5 minutes best matches the logs', with its 95% set")
    .argument('<model>', 'model file (YAML); with traffic.replay it replays those arrivals')
    .argument('<log...>', 'log files, directories or globs (plain or gzip)')
    .requiredOption('--vary <key=list>', 'the knob and its candidate values, as for sweep: balancer.reuse=lifo,fifo,random or fleet.server.closeLag=50us,120us,500us', collect, [])
    .option('--format <f>', `the log format: auto or one of ${FORMATS.join(', ')}`, 'auto')
    .option('--log-format <string>', "with --format nginx or gunicorn: the server's log_format / access_log_format string")
    .option('--set <key.path=value>', 'override a model value (repeatable)', collect, [])
    .option('--replications <n>', "replications per value (default: the model file's)")
    .option('--json', 'print the fit as one JSON object instead of the report')
    .option('--quiet', 'no progress on stderr')
    .action(async (file: string, logs: string[], opts: FitOptions) => {
      try {
        if (opts.vary.length !== 1) throw new UsageError(`--vary: give exactly one knob (got ${opts.vary.length}); fit one at a time`);
        if (opts.format !== 'auto' && !isFormatName(opts.format)) throw new UsageError(`--format ${opts.format}: expected auto or one of ${FORMATS.join(', ')}`);
        const vary = parseVary(opts.vary[0]!);
        if (vary.texts.length < 2) throw new UsageError(`--vary ${opts.vary[0]}: give at least two values to choose between`);
        // On a terminal: records read, then each value's replications (they run on this thread).
        const progress = new ProgressReporter(process.stderr, (opts.quiet ?? false) || !io.progress);
        let sims;
        let observed;
        try {
          observed = await observeLogs(logs, { format: opts.format as 'auto', ...(opts.logFormat !== undefined ? { logFormat: opts.logFormat } : {}) }, (n) => progress.counted('reading logs', n, null, 'records'));
          progress.end();
          const { obs } = observed;
          const sets = [...opts.set, ...(opts.replications !== undefined ? [`simulation.replications=${opts.replications}`] : [])];
          let done = 0;
          sims = vary.texts.map((text) => {
            const withValue = [...sets, `${vary.path}=${text}`];
            const model = loadModelFile(file, [...withValue, ...periodOverrides(loadModelFile(file, withValue), obs.last - obs.first)]);
            const total = vary.texts.length * model.simulation.replications;
            return simulateWindows(model, obs, () => progress.counted(`simulating ${vary.texts.length} values of ${vary.path}`, ++done, total, 'replications'));
          });
        } finally {
          progress.end();
        }
        const { read, obs } = observed;
        const fit = fitKnob(vary.path, vary.texts, sims, obs);
        if (opts.json) {
          io.out(`${JSON.stringify({ read, fit }, null, 2)}\n`);
          return;
        }
        const f = (x: number) => `${+x.toPrecision(3)}`;
        const rows = [[vary.path, 'predicted 5xx / 5 min [95%]', 'log-likelihood', 'gap to best', 'implausibility', 'in the 95% set']];
        for (const c of fit.candidates) rows.push([c.value, `${f(c.per5min.mean)} [${f(c.per5min.ci95[0])}, ${f(c.per5min.ci95[1])}]`, f(c.logLik), f(c.gap), f(c.implausibility), c.inSet ? 'yes' : 'no']);
        io.out(
          `${[
            ...readLines(read),
            `the logs: ${f(fit.logPer5min)} 5xx per 5 minutes over ${fit.windows} whole windows`,
            '',
            table(rows),
            '',
            fit.verdict,
            `(quasi-Poisson log-likelihood of each window's 5xx count, divided by the dispersion ${f(fit.dispersion)}; the 95% set: within 1.92 of the best and an implausibility of at most 3, as capsim infer judges a point; several knobs at once, ranges, statements without logs: capsim infer)`,
          ].join('\n')}\n`,
        );
      } catch (err) {
        io.fail(err);
      }
    });
}
