// The model calibrated from CloudWatch metrics, as a YAML file that runs as it is: each figure
// says in a comment which metric and statistic it rests on; what metrics cannot tell is a GUESS.
import { durationText, rateLines } from '../model-file.js';
import type { CloudWatchCalibration } from './calibration.js';
import { formatDecimal } from '../../report/format.js';

const ms = (s: number) => `${+(s * 1000).toPrecision(4)}ms`;
const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');
const pct = (x: number) => `${+(x * 100).toPrecision(3)}%`;

export function cloudwatchModelFile(name: string, cal: CloudWatchCalibration): string {
  const L: string[] = [];
  L.push(`# Calibrated by \`capsim calibrate --format cloudwatch\` from ${cal.files.length} CloudWatch export file${cal.files.length === 1 ? '' : 's'}:`);
  L.push(`# ${iso(cal.start)} to ${iso(cal.end)}, ${cal.periods} periods of ${cal.period} s, ${formatDecimal(Math.round(cal.rate.total), 3)} requests.`);
  L.push('# Every figure from the metrics says below what it rests on. GUESS marks what metrics cannot tell:');
  L.push('# the endpoints and their mix (a metric is one figure for the whole balancer), the server, its');
  L.push('# worker count and recycling, CPU versus I/O inside a request, the task size.');
  L.push('# Set those from your deployment before trusting an answer that depends on them.');
  L.push(`name: ${JSON.stringify(name)}`);
  L.push(`simulation: { duration: ${durationText(cal.span)}, warmup: 5m, replications: 10, seed: 1 }   # the duration: the export's span`);
  L.push('traffic:');
  const r = cal.rate;
  const per = cal.period === 60 ? 'minutes' : `${cal.period}-second periods`;
  const rateNote = `RequestCount (Sum): ${r.perMinute.toFixed(1)} [${r.ci95[0].toFixed(1)}, ${r.ci95[1].toFixed(1)}] per minute (95%) over ${cal.periods} ${per}; periods ranged ${r.periodMin.toFixed(1)}-${r.periodMax.toFixed(1)}/min, variance/mean ${Number.isFinite(r.dispersion) ? r.dispersion.toFixed(2) : '—'} (1 for Poisson arrivals)`;
  rateLines(L, cal.profile, r.perMinute, rateNote, [
    `the export spans ${cal.span > 24 * 3600 ? `${+(cal.span / 86400).toFixed(1)} days` : durationText(cal.span)}: a daily profile of hourly mean rates${cal.span > 24 * 3600 ? ' (each hour averaged over the days)' : ''}, hour 0 = ${iso(cal.start)};`,
    'after the last hour exported the rate returns linearly to the first (not in the metrics).',
  ]);
  L.push('  endpoints:');
  L.push('    # GUESS: one endpoint for every request. Metrics have no paths, so service times cannot be fitted');
  L.push('    # per endpoint: split this into your endpoints (names, weights, phases) from your access logs or code.');
  L.push('    - name: "(all requests)"');
  L.push('      weight: 1');
  L.push('      phases:');
  const s = cal.service;
  if (s) {
    L.push(`        # service: ${s.from};`);
    L.push(`        # the quiet periods: the ${cal.quiet.periods} with the fewest requests (at most ${cal.quiet.atMostPerMinute.toFixed(1)}/min), where a request rarely waits for a worker;`);
    const all = cal.latency.find((l) => l.stat === 'Average');
    if (all) L.push(`        # over all periods TargetResponseTime's Average was ${ms(all.all)} (the quiet ones: ${ms(all.quiet)}): the gap is waiting, or service slowed by load`);
    L.push('        # all of it as wait: (holds the worker, no CPU): the split into cpu:, db: and wait: is not in the metrics');
    L.push(`        - wait: lognormal(mean=${ms(s.mean)}, sd=${ms(s.sd)})${s.shapeGuessed ? '   # GUESS: the sd' : ''}`);
  } else {
    L.push('        - wait: 100ms   # GUESS: no TargetResponseTime (Average, or p50 and p99) in the export');
  }
  L.push('balancer:');
  L.push('  kind: alb   # the metrics are an Application Load Balancer\'s (AWS/ApplicationELB); its timeouts and reuse are the defaults (capsim explain shows them)');
  L.push('fleet:');
  if (cal.containers) L.push(`  containers: ${cal.containers.count}   # ${cal.containers.from}`);
  else L.push('  containers: 2   # GUESS: no HealthyHostCount in the export');
  const cpu = Number.isFinite(cal.utilization.cpu) ? ` (CPUUtilization averaged ${pct(cal.utilization.cpu)} of the reservation${Number.isFinite(cal.utilization.cpuMax) ? `, at most ${pct(cal.utilization.cpuMax)}` : ''})` : '';
  L.push(`  vcpu: 2          # GUESS: not in the metrics${cpu}`);
  const mem = Number.isFinite(cal.utilization.memory) ? ` (MemoryUtilization averaged ${pct(cal.utilization.memory)} of the reservation${Number.isFinite(cal.utilization.memoryMax) ? `, at most ${pct(cal.utilization.memoryMax)}` : ''})` : '';
  L.push(`  memory: 4GiB     # GUESS: not in the metrics (a Fargate size for 2 vCPU)${mem}`);
  L.push('  server:');
  L.push('    kind: gunicorn   # GUESS: metrics do not say which server; version: its default');
  L.push('    mode: sync');
  if (cal.load) {
    const workers = Math.max(2, Math.ceil(2 * cal.load.busiestPerTarget));
    L.push(
      `    workers: ${workers}   # GUESS: the busiest period had ${cal.load.busiestPerTarget.toFixed(2)} requests in service per target on average (Little's law: RequestCount × TargetResponseTime Average; ${cal.load.meanPerTarget.toFixed(2)} over the export): twice that, at least 2`,
    );
  } else {
    L.push('    workers: 4   # GUESS: no TargetResponseTime Average in the export to estimate the load from');
  }
  L.push('    # recycling (maxRequests), harakiri / timeout, memory per request: not in the metrics; the defaults apply');
  return `${L.join('\n')}\n`;
}
