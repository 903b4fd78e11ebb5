// The backtest's comparison: per 5-minute window, the log's 502, 503 and 504 against what the
// model predicts for one window, and the latency percentiles of 2xx.
//
// The range for one window's count: what one window of real traffic would show if the model
// were right. Two parts, the wider bound of each taken: the spread of the replications' counts
// for that window (a prediction interval: mean ± t·sd·sqrt(1 + 1/R), which carries the model's
// own burstiness: a full accept queue refuses requests in bunches), and Poisson noise around the
// 95% interval of the window's mean (which covers rare counts, where every replication may have
// seen 0 by luck). A window is "outside" when the log's count is below or above that range.
import { meanCI, studentTQuantile, summarizeCounts } from '../stats/intervals.js';
import { COUNTED, WINDOW } from './window-counts.js';

export const COMPARED = ['502', '503', '504'] as const;

export interface WindowComparison {
  start: number;
  /** The first and last windows are partial (the log starts and ends inside them): shown, not judged. */
  partial: boolean;
  log: Record<string, number>;
  model: Record<string, { mean: number; ci95: [number, number]; range: [number, number] }>;
  /** Statuses whose log count falls outside the range, and by how much (log - bound). */
  outside: { status: string; by: number }[];
}

export function poissonQuantile(mean: number, p: number): number {
  if (!(mean > 0)) return 0;
  // Sum the pmf; for large means a normal approximation with continuity correction.
  if (mean > 500) return Math.max(0, Math.round(mean + normalZ(p) * Math.sqrt(mean)));
  let k = 0;
  let pmf = Math.exp(-mean);
  let cdf = pmf;
  while (cdf < p && k < 10_000) {
    k++;
    pmf *= mean / k;
    cdf += pmf;
  }
  return k;
}

function normalZ(p: number): number {
  return p > 0.5 ? 1.959963984540054 : -1.959963984540054;
}

export function compareWindows(logWindows: Map<number, Float64Array>, logIndex: Record<string, number>, w0: number, windows: number, reps: Float64Array[], firstJudged: number): WindowComparison[] {
  const out: WindowComparison[] = [];
  for (let k = 0; k < windows; k++) {
    const start = w0 + k * WINDOW;
    const lw = logWindows.get(start / WINDOW);
    const log: Record<string, number> = {};
    const model: WindowComparison['model'] = {};
    const outside: WindowComparison['outside'] = [];
    const partial = k === 0 || k === windows - 1 || k < firstJudged;
    for (const s of COMPARED) {
      log[s] = lw ? lw[logIndex[s]!]! : 0;
      const per = reps.map((c) => c[k * COUNTED.length + COUNTED.indexOf(s)]!);
      const sum = summarizeCounts(per);
      const lo = Math.max(0, sum.ci95[0]);
      const hi = sum.ci95[1];
      const r = per.length;
      const mean = per.reduce((a, b) => a + b, 0) / r;
      const sd = r > 1 ? Math.sqrt(per.reduce((a, b) => a + (b - mean) ** 2, 0) / (r - 1)) : 0;
      const half = r > 1 ? studentTQuantile(0.975, r - 1) * sd * Math.sqrt(1 + 1 / r) : 0;
      const range: [number, number] = [Math.max(0, Math.min(poissonQuantile(lo, 0.025), Math.floor(mean - half))), Math.max(poissonQuantile(hi, 0.975), Math.ceil(mean + half))];
      model[s] = { mean: sum.mean, ci95: [lo, hi], range };
      if (!partial && (log[s]! < range[0] || log[s]! > range[1])) outside.push({ status: s, by: log[s]! < range[0] ? log[s]! - range[0] : log[s]! - range[1] });
    }
    out.push({ start, partial, log, model, outside });
  }
  return out;
}

export interface LatencyComparison {
  p: number;
  logMs: number;
  model: { mean: number; ci95: [number, number] };
  outside: boolean;
}

/**
 * A latency percentile is "outside" only beyond its interval widened by the quantile sketch's
 * 1% relative error (capsim keeps sketches, not every latency) and the logs' rounding to 1 ms.
 */
export const LATENCY_SLACK = { relative: 0.01, ms: 1 };

export function compareLatency(logMs: number[], modelMs: number[][]): LatencyComparison[] {
  return [0.5, 0.95, 0.99].map((p, i) => {
    const s = meanCI(modelMs.map((r) => r[i]!).filter(Number.isFinite));
    const ci: [number, number] = [Math.max(0, s.ci95[0]), s.ci95[1]];
    const lo = ci[0] * (1 - LATENCY_SLACK.relative) - LATENCY_SLACK.ms;
    const hi = ci[1] * (1 + LATENCY_SLACK.relative) + LATENCY_SLACK.ms;
    return { p, logMs: logMs[i]!, model: { mean: s.mean, ci95: ci }, outside: logMs[i]! < lo || logMs[i]! > hi };
  });
}
