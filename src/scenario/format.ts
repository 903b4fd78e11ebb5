// Resolved values written back in the model file's syntax, for people: durations as 250ms,
// 60s, 5m or 1h; sizes as 120MiB or 2GiB; rates per second (and per minute); distributions as
// `lognormal(mean=6ms, sd=5ms)`. Every string here parses back (units.ts,
// distribution-syntax.ts) to the value it shows, to the digits shown. Pure: no Node-only imports.
import type { DistSpec } from '../kernel/distribution-spec.js';
import { Z99 } from './distribution-syntax.js';

/** x with at most `digits` significant digits, without float noise or trailing zeros. */
export function formatNumber(x: number, digits = 6): string {
  if (!Number.isFinite(x)) return x > 0 ? 'unlimited' : String(x);
  if (x === 0) return '0';
  const r = Number(x.toPrecision(digits));
  // Plain notation for the range people write (1e-6 .. 1e15), as Number#toString does.
  return String(r);
}

/** Seconds -> "0", "10us", "250ms", "1.5s", "60s", "5m", "2h". */
export function formatDuration(seconds: number, digits = 6): string {
  if (!Number.isFinite(seconds)) return seconds > 0 ? 'unlimited' : String(seconds);
  if (seconds === 0) return '0s';
  const s = Number(seconds.toPrecision(12));
  const a = Math.abs(s);
  if (a >= 3600 && Number.isInteger(s / 3600)) return `${s / 3600}h`;
  if (a > 60 && Number.isInteger(s / 60)) return `${s / 60}m`;
  if (a >= 1) return `${formatNumber(s, digits)}s`;
  if (a >= 1e-3) return `${formatNumber(s * 1e3, digits)}ms`;
  if (a >= 1e-6) return `${formatNumber(s * 1e6, digits)}us`;
  return `${formatNumber(s * 1e9, digits)}ns`;
}

const BINARY: Array<[string, number]> = [
  ['TiB', 1024 ** 4],
  ['GiB', 1024 ** 3],
  ['MiB', 1024 ** 2],
  ['KiB', 1024],
];
const DECIMAL: Array<[string, number]> = [
  ['TB', 1e12],
  ['GB', 1e9],
  ['MB', 1e6],
  ['KB', 1e3],
];

/** Bytes -> "0", "512B", "8KiB", "120MiB", "1.5GiB", "2GB"; Infinity -> "unlimited". */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'unlimited';
  if (bytes === 0) return '0';
  const candidates: string[] = [];
  for (const [unit, f] of [...BINARY, ...DECIMAL]) {
    // At most two decimals, and only when the text parses back to exactly these bytes.
    const v = Math.round((bytes / f) * 100) / 100;
    if (v >= 1 && v * f === bytes) candidates.push(`${v}${unit}`);
  }
  candidates.push(`${bytes}B`);
  // The shortest text; binary units first on a tie (the list is in that order).
  return candidates.reduce((best, c) => (c.length < best.length ? c : best));
}

/** Requests per second -> "316.667/s (19000/min)". */
export function formatRate(perSecond: number): string {
  return `${formatNumber(perSecond)}/s (${formatNumber(perSecond * 60)}/min)`;
}

/** Requests per second -> "316.667/s", a form that parses back. */
export function formatRateShort(perSecond: number): string {
  return `${formatNumber(perSecond)}/s`;
}

/** Is x a number people would have written (three significant digits say it all)? */
function isRound(x: number): boolean {
  if (x === 0) return true;
  return Math.abs(x - Number(x.toPrecision(3))) <= 1e-9 * Math.abs(x);
}

const d = (s: number): string => formatDuration(s, 4);
const n = (x: number): string => formatNumber(x, 4);

/** A DistSpec in the model file's syntax: `exp(4ms)`, `lognormal(mean=6ms, sd=5ms)`, `mix(0.9: …, 0.1: …)`. */
export function formatDistribution(spec: DistSpec): string {
  switch (spec.kind) {
    case 'const':
      return `const(${d(spec.value)})`;
    case 'exp':
      return `exp(${d(spec.mean)})`;
    case 'uniform':
      return `uniform(${d(spec.min)}, ${d(spec.max)})`;
    case 'normal':
      return `normal(mean=${d(spec.mean)}, sd=${d(spec.sd)})`;
    case 'lognormal': {
      const s2 = spec.sigma * spec.sigma;
      const mean = Math.exp(spec.mu + s2 / 2);
      const sd = mean * Math.sqrt(Math.expm1(s2));
      const median = Math.exp(spec.mu);
      const p99 = Math.exp(spec.mu + Z99 * spec.sigma);
      // Written back in whichever form the numbers look like they were given in.
      if (!(isRound(mean) && isRound(sd)) && isRound(median) && isRound(p99) && p99 > median) {
        return `lognormal(median=${d(median)}, p99=${d(p99)})`;
      }
      return `lognormal(mean=${d(mean)}, sd=${d(sd)})`;
    }
    case 'gamma': {
      const mean = spec.shape * spec.scale;
      const sd = Math.sqrt(spec.shape) * spec.scale;
      if (isRound(spec.shape) && isRound(spec.scale)) return `gamma(shape=${n(spec.shape)}, scale=${d(spec.scale)})`;
      return `gamma(mean=${d(mean)}, sd=${d(sd)})`;
    }
    case 'weibull':
      return `weibull(shape=${n(spec.shape)}, scale=${d(spec.scale)})`;
    case 'pareto':
      return `pareto(shape=${n(spec.shape)}, scale=${d(spec.scale)})`;
    case 'empirical':
      return `empirical(${spec.probs.map((p, i) => `${n(p)}: ${d(spec.values[i]!)}`).join(', ')})`;
    case 'mixture':
      return `mix(${spec.parts.map((p, i) => `${n(spec.weights[i]!)}: ${formatDistribution(p)}`).join(', ')})`;
  }
}
