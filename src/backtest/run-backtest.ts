// capsim backtest MODEL LOG…: run the model over the logs' period and compare, window by
// window, what it predicts with what the logs saw. The model runs replayed when it has
// traffic.replay (its first arrival at simulated time 0, no warmup windows judged), else at its
// own traffic after its warmup, for the logs' span.
import '../logs/register-replay.js';
import { runReplication } from '../experiment/replication.js';
import { quantileOfSorted } from '../calibrate/fit.js';
import { Observations, STATUS_CLASSES } from '../calibrate/observations.js';
import { readLogs, type LogReadSummary, type ReadOptions } from '../logs/read-logs.js';
import type { Model } from '../scenario/model-types.js';
import { compareLatency, compareWindows, type LatencyComparison, type WindowComparison } from './compare.js';
import { WINDOW, WindowCounts } from './window-counts.js';

export interface Backtest {
  model: string;
  replications: number;
  replayed: boolean;
  read: LogReadSummary;
  first: number;
  last: number;
  windows: WindowComparison[];
  judged: number;
  outside: number;
  latency: LatencyComparison[];
}

/** Records read between two progress reports. */
export const RECORDS_PER_REPORT = 20_000;

/** The logs' period and what they saw. */
export async function observeLogs(inputs: string[], opts: ReadOptions, onRecords?: (n: number) => void): Promise<{ read: LogReadSummary; obs: Observations }> {
  const obs = new Observations();
  let n = 0;
  const read = await readLogs(inputs, opts, (r) => {
    obs.add(r);
    if (onRecords && ++n % RECORDS_PER_REPORT === 0) onRecords(n);
  });
  if (obs.requests === 0 || !(obs.last >= obs.first)) throw Object.assign(new Error(`${inputs.join(' ')}: no timed requests in the logs`), { exitCode: 2 });
  return { read, obs };
}

/** The --set overrides that make the model cover the logs' period. */
export function periodOverrides(model: Model, span: number): string[] {
  const replayed = model.traffic.replay !== undefined;
  const duration = Math.ceil(span / 60) * 60 + 60;
  return replayed ? ['simulation.warmup=0s', `simulation.duration=${duration}s`] : [`simulation.duration=${duration}s`];
}

export interface SimulatedWindows {
  /** Epoch start of window 0, and the number of windows. */
  w0: number;
  windows: number;
  /** Per replication: counts[k * 5 + status] (COUNTED order). */
  reps: Float64Array[];
  /** Per replication: 2xx latency p50, p95, p99 (ms). */
  latencies: number[][];
}

/** The model's replications, counted on the logs' 5-minute windows. */
export function simulateWindows(model: Model, obs: Observations, onReplication?: (done: number, total: number) => void): SimulatedWindows {
  const replayed = model.traffic.replay !== undefined;
  const w0 = Math.floor(obs.first / WINDOW) * WINDOW;
  const windows = Math.floor(obs.last / WINDOW) - w0 / WINDOW + 1;
  const simStart = replayed ? 0 : model.simulation.warmup;
  const shift = obs.first - simStart - w0;
  const reps: Float64Array[] = [];
  const latencies: number[][] = [];
  for (let r = 0; r < model.simulation.replications; r++) {
    const sink = new WindowCounts(model.balancer.kind, shift, model.simulation.warmup, windows);
    const rep = runReplication(model, r, { requestSink: sink });
    reps.push(sink.counts);
    latencies.push([rep.latencyMs.p50, rep.latencyMs.p95, rep.latencyMs.p99]);
    onReplication?.(r + 1, model.simulation.replications);
  }
  return { w0, windows, reps, latencies };
}

export function backtest(name: string, model: Model, read: LogReadSummary, obs: Observations, onReplication?: (done: number, total: number) => void): Backtest {
  const replayed = model.traffic.replay !== undefined;
  const { w0, windows, reps, latencies } = simulateWindows(model, obs, onReplication);
  const index = Object.fromEntries(['502', '503', '504'].map((s) => [s, STATUS_CLASSES.indexOf(s as (typeof STATUS_CLASSES)[number])]));
  // With a replayed log the windows start with an empty fleet: the first full window is judged.
  const cmp = compareWindows(obs.per5min, index, w0, windows, reps, 1);
  const sorted = obs.latency.sorted();
  const logMs = [0.5, 0.95, 0.99].map((p) => (sorted.length > 0 ? quantileOfSorted(sorted, p) * 1000 : NaN));
  const judged = cmp.filter((w) => !w.partial).length;
  return {
    model: name,
    replications: model.simulation.replications,
    replayed,
    read,
    first: obs.first,
    last: obs.last,
    windows: cmp,
    judged,
    outside: cmp.filter((w) => w.outside.length > 0).length,
    latency: compareLatency(logMs, latencies),
  };
}
