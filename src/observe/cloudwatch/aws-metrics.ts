// The CloudWatch metrics capsim reads, as AWS documents them: namespace AWS/ApplicationELB
// ("CloudWatch metrics for your Application Load Balancer": counts are sent every 60 s and only
// while requests flow, their statistic is Sum) and AWS/ECS (CPUUtilization, MemoryUtilization per
// service: % of the task definition's reservation, Average across tasks, Maximum the busiest task).

/** count: a Sum per period, a missing period is zero; gauge: a level, a missing period is unknown. */
export type MetricNature = 'count' | 'gauge';

export interface AwsMetric {
  name: string;
  nature: MetricNature;
  /** The statistic assumed when nothing says which (the CLI's default label names none). */
  defaultStat: string;
  /** What it is, in a few words, for notes. */
  what: string;
}

export const AWS_METRICS: readonly AwsMetric[] = [
  { name: 'RequestCount', nature: 'count', defaultStat: 'Sum', what: 'requests the balancer received' },
  { name: 'HTTPCode_ELB_500_Count', nature: 'count', defaultStat: 'Sum', what: "the balancer's own 500s" },
  { name: 'HTTPCode_ELB_502_Count', nature: 'count', defaultStat: 'Sum', what: "the balancer's 502s" },
  { name: 'HTTPCode_ELB_503_Count', nature: 'count', defaultStat: 'Sum', what: "the balancer's 503s" },
  { name: 'HTTPCode_ELB_504_Count', nature: 'count', defaultStat: 'Sum', what: "the balancer's 504s" },
  { name: 'HTTPCode_ELB_5XX_Count', nature: 'count', defaultStat: 'Sum', what: "the balancer's 5xx (not the targets')" },
  { name: 'HTTPCode_Target_5XX_Count', nature: 'count', defaultStat: 'Sum', what: "the targets' own 5xx" },
  { name: 'TargetConnectionErrorCount', nature: 'count', defaultStat: 'Sum', what: 'connections to a target not established' },
  { name: 'TargetResponseTime', nature: 'gauge', defaultStat: 'Average', what: 'seconds from sending the request to the target until its response headers' },
  { name: 'HealthyHostCount', nature: 'gauge', defaultStat: 'Average', what: 'targets healthy' },
  { name: 'UnHealthyHostCount', nature: 'gauge', defaultStat: 'Average', what: 'targets unhealthy' },
  { name: 'CPUUtilization', nature: 'gauge', defaultStat: 'Average', what: "ECS tasks' CPU, % of the reservation" },
  { name: 'MemoryUtilization', nature: 'gauge', defaultStat: 'Average', what: "ECS tasks' memory, % of the reservation" },
];

const BY_KEY = new Map(AWS_METRICS.map((m) => [key(m.name), m]));

/** Letters and digits only, lower case: "HTTPCode_ELB_502_Count" and "httpcode-elb-502-count" meet. */
export function key(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function awsMetric(name: string): AwsMetric | undefined {
  return BY_KEY.get(key(name));
}

/**
 * The known metric named inside a label or an Id ("HTTPCode_ELB_502_Count",
 * "app/my-alb/50dc… TargetResponseTime p99", "trt_TargetResponseTime_p99"): the longest name
 * found (UnHealthyHostCount holds HealthyHostCount), or undefined.
 */
export function metricIn(text: string): AwsMetric | undefined {
  const k = key(text);
  let best: AwsMetric | undefined;
  for (const m of AWS_METRICS) if (k.includes(key(m.name)) && (!best || m.name.length > best.name.length)) best = m;
  return best;
}

const STAT_WORDS: Record<string, string> = {
  sum: 'Sum',
  average: 'Average',
  avg: 'Average',
  mean: 'Average',
  minimum: 'Minimum',
  min: 'Minimum',
  maximum: 'Maximum',
  max: 'Maximum',
  samplecount: 'SampleCount',
};

/** A statistic as CloudWatch names it ("Sum", "p99", "p99.9"), from a user's spelling; undefined if none. */
export function statName(text: string): string | undefined {
  const t = text.trim().toLowerCase();
  if (STAT_WORDS[t]) return STAT_WORDS[t];
  const p = /^p(\d{1,2}(?:[._]\d+)?|100)$/.exec(t);
  return p ? `p${p[1]!.replace('_', '.')}` : undefined;
}

/** The statistic word inside a label or an Id, outside the metric's own name; undefined if none. */
export function statIn(text: string, metric: AwsMetric): string | undefined {
  // Remove the metric's name (in any spelling: letters with optional separators between them).
  const pattern = new RegExp(metric.name.replace(/[^A-Za-z0-9]/g, '').split('').join('[^A-Za-z0-9]?'), 'i');
  const rest = text.replace(pattern, ' ');
  const found = new Set<string>();
  for (const w of rest.split(/[^A-Za-z0-9.]+|(?<=[a-z])(?=[A-Z])/)) {
    const s = statName(w.replace(/\.$/, ''));
    if (s) found.add(s);
  }
  return found.size === 1 ? [...found][0] : undefined;
}
