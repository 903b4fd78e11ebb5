// From a CloudWatch export to the figures a model needs, each with what it rests on: the
// request rate per minute (a daily profile when the export spans hours, as from logs), the 5xx
// per 5 minutes, TargetResponseTime's mean and percentiles, the targets, and a service time.
//
// What metrics cannot tell. A metric is one figure per period for the whole balancer: there
// are no endpoints, so one service-time distribution stands for every request (the endpoint mix
// is a GUESS of one endpoint). Service time versus waiting is told apart as from logs, by the
// quietest periods (the QUIET_SHARE with the fewest requests): their TargetResponseTime is close
// to service. Its shape comes from their p50 and p99 (a lognormal through both) when the export
// has them; from the Average alone only the mean is known and the spread is a GUESS.
import { normalQuantile, poissonCI } from '../../stats/intervals.js';
import { QUIET_SHARE, PROFILE_SPAN } from '../calibration.js';
import { cloudwatchObservations, countFigure, levelFigure, type CloudWatchReading } from '../../observe/cloudwatch/observations.js';
import { find, onGrid, type CloudWatchData } from '../../observe/cloudwatch/series.js';

export interface CloudWatchCalibration {
  files: string[];
  period: number;
  periodFrom: string;
  start: number;
  /** The end of the last period (its start + period). */
  end: number;
  span: number;
  /** Periods RequestCount covers. */
  periods: number;
  series: { metric: string; stat: string; points: number; identifiedBy: string; sources: string[]; partial: boolean }[];
  rate: { perMinute: number; ci95: [number, number]; periodMin: number; periodP50: number; periodMax: number; dispersion: number; total: number; longestGapMinutes: number };
  profile: { at: number; perMinute: number }[] | null;
  /** Per 5 minutes over the span: mean with its sd, and the largest whole window. */
  per5min: { metric: string; aws: string; mean: number; sd: number; max: number; windows: number }[];
  /** TargetResponseTime by statistic, seconds: over all periods and over the quiet ones. */
  latency: { stat: string; all: number; quiet: number }[];
  quiet: { periods: number; atMostPerMinute: number };
  service: { mean: number; sd: number; from: string; shapeGuessed: boolean } | null;
  containers: { count: number; from: string } | null;
  load: { busiestPerTarget: number; meanPerTarget: number } | null;
  utilization: { cpu: number; cpuMax: number; memory: number; memoryMax: number };
  reading: CloudWatchReading;
  warnings: string[];
  unidentified: string[];
}

const Z99 = normalQuantile(0.99);

export function calibrateCloudWatch(data: CloudWatchData): CloudWatchCalibration {
  const requests = find(data, 'RequestCount', 'Sum');
  if (!requests || requests.times.length === 0) {
    throw Object.assign(
      new Error(`${data.files.join(' ')}: no RequestCount (Sum) series with data: calibration needs the request rate (aws cloudwatch get-metric-data with MetricName RequestCount, Stat Sum; docs/calibrate.md "From CloudWatch metrics")`),
      { exitCode: 2 },
    );
  }
  const P = data.period;
  const counts = onGrid(requests, data);
  const valid: number[] = [];
  for (let i = 0; i < counts.length; i++) if (counts[i] === counts[i]) valid.push(i);
  const perPeriod = valid.map((i) => counts[i]!);
  const n = perPeriod.length;
  const total = perPeriod.reduce((a, b) => a + b, 0);
  const toMinute = 60 / P;
  const meanPeriod = total / n;
  const variance = n > 1 ? perPeriod.reduce((a, c) => a + (c - meanPeriod) ** 2, 0) / (n - 1) : NaN;
  const se = Math.sqrt(Math.max(Number.isFinite(variance) ? variance : 0, meanPeriod) / n);
  const ci: [number, number] = total < 30 ? (poissonCI(total).map((x) => (x / n) * toMinute) as [number, number]) : [Math.max(0, (meanPeriod - 1.96 * se) * toMinute), (meanPeriod + 1.96 * se) * toMinute];
  const sorted = [...perPeriod].sort((a, b) => a - b);
  let gap = 0;
  let run = 0;
  for (let i = 0; i < counts.length; i++) {
    run = counts[i] === 0 ? run + 1 : 0;
    gap = Math.max(gap, run);
  }
  const warnings = [...data.warnings];
  const longestGapMinutes = (gap * P) / 60;
  if (longestGapMinutes > 60) {
    warnings.push(`RequestCount has no data point for ${Math.round(longestGapMinutes)} minutes in a row: read as no traffic (CloudWatch sends the metric only while requests flow); if the export joins separate spans, calibrate each alone`);
  }

  // Quiet periods: the QUIET_SHARE with the fewest requests (all of them when fewer than 5).
  const cut = n >= 5 ? sorted[Math.max(0, Math.ceil(n * QUIET_SHARE) - 1)]! : Infinity;
  const quietMask = new Float64Array(counts.length);
  for (const i of valid) quietMask[i] = counts[i]! <= cut ? counts[i]! : 0;

  const latency: CloudWatchCalibration['latency'] = [];
  const latencyOf = (stat: string) => latency.find((l) => l.stat === stat);
  for (const stat of ['Average', 'p50', 'p90', 'p95', 'p99']) {
    const s = find(data, 'TargetResponseTime', stat);
    if (!s) continue;
    const g = onGrid(s, data);
    const all = levelFigure(g, counts).value;
    let quiet = levelFigure(g, quietMask).value;
    if (!Number.isFinite(quiet)) quiet = all;
    if (Number.isFinite(all)) latency.push({ stat, all, quiet });
  }

  let service: CloudWatchCalibration['service'] = null;
  const p50 = latencyOf('p50');
  const p99 = latencyOf('p99');
  const avg = latencyOf('Average');
  if (p50 && p99 && p99.quiet > p50.quiet && p50.quiet > 0) {
    const sigma = Math.log(p99.quiet / p50.quiet) / Z99;
    const mean = p50.quiet * Math.exp((sigma * sigma) / 2);
    service = {
      mean,
      sd: mean * Math.sqrt(Math.expm1(sigma * sigma)),
      from: `the lognormal through TargetResponseTime's p50 (${ms(p50.quiet)}) and p99 (${ms(p99.quiet)}) in the quiet periods${avg ? `; their Average was ${ms(avg.quiet)}` : ''}`,
      shapeGuessed: false,
    };
  } else if (avg && avg.quiet > 0) {
    service = { mean: avg.quiet, sd: avg.quiet, from: `TargetResponseTime's Average in the quiet periods (${ms(avg.quiet)}); GUESS: the spread (sd = mean), as the export has no p50 and p99`, shapeGuessed: true };
  }

  const healthy = find(data, 'HealthyHostCount', 'Average') ?? find(data, 'HealthyHostCount', 'Maximum');
  const unhealthy = find(data, 'UnHealthyHostCount', 'Average') ?? find(data, 'UnHealthyHostCount', 'Maximum');
  let containers: CloudWatchCalibration['containers'] = null;
  if (healthy && healthy.values.length > 0) {
    const h = onGrid(healthy, data);
    const u = unhealthy ? onGrid(unhealthy, data) : null;
    let most = 0;
    for (let i = 0; i < h.length; i++) if (h[i] === h[i]) most = Math.max(most, h[i]! + (u && u[i] === u[i] ? u[i]! : 0));
    if (Math.round(most) >= 1) containers = { count: Math.round(most), from: `the most targets registered at once (HealthyHostCount ${healthy.stat}${u ? ' + UnHealthyHostCount' : ''})` };
  }

  let load: CloudWatchCalibration['load'] = null;
  const avgSeries = find(data, 'TargetResponseTime', 'Average');
  if (avgSeries) {
    const t = onGrid(avgSeries, data);
    const targets = containers?.count ?? 2;
    let busiest = 0;
    let sum = 0;
    for (const i of valid) {
      if (t[i] !== t[i]) continue;
      const inService = (counts[i]! / P) * t[i]!;
      busiest = Math.max(busiest, inService);
      sum += inService;
    }
    load = { busiestPerTarget: busiest / targets, meanPerTarget: sum / n / targets };
  }

  const elb5 = find(data, 'HTTPCode_ELB_5XX_Count', 'Sum');
  const t5 = find(data, 'HTTPCode_Target_5XX_Count', 'Sum');
  const per5min: CloudWatchCalibration['per5min'] = [];
  const window = (g: Float64Array, metric: string, aws: string) => {
    const f = countFigure(g, P, 300);
    const k = Math.max(1, Math.round(300 / P));
    let max = 0;
    for (let i = 0; i + k <= g.length; i += k) {
      let c = 0;
      for (let j = i; j < i + k; j++) c += g[j] === g[j] ? g[j]! : 0;
      max = Math.max(max, c);
    }
    per5min.push({ metric, aws, mean: f.value, sd: f.sd, max: (max * 300) / (k * P), windows: f.windows });
  };
  for (const [aws, metric] of [
    ['HTTPCode_ELB_502_Count', '502'],
    ['HTTPCode_ELB_503_Count', '503'],
    ['HTTPCode_ELB_504_Count', '504'],
    ['HTTPCode_Target_5XX_Count', "targets' 5xx"],
  ] as const) {
    const s = find(data, aws, 'Sum');
    if (s) window(onGrid(s, data), metric, aws);
  }
  if (elb5) {
    const g = onGrid(elb5, data);
    if (t5) {
      const t = onGrid(t5, data);
      for (let i = 0; i < g.length; i++) g[i] = g[i]! + t[i]!;
    }
    window(g, t5 ? '5xx' : "balancer's 5xx", t5 ? 'HTTPCode_ELB_5XX_Count + HTTPCode_Target_5XX_Count' : 'HTTPCode_ELB_5XX_Count');
  }

  const mean = (metric: string, stat: string) => {
    const s = find(data, metric, stat);
    return s ? levelFigure(onGrid(s, data)).value / 100 : NaN;
  };
  const peak = (metric: string) => {
    const s = find(data, metric, 'Maximum');
    return s && s.values.length > 0 ? Math.max(...s.values) / 100 : NaN;
  };

  const end = data.end + P;
  return {
    files: data.files,
    period: P,
    periodFrom: data.periodFrom,
    start: data.start,
    end,
    span: end - data.start,
    periods: n,
    series: data.series.map((s) => ({ metric: s.metric.name, stat: s.stat, points: s.times.length, identifiedBy: s.identifiedBy, sources: s.sources, partial: s.partial })),
    rate: {
      perMinute: meanPeriod * toMinute,
      ci95: ci,
      periodMin: sorted[0]! * toMinute,
      periodP50: sorted[Math.floor((n - 1) / 2)]! * toMinute,
      periodMax: sorted[n - 1]! * toMinute,
      dispersion: meanPeriod > 0 ? variance / meanPeriod : NaN,
      total,
      longestGapMinutes,
    },
    profile: end - data.start >= PROFILE_SPAN ? hourlyProfile(counts, P) : null,
    per5min,
    latency,
    quiet: { periods: valid.filter((i) => counts[i]! <= cut).length, atMostPerMinute: Number.isFinite(cut) ? cut * toMinute : sorted[n - 1]! * toMinute },
    service,
    containers,
    load,
    utilization: { cpu: mean('CPUUtilization', 'Average'), cpuMax: peak('CPUUtilization'), memory: mean('MemoryUtilization', 'Average'), memoryMax: peak('MemoryUtilization') },
    reading: cloudwatchObservations(data),
    warnings,
    unidentified: data.unidentified,
  };
}

/**
 * Hourly mean rates (per minute) from the export's start, a point at each hour's middle and at 0;
 * hours with half their periods. An export of several days (CloudWatch keeps 15 days of minutes)
 * averages each hour over the days it covers: the profile repeats every 24 h.
 */
function hourlyProfile(counts: Float64Array, period: number): { at: number; perMinute: number }[] {
  const hours = new Map<number, { count: number; seconds: number }>();
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] !== counts[i]) continue;
    const h = Math.floor((i * period) / 3600) % 24;
    const e = hours.get(h) ?? { count: 0, seconds: 0 };
    e.count += counts[i]!;
    e.seconds += period;
    hours.set(h, e);
  }
  const pts = [...hours.entries()]
    .sort((a, b) => a[0] - b[0])
    .filter(([, e]) => e.seconds >= 1800)
    .map(([h, e]) => ({ at: h * 3600 + 1800, perMinute: (e.count / e.seconds) * 60 }));
  if (pts.length === 0) return [];
  return [{ at: 0, perMinute: pts[0]!.perMinute }, ...pts];
}

const ms = (s: number) => `${+(s * 1000).toPrecision(3)} ms`;
