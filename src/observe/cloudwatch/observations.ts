// What a CloudWatch export says about the figures capsim computes: one Observation per metric
// capsim can compare (src/experiment/metrics.ts), its value over the export's span and the
// figure's own uncertainty, and for every series not used, why.
//
// Counts (Sum): the mean per 5 minutes (or per minute for the request rate) over the span, a
// missing period being zero (CloudWatch sends the ALB's counts only while requests flow). Its sd
// comes from the spread of the span's 5-minute windows: over-dispersed Poisson (the windows'
// variance when it exceeds their mean, their mean otherwise), never below Poisson, and never
// below one count over the span (a count of 0 does not prove a rate of 0).
// Levels (Average, percentiles, Maximum): the mean of the periods' values (weighted by the
// period's requests for latency, when RequestCount is there), with the standard error over periods.
import type { MetricSpec } from '../../experiment/metrics.js';
import { metricName, parseMetricName } from '../../experiment/metrics.js';
import type { Observation } from '../observation.js';
import { find, onGrid, type CloudWatchData, type Series } from './series.js';

export interface CloudWatchObservation {
  observation: Observation;
  /** For people: where it came from and what it approximates. */
  note: string;
}

export interface CloudWatchReading {
  observations: CloudWatchObservation[];
  /** Series read but not turned into an observation, each with the reason. */
  unused: string[];
}

const SECONDS_5MIN = 300;
/** The least sd of a level, as a share of it, when every period had the same value. */
const LEVEL_SD_FLOOR = 0.01;

export interface CountFigure {
  value: number;
  sd: number;
  total: number;
  /** Seconds of export the figure covers (periods with data). */
  seconds: number;
  windows: number;
  windowSeconds: number;
  /** The windows' variance over their mean (1 for Poisson). */
  dispersion: number;
}

/** A count series (on the grid, NaN = not covered) as a mean per `unit` seconds, with its sd. */
export function countFigure(grid: Float64Array, period: number, unit: number): CountFigure {
  let total = 0;
  let covered = 0;
  for (const v of grid) {
    if (v === v) {
      total += v;
      covered++;
    }
  }
  const seconds = covered * period;
  const k = Math.max(1, Math.round(unit / period));
  const win: number[] = [];
  for (let i = 0; i + k <= grid.length; i += k) {
    let c = 0;
    let ok = true;
    for (let j = i; j < i + k; j++) {
      if (grid[j] !== grid[j]) ok = false;
      else c += grid[j]!;
    }
    if (ok) win.push(c);
  }
  const W = k * period;
  const value = seconds > 0 ? (total / seconds) * unit : NaN;
  const floor = seconds > 0 ? (Math.sqrt(Math.max(1, total)) / seconds) * unit : NaN;
  if (win.length < 2) return { value, sd: floor, total, seconds, windows: win.length, windowSeconds: W, dispersion: NaN };
  const mean = win.reduce((a, b) => a + b, 0) / win.length;
  const variance = win.reduce((a, c) => a + (c - mean) ** 2, 0) / (win.length - 1);
  const sd = (Math.sqrt(Math.max(variance, mean) / win.length) * unit) / W;
  return { value, sd: Math.max(sd, floor), total, seconds, windows: win.length, windowSeconds: W, dispersion: mean > 0 ? variance / mean : NaN };
}

/** A level's mean over the periods that have it (weighted when weights are given), with its standard error. */
export function levelFigure(grid: Float64Array, weights?: Float64Array): { value: number; sd: number; periods: number; floored: boolean } {
  let sw = 0;
  let swx = 0;
  let n = 0;
  for (let i = 0; i < grid.length; i++) {
    const v = grid[i]!;
    if (v !== v) continue;
    const w = weights && weights[i] === weights[i] ? weights[i]! : weights ? 0 : 1;
    if (w <= 0) continue;
    sw += w;
    swx += w * v;
    n++;
  }
  if (n === 0) return { value: NaN, sd: NaN, periods: 0, floored: false };
  const mean = swx / sw;
  let sv = 0;
  for (let i = 0; i < grid.length; i++) {
    const v = grid[i]!;
    if (v !== v) continue;
    const w = weights && weights[i] === weights[i] ? weights[i]! : weights ? 0 : 1;
    if (w > 0) sv += w * (v - mean) ** 2;
  }
  const sd = n > 1 ? Math.sqrt(((sv / sw) * n) / (n - 1) / n) : NaN;
  const floor = Math.abs(mean) * LEVEL_SD_FLOOR;
  return { value: mean, sd: Number.isFinite(sd) && sd >= floor ? sd : floor, periods: n, floored: !(Number.isFinite(sd) && sd >= floor) };
}

const LATENCY: Record<string, string> = { Average: 'mean', p50: 'p50', p95: 'p95', p99: 'p99' };

export function cloudwatchObservations(data: CloudWatchData): CloudWatchReading {
  const out: CloudWatchObservation[] = [];
  const unused: string[] = [];
  const used = new Set<Series>();
  const span = data.slots * data.period;
  const add = (s: Series | Series[], metric: string, form: Observation['form'], window: number, note: string) => {
    const list = Array.isArray(s) ? s : [s];
    for (const x of list) used.add(x);
    const spec = parseMetricName(metric) as MetricSpec;
    const stat = list.map((x) => `${x.metric.name} (${x.stat})`).join(' + ');
    out.push({
      observation: {
        name: `${metricName(spec)} from CloudWatch ${stat}`,
        source: list.flatMap((x) => x.sources).join(', '),
        metric: spec,
        form,
        set: {},
        window,
        discrepancy: 0,
      },
      note,
    });
  };
  const count = (s: Series, unit: number) => countFigure(onGrid(s, data), data.period, unit);
  const countNote = (f: CountFigure, per: string) =>
    `${+f.total.toPrecision(6)} over ${Math.round(f.seconds / 60)} minutes (a period without a data point counted as 0, as CloudWatch sends counts only while requests flow); sd from ${f.windows} windows of ${f.windowSeconds / 60} min${Number.isFinite(f.dispersion) ? `, variance/mean ${f.dispersion.toFixed(2)} (1 for Poisson)` : ''}, never below Poisson; ${per}`;

  const requests = find(data, 'RequestCount', 'Sum');
  if (requests) {
    const f = count(requests, 60);
    add(requests, 'requests/min', { kind: 'value', value: f.value, sd: f.sd }, f.seconds, countNote(f, 'requests the balancer received per minute'));
  }
  for (const [aws, metric, what] of [
    ['HTTPCode_ELB_502_Count', '502/5min', "the balancer's 502s"],
    ['HTTPCode_ELB_503_Count', '503/5min', "the balancer's 503s"],
    ['HTTPCode_ELB_504_Count', '504/5min', "the balancer's 504s"],
    ['HTTPCode_Target_5XX_Count', '500/5min', "the targets' own 5xx; capsim's 500s are the app's (a pool timeout, MySQL max_connections): a proxy inside the task answering 502-504 would count here too"],
    ['TargetConnectionErrorCount', 'conn-errors/5min', "connections to a target not established; capsim's causes backlog-overflow, connect-timeout and connect-failed"],
  ] as const) {
    const s = find(data, aws, 'Sum');
    if (!s) continue;
    const f = count(s, SECONDS_5MIN);
    add(s, metric, { kind: 'value', value: f.value, sd: f.sd }, f.seconds, countNote(f, what));
  }
  const elb5xx = find(data, 'HTTPCode_ELB_5XX_Count', 'Sum');
  const target5xx = find(data, 'HTTPCode_Target_5XX_Count', 'Sum');
  if (elb5xx) {
    const g = onGrid(elb5xx, data);
    if (target5xx) {
      const t = onGrid(target5xx, data);
      for (let i = 0; i < g.length; i++) g[i] = g[i]! + t[i]!;
    }
    const f = countFigure(g, data.period, SECONDS_5MIN);
    if (target5xx) {
      add([elb5xx, target5xx], '5xx/5min', { kind: 'value', value: f.value, sd: f.sd }, f.seconds, countNote(f, "the balancer's 5xx and the targets' 5xx together, as capsim counts 500, 502, 503 and 504"));
    } else {
      add(elb5xx, '5xx/5min', { kind: 'at-least', bound: f.value, sd: f.sd }, f.seconds, countNote(f, "the balancer's 5xx only (HTTPCode_Target_5XX_Count is not in the export): capsim's 5xx, which count the app's 500s too, are at least this"));
    }
  }
  const elb500 = find(data, 'HTTPCode_ELB_500_Count', 'Sum');
  if (elb500) unused.push(`${elb500.sources.join(', ')}: HTTPCode_ELB_500_Count: the balancer's own 500s (${count(elb500, SECONDS_5MIN).value.toPrecision(3)} per 5 min): capsim models no 500 from the balancer itself`);

  // Latency: the target's processing time, which capsim's latency approximates.
  const weights = requests ? onGrid(requests, data) : undefined;
  for (const s of data.series.filter((x) => x.metric.name === 'TargetResponseTime')) {
    const metric = LATENCY[s.stat];
    if (!metric) continue;
    const f = levelFigure(onGrid(s, data), weights);
    if (!(f.periods > 0)) continue;
    const mean = s.stat === 'Average';
    add(s, metric, { kind: 'value', value: f.value * 1000, sd: f.sd * 1000 }, span,
      `${mean ? 'the mean' : `the ${s.stat}`} of TargetResponseTime over ${f.periods} periods${weights ? ', weighted by their requests' : ''}${mean ? '' : ` (the mean of the periods' ${s.stat}s: CloudWatch keeps no ${s.stat} over the whole span)`}; sd the standard error over periods${f.floored ? ` (at least ${LEVEL_SD_FLOOR * 100}% of the value)` : ''}. ` +
        "TargetResponseTime runs from sending the request to the target until its response headers, for every response a target gave (any status): capsim's latency is of 2xx responses, from the balancer's arrival, with the same network and accept-queue wait, so it approximates it");
  }
  const level = (aws: string, stat: string, metric: string, scale: number, what: string) => {
    const s = find(data, aws, stat);
    if (!s) return;
    const f = levelFigure(onGrid(s, data));
    if (!(f.periods > 0)) return;
    add(s, metric, { kind: 'value', value: f.value * scale, sd: f.sd * scale }, span, `the mean over ${f.periods} periods${f.floored ? ` (sd at least ${LEVEL_SD_FLOOR * 100}% of the value)` : ''}: ${what}`);
  };
  level('HealthyHostCount', 'Average', 'healthy-hosts', 1, "targets the balancer's health checks passed; capsim's: the containers less the time targets spent failing them");
  level('UnHealthyHostCount', 'Average', 'unhealthy-hosts', 1, "targets failing the balancer's health checks");
  level('CPUUtilization', 'Average', 'cpu', 0.01, "ECS tasks' CPU as a share of their reservation, averaged over tasks; capsim's cpu is the busy share of the containers' vCPUs");
  level('MemoryUtilization', 'Average', 'memory', 0.01, "ECS tasks' memory as a share of their reservation, averaged over tasks; capsim's memory is the time-average over tasks of their use over the limit");
  const memMax = find(data, 'MemoryUtilization', 'Maximum');
  if (memMax) {
    const g = onGrid(memMax, data);
    const values = [...g].filter((v) => v === v);
    if (values.length > 0) {
      const peak = Math.max(...values);
      const spread = levelFigure(g).sd * Math.sqrt(values.length);
      const sd = Math.max(Number.isFinite(spread) ? spread : 0, peak * LEVEL_SD_FLOOR);
      add(memMax, 'memory-max', { kind: 'value', value: peak / 100, sd: sd / 100 }, span,
        `the highest MemoryUtilization Maximum over ${values.length} periods (the busiest task); sd the spread of the periods' maxima; capsim's memory-max is the highest any task reached`);
    }
  }
  for (const s of data.series) {
    if (used.has(s) || s === elb500) continue;
    const why =
      s.times.length === 0 && s.metric.nature !== 'count'
        ? 'no data points'
        : s.metric.nature === 'count' && s.stat !== 'Sum'
          ? `capsim reads counts from their Sum statistic, not ${s.stat}`
          : s.metric.name === 'TargetResponseTime'
            ? `capsim's latency metrics are the mean, p50, p95 and p99 (a ${s.stat} over a span is not the mean of the periods' ${s.stat}s)`
            : s.metric.name === 'CPUUtilization' && s.stat === 'Maximum'
              ? 'capsim does not report the busiest task\'s CPU (cpu is the mean over tasks)'
              : `capsim reads ${s.metric.name} as ${s.metric.name === 'MemoryUtilization' ? 'Average and Maximum' : 'Average'}`;
    unused.push(`${s.sources.join(', ')}: ${s.metric.name} (${s.stat}): ${why}`);
  }
  return { observations: out, unused };
}
