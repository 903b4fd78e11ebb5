// Replications to a precision: keep adding replications until the 95% interval of one metric is
// narrow enough, up to a maximum.
//
// The rule (documented in docs/experiments.md):
//   - The half-width of an interval is the larger of (mean − lo) and (hi − mean): the exact
//     Poisson interval used for rare counts is not symmetric, and the wider side is the honest one.
//   - A relative precision `10%` is reached when half-width <= 10% × |mean|; an absolute one
//     (`0.5`, in the metric's own units: per 5 min, a fraction, ms) when half-width <= 0.5.
//   - A relative precision is never reached while the mean is 0 (no event seen in any
//     replication): "within 10% of nothing" has no meaning, and the upper bound of a zero count
//     shrinks only as 3.69 / replications. Such a run goes on to --max-replications and says the
//     metric was 0 with its upper bound; give an absolute precision to stop earlier.
//   - Replications run in order 0, 1, 2, …; capsim stops at the first n >= the minimum for which
//     replications 0..n−1 meet the precision. Batches run in parallel may compute a few beyond n;
//     those are discarded, so the answer does not depend on --jobs.
import { ExperimentInputError } from './errors.js';
import { estimate, metricName, type Estimate, type MetricSpec } from './metrics.js';
import type { ReplicationResult } from './replication.js';

export interface Precision {
  text: string;
  /** Fraction of the mean (0.1 for "10%"), or null. */
  relative: number | null;
  /** In the metric's units, or null. */
  absolute: number | null;
}

export const DEFAULT_MIN_REPLICATIONS = 5;
export const DEFAULT_MAX_REPLICATIONS = 100;

export function parsePrecision(text: string): Precision {
  const t = text.trim();
  const m = /^(\d+(?:\.\d*)?|\.\d+)\s*(%?)$/.exec(t);
  const x = m ? Number(m[1]) : NaN;
  if (!m || !(x > 0) || (m[2] === '%' && x > 100)) {
    throw new ExperimentInputError(
      `--precision ${text}: expected a relative half-width such as 10% (of the mean, above 0 and at most 100%) or an absolute one in the metric's units such as 0.5`,
    );
  }
  return m[2] === '%' ? { text: t, relative: x / 100, absolute: null } : { text: t, relative: null, absolute: x };
}

export function halfWidth(e: Estimate): number {
  return Math.max(e.mean - e.lo, e.hi - e.mean);
}

export function meetsPrecision(e: Estimate, p: Precision): boolean {
  if (!Number.isFinite(e.mean) || !Number.isFinite(e.lo) || !Number.isFinite(e.hi)) return false;
  const hw = halfWidth(e);
  if (p.absolute !== null) return hw <= p.absolute;
  if (e.mean === 0) return false;
  return hw <= p.relative! * Math.abs(e.mean);
}

export interface PrecisionOutcome {
  metric: string;
  target: string;
  reached: boolean;
  /** Replications used (the stopping n, or the maximum). */
  replications: number;
  /** Why it stopped: 'reached', 'max' (the maximum came first), 'zero' (the metric stayed 0 to the maximum). */
  stop: 'reached' | 'max' | 'zero';
  estimate: { mean: number | null; ci95: [number | null, number | null] };
  halfWidth: number | null;
  /** Half-width as a fraction of |mean| (null at mean 0). */
  relativeHalfWidth: number | null;
  minReplications: number;
  maxReplications: number;
}

export interface PrecisionRun {
  metric: MetricSpec;
  precision: Precision;
  /** Measured seconds per replication (for per-5-minute figures). */
  seconds: number;
  min: number;
  max: number;
  /** How many replications to ask for at once beyond the minimum (the number of parallel workers). */
  batch: number;
  /** Run replications [from, to) and return them in order. */
  run: (from: number, to: number) => Promise<ReplicationResult[]>;
}

export async function replicateToPrecision(o: PrecisionRun): Promise<{ replications: ReplicationResult[]; outcome: PrecisionOutcome }> {
  if (!(o.min >= 1 && o.max >= o.min)) {
    throw new ExperimentInputError(`--max-replications ${o.max}: expected a whole number >= the minimum of ${o.min} replications`);
  }
  const reps: ReplicationResult[] = [];
  let checked = o.min; // smallest n not yet checked
  let stopAt = -1;
  while (stopAt < 0) {
    const to = Math.min(o.max, Math.max(o.min, reps.length + Math.max(1, o.batch)));
    reps.push(...(await o.run(reps.length, to)));
    for (let n = checked; n <= reps.length; n++) {
      if (meetsPrecision(estimate(o.metric, reps.slice(0, n), o.seconds), o.precision)) {
        stopAt = n;
        break;
      }
    }
    checked = reps.length + 1;
    if (stopAt < 0 && reps.length >= o.max) stopAt = o.max;
  }
  const used = reps.slice(0, stopAt);
  const e = estimate(o.metric, used, o.seconds);
  const reached = meetsPrecision(e, o.precision);
  const hw = Number.isFinite(e.mean) ? halfWidth(e) : NaN;
  const nul = (x: number) => (Number.isFinite(x) ? x : null);
  return {
    replications: used,
    outcome: {
      metric: metricName(o.metric),
      target: o.precision.text,
      reached,
      replications: used.length,
      stop: reached ? 'reached' : e.mean === 0 ? 'zero' : 'max',
      estimate: { mean: nul(e.mean), ci95: [nul(e.lo), nul(e.hi)] },
      halfWidth: nul(hw),
      relativeHalfWidth: e.mean !== 0 ? nul(hw / Math.abs(e.mean)) : null,
      minReplications: o.min,
      maxReplications: o.max,
    },
  };
}
