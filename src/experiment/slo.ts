// Service-level objectives for `capsim size`: METRIC OP VALUE, such as
//   502/5min<=1   5xx/5min<=2   502-rate<=0.01%   5xx-rate<=1%   p99<=800ms   mean<0.2s
//   sigkills/h<=0   oom/h<=0   cpu<=80%   util<=70%   util-max<=95%
// Metrics are those of metrics.ts; OP is <= or <; a rate's VALUE is a percentage (0.01%) or a
// fraction (0.0001); a latency's VALUE is a duration with its unit (800ms, 1.5s).
import { parseDuration } from '../scenario/units.js';
import { ExperimentInputError } from './errors.js';
import { estimate, metricName, metricUnit, parseMetricName, METRIC_FORMS, type Estimate, type MetricSpec } from './metrics.js';
import type { ReplicationResult } from './replication.js';
import { normalCdf } from '../stats/distributions.js';

export interface Slo {
  /** As typed, whitespace removed: "p99<=800ms". */
  text: string;
  metric: MetricSpec;
  op: '<=' | '<';
  /** In the metric's units: per 5 min, a fraction, or ms. */
  threshold: number;
  /** One of the implicit guards (GUARDS), not asked for by the user. */
  guard?: boolean;
}

const SLO_FORM = `METRIC<=VALUE with METRIC one of ${METRIC_FORMS}, such as 502/5min<=1, 502-rate<=0.01% or p99<=800ms`;

export function parseSlo(input: string): Slo {
  const text = input.replace(/\s+/g, '');
  const bad = (problem: string): never => {
    throw new ExperimentInputError(`--slo ${input}: ${problem}; expected ${SLO_FORM}`);
  };
  const m = /^([^<>=]*)([<>=]+)(.*)$/.exec(text);
  if (!m) return bad('no comparison (<= or <)');
  const [, name, op, value] = m as unknown as [string, string, string, string];
  if (name === '') bad('no metric before the comparison');
  if (op !== '<=' && op !== '<') bad(`"${op}": an SLO is an upper limit, written with <= or <`);
  const metric = parseMetricName(name);
  if (!metric) return bad(`unknown metric "${name}"`);
  if (value === '') bad('no value after the comparison');
  let threshold: number;
  if (metric.kind === 'latency') {
    if (/^[\d.]+$/.test(value)) bad(`"${value}" has no unit; write a duration such as 800ms or 1.5s`);
    try {
      threshold = parseDuration(value) * 1000;
    } catch {
      return bad(`"${value}" is not a duration such as 800ms or 1.5s`);
    }
  } else if (metric.kind === 'rate' || metric.kind === 'cpu' || metric.kind === 'util' || metric.kind === 'memory') {
    const pm = /^(\d+(?:\.\d*)?|\.\d+)(%?)$/.exec(value);
    if (!pm) return bad(`"${value}" is not a rate such as 0.01% or 0.0001`);
    threshold = Number(pm[1]) / (pm[2] === '%' ? 100 : 1);
    if (threshold > 1) bad(`"${value}" is above 100%`);
  } else {
    const what = metric.kind === 'kills' ? 'a number of kills per hour such as 0 or 0.5' : metric.kind === 'per5min' || metric.kind === 'conn-errors' ? 'a number of requests per 5 minutes such as 1 or 0.5' : `a number (${metricUnit(metric)})`;
    if (!/^(\d+(?:\.\d*)?|\.\d+)$/.test(value)) return bad(`"${value}" is not ${what}`);
    threshold = Number(value);
  }
  if (!(threshold >= 0) || !Number.isFinite(threshold)) bad(`"${value}" is not a limit >= 0`);
  return { text: `${metricName(metric)}${op}${value}`, metric, op: op as '<=' | '<', threshold };
}

/**
 * The guards every `capsim size` applies on top of the user's SLOs, so that an answer never
 * rewards overload: a point that fails more than 1% of its requests (503s and 504s of a fleet that
 * sheds load included), that runs its vCPUs above 90% busy, whose worker processes are more than
 * 80% busy on average, or whose workers the OOM killer kills, does not meet. An explicit SLO on the
 * same metric replaces its guard.
 *
 * util<=80%: the processes are the fleet's servers (c of them per container share one accept
 * queue). At utilization ρ a fleet has at most 1/ρ − 1 more traffic before they saturate (+25% at
 * 80%), and Erlang C's mean wait, ∝ C(c, ρ)/(1 − ρ), has its knee there: from 80% to 90% it grows
 * 2.2× to 3.1× for c = 1 to 8 (docs/experiments.md, "The utilization guard"). On the mean, not the
 * busiest: under uWSGI's favourite accept order the lowest-numbered worker takes every request it
 * can, so it is near 100% busy at any load while the others absorb the rest.
 */
export const GUARDS = ['5xx-rate<=1%', 'cpu<=90%', 'util<=80%', 'oom/h<=0'] as const;

/** The guards not overridden by one of `slos` (same metric), parsed. */
export function implicitGuards(slos: readonly Slo[]): Slo[] {
  const given = new Set(slos.map((s) => metricName(s.metric)));
  return GUARDS.map((g) => ({ ...parseSlo(g), guard: true })).filter((g) => !given.has(metricName(g.metric)));
}

export interface SloVerdict {
  slo: string;
  estimate: Estimate;
  /** The estimate (mean) is within the limit. */
  meets: boolean;
  /** The whole 95% interval is on the same side of the limit as the mean. */
  certain: boolean;
  /**
   * Rough probability that the true value is within the limit: a normal approximation whose
   * standard error is the half of the interval that faces the limit divided by 1.96.
   */
  pMeets: number;
}

function within(x: number, s: Slo): boolean {
  return s.op === '<=' ? x <= s.threshold : x < s.threshold;
}

export function judge(s: Slo, reps: readonly ReplicationResult[], seconds: number): SloVerdict {
  const e = estimate(s.metric, reps, seconds);
  if (!Number.isFinite(e.mean)) {
    // Nothing measured (no successful request to take a latency from): not met, and certainly so.
    return { slo: s.text, estimate: e, meets: false, certain: true, pMeets: 0 };
  }
  const meets = within(e.mean, s);
  // "None at all" (a limit of 0, such as the oom/h<=0 guard): no interval can rule out a rare
  // event, so a point that shows none is taken to meet it, and one that shows any to fail it.
  if (s.threshold === 0 && s.op === '<=' && s.metric.kind !== 'latency') return { slo: s.text, estimate: e, meets, certain: true, pMeets: meets ? 1 : 0 };
  const certain = meets ? within(e.hi, s) : !within(e.lo, s);
  const side = s.threshold >= e.mean ? e.hi - e.mean : e.mean - e.lo;
  const se = side / 1.959964;
  const pMeets = se > 0 ? normalCdf((s.threshold - e.mean) / se) : meets ? 1 : 0;
  return { slo: s.text, estimate: e, meets, certain, pMeets };
}
