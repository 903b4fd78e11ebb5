// capsim calibrate LOG…: a model from access logs or CloudWatch metrics, and what it rests on.
import { closeSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { modelFile } from '../../calibrate/model-file.js';
import { calibrationReport } from '../../calibrate/report.js';
import { runCalibration } from '../../calibrate/run-calibration.js';
import { calibrateCloudWatch } from '../../calibrate/cloudwatch/calibration.js';
import { cloudwatchModelFile } from '../../calibrate/cloudwatch/model-file.js';
import { cloudwatchReport } from '../../calibrate/cloudwatch/report.js';
import { checkCloudWatchModel, cloudwatchCheckLines } from '../../calibrate/cloudwatch/check.js';
import { looksLikeExport } from '../../observe/cloudwatch/export-file.js';
import { observationsYaml } from '../../observe/cloudwatch/observations-yaml.js';
import { parseIdMapping, readCloudWatch } from '../../observe/cloudwatch/series.js';
import { writeFileAtomic } from '../../experiment/files.js';
import { OutputLock } from '../../experiment/output-lock.js';
import { checkOutputFile } from '../../experiment/output-set.js';
import { BALANCER_FORMATS, FORMATS, isFormatName } from '../../logs/formats.js';
import { logFiles } from '../../logs/log-files.js';
import { checkLines, checkModel } from '../../calibrate/check.js';
import { ProgressReporter } from '../../report/progress.js';
import { UsageError } from '../errors.js';
import { cliIo, type CommandIo } from '../io.js';
import { collect } from '../options.js';
import { wholeNumber } from './experiment-common.js';

interface CalibrateOptions {
  format: string;
  logFormat?: string;
  top: string;
  out?: string;
  name?: string;
  json?: boolean;
  check: boolean;
  observations?: string;
  cloudwatchId: string[];
  quiet?: boolean;
}

const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');
const FORMAT_CHOICES = `auto, cloudwatch or one of ${FORMATS.join(', ')}`;

export function registerCalibrate(program: Command, io: CommandIo = cliIo): void {
  program
    .command('calibrate')
    .description('build a model from access logs (ALB, Classic ELB, nginx, gunicorn, uWSGI) or CloudWatch metrics: rate, endpoints, service times, statuses')
    .argument('<log...>', 'log files or CloudWatch exports (JSON), directories or globs (plain or gzip)')
    .option('--format <f>', `the input's format: ${FORMAT_CHOICES}`, 'auto')
    .option('--log-format <string>', "with --format nginx or gunicorn: the server's log_format / access_log_format string")
    .option('--top <n>', 'endpoints kept by volume; the rest pooled as (other)', '8')
    .option('--out <model.yaml>', 'write the calibrated model there (atomically)')
    .option('--name <name>', 'the model name (default: from --out)')
    .option('--observations <file>', 'CloudWatch: write the observations for capsim infer there (default with --out: NAME.observations.yaml beside it)')
    .option('--cloudwatch-id <id=metric:stat>', 'CloudWatch: which metric and statistic a get-metric-data result is, by Id or Label (repeatable)', collect, [])
    .option('--no-check', 'do not run the calibrated model to compare its latency with the logs or metrics')
    .option('--json', 'print the calibration as one JSON object instead of the report')
    .option('--quiet', 'no progress on stderr')
    .action(async (logs: string[], opts: CalibrateOptions) => {
      let lock: OutputLock | undefined;
      try {
        if (opts.format !== 'auto' && opts.format !== 'cloudwatch' && !isFormatName(opts.format)) throw new UsageError(`--format ${opts.format}: expected ${FORMAT_CHOICES}`);
        if (opts.format === 'cloudwatch' || (opts.format === 'auto' && isCloudWatch(logs))) return cloudwatch(logs, opts, io);
        if (opts.observations !== undefined || opts.cloudwatchId.length > 0) throw new UsageError(`${opts.observations !== undefined ? '--observations' : '--cloudwatch-id'} goes with CloudWatch exports (--format cloudwatch)`);
        const top = wholeNumber('--top', opts.top);
        if (opts.out !== undefined) {
          checkOutputFile(opts.out, '--out');
          lock = OutputLock.acquire(opts.out, { kind: 'file' });
        }
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
      } finally {
        lock?.release();
      }
    });
}

/** --format auto: the first file starts like a CloudWatch export's JSON. */
function isCloudWatch(inputs: string[]): boolean {
  const first = logFiles(inputs)[0];
  if (first === undefined) return false;
  const fd = openSync(first, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return looksLikeExport(buf.subarray(0, n).toString('utf8'));
  } finally {
    closeSync(fd);
  }
}

function cloudwatch(inputs: string[], opts: CalibrateOptions, io: CommandIo): void {
  if (opts.logFormat !== undefined) throw new UsageError('--log-format goes with --format nginx or gunicorn, not with CloudWatch exports');
  const data = readCloudWatch(logFiles(inputs), parseIdMapping(opts.cloudwatchId));
  const cal = calibrateCloudWatch(data);
  const name = opts.name ?? (opts.out ? path.basename(opts.out).replace(/\.ya?ml$/, '') : 'calibrated');
  const yaml = cloudwatchModelFile(name, cal);
  const obsFile = opts.observations ?? (opts.out !== undefined ? path.join(path.dirname(opts.out), `${path.basename(opts.out).replace(/\.ya?ml$/, '')}.observations.yaml`) : undefined);
  const obsYaml = observationsYaml(cal.reading.observations, [
    `Observations from CloudWatch (capsim calibrate --format cloudwatch), ${iso(cal.start)} to ${iso(cal.end)},`,
    `every figure at the configuration the metrics were recorded at. For capsim infer MODEL --observed FILE.`,
    'Add `discrepancy:` to a figure to say how far the model may be from reality on it, and `set:` when',
    'the fleet was configured otherwise than the model (docs/calibrate.md, "From CloudWatch metrics").',
  ]);
  // One writer at a time for each file written (src/experiment/output-lock.ts).
  const locks: OutputLock[] = [];
  try {
    for (const f of [opts.out, obsFile]) {
      if (f === undefined) continue;
      checkOutputFile(f, f === opts.out ? '--out' : '--observations');
      locks.push(OutputLock.acquire(f, { kind: 'file' }));
    }
    const check = opts.check ? checkCloudWatchModel(yaml, cal) : null;
    if (opts.out !== undefined) writeFileAtomic(opts.out, yaml);
    if (obsFile !== undefined) writeFileAtomic(obsFile, obsYaml);
    report(check);
  } finally {
    for (const l of locks) l.release();
  }
  function report(check: ReturnType<typeof checkCloudWatchModel> | null): void {
  if (opts.json) io.out(`${JSON.stringify({ read: { format: 'cloudwatch', files: cal.files }, calibration: cal, check, model: opts.out ?? null, observations: obsFile ?? null }, null, 2)}\n`);
  else {
    const checked = opts.check ? `\n${cloudwatchCheckLines(check).join('\n')}\n` : '';
    const written = `${opts.out !== undefined ? `model: ${opts.out}` : 'model: not written (give --out model.yaml)'}\n${obsFile !== undefined ? `observations: ${obsFile}` : 'observations: not written (give --observations FILE, or --out)'}\n`;
    io.out(`${cloudwatchReport(cal)}${checked}${written}`);
  }
  const files = [opts.out, obsFile].filter((f): f is string => f !== undefined);
  if (files.length > 0) io.wrote?.(files);
  }
}
