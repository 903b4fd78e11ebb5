// Observations from an access log (the formats `capsim calibrate` reads: ALB, Classic ELB, nginx,
// gunicorn, uWSGI; plain or gzip), read with the project's log readers (src/logs, and
// calibrate's one-pass Observations): 502 and 5xx per 5 minutes, their share of the requests, and
// the 2xx latency percentiles. All at the model as it stands (no `set`): the log is what the fleet
// did. The request rate itself is not an observation here: it is the model's input
// (traffic.rate, or traffic.replay of the same log), which `capsim calibrate` writes.
import { observeLogs } from '../backtest/run-backtest.js';
import { STATUS_CLASSES, type Observations } from '../calibrate/observations.js';
import { ExperimentInputError } from '../experiment/errors.js';
import type { MetricSpec } from '../experiment/metrics.js';
import { detectFormat } from '../logs/formats.js';
import { normalQuantile } from '../stats/distributions.js';
import { DEFAULT_DISCREPANCY } from './observations-file.js';
import type { Observation, ObservedReader } from './observation.js';

const WINDOW = 300;
const FIVE_XX = ['500', '502', '503', '504', '5xx other'].map((s) => STATUS_CLASSES.indexOf(s as (typeof STATUS_CLASSES)[number]));
const S502 = STATUS_CLASSES.indexOf('502');

/** The observations one log gives (`path` names the source). */
export function logObservations(obs: Observations, path: string): Observation[] {
  // Whole 5-minute windows only: the log covers each from its start to its end (to within 1% of
  // it: a log starts with its first request, a moment after the window does).
  const slack = WINDOW / 100;
  const windows: Float64Array[] = [];
  for (let w = Math.floor(obs.first / WINDOW); w <= Math.floor(obs.last / WINDOW); w++) {
    if (obs.first <= w * WINDOW + slack && obs.last >= (w + 1) * WINDOW - slack) windows.push(obs.per5min.get(w) ?? new Float64Array(STATUS_CLASSES.length));
  }
  const out: Observation[] = [];
  const base = (name: string, metric: MetricSpec, value: number, sd: number, window: number, what: string): Observation => ({
    name,
    source: `${path} (${what})`,
    metric,
    form: { kind: 'value', value, sd },
    set: {},
    window,
    discrepancy: DEFAULT_DISCREPANCY * value,
  });
  if (windows.length > 0) {
    const k = windows.length;
    const requests = windows.map((c) => c.reduce((a, b) => a + b, 0));
    const total = requests.reduce((a, b) => a + b, 0);
    for (const [status, pick] of [
      ['502', (c: Float64Array) => c[S502]!],
      ['5xx', (c: Float64Array) => FIVE_XX.reduce((a, i) => a + c[i]!, 0)],
    ] as const) {
      const counts = windows.map(pick);
      const mean = counts.reduce((a, b) => a + b, 0) / k;
      // Over-dispersed: the windows' own variance when above Poisson's (failures come in bunches).
      const variance = k > 1 ? counts.reduce((a, b) => a + (b - mean) ** 2, 0) / (k - 1) : mean;
      const sd = Math.sqrt(Math.max(variance, mean, 1 / k) / k);
      out.push(base(`${status}/5min in the log`, { kind: 'per5min', status }, mean, sd, k * WINDOW, `${k} whole 5-minute windows`));
      if (total > 0) out.push(base(`${status} share in the log`, { kind: 'rate', status }, (mean * k) / total, (sd * k) / total, k * WINDOW, `${total} requests`));
    }
  }
  const sorted = obs.latency.sorted();
  const n = sorted.length;
  if (n >= 20) {
    for (const [stat, p] of [
      ['p50', 0.5],
      ['p95', 0.95],
      ['p99', 0.99],
    ] as const) {
      if (n * (1 - p) < 5) continue; // too few beyond the quantile to read it
      // The order-statistic 95% interval of the quantile (binomial), as an sd.
      const half = normalQuantile(0.975) * Math.sqrt(n * p * (1 - p));
      const at = (i: number) => sorted[Math.min(n - 1, Math.max(0, Math.round(i)))]! * 1000;
      const value = at(p * (n - 1));
      const sd = Math.max((at(p * n + half) - at(p * n - half)) / (2 * normalQuantile(0.975)), 0.01 * value);
      out.push(base(`${stat} latency of 2xx in the log`, { kind: 'latency', stat }, value, sd, obs.last - obs.first, `${n} sampled 2xx times`));
    }
  }
  return out;
}

export const accessLogReader: ObservedReader = {
  kind: 'access-log',
  detect: (path, head) => /\.gz$/i.test(path) || detectFormat(head.split('\n').slice(0, 20).filter((l) => l.trim() !== '')) !== null,
  read: async (path) => {
    const { obs } = await observeLogs([path], { format: 'auto' });
    const found = logObservations(obs, path);
    if (found.length === 0) throw new ExperimentInputError(`${path}: no usable observation: the log covers no whole 5-minute window and has fewer than 20 timed 2xx requests`);
    return found;
  },
};
