// The parsed, unit-free form of a distribution. Time values are in seconds.
// The scenario layer turns strings such as "lognormal(mean=6ms, sd=5ms)" into these;
// the kernel turns them into samplers (see distributions.ts). Keeping the spec as plain
// data lets analytic code (Erlang C, Pollaczek-Khinchine) read its moments.
import { normalCdf } from '../stats/distributions.js';
import { lnGamma } from '../stats/special-functions.js';

export type DistSpec =
  | { kind: 'const'; value: number }
  | { kind: 'exp'; mean: number }
  | { kind: 'uniform'; min: number; max: number }
  /** Normal truncated at 0 (negative draws are redrawn). */
  | { kind: 'normal'; mean: number; sd: number }
  /** Parameters of the underlying normal: X = exp(mu + sigma Z). */
  | { kind: 'lognormal'; mu: number; sigma: number }
  | { kind: 'gamma'; shape: number; scale: number }
  | { kind: 'weibull'; shape: number; scale: number }
  /** Classic (type I) Pareto: X >= scale, P(X > x) = (scale/x)^shape. */
  | { kind: 'pareto'; shape: number; scale: number }
  /** Quantile table: probs ascending from 0 to 1, values non-decreasing; linear in between. */
  | { kind: 'empirical'; probs: number[]; values: number[] }
  /** Weighted mixture; weights sum to 1. */
  | { kind: 'mixture'; weights: number[]; parts: DistSpec[] };

/** E[X^k] for k = 1 or 2 (Infinity where it does not exist). Truncated normal is exact. */
export function moment(spec: DistSpec, k: 1 | 2): number {
  switch (spec.kind) {
    case 'const':
      return spec.value ** k;
    case 'exp':
      return k === 1 ? spec.mean : 2 * spec.mean * spec.mean;
    case 'uniform':
      return k === 1
        ? (spec.min + spec.max) / 2
        : (spec.min * spec.min + spec.min * spec.max + spec.max * spec.max) / 3;
    case 'normal':
      return truncatedNormalMoment(spec.mean, spec.sd, k);
    case 'lognormal':
      return Math.exp(k * spec.mu + (k * k * spec.sigma * spec.sigma) / 2);
    case 'gamma':
      return k === 1 ? spec.shape * spec.scale : spec.shape * (spec.shape + 1) * spec.scale * spec.scale;
    case 'weibull':
      return spec.scale ** k * Math.exp(lnGamma(1 + k / spec.shape));
    case 'pareto':
      return spec.shape <= k ? Infinity : (spec.shape * spec.scale ** k) / (spec.shape - k);
    case 'empirical': {
      // Piecewise-linear quantile function: integrate Q(p)^k over p exactly per segment.
      let m = 0;
      for (let i = 1; i < spec.probs.length; i++) {
        const dp = spec.probs[i]! - spec.probs[i - 1]!;
        const a = spec.values[i - 1]!;
        const b = spec.values[i]!;
        m += k === 1 ? (dp * (a + b)) / 2 : (dp * (a * a + a * b + b * b)) / 3;
      }
      return m;
    }
    case 'mixture': {
      let m = 0;
      for (let i = 0; i < spec.parts.length; i++) m += spec.weights[i]! * moment(spec.parts[i]!, k);
      return m;
    }
  }
}

export const mean = (spec: DistSpec): number => moment(spec, 1);

function truncatedNormalMoment(mu: number, sd: number, k: 1 | 2): number {
  if (sd === 0) return Math.max(mu, 0) ** k;
  const a = -mu / sd; // standardised truncation point
  const pdf = Math.exp(-a * a / 2) / Math.sqrt(2 * Math.PI);
  const tail = 1 - normalCdf(a);
  const lambda = pdf / tail;
  const m1 = mu + sd * lambda;
  if (k === 1) return m1;
  const variance = sd * sd * (1 + a * lambda - lambda * lambda);
  return variance + m1 * m1;
}
