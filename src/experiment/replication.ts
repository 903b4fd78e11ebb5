// One replication: build the fleet on a fresh clock with this replication's random streams,
// run the warmup, measure the window, and return plain numbers.
import { RandomStreams } from '../kernel/random-streams.js';
import { PendingEventsError, Simulation } from '../kernel/simulation.js';
import { ExperimentInputError } from './errors.js';
import { Fleet } from '../model/fleet.js';
import { Metrics } from '../model/metrics.js';
import { Timeline, type TimelineData } from '../model/timeline.js';
import type { Model } from '../scenario/model-types.js';
import type { RequestSink } from '../model/request-sink.js';
import type { ReplicationCost } from './replication-cost.js';
import { formatDecimal } from '../report/format.js';

export interface ReplicationResult {
  replication: number;
  /** Length of the measured window, s. */
  seconds: number;
  /** Requests that arrived in the window. */
  arrivals: number;
  /** Containers (targets) in the fleet. */
  containers: number;
  /** Requests that arrived in the window and ended (any status). */
  finished: number;
  /** Ended requests by status index (2xx, 500, 502, 503, 504). */
  status: number[];
  /** Ended requests by cause index (see CAUSES). */
  cause: number[];
  /** Successful requests' latency, ms (NaN without any). */
  latencyMs: { mean: number; p50: number; p95: number; p99: number; max: number };
  queueWaitMs: { mean: number; p95: number };
  /** Successful requests' latency (ms) at each probability of CDF_PROBS: the latency CDF. */
  latencyCdfMs: number[];
  /** Fraction of accepted requests that waited in the accept queue. */
  waitProbability: number;
  recycles: number;
  respawns: number;
  /** SIGKILLs by reason (see KILL_REASONS). */
  sigkills: number[];
  /** Recycling workers that exited at their mercy deadline with requests in flight (not SIGKILLs). */
  mercyExits: number;
  /** Seconds with no live (accepting) worker, summed over containers. */
  zeroLiveSeconds: number;
  /**
   * Busy fractions: the containers' vCPUs, the worker contexts, memory, and each worker process's
   * (its Python thread or every context taken; see WorkerProcess.noteBusy): the mean over the
   * fleet's processes and the busiest process's.
   */
  utilization: { cpu: number; workers: number; memory: number; process: number; processBusiest: number };
  /** The mechanisms' own state (see README: mechanisms). */
  mechanisms: Mechanisms;
  /**
   * Requests' connections by the SYN that got in (Listener.connectedAtSyn): index 0 the first,
   * 1-6 after that many retransmissions, 7 later. All 0 under `overflow: refuse` (no SYNs).
   */
  connectedAtSyn: number[];
  /** Little's law terms: time-average number in system, throughput (1/s), mean response time (s). */
  little: { L: number; lambda: number; W: number };
  /** Events the kernel ran (whole replication, warmup included). */
  events: number;
  /** Present when asked for (ReplicationOptions.timelineInterval). */
  timeline?: TimelineData;
}

export interface Mechanisms {
  /** Accept-queue length: time average per container, and the largest seen. */
  backlogMean: number;
  backlogMax: number;
  /**
   * SYNs dropped by a full accept queue; handshakes whose completing segment (the final ACK, or
   * the first data under TCP_DEFER_ACCEPT) overflowed it; SYNs answered with a cookie because
   * the SYN queue was full. Their sum is what Linux counts as ListenOverflows, less the cookies.
   */
  synDrops: number;
  ackOverflows: number;
  synCookies: number;
  /** Largest Classic ELB surge queue. */
  surgeQueueMax: number;
  /** Kept-alive connections reused safely (no race). */
  keepaliveReuses: number;
  /** Reuses that lost the keep-alive race (server idle close) / the close race (close after the response). */
  keepaliveRaces: number;
  closeRaces: number;
  /** Mean time from a close-after response's write to its close (uWSGI http-socket), ms; NaN if none. */
  closeDelayMeanMs: number;
  /** Attempts sent again: nginx's to the next server (proxy_next_upstream); an ALB/ELB pool with `retry`, a failed reused connection's request on a new one. */
  upstreamRetries: number;
  /** Recycles that drained and exited cleanly, and drains cut by the mercy kill. */
  drains: number;
  drainKills: number;
  /** Seconds recycling workers spent draining (accepting nothing), summed over workers. */
  drainSeconds: number;
  /** Seconds targets spent out of service (failed health checks), summed over targets. */
  unhealthySeconds: number;
  /** Highest memory use of any task, as a fraction of its limit (NaN without a limit). */
  memoryPeak: number;
  /** Share of a container's requests its busiest worker slot accepted (mean over containers). */
  busiestWorkerShare: number;
  /** Most MySQL connections open at once; connects refused (max_connections). */
  dbConnectionsMax: number;
  dbRefused: number;
  /**
   * Only with pre-opened connections (balancer.pool.preopen > 0): opened; requests sent on one
   * (no handshake); requests that met its close (keepalive-race); accepted empty (a worker
   * context waiting for a request); closed by the server's read timeout; closed by a worker's
   * death; closed by their node after its idle timeout.
   */
  preopenOpened?: number;
  preopenUsed?: number;
  preopenRaces?: number;
  preopenHeldEmpty?: number;
  preopenServerCloses?: number;
  preopenDeaths?: number;
  preopenIdleCloses?: number;
}

/** Probabilities at which the latency distribution is reported (its CDF, read from the sketch). */
export const CDF_PROBS = [0.001, 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.97, 0.99, 0.995, 0.999, 0.9999] as const;

export interface ReplicationOptions {
  /** Record a timeline sampled every this many seconds (bounded: see model/timeline.ts). */
  timelineInterval?: number;
  /** Report every request of the measured window as it ends (an access log). */
  requestSink?: RequestSink;
  /** Filled in with the events run and the requests simulated, warmup included (--profile). */
  cost?: ReplicationCost;
}

export function runReplication(model: Model, replication: number, options: ReplicationOptions = {}): ReplicationResult {
  try {
    return simulateReplication(model, replication, options);
  } catch (e) {
    if (!(e instanceof PendingEventsError)) throw e;
    // Not a bug: requests, connections and their timers pile up faster than the fleet ends them.
    throw new ExperimentInputError(
      `${model.name}: replication ${replication} held more than ${formatDecimal(e.limit, 3)} pending events at once ` +
        `(at ${Number(e.at.toPrecision(4))} s of simulated time): requests pile up faster than the fleet ends them, beyond what capsim can hold; ` +
        'lower the traffic (traffic.rate, traffic.users, traffic.bursts) or add capacity (fleet.containers, fleet.server.workers): a fleet this far behind fails nearly every request',
    );
  }
}

function simulateReplication(model: Model, replication: number, options: ReplicationOptions): ReplicationResult {
  const sim = new Simulation();
  const streams = new RandomStreams(model.simulation.seed, replication);
  const metrics = new Metrics(sim, model.balancer.kind);
  const fleet = new Fleet(sim, model, streams, metrics, options.requestSink ?? null);
  const { warmup, duration } = model.simulation;
  const timeline = options.timelineInterval ? new Timeline(sim, fleet.containers, options.timelineInterval, warmup + duration, () => fleet.settleQueues()) : null;
  metrics.timeline = timeline;

  fleet.start();
  if (warmup > 0) sim.run(warmup);
  const warmupArrivals = metrics.arrivals;
  metrics.startWindow();
  fleet.startWindow();
  timeline?.start();
  sim.run(warmup + duration);
  fleet.endWindow();
  if (options.cost) {
    options.cost.events = sim.executed;
    options.cost.requests = warmupArrivals + metrics.arrivals;
  }

  const ms = (s: number) => s * 1000;
  const lat = metrics.latency;
  const qw = metrics.queueWait;
  const now = sim.now;
  let cpuBusy = 0;
  let cores = 0;
  let zero = 0;
  let backlogSum = 0;
  let backlogMax = 0;
  let memSum = 0;
  let memPeak = 0;
  const limit = model.fleet.memory;
  for (const c of fleet.containers) {
    memSum += c.memory.mean(now) / limit;
    memPeak = Math.max(memPeak, c.memory.max / limit);
    cpuBusy += c.cpu.busyCoreSeconds();
    cores += c.cpu.cores;
    zero += c.zeroLiveSeconds;
    backlogSum += c.backlog.mean(now);
    backlogMax = Math.max(backlogMax, c.backlog.max);
  }
  const w = fleet.w;
  const perProcess = w.server.processUtilization(duration);
  return {
    replication,
    seconds: duration,
    arrivals: metrics.arrivals,
    containers: fleet.containers.length,
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
    latencyCdfMs: CDF_PROBS.map((p) => (lat.count > 0 ? ms(lat.quantile(p)) : NaN)),
    queueWaitMs: {
      mean: qw.count > 0 ? ms(qw.sum / qw.count) : NaN,
      p95: qw.count > 0 ? ms(qw.quantile(0.95)) : NaN,
    },
    waitProbability: qw.count > 0 ? metrics.waited / qw.count : NaN,
    recycles: metrics.recycles,
    respawns: metrics.respawns,
    sigkills: Array.from(metrics.sigkills),
    mercyExits: metrics.mercyExits,
    zeroLiveSeconds: zero,
    utilization: {
      cpu: cpuBusy / (cores * duration),
      workers: metrics.busyContexts.mean(now) / fleet.contextCount,
      memory: Number.isFinite(limit) ? memSum / fleet.containers.length : NaN,
      process: perProcess.mean,
      processBusiest: perProcess.max,
    },
    mechanisms: {
      backlogMean: backlogSum / fleet.containers.length,
      backlogMax,
      synDrops: w.listener.synDrops,
      ackOverflows: w.listener.ackOverflows,
      synCookies: w.listener.synCookies,
      surgeQueueMax: w.balancer.surgeMax,
      keepaliveReuses: w.balancer.pools.reduce((a, p) => a + p.reuses, 0),
      keepaliveRaces: w.balancer.pools.reduce((a, p) => a + p.races, 0),
      closeRaces: w.balancer.pools.reduce((a, p) => a + p.closeRaces, 0),
      closeDelayMeanMs: w.server.closeCount > 0 ? ms(w.server.closeDelaySum / w.server.closeCount) : NaN,
      upstreamRetries: (w.balancer.nginx?.retries ?? 0) + w.balancer.reuseRetries,
      drains: w.server.drains,
      drainKills: w.server.drainKills,
      drainSeconds: w.server.drainSeconds,
      busiestWorkerShare: w.server.busiestWorkerShare(),
      memoryPeak: Number.isFinite(limit) ? memPeak : NaN,
      unhealthySeconds: w.balancer.health.unhealthySeconds.reduce((a, b) => a + b, 0),
      dbConnectionsMax: w.db.openMax,
      dbRefused: w.db.refused,
      ...(w.balancer.preopen !== null
        ? {
            preopenOpened: w.balancer.preopen.opened,
            preopenUsed: w.balancer.preopen.used,
            preopenRaces: w.balancer.preopen.races,
            preopenHeldEmpty: w.balancer.preopen.heldEmpty,
            preopenServerCloses: w.balancer.preopen.serverCloses,
            preopenDeaths: w.balancer.preopen.deaths,
            preopenIdleCloses: w.balancer.preopen.idleCloses,
          }
        : {}),
    },
    connectedAtSyn: Array.from(w.listener.connectedAtSyn),
    little: {
      L: metrics.inSystem.mean(now),
      lambda: metrics.finished / duration,
      W: metrics.finished > 0 ? metrics.sojournSum / metrics.finished : NaN,
    },
    events: sim.executed,
    ...(timeline ? { timeline: timeline.result() } : {}),
  };
}
