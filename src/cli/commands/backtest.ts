// capsim backtest MODEL LOG…: the model over the logs' period, window by window against them.
import path from 'node:path';
import type { Command } from 'commander';
import { backtestChart } from '../../backtest/chart.js';
import { backtestReport } from '../../backtest/report.js';
import { backtest, observeLogs, periodOverrides } from '../../backtest/run-backtest.js';
import { writeFileAtomic } from '../../experiment/files.js';
import { OutputLock } from '../../experiment/output-lock.js';
import { checkOutputDir } from '../../experiment/output-set.js';
import { FORMATS, isFormatName } from '../../logs/formats.js';
import { renderPng, renderSvg } from '../../report/charts/render.js';
import { ProgressReporter } from '../../report/progress.js';
import { loadModelFile } from '../../scenario/load-model.js';
import { UsageError } from '../errors.js';
import { cliIo, type CommandIo } from '../io.js';
import { collect } from '../options.js';

interface BacktestOptions {
  format: string;
  logFormat?: string;
  set: string[];
  replications?: string;
  out?: string;
  json?: boolean;
  quiet?: boolean;
}

export function registerBacktest(program: Command, io: CommandIo = cliIo): void {
  program
    .command('backtest')
    .description("run a model over the logs' period and compare its 502/503/504 per 5 minutes and latency with the logs'")
    .argument('<model>', 'model file (YAML); with traffic.replay it replays those arrivals')
    .argument('<log...>', 'log files, directories or globs (plain or gzip)')
    .option('--format <f>', `the log format: auto or one of ${FORMATS.join(', ')}`, 'auto')
    .option('--log-format <string>', "with --format nginx or gunicorn: the server's log_format / access_log_format string")
    .option('--set <key.path=value>', 'override a model value (repeatable)', collect, [])
    .option('--replications <n>', 'replications (default: the model file\'s)')
    .option('--out <dir>', 'also write DIR/backtest.json and the chart DIR/charts/backtest-5xx.svg and .png (atomically)')
    .option('--json', 'print the backtest as one JSON object instead of the report')
    .option('--quiet', 'no progress on stderr')
    .action(async (file: string, logs: string[], opts: BacktestOptions) => {
      let lock: OutputLock | undefined;
      try {
        if (opts.format !== 'auto' && !isFormatName(opts.format)) throw new UsageError(`--format ${opts.format}: expected auto or one of ${FORMATS.join(', ')}`);
        if (opts.out !== undefined) {
          checkOutputDir(opts.out);
          lock = OutputLock.acquire(opts.out);
        }
        // On a terminal: records read, then replications simulated (each runs on this thread).
        const progress = new ProgressReporter(process.stderr, (opts.quiet ?? false) || !io.progress);
        let observed;
        try {
          observed = await observeLogs(logs, { format: opts.format as 'auto', ...(opts.logFormat !== undefined ? { logFormat: opts.logFormat } : {}) }, (n) => progress.counted('reading logs', n, null, 'records'));
        } finally {
          progress.end();
        }
        const { read, obs } = observed;
        const sets = [...opts.set, ...(opts.replications !== undefined ? [`simulation.replications=${opts.replications}`] : [])];
        const first = loadModelFile(file, sets);
        const model = loadModelFile(file, [...sets, ...periodOverrides(first, obs.last - obs.first)]);
        let b;
        try {
          b = backtest(path.basename(file).replace(/\.ya?ml$/, ''), model, read, obs, (done, total) => progress.counted('simulating the logs\' period', done, total, 'replications'));
        } finally {
          progress.end();
        }
        const json = `${JSON.stringify(b, null, 2)}\n`;
        if (opts.out !== undefined) {
          const chart = backtestChart(b);
          const svg = await renderSvg(chart.spec);
          writeFileAtomic(path.join(opts.out, 'charts', `${chart.id}.svg`), svg);
          writeFileAtomic(path.join(opts.out, 'charts', `${chart.id}.png`), await renderPng(svg));
          writeFileAtomic(path.join(opts.out, 'backtest.json'), json);
        }
        io.out(opts.json ? json : backtestReport(b));
        if (opts.out !== undefined) io.wrote?.(['backtest.json', 'charts/'].map((f) => path.join(opts.out!, f)));
      } catch (err) {
        io.fail(err);
      } finally {
        lock?.release();
      }
    });
}
