// The figures that --metric (precision), --slo (sizing) and the sweep's columns speak about,
// computed from replication results with their 95% intervals:
//   S/5min   S in 500, 502, 503, 504, 5xx: requests failed with that status per 5 simulated minutes
//   S-rate   the same as a fraction of the requests that arrived
//   p50, p95, p99, mean, max: latency of successful (2xx) requests, ms
//   sigkills/h, oom/h   SIGKILLs of workers (all, or by the OOM killer) per simulated hour
//   cpu                 the busy fraction of the containers' vCPUs
//   memory              the tasks' mean memory use as a fraction of their limit
// Counts use summarizeCounts (exact Poisson interval for rare totals, Student t otherwise); a
// rate is the count's estimate divided by the mean number of requests (which, at thousands of
// requests per replication, varies by well under 1% between replications); latencies use a
// Student-t interval over the replications' values.
import { KILL_REASONS, STATUSES } from '../model/outcome.js';
import { meanCI, summarizeCounts } from '../stats/intervals.js';
import type { ReplicationResult } from './replication.js';

export type CountStatus = '500' | '502' | '503' | '504' | '5xx';
export type LatencyStat = 'p50' | 'p95' | 'p99' | 'mean' | 'max';

export type MetricSpec =
  | { kind: 'per5min'; status: CountStatus }
  | { kind: 'rate'; status: CountStatus }
  | { kind: 'latency'; stat: LatencyStat }
  | { kind: 'kills'; reason: 'total' | 'oom' }
  | { kind: 'cpu' }
  | { kind: 'memory' };

export interface Estimate {
  /** NaN when nothing could be measured (no successful request for a latency). */
  mean: number;
  lo: number;
  hi: number;
  /** 'poisson' | 'student-t' for counts and rates; 'student-t' for latencies. */
  method: 'poisson' | 'student-t';
}

export const METRIC_FORMS = '502/5min, 5xx/5min, 502-rate, 5xx-rate, p50, p95, p99, mean, max (also 500, 503, 504), sigkills/h, oom/h, cpu or memory';
const STATUS_NAMES: readonly CountStatus[] = ['500', '502', '503', '504', '5xx'];
const LATENCY_NAMES: readonly LatencyStat[] = ['p50', 'p95', 'p99', 'mean', 'max'];

/** Read a metric name such as "502/5min"; undefined when it is none. */
export function parseMetricName(text: string): MetricSpec | undefined {
  const t = text.trim().toLowerCase();
  let m = /^(500|502|503|504|5xx)\s*\/\s*5\s*min$/.exec(t);
  if (m) return { kind: 'per5min', status: m[1] as CountStatus };
  m = /^(500|502|503|504|5xx)[-_ ]rate$/.exec(t);
  if (m) return { kind: 'rate', status: m[1] as CountStatus };
  if ((LATENCY_NAMES as readonly string[]).includes(t)) return { kind: 'latency', stat: t as LatencyStat };
  m = /^(sigkills|oom)\s*\/\s*h$/.exec(t);
  if (m) return { kind: 'kills', reason: m[1] === 'oom' ? 'oom' : 'total' };
  if (t === 'cpu') return { kind: 'cpu' };
  if (t === 'memory') return { kind: 'memory' };
  return undefined;
}

export function metricName(m: MetricSpec): string {
  switch (m.kind) {
    case 'per5min':
      return `${m.status}/5min`;
    case 'rate':
      return `${m.status}-rate`;
    case 'latency':
      return m.stat;
    case 'kills':
      return m.reason === 'oom' ? 'oom/h' : 'sigkills/h';
    case 'cpu':
      return 'cpu';
    case 'memory':
      return 'memory';
  }
}

/** Unit for people: "per 5 min", "of requests", "ms". */
export function metricUnit(m: MetricSpec): string {
  return m.kind === 'per5min' ? 'per 5 min' : m.kind === 'rate' ? 'of requests' : m.kind === 'cpu' ? 'of the vCPUs' : m.kind === 'memory' ? 'of the memory limit' : m.kind === 'kills' ? 'per hour' : 'ms';
}

export { STATUS_NAMES as COUNT_STATUSES };

function statusCount(r: ReplicationResult, status: CountStatus): number {
  if (status === '5xx') return r.status[1]! + r.status[2]! + r.status[3]! + r.status[4]!;
  return r.status[STATUSES.indexOf(status)]!;
}

function counts(values: number[], scale: number): Estimate {
  const s = summarizeCounts(values);
  return { mean: s.mean * scale, lo: s.ci95[0] * scale, hi: s.ci95[1] * scale, method: s.method };
}

/** The metric's estimate over replications of `seconds` each. */
export function estimate(m: MetricSpec, reps: readonly ReplicationResult[], seconds: number): Estimate {
  if (reps.length === 0) return { mean: NaN, lo: NaN, hi: NaN, method: 'student-t' };
  switch (m.kind) {
    case 'per5min':
      return counts(reps.map((r) => statusCount(r, m.status)), 300 / seconds);
    case 'rate': {
      const requests = reps.reduce((a, r) => a + r.arrivals, 0) / reps.length;
      const c = counts(reps.map((r) => statusCount(r, m.status)), requests > 0 ? 1 / requests : NaN);
      return { ...c, hi: Math.min(1, c.hi) }; // a share of the requests: never above all of them
    }
    case 'kills': {
      const oom = KILL_REASONS.indexOf('oom');
      return counts(reps.map((r) => (m.reason === 'oom' ? r.sigkills[oom]! : r.sigkills.reduce((a, b) => a + b, 0))), 3600 / seconds);
    }
    case 'cpu': {
      const s = meanCI(reps.map((r) => r.utilization.cpu));
      return { mean: s.mean, lo: Math.max(0, s.ci95[0]), hi: s.ci95[1], method: 'student-t' };
    }
    case 'memory': {
      const v = reps.map((r) => r.utilization.memory).filter(Number.isFinite);
      if (v.length === 0) return { mean: NaN, lo: NaN, hi: NaN, method: 'student-t' };
      const s = meanCI(v);
      return { mean: s.mean, lo: Math.max(0, s.ci95[0]), hi: Math.min(1, s.ci95[1]), method: 'student-t' };
    }
    case 'latency': {
      const v = reps.map((r) => r.latencyMs[m.stat]).filter(Number.isFinite);
      if (v.length === 0) return { mean: NaN, lo: NaN, hi: NaN, method: 'student-t' };
      const s = meanCI(v);
      return { mean: s.mean, lo: s.ci95[0], hi: s.ci95[1], method: 'student-t' };
    }
  }
}
