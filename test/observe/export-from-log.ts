// Test helper: a capsim run's ALB access log turned into the CloudWatch export the same traffic
// would have produced (per-minute RequestCount, HTTPCode_ELB_502/503/504/5XX_Count,
// HTTPCode_Target_5XX_Count, TargetResponseTime Average and p50/p95/p99, HealthyHostCount), as
// `aws cloudwatch get-metric-data` prints it: newest first, a count missing where it was 0.
import { readLogs } from '../../src/logs/read-logs.js';

export type TimeStyle = 'iso-z' | 'iso-offset' | 'epoch-s' | 'epoch-ms';

interface Minute {
  requests: number;
  s502: number;
  s503: number;
  s504: number;
  elb5xx: number;
  target5xx: number;
  times: number[];
  targets: Set<string>;
}

export interface ExportOptions {
  time?: TimeStyle;
  order?: 'newest' | 'oldest';
  /**
   * 'default': Labels that name the metric and statistic ("TargetResponseTime p99"); 'ids': Ids
   * and Labels m1, m2… (the queries name them); 'cli': Ids m1, m2… and the Label CloudWatch gives
   * a query without one, the metric's name alone (the queries say the statistic).
   */
  labels?: 'default' | 'ids' | 'cli';
}

function quantile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i]!;
}

function stamp(t: number, style: TimeStyle): string | number {
  if (style === 'epoch-s') return t;
  if (style === 'epoch-ms') return t * 1000;
  const s = new Date(t * 1000).toISOString().replace('.000Z', 'Z');
  return style === 'iso-offset' ? s.replace('Z', '+00:00') : s;
}

/** The export and, for labels 'ids', the MetricDataQueries that name each Id. */
export async function exportFromLog(log: string, o: ExportOptions = {}): Promise<{ data: object; queries: object[] }> {
  const minutes = new Map<number, Minute>();
  await readLogs([log], { format: 'alb' }, (r) => {
    const m = Math.floor(r.start / 60) * 60;
    let x = minutes.get(m);
    if (!x) minutes.set(m, (x = { requests: 0, s502: 0, s503: 0, s504: 0, elb5xx: 0, target5xx: 0, times: [], targets: new Set() }));
    x.requests++;
    const fromTarget = r.targetStatus > 0;
    if (r.status >= 500 && !fromTarget) x.elb5xx++;
    if (r.status >= 500 && fromTarget) x.target5xx++;
    if (!fromTarget && r.status === 502) x.s502++;
    if (!fromTarget && r.status === 503) x.s503++;
    if (!fromTarget && r.status === 504) x.s504++;
    if (r.targetTime === r.targetTime) x.times.push(r.targetTime);
    if (r.target) x.targets.add(r.target);
  });
  const keys = [...minutes.keys()].sort((a, b) => a - b).slice(1, -1); // whole minutes only
  if (o.order !== 'oldest') keys.reverse();
  const style = o.time ?? 'iso-offset';
  const series: [string, string, string, (m: Minute) => number | undefined][] = [
    ['RequestCount', 'Sum', 'requests', (m) => m.requests || undefined],
    ['HTTPCode_ELB_502_Count', 'Sum', 'elb502', (m) => m.s502 || undefined],
    ['HTTPCode_ELB_503_Count', 'Sum', 'elb503', (m) => m.s503 || undefined],
    ['HTTPCode_ELB_504_Count', 'Sum', 'elb504', (m) => m.s504 || undefined],
    ['HTTPCode_ELB_5XX_Count', 'Sum', 'elb5xx', (m) => m.elb5xx || undefined],
    ['HTTPCode_Target_5XX_Count', 'Sum', 'target5xx', (m) => m.target5xx || undefined],
    ['TargetResponseTime', 'Average', 'trtAvg', (m) => (m.times.length ? m.times.reduce((a, b) => a + b, 0) / m.times.length : undefined)],
    ['TargetResponseTime', 'p50', 'trtP50', (m) => (m.times.length ? quantile([...m.times].sort((a, b) => a - b), 0.5) : undefined)],
    ['TargetResponseTime', 'p95', 'trtP95', (m) => (m.times.length ? quantile([...m.times].sort((a, b) => a - b), 0.95) : undefined)],
    ['TargetResponseTime', 'p99', 'trtP99', (m) => (m.times.length ? quantile([...m.times].sort((a, b) => a - b), 0.99) : undefined)],
    ['HealthyHostCount', 'Average', 'healthy', (m) => m.targets.size || undefined],
  ];
  const results = series.map(([metric, stat, id, f], i) => {
    const ts: (string | number)[] = [];
    const vs: number[] = [];
    for (const k of keys) {
      const v = f(minutes.get(k)!);
      if (v === undefined) continue;
      ts.push(stamp(k, style));
      vs.push(v);
    }
    const label = o.labels === 'ids' ? `m${i + 1}` : o.labels === 'cli' || stat === 'Sum' || (metric === 'HealthyHostCount' && stat === 'Average') ? metric : `${metric} ${stat}`;
    return { Id: o.labels === 'ids' || o.labels === 'cli' ? `m${i + 1}` : id, Label: label, Timestamps: ts, Values: vs, StatusCode: 'Complete' };
  });
  const queries = series.map(([metric, stat], i) => ({
    Id: `m${i + 1}`,
    MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: metric, Dimensions: [{ Name: 'LoadBalancer', Value: 'app/capsim/0123456789abcdef' }] }, Period: 60, Stat: stat },
  }));
  return { data: { MetricDataResults: results, Messages: [] }, queries };
}
