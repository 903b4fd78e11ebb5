// One replication: build the fleet on a fresh clock with this replication's random streams,
// run the warmup, measure the window, and return plain numbers.
import { RandomStreams } from '../kernel/random-streams.js';
import { Simulation } from '../kernel/simulation.js';
import { Fleet } from '../model/fleet.js';
import { Metrics } from '../model/metrics.js';
import type { Model } from '../scenario/model-types.js';

export interface ReplicationResult {
  replication: number;
  /** Length of the measured window, s. */
  seconds: number;
  /** Requests that arrived in the window. */
  arrivals: number;
  /** Requests that arrived in the window and ended (any status). */
  finished: number;
  /** Ended requests by status index (2xx, 500, 502, 503, 504). */
  status: number[];
  /** Ended requests by cause index (see CAUSES). */
  cause: number[];
  /** Successful requests' latency, ms (NaN without any). */
  latencyMs: { mean: number; p50: number; p95: number; p99: number; max: number };
  queueWaitMs: { mean: number; p95: number };
  /** Fraction of accepted requests that waited in the accept queue. */
  waitProbability: number;
  recycles: number;
  respawns: number;
  /** SIGKILLs by reason (see KILL_REASONS). */
  sigkills: number[];
  /** Seconds with no live (accepting) worker, summed over containers. */
  zeroLiveSeconds: number;
  utilization: { cpu: number; workers: number };
  /** Little's law terms: time-average number in system, throughput (1/s), mean response time (s). */
  little: { L: number; lambda: number; W: number };
  /** Events the kernel ran (whole replication, warmup included). */
  events: number;
}

export function runReplication(model: Model, replication: number): ReplicationResult {
  const sim = new Simulation();
  const streams = new RandomStreams(model.simulation.seed, replication);
  const metrics = new Metrics(sim);
  const fleet = new Fleet(sim, model, streams, metrics);
  const { warmup, duration } = model.simulation;

  fleet.start();
  if (warmup > 0) sim.run(warmup);
  metrics.startWindow();
  fleet.startWindow();
  sim.run(warmup + duration);
  fleet.endWindow();

  const ms = (s: number) => s * 1000;
  const lat = metrics.latency;
  const qw = metrics.queueWait;
  const now = sim.now;
  let cpuBusy = 0;
  let cores = 0;
  let zero = 0;
  for (const c of fleet.containers) {
    cpuBusy += c.cpu.busyCoreSeconds();
    cores += c.cpu.cores;
    zero += c.zeroLiveSeconds;
  }
  return {
    replication,
    seconds: duration,
    arrivals: metrics.arrivals,
    finished: metrics.finished,
    status: Array.from(metrics.status),
    cause: Array.from(metrics.cause),
    latencyMs: {
      mean: lat.count > 0 ? ms(lat.sum / lat.count) : NaN,
      p50: lat.count > 0 ? ms(lat.quantile(0.5)) : NaN,
      p95: lat.count > 0 ? ms(lat.quantile(0.95)) : NaN,
      p99: lat.count > 0 ? ms(lat.quantile(0.99)) : NaN,
      max: lat.count > 0 ? ms(lat.max) : NaN,
    },
    queueWaitMs: {
      mean: qw.count > 0 ? ms(qw.sum / qw.count) : NaN,
      p95: qw.count > 0 ? ms(qw.quantile(0.95)) : NaN,
    },
    waitProbability: qw.count > 0 ? metrics.waited / qw.count : NaN,
    recycles: metrics.recycles,
    respawns: metrics.respawns,
    sigkills: Array.from(metrics.sigkills),
    zeroLiveSeconds: zero,
    utilization: {
      cpu: cpuBusy / (cores * duration),
      workers: metrics.busyContexts.mean(now) / fleet.contextCount,
    },
    little: {
      L: metrics.inSystem.mean(now),
      lambda: metrics.finished / duration,
      W: metrics.finished > 0 ? metrics.sojournSum / metrics.finished : NaN,
    },
    events: sim.executed,
  };
}
