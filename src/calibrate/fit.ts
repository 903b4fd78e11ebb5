// Service-time distributions fitted to a sample, and the one chosen, by a stated measure.
//
// Candidates: lognormal (maximum likelihood: the mean and sd of ln x), gamma (maximum
// likelihood: Minka's closed-form start, then Newton steps on the shape), and the empirical
// quantile table. The measure is the Kolmogorov-Smirnov distance D = max |F_sample(x) - F(x)|.
// A parametric form is kept when its D is at most max(1.36/sqrt(n), 0.02): within the 95%
// sampling error of a sample of n, or within 2 points of probability at every x, which is
// below anything that moves a capacity answer; the better of the two (smaller D) wins. When
// neither is that close, the empirical table is used: the data say the shape is neither.
import { normalCdf } from '../stats/distributions.js';
import { regularizedGammaP } from '../stats/special-functions.js';

export interface Fit {
  kind: 'lognormal' | 'gamma' | 'empirical';
  /** Mean and sd of the chosen distribution (the sample's, for the empirical). */
  mean: number;
  sd: number;
  /** KS distance of each parametric candidate, and the threshold used. */
  ksLognormal: number;
  ksGamma: number;
  threshold: number;
  n: number;
  /** lognormal: mu, sigma of ln x; gamma: shape, scale (s). */
  params: { mu?: number; sigma?: number; shape?: number; scale?: number };
  /** The empirical quantile table: [probability, seconds]. */
  quantiles: [number, number][];
}

// The empirical table: every 2% (a jump between two modes is kept to within 2% of probability),
// and the tail in finer steps.
const TABLE_PROBS = [...Array.from({ length: 50 }, (_, i) => i / 50), 0.99, 0.995, 0.999, 1];

/** Fit a sorted sample of positive values (seconds). */
export function fitServiceTimes(sorted: Float64Array): Fit {
  const n = sorted.length;
  if (n < 2) throw new Error('at least 2 values are needed to fit a distribution');
  let sum = 0;
  let sumLog = 0;
  for (const x of sorted) {
    sum += x;
    sumLog += Math.log(x);
  }
  const mean = sum / n;
  const meanLog = sumLog / n;
  let ss = 0;
  let ssLog = 0;
  for (const x of sorted) {
    ss += (x - mean) ** 2;
    ssLog += (Math.log(x) - meanLog) ** 2;
  }
  const sd = Math.sqrt(ss / (n - 1));
  const mu = meanLog;
  const sigma = Math.sqrt(ssLog / n);
  const shape = gammaShape(Math.log(mean) - meanLog);
  const scale = mean / shape;
  const ksLognormal = sigma > 0 ? ksDistance(sorted, (x) => normalCdf((Math.log(x) - mu) / sigma)) : 1;
  const ksGamma = Number.isFinite(shape) ? ksDistance(sorted, (x) => regularizedGammaP(shape, x / scale)) : 1;
  const threshold = Math.max(1.36 / Math.sqrt(n), 0.02);
  const quantiles = TABLE_PROBS.map((p) => [p, quantileOfSorted(sorted, p)] as [number, number]);
  const base = { ksLognormal, ksGamma, threshold, n, quantiles };
  const best = Math.min(ksLognormal, ksGamma);
  if (best <= threshold && ksLognormal <= ksGamma) {
    return { kind: 'lognormal', mean: Math.exp(mu + sigma ** 2 / 2), sd: Math.exp(mu + sigma ** 2 / 2) * Math.sqrt(Math.expm1(sigma ** 2)), params: { mu, sigma }, ...base };
  }
  if (best <= threshold) return { kind: 'gamma', mean: shape * scale, sd: Math.sqrt(shape) * scale, params: { shape, scale }, ...base };
  return { kind: 'empirical', mean, sd, params: {}, ...base };
}

/** KS distance between a sorted sample and a CDF. */
export function ksDistance(sorted: Float64Array, cdf: (x: number) => number): number {
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]!);
    d = Math.max(d, f - i / n, (i + 1) / n - f);
  }
  return d;
}

/** Linear interpolation between order statistics (type 7). */
export function quantileOfSorted(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** The gamma shape by maximum likelihood from s = ln(mean) - mean(ln x) (Minka 2002, then Newton). */
function gammaShape(s: number): number {
  if (!(s > 0)) return Infinity;
  let k = (3 - s + Math.sqrt((s - 3) ** 2 + 24 * s)) / (12 * s);
  for (let i = 0; i < 6; i++) {
    const f = Math.log(k) - digamma(k) - s;
    const df = 1 / k - trigamma(k);
    const next = k - f / df;
    if (!(next > 0)) break;
    k = next;
  }
  return k;
}

function digamma(x: number): number {
  let r = 0;
  while (x < 6) {
    r -= 1 / x;
    x += 1;
  }
  const f = 1 / (x * x);
  return r + Math.log(x) - 0.5 / x - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f / 132))));
}

function trigamma(x: number): number {
  let r = 0;
  while (x < 6) {
    r += 1 / (x * x);
    x += 1;
  }
  const f = 1 / (x * x);
  return r + 1 / x + f / 2 + (f / x) * (1 / 6 - f * (1 / 30 - f * (1 / 42 - f / 30)));
}
