// capsim calibrate LOG…: a model from access logs, and what it rests on.
import path from 'node:path';
import type { Command } from 'commander';
import { modelFile } from '../../calibrate/model-file.js';
import { calibrationReport } from '../../calibrate/report.js';
import { runCalibration } from '../../calibrate/run-calibration.js';
import { writeFileAtomic } from '../../experiment/files.js';
import { BALANCER_FORMATS, FORMATS, isFormatName } from '../../logs/formats.js';
import { checkLines, checkModel } from '../../calibrate/check.js';
import { ProgressReporter } from '../../report/progress.js';
import { UsageError } from '../errors.js';
import { cliIo, type CommandIo } from '../io.js';
import { wholeNumber } from './experiment-common.js';

interface CalibrateOptions {
  format: string;
  logFormat?: string;
  top: string;
  out?: string;
  name?: string;
  json?: boolean;
  check: boolean;
  quiet?: boolean;
}

export function registerCalibrate(program: Command, io: CommandIo = cliIo): void {
  program
    .command('calibrate')
    .description('build a model from access logs (ALB, Classic ELB, nginx, gunicorn, uWSGI): rate, endpoints, fitted service times, statuses')
    .argument('<log...>', 'log files, directories or globs (plain or gzip)')
    .option('--format <f>', `the log format: auto or one of ${FORMATS.join(', ')}`, 'auto')
    .option('--log-format <string>', "with --format nginx or gunicorn: the server's log_format / access_log_format string")
    .option('--top <n>', 'endpoints kept by volume; the rest pooled as (other)', '8')
    .option('--out <model.yaml>', 'write the calibrated model there (atomically)')
    .option('--name <name>', 'the model name (default: from --out)')
    .option('--no-check', 'do not run the calibrated model to compare its latency with the logs')
    .option('--json', 'print the calibration as one JSON object instead of the report')
    .option('--quiet', 'no progress on stderr')
    .action(async (logs: string[], opts: CalibrateOptions) => {
      try {
        if (opts.format !== 'auto' && !isFormatName(opts.format)) throw new UsageError(`--format ${opts.format}: expected auto or one of ${FORMATS.join(', ')}`);
        const top = wholeNumber('--top', opts.top);
        // On a terminal: records read, then the check's replications (each runs on this thread).
        const progress = new ProgressReporter(process.stderr, (opts.quiet ?? false) || !io.progress);
        let calibrated;
        try {
          calibrated = await runCalibration(logs, { format: opts.format as 'auto', ...(opts.logFormat !== undefined ? { logFormat: opts.logFormat } : {}) }, top, (n) => progress.counted('reading logs', n, null, 'records'));
        } finally {
          progress.end();
        }
        const { read, cal, obs } = calibrated;
        const name = opts.name ?? (opts.out ? path.basename(opts.out).replace(/\.ya?ml$/, '') : 'calibrated');
        const yaml = modelFile({ name, format: read.format, files: read.files.length, cal });
        let check = null;
        try {
          if (opts.check) check = checkModel(yaml, obs, cal.span, BALANCER_FORMATS.has(read.format), (done, total) => progress.counted('checking the model', done, total, 'replications'));
        } finally {
          progress.end();
        }
        if (opts.out !== undefined) writeFileAtomic(opts.out, yaml);
        if (opts.json) io.out(`${JSON.stringify({ read, calibration: cal, check, model: opts.out ?? null }, null, 2)}\n`);
        else {
          const checked = opts.check ? `\n${checkLines(check).join('\n')}\n` : '';
          io.out(`${calibrationReport(read, cal, top)}${checked}${opts.out !== undefined ? `model: ${opts.out}\n` : 'model: not written (give --out model.yaml)\n'}`);
        }
        if (opts.out !== undefined) io.wrote?.([opts.out]);
      } catch (err) {
        io.fail(err);
      }
    });
}
