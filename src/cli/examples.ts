// Worked examples for every command's --help: real command lines on the bundled models, run
// from the repository root. test/cli/help-examples.test.ts executes every one of them (with
// shorter simulations), so an example that stops working fails the build.
import type { Command } from 'commander';

export interface Example {
  /** What it shows, in a few words. */
  what: string;
  /** The command line, as typed in a POSIX shell. */
  line: string;
}

const INCIDENT = 'models/incident/01-uwsgi-2-workers.yaml';
const GUNICORN = 'models/incident/05-gunicorn.yaml';
const NEW_SERVICE = 'models/examples/new-service.yaml';

export const EXAMPLES: Record<string, Example[]> = {
  capsim: [
    { what: 'the incident as first seen: 502s by cause, latency, 95% intervals', line: `capsim run ${INCIDENT}` },
    { what: 'every resolved value of a model and where it came from', line: `capsim explain ${GUNICORN}` },
    { what: 'a commented starting model of your own, then its first run', line: 'capsim init --server gunicorn --out my-service.yaml && capsim run my-service.yaml' },
  ],
  run: [
    { what: 'the incident: 10 replications of 1 h, a table by status and cause, beside what the write-up saw', line: `capsim run ${INCIDENT} --observed models/incident/observations.yaml` },
    { what: 'a what-if, shorter: 8 workers, 10 simulated minutes, 3 replications, as JSON', line: `capsim run ${INCIDENT} --set fleet.server.workers=8 --duration 10m --replications 3 --json` },
    {
      what: 'replications until p99 is known to 5%, with a report and a timeline',
      line: `capsim run ${NEW_SERVICE} --precision 5% --metric p99 --out out/new-service --timeline`,
    },
  ],
  explain: [
    { what: 'every value, its unit and source (file line or server default), and warnings', line: `capsim explain ${INCIDENT}` },
    { what: 'what an override changes, and what it warns about', line: `capsim explain ${GUNICORN} --set fleet.server.mode=gevent --set fleet.server.keepAlive=75s` },
    { what: 'the same as JSON, for tools', line: 'capsim explain models/textbook/mmc.yaml --json' },
  ],
  sweep: [
    {
      what: 'workers × containers, 3 replications a point: sweep.csv, sweep.json, report.html',
      line: `capsim sweep ${INCIDENT} --vary fleet.server.workers=2,4,8 --vary fleet.containers=2..4 --replications 3`,
    },
    {
      what: 'gunicorn workers 2 to 8 in steps of 2, into a directory of your choice',
      line: `capsim sweep ${GUNICORN} --vary fleet.server.workers=2..8:2 --duration 10m --out out/gunicorn-workers`,
    },
    {
      what: 'the first of two shards (on another machine: --shard 2/2), then capsim merge',
      line: `capsim sweep ${GUNICORN} --vary fleet.containers=1..4 --duration 10m --shard 1/2 --out out/shards`,
    },
  ],
  size: [
    {
      what: 'the cheapest fleet with under 0.1% 5xx and a p99 under 800 ms',
      line: `capsim size ${NEW_SERVICE} --vary fleet.server.workers=2,4,8 --vary fleet.containers=1..4 --slo '5xx-rate<=0.1%' --slo 'p99<=800ms'`,
    },
    {
      what: 'how many tasks the incident fleet needs for at most one 502 per 5 minutes, on Graviton prices',
      line: `capsim size ${GUNICORN} --vary fleet.containers=1..4 --slo '502/5min<=1' --duration 10m --arch arm`,
    },
  ],
  merge: [
    {
      what: 'two shards written to one directory (each: capsim sweep … --shard K/2 --out out/shards)',
      line:
        `capsim sweep ${GUNICORN} --vary fleet.containers=1..4 --duration 10m --shard 1/2 --out out/shards && ` +
        `capsim sweep ${GUNICORN} --vary fleet.containers=1..4 --duration 10m --shard 2/2 --out out/shards && ` +
        'capsim merge out/shards',
    },
    {
      what: 'shards from separate machines, copied into separate directories',
      line:
        `capsim sweep ${GUNICORN} --vary fleet.containers=1..4 --duration 10m --shard 1/2 --out out/shard-a && ` +
        `capsim sweep ${GUNICORN} --vary fleet.containers=1..4 --duration 10m --shard 2/2 --out out/shard-b && ` +
        'capsim merge out/shard-a out/shard-b --out out/merged',
    },
  ],
  notebook: [
    { what: 'the incident post-mortem, executed: out/notebooks/incident-postmortem.md and .html', line: 'capsim notebook notebooks/incident-postmortem.md' },
    { what: 'a fast check that every block runs (short simulations), into another directory', line: 'capsim notebook notebooks/sizing-a-new-service.md --quick --out out/notebook-check' },
  ],
  calibrate: [
    {
      what: 'a simulated hour of ALB logs, then what calibration reads back from them',
      line: `capsim run ${GUNICORN} --duration 10m --access-log alb out/alb.log && capsim calibrate out/alb.log`,
    },
    {
      what: 'a model file from the logs, which runs as it is',
      line: `capsim run ${GUNICORN} --duration 10m --access-log alb out/alb.log && capsim calibrate out/alb.log --out out/calibrated.yaml && capsim run out/calibrated.yaml`,
    },
    {
      what: 'from CloudWatch metrics (a bundled get-metric-data export): a model and its observations file',
      line: 'capsim calibrate models/cloudwatch/alb-metrics.json --out out/from-metrics.yaml && capsim run out/from-metrics.yaml',
    },
  ],
  backtest: [
    {
      what: "a model against logs: 502/503/504 per 5-minute window inside or outside the model's range",
      line: `capsim run ${GUNICORN} --duration 10m --access-log alb out/alb.log && capsim backtest ${GUNICORN} out/alb.log --replications 3`,
    },
    {
      what: 'the same with 1 worker instead of 2, as JSON and with a chart',
      line: `capsim run ${GUNICORN} --duration 10m --access-log alb out/alb.log && capsim backtest ${GUNICORN} out/alb.log --set fleet.server.workers=1 --replications 3 --out out/backtest --json`,
    },
  ],
  fit: [
    {
      what: 'which worker count best explains the logs, and which ones they cannot rule out',
      line: `capsim run ${GUNICORN} --duration 10m --access-log alb out/alb.log && capsim fit ${GUNICORN} out/alb.log --vary fleet.server.workers=1,2,4 --replications 3`,
    },
    {
      what: 'the balancer\'s connection-reuse order, as JSON',
      line: `capsim run ${INCIDENT} --duration 10m --access-log alb out/alb.log && capsim fit ${INCIDENT} out/alb.log --vary balancer.reuse=lifo,fifo --replications 3 --json`,
    },
  ],
  infer: [
    {
      what: "which close lags fit the write-up's statements (models/incident/observations.yaml)",
      line: `capsim infer ${INCIDENT} --observed models/incident/observations.yaml --vary fleet.server.closeLag=20us..2ms --points 20 --waves 2`,
    },
    {
      what: 'two unknowns against an access log, pictures and infer.json for --given',
      line: `capsim run ${GUNICORN} --duration 10m --access-log alb out/alb.log && capsim infer ${GUNICORN} --observed out/alb.log --vary fleet.server.workers=1..4 --vary fleet.vcpu=0.5..2 --points 12 --waves 1 --out out/infer`,
    },
  ],
  page: [
    { what: 'the incident as a what-if page: sliders, figures with intervals, charts, offline', line: `capsim page ${INCIDENT} --out out/pages/incident` },
    {
      what: 'a page that also offers 2, 4 or 8 workers, starting from 10 simulated minutes',
      line: `capsim page ${GUNICORN} --vary fleet.server.workers=2,4,8 --duration 10m --out out/pages/gunicorn`,
    },
  ],
  schema: [
    { what: 'the model file\'s JSON Schema, for an editor or a validator', line: 'capsim schema > capsim-model.schema.json' },
    { what: 'the same, written atomically to a file', line: 'capsim schema --out out/capsim-model.schema.json' },
  ],
  init: [
    { what: 'a commented uWSGI model that runs as it is, then its first run', line: 'capsim init --out my-service.yaml && capsim run my-service.yaml' },
    { what: 'a gunicorn model, resolved with every default and its source', line: 'capsim init --server gunicorn --out gunicorn.yaml && capsim explain gunicorn.yaml' },
    { what: 'the model on stdout', line: 'capsim init --server gunicorn --out -' },
  ],
};

/** Widest example line in --help; longer commands continue on the next line (shell style). */
const WIDTH = 96;

/**
 * An example as --help shows it, ready to paste into a shell: `&&` ends a line, and a long command
 * breaks before an option with a backslash.
 */
export function shownExample(line: string): string {
  return line
    .split(' && ')
    .map((command, i) => {
      const lines: string[] = [];
      let cur = i === 0 ? '$ ' : '  ';
      for (const part of command.split(/ (?=--)/)) {
        if (cur.trim() !== '$' && cur.trim() !== '' && cur.length + 1 + part.length > WIDTH) {
          lines.push(`${cur} \\`);
          cur = '      ';
        }
        cur += cur.endsWith(' ') ? part : ` ${part}`;
      }
      lines.push(cur);
      return lines.join('\n  ');
    })
    .join(' &&\n  ');
}

export function examplesText(name: string): string {
  const list = EXAMPLES[name];
  if (!list) throw new Error(`no --help examples for ${name}`);
  return ['', 'Examples (from the repository root):', ...list.flatMap((e) => ['', `  # ${e.what}`, `  ${shownExample(e.line)}`])].join('\n');
}

/** Append the examples of `name` to a command's --help. */
export function withExamples(command: Command, name: string): void {
  command.addHelpText('after', examplesText(name));
}
