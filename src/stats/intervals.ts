// Confidence intervals for what the experiment layer reports: means over independent
// replications (Student t), event counts (exact Poisson), and proportions (Wilson). Pure
// functions; none of them is on the per-request hot path.

import { normalQuantile, studentTQuantile } from './distributions.js';
import { inverseRegularizedGammaP } from './special-functions.js';
import { Welford } from './welford.js';

export { normalQuantile, studentTQuantile } from './distributions.js';

export interface MeanCI {
  mean: number;
  /** Interval at the requested level; named ci95 because the report contract uses 95%. */
  ci95: [number, number];
}

export interface CountSummary extends MeanCI {
  method: 'student-t' | 'poisson';
}

/**
 * Totals below this many events use the exact Poisson interval in summarizeCounts: with few
 * events the per-replication counts are mostly 0s and 1s, far from normal, and the t
 * interval undercovers (and collapses to a point when every replication saw the same count).
 */
export const RARE_EVENT_TOTAL = 30;

function checkLevel(level: number): void {
  if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must be in (0, 1), got ${level}`);
}

/**
 * Mean of per-replication values with a two-sided Student-t interval (df = n − 1). A single
 * value or zero spread gives the degenerate [mean, mean]: there is no variance estimate to
 * widen it. An empty list gives NaNs.
 */
export function meanCI(values: readonly number[], level = 0.95): MeanCI {
  checkLevel(level);
  const w = new Welford();
  for (const v of values) w.add(v);
  const n = w.count;
  const mean = w.mean;
  if (n === 0) return { mean: NaN, ci95: [NaN, NaN] };
  const variance = w.variance();
  if (n === 1 || variance === 0) return { mean, ci95: [mean, mean] };
  const half = studentTQuantile((1 + level) / 2, n - 1) * Math.sqrt(variance / n);
  return { mean, ci95: [mean - half, mean + half] };
}

/** Alias of meanCI: the summary used for every per-replication metric. */
export const summarize = meanCI;

/**
 * What a figure is, for its interval: a latency, a wait, a count (never below 0), a fraction of
 * time or of requests (between 0 and 1), or a quantity with no bound.
 */
export type Quantity = 'nonnegative' | 'fraction' | 'unbounded';

/** The values a quantity can take. */
export function quantityRange(q: Quantity): [number, number] {
  return q === 'fraction' ? [0, 1] : q === 'nonnegative' ? [0, Infinity] : [-Infinity, Infinity];
}

/**
 * An interval intersected with what the quantity can be. The true mean of a latency is never
 * below 0, and a utilization's never above 1, so cutting away the impossible part leaves every
 * possible value the interval held: coverage is unchanged, and a bound never says what cannot be
 * (a Student-t interval over a few wildly different replications of an overloaded fleet reaches
 * below 0: `25,647 [-4,754, 56,047]` ms). Not a log-scale interval: that one is about the
 * geometric mean, and the figure beside it is the arithmetic mean. A cut bound is the limit
 * itself (0 or 100%): "the replications cannot tell it from 0".
 */
export function bounded(ci: readonly [number, number], q: Quantity): [number, number] {
  const [lo, hi] = quantityRange(q);
  const c = (x: number) => (Number.isNaN(x) ? x : Math.min(hi, Math.max(lo, x)));
  return [c(ci[0]), c(ci[1])];
}

/**
 * The summary of every per-replication figure capsim reports (run, sweep, size, merge, the page,
 * notebooks): the mean with its Student-t interval, bounded to the quantity (see bounded).
 */
export function quantityCI(values: readonly number[], q: Quantity, level = 0.95): MeanCI {
  const s = meanCI(values, level);
  return { mean: s.mean, ci95: bounded(s.ci95, q) };
}

/**
 * Exact (Garwood 1936) interval for the mean of a Poisson variable observed as `count`:
 * [χ²(α/2; 2k)/2, χ²(1 − α/2; 2k + 2)/2], computed as Gamma(k) and Gamma(k + 1) quantiles.
 * Conservative: coverage is at least `level` for every true mean. Non-integer counts are
 * accepted (the gamma quantiles interpolate smoothly) but have no Poisson meaning.
 */
export function poissonCI(count: number, level = 0.95): [number, number] {
  checkLevel(level);
  if (!(count >= 0) || !Number.isFinite(count)) {
    throw new RangeError(`poissonCI: count must be finite and ≥ 0, got ${count}`);
  }
  const alpha = 1 - level;
  const lower = count === 0 ? 0 : inverseRegularizedGammaP(count, alpha / 2);
  const upper = inverseRegularizedGammaP(count + 1, 1 - alpha / 2);
  return [lower, upper];
}

/**
 * Wilson score interval for a proportion successes/n. Unlike the Wald interval it stays
 * inside [0, 1] and does not collapse to a point at 0 or n successes. n = 0 gives [0, 1].
 */
export function wilsonCI(successes: number, n: number, level = 0.95): [number, number] {
  checkLevel(level);
  if (!(n >= 0) || !(successes >= 0 && successes <= n)) {
    throw new RangeError(`wilsonCI: need 0 ≤ successes ≤ n, got ${successes}/${n}`);
  }
  if (n === 0) return [0, 1];
  const z = normalQuantile((1 + level) / 2);
  const z2 = z * z;
  const p = successes / n;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At 0 or n successes the bound is exactly 0 or 1; pin it so rounding cannot show 3e-17.
  const lo = successes === 0 ? 0 : Math.max(0, center - half);
  const hi = successes === n ? 1 : Math.min(1, center + half);
  return [lo, hi];
}

/**
 * Summary of an event count seen in each of n replications of equal length: mean = total/n.
 *
 * Rule: if the total over all replications is below RARE_EVENT_TOTAL (30), or the sample
 * variance is 0 (including n = 1), the interval is the exact Poisson interval for the total
 * divided by n ("poisson"): the replications are then pooled as one long observation of a
 * Poisson process, which is exact for rare events and never collapses to a point.
 * Otherwise it is the Student-t interval over the per-replication counts ("student-t"),
 * which also absorbs over-dispersion that a pure Poisson model would miss.
 */
export function summarizeCounts(perReplication: readonly number[], level = 0.95): CountSummary {
  checkLevel(level);
  const n = perReplication.length;
  if (n === 0) return { mean: NaN, ci95: [NaN, NaN], method: 'poisson' };
  const w = new Welford();
  let total = 0;
  for (const c of perReplication) {
    if (!(c >= 0) || !Number.isFinite(c)) {
      throw new RangeError(`summarizeCounts: counts must be finite and ≥ 0, got ${c}`);
    }
    total += c;
    w.add(c);
  }
  const mean = total / n;
  if (n < 2 || total < RARE_EVENT_TOTAL || w.variance() === 0) {
    const [lo, hi] = poissonCI(total, level);
    return { mean, ci95: [lo / n, hi / n], method: 'poisson' };
  }
  // A count is never negative: a wide t interval (bursty counts, few replications) stops at 0.
  return { mean, ci95: quantityCI(perReplication, 'nonnegative', level).ci95, method: 'student-t' };
}
