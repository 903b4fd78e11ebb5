// The CloudWatch calibration as people read it: what was read and how each series was known,
// the rate, the 5xx per 5 minutes, TargetResponseTime, the targets, the observations written,
// and what metrics cannot tell.
import { metricName, metricUnit } from '../../experiment/metrics.js';
import { table } from '../../report/format.js';
import type { CloudWatchCalibration } from './calibration.js';

const ms = (s: number) => (Number.isFinite(s) ? `${+(s * 1000).toPrecision(3)} ms` : '—');
const pct = (x: number) => `${+(x * 100).toPrecision(3)}%`;
const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');
const num = (x: number) => (Number.isFinite(x) ? `${+x.toPrecision(4)}` : '—');

export function cloudwatchReport(cal: CloudWatchCalibration): string {
  const L: string[] = [];
  L.push(`read: ${cal.files.length} CloudWatch export file${cal.files.length === 1 ? '' : 's'}; period ${cal.period} s (from ${cal.periodFrom}); ${iso(cal.start)} to ${iso(cal.end)}`);
  const rows = [['metric', 'statistic', 'points', 'known by', 'from']];
  for (const s of cal.series) rows.push([s.metric, s.stat + (s.partial ? ' (PartialData)' : ''), String(s.points), s.identifiedBy, s.sources.join(', ')]);
  L.push(table(rows));
  for (const u of cal.unidentified) L.push(`  not read: ${u}`);
  for (const w of cal.warnings) L.push(`  warning: ${w}`);
  const r = cal.rate;
  L.push(
    `rate: ${r.perMinute.toFixed(1)} [${r.ci95[0].toFixed(1)}, ${r.ci95[1].toFixed(1)}] requests per minute (95%) over ${cal.periods} periods (a period without a RequestCount point is no traffic); per period min ${r.periodMin.toFixed(1)}, median ${r.periodP50.toFixed(1)}, max ${r.periodMax.toFixed(1)} per minute; variance/mean ${Number.isFinite(r.dispersion) ? r.dispersion.toFixed(2) : '—'} (1 for Poisson arrivals at a constant rate)`,
  );
  if (cal.profile && cal.profile.length > 1) L.push(`daily profile (hourly means from the export's start): ${cal.profile.slice(1).map((p) => `${(p.at / 3600 - 0.5).toFixed(0)}h ${p.perMinute.toFixed(0)}/min`).join(', ')}`);
  if (cal.per5min.length > 0) {
    L.push('per 5 minutes (mean over the span, sd from the windows\' spread, never below Poisson; max of a whole window):');
    L.push(table([['status', 'metric', 'mean', 'sd', 'max', 'windows'], ...cal.per5min.map((p) => [p.metric, p.aws, num(p.mean), num(p.sd), num(p.max), String(p.windows)])]));
  } else L.push('per 5 minutes: no HTTPCode_ELB_5xx or HTTPCode_Target_5XX_Count series in the export');
  if (cal.latency.length > 0) {
    L.push(`TargetResponseTime (the target's processing time: from sending the request to the target until its response headers; capsim's latency approximates it), the mean of the periods' values weighted by their requests:`);
    L.push(table([['statistic', 'all periods', `quiet periods (${cal.quiet.periods}, at most ${cal.quiet.atMostPerMinute.toFixed(1)}/min)`], ...cal.latency.map((l) => [l.stat, ms(l.all), ms(l.quiet)])]));
  } else L.push('TargetResponseTime: not in the export: the service time is a GUESS');
  L.push(cal.service ? `service time (one for all requests): lognormal mean ${ms(cal.service.mean)}, sd ${ms(cal.service.sd)}: ${cal.service.from}` : 'service time: GUESS (100 ms)');
  L.push(cal.containers ? `targets: ${cal.containers.count}, ${cal.containers.from}` : 'targets: no HealthyHostCount: the model guesses 2');
  if (cal.load) L.push(`load: ${cal.load.meanPerTarget.toFixed(2)} requests in service per target on average, ${cal.load.busiestPerTarget.toFixed(2)} in the busiest period (Little's law)`);
  const u = cal.utilization;
  if (Number.isFinite(u.cpu) || Number.isFinite(u.memory)) {
    L.push(`ECS: CPUUtilization mean ${Number.isFinite(u.cpu) ? pct(u.cpu) : '—'}${Number.isFinite(u.cpuMax) ? `, max ${pct(u.cpuMax)}` : ''}; MemoryUtilization mean ${Number.isFinite(u.memory) ? pct(u.memory) : '—'}${Number.isFinite(u.memoryMax) ? `, max ${pct(u.memoryMax)}` : ''} (of the task's reservation)`);
  }
  L.push('');
  L.push(`observations (for capsim infer MODEL --observed FILE): ${cal.reading.observations.length}`);
  const t = [['metric', 'value', 'sd', 'unit', 'from']];
  for (const { observation: o } of cal.reading.observations) {
    const v = o.form.kind === 'value' ? num(o.form.value) : `${o.form.kind === 'at-least' ? '≥' : '≤'} ${num(o.form.bound)}`;
    t.push([metricName(o.metric), v, num(o.form.sd), metricUnit(o.metric), o.name.replace(/^.* from CloudWatch /, '')]);
  }
  L.push(table(t));
  for (const x of cal.reading.unused) L.push(`  not an observation: ${x}`);
  L.push('');
  L.push(
    'not in the metrics (the model file marks each GUESS): the endpoints and their mix (one endpoint stands for all requests: service times cannot be fitted per endpoint from metrics), the server and its version, the worker count, recycling, harakiri/timeouts, vCPUs and memory, and the split of a request into CPU, database and other waiting.',
  );
  return `${L.join('\n')}\n`;
}
