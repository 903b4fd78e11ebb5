// Implausibility (Vernon, Goldstein & Bower 2010; Andrianakis et al. 2015): how many standard
// deviations a point's prediction is from what was observed, counting every source of
// uncertainty the comparison has:
//   I = |z − E[f]| / sqrt(Var_obs + Var_discrepancy + Var_ensemble / n)
// z the observed figure, E[f] the mean of the point's n replications, Var_ensemble their variance
// (a count's at least Poisson's), Var_obs the figure's own (its sd), Var_discrepancy how far the
// model may be from reality on it. For a bound (at most / at least) only the violating side
// counts. A point with I > 3 for any observation is ruled out (Pukelsheim's three-sigma rule:
// at least 95% of any unimodal distribution lies within 3 sd).
import { CAUSES, KILL_REASONS, STATUSES } from '../model/outcome.js';
import { CONNECTION_ERROR_CAUSES, type CountStatus, type MetricSpec } from '../experiment/metrics.js';
import type { ReplicationResult } from '../experiment/replication.js';
import type { Observation } from '../observe/observation.js';

export const CUTOFF = 3;
/** Standard errors of the ensemble mean by which a verdict must hold to be final before the largest replication count. */
export const DECISIVE_SE = 2;

function statusCount(r: ReplicationResult, status: CountStatus): number {
  if (status === '5xx') return r.status[1]! + r.status[2]! + r.status[3]! + r.status[4]!;
  return r.status[STATUSES.indexOf(status)]!;
}

/** One replication's figure for a metric, in the metric's units (NaN when it has none). */
export function replicationFigure(m: MetricSpec, r: ReplicationResult): number {
  switch (m.kind) {
    case 'per5min':
      return (statusCount(r, m.status) * 300) / r.seconds;
    case 'rate':
      return r.arrivals > 0 ? statusCount(r, m.status) / r.arrivals : NaN;
    case 'kills': {
      const oom = KILL_REASONS.indexOf('oom');
      return ((m.reason === 'oom' ? r.sigkills[oom]! : r.sigkills.reduce((a, b) => a + b, 0)) * 3600) / r.seconds;
    }
    case 'cpu':
      return r.utilization.cpu;
    case 'util':
      return (m.of === 'max' ? r.utilization.processBusiest : r.utilization.process) ?? NaN;
    case 'memory':
      return m.stat === 'mean' ? r.utilization.memory : r.mechanisms.memoryPeak;
    case 'requests':
      return (r.arrivals * 60) / r.seconds;
    case 'hosts':
      return m.healthy ? r.containers - r.mechanisms.unhealthySeconds / r.seconds : r.mechanisms.unhealthySeconds / r.seconds;
    case 'conn-errors':
      return (CONNECTION_ERROR_INDEXES.reduce((a, i) => a + (r.cause[i] ?? 0), 0) * 300) / r.seconds;
    case 'latency':
      return r.latencyMs[m.stat];
  }
}

const CONNECTION_ERROR_INDEXES = CAUSES.flatMap((c, i) => (CONNECTION_ERROR_CAUSES.includes(c.name) ? [i] : []));

/** The least variance a replication's figure can have: a count's Poisson variance, scaled to the figure. */
function varianceFloor(m: MetricSpec, mean: number, reps: readonly ReplicationResult[]): number {
  const seconds = reps[0]!.seconds;
  if (m.kind === 'per5min' || m.kind === 'conn-errors') return (mean * 300) / seconds;
  if (m.kind === 'requests') return (mean * 60) / seconds;
  if (m.kind === 'kills') return (mean * 3600) / seconds;
  if (m.kind === 'rate') {
    const arrivals = reps.reduce((a, r) => a + r.arrivals, 0) / reps.length;
    return arrivals > 0 ? mean / arrivals : 0;
  }
  return 0;
}

export interface Judgement {
  /** The replications' mean figure (NaN: none measurable, e.g. no 2xx for a latency). */
  mean: number;
  /** Standard error of that mean (sqrt(Var_ensemble / n)). */
  se: number;
  implausibility: number;
  /** The implausibility with the mean moved DECISIVE_SE standard errors towards / away from the observation. */
  low: number;
  high: number;
}

export function judge(o: Observation, reps: readonly ReplicationResult[]): Judgement {
  const values = reps.map((r) => replicationFigure(o.metric, r)).filter(Number.isFinite);
  const n = values.length;
  if (n === 0) return { mean: NaN, se: NaN, implausibility: Infinity, low: Infinity, high: Infinity };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sample = n > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  const se = Math.sqrt(Math.max(sample, varianceFloor(o.metric, mean, reps)) / n);
  const denominator = Math.sqrt(o.form.sd ** 2 + o.discrepancy ** 2 + se ** 2);
  const gap = (e: number) => {
    const f = o.form;
    if (f.kind === 'value') return Math.abs(f.value - e);
    if (f.kind === 'at-most') return Math.max(0, e - f.bound);
    return Math.max(0, f.bound - e);
  };
  const at = (e: number) => (denominator > 0 ? gap(e) / denominator : gap(e) > 0 ? Infinity : 0);
  const shift = DECISIVE_SE * se;
  // The best and worst the ensemble noise allows: the mean moved within ±shift.
  const ends = [at(mean - shift), at(mean + shift)];
  const target = o.form.kind === 'value' ? o.form.value : o.form.bound;
  const straddles = o.form.kind === 'value' && mean - shift <= target && target <= mean + shift;
  return { mean, se, implausibility: at(mean), low: straddles ? 0 : Math.min(...ends), high: Math.max(...ends) };
}
