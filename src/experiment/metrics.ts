// The figures that --metric (precision), --slo (sizing) and the sweep's columns speak about,
// computed from replication results with their 95% intervals:
//   S/5min   S in 500, 502, 503, 504, 5xx: requests failed with that status per 5 simulated minutes
//   S-rate   the same as a fraction of the requests that arrived
//   p50, p95, p99, mean, max: latency of successful (2xx) requests, ms
//   sigkills/h, oom/h   SIGKILLs of workers (all, or by the OOM killer) per simulated hour
//   cpu                 the busy fraction of the containers' vCPUs
//   util, util-max      the busy fraction of the worker processes (each one's Python thread or all
//                       its contexts taken): the mean over the fleet's processes, the busiest one
//   memory, memory-max  tasks' memory use as a fraction of their limit: the time-average over
//                       tasks (ECS MemoryUtilization Average), and the highest any task reached
//   requests/min        requests that arrived per simulated minute
//   healthy-hosts, unhealthy-hosts   targets in / out of service (failed health checks), time-averaged
//   conn-errors/5min    requests whose connection to a target was never established (causes
//                       backlog-overflow, connect-timeout, connect-failed) per 5 simulated minutes
// Counts use summarizeCounts (exact Poisson interval for rare totals, Student t otherwise); a
// rate is the count's estimate divided by the mean number of requests (which, at thousands of
// requests per replication, varies by well under 1% between replications); latencies,
// utilizations and host counts use a Student-t interval over the replications' values, bounded
// to what the quantity can be (stats/intervals.ts: quantityCI).
import { CAUSES, KILL_REASONS, STATUSES } from '../model/outcome.js';
import { quantityCI, summarizeCounts, type Quantity } from '../stats/intervals.js';
import type { ReplicationResult } from './replication.js';

export type CountStatus = '500' | '502' | '503' | '504' | '5xx';
export type LatencyStat = 'p50' | 'p95' | 'p99' | 'mean' | 'max';

export type MetricSpec =
  | { kind: 'per5min'; status: CountStatus }
  | { kind: 'rate'; status: CountStatus }
  | { kind: 'latency'; stat: LatencyStat }
  | { kind: 'kills'; reason: 'total' | 'oom' }
  | { kind: 'cpu' }
  | { kind: 'util'; of: 'mean' | 'max' }
  | { kind: 'memory'; stat: 'mean' | 'max' }
  | { kind: 'requests' }
  | { kind: 'hosts'; healthy: boolean }
  | { kind: 'conn-errors' };

export interface Estimate {
  /** NaN when nothing could be measured (no successful request for a latency). */
  mean: number;
  lo: number;
  hi: number;
  /** 'poisson' | 'student-t' for counts and rates; 'student-t' for latencies. */
  method: 'poisson' | 'student-t';
}

export const METRIC_FORMS =
  '502/5min, 5xx/5min, 502-rate, 5xx-rate, p50, p95, p99, mean, max (also 500, 503, 504), sigkills/h, oom/h, cpu, util, util-max, memory, memory-max, requests/min, healthy-hosts, unhealthy-hosts or conn-errors/5min';
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
  if (t === 'util') return { kind: 'util', of: 'mean' };
  if (t === 'util-max') return { kind: 'util', of: 'max' };
  if (t === 'memory' || t === 'memory-max') return { kind: 'memory', stat: t === 'memory' ? 'mean' : 'max' };
  if (/^requests\s*\/\s*min$/.test(t)) return { kind: 'requests' };
  if (t === 'healthy-hosts' || t === 'unhealthy-hosts') return { kind: 'hosts', healthy: t === 'healthy-hosts' };
  if (/^conn-errors\s*\/\s*5\s*min$/.test(t)) return { kind: 'conn-errors' };
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
    case 'util':
      return m.of === 'max' ? 'util-max' : 'util';
    case 'memory':
      return m.stat === 'mean' ? 'memory' : 'memory-max';
    case 'requests':
      return 'requests/min';
    case 'hosts':
      return m.healthy ? 'healthy-hosts' : 'unhealthy-hosts';
    case 'conn-errors':
      return 'conn-errors/5min';
  }
}

/** Unit for people: "per 5 min", "of requests", "ms". */
export function metricUnit(m: MetricSpec): string {
  switch (m.kind) {
    case 'util':
      return m.of === 'max' ? 'of the busiest worker process' : 'of the worker processes (mean)';
    case 'per5min':
    case 'conn-errors':
      return 'per 5 min';
    case 'rate':
      return 'of requests';
    case 'cpu':
      return 'of the vCPUs';
    case 'memory':
      return 'of the memory limit';
    case 'kills':
      return 'per hour';
    case 'requests':
      return 'per min';
    case 'hosts':
      return 'targets';
    case 'latency':
      return 'ms';
  }
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

/** Causes of a connection to a target that was never established (CloudWatch TargetConnectionErrorCount). */
export const CONNECTION_ERROR_CAUSES: readonly string[] = ['backlog-overflow', 'connect-timeout', 'connect-failed'];
const CONNECTION_ERROR_INDEXES = CAUSES.flatMap((c, i) => (CONNECTION_ERROR_CAUSES.includes(c.name) ? [i] : []));

/** A per-replication figure's mean and bounded Student-t interval (NaNs: nothing measured, left out). */
function perReplication(values: number[], q: Quantity): Estimate {
  const v = values.filter(Number.isFinite);
  if (v.length === 0) return { mean: NaN, lo: NaN, hi: NaN, method: 'student-t' };
  const s = quantityCI(v, q);
  return { mean: s.mean, lo: s.ci95[0], hi: s.ci95[1], method: 'student-t' };
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
    case 'cpu':
      return perReplication(reps.map((r) => r.utilization.cpu), 'fraction');
    case 'util':
      return perReplication(reps.map((r) => (m.of === 'max' ? r.utilization.processBusiest : r.utilization.process) ?? NaN), 'fraction');
    case 'memory':
      return perReplication(reps.map((r) => (m.stat === 'mean' ? r.utilization.memory : r.mechanisms.memoryPeak)), 'fraction');
    case 'requests':
      return counts(reps.map((r) => r.arrivals), 60 / seconds);
    case 'conn-errors':
      return counts(reps.map((r) => CONNECTION_ERROR_INDEXES.reduce((a, i) => a + (r.cause[i] ?? 0), 0)), 300 / seconds);
    case 'hosts': {
      // Targets out of service, time-averaged: the health checks' unhealthy seconds over the window.
      const v = reps.map((r) => (m.healthy ? r.containers - r.mechanisms.unhealthySeconds / seconds : r.mechanisms.unhealthySeconds / seconds));
      const e = perReplication(v, 'nonnegative');
      const top = Math.max(...reps.map((r) => r.containers));
      return { ...e, hi: Math.min(top, e.hi) };
    }
    case 'latency':
      return perReplication(reps.map((r) => r.latencyMs[m.stat]), 'nonnegative');
  }
}
