// What one replication measures. Every figure covers the measured window only: requests that
// arrived after the warmup, time averages from the end of the warmup. Memory is constant.
import { QuantileSketch } from '../stats/quantile-sketch.js';
import type { Timeline } from './timeline.js';
import { TimeWeighted } from '../stats/time-weighted.js';
import { CAUSES, KILL_REASONS, STATUSES, causeStatuses, type KillReason } from './outcome.js';
import { F64_ZERO } from '../kernel/f64.js';

export class Metrics {
  /** Start of the measured window (end of warmup). */
  from = F64_ZERO;
  readonly status = new Float64Array(STATUSES.length);
  readonly cause = new Float64Array(CAUSES.length);
  /** Client-side latency of successful (2xx) requests, s. */
  readonly latency = new QuantileSketch();
  /** Time from reaching a container to being accepted by a worker, s. */
  readonly queueWait = new QuantileSketch();
  /** Requests in the system (balancer to response): for Little's law. */
  readonly inSystem = new TimeWeighted();
  /** Contexts (sync workers, greenlets, threads) serving a request. */
  readonly busyContexts = new TimeWeighted();
  /** Sum of response times of all finished measured requests (any status), s. */
  sojournSum = F64_ZERO;
  finished = 0;
  arrivals = 0;
  /** Accepted requests that had to wait in the accept queue. */
  waited = 0;
  recycles = 0;
  respawns = 0;
  readonly sigkills = new Float64Array(KILL_REASONS.length);
  /** Recycling workers that exited at their mercy deadline with requests in them (no SIGKILL). */
  mercyExits = 0;
  /** The status each cause gets from this run's balancer. */
  private readonly causeStatus: Int32Array;

  /** The optional trace of this replication. */
  timeline: Timeline | null = null;

  constructor(
    private readonly clock: { now: number },
    balancer: 'elb' | 'alb' | 'nginx' = 'alb',
  ) {
    this.causeStatus = causeStatuses(balancer);
  }

  /** Start the measured window now: forget the warmup. */
  startWindow(): void {
    const now = this.clock.now;
    this.from = now;
    this.status.fill(0);
    this.cause.fill(0);
    this.latency.reset();
    this.queueWait.reset();
    this.inSystem.reset(now);
    this.busyContexts.reset(now);
    this.sojournSum = 0;
    this.finished = 0;
    this.arrivals = 0;
    this.waited = 0;
    this.recycles = 0;
    this.respawns = 0;
    this.sigkills.fill(0);
    this.mercyExits = 0;
  }

  arrived(): void {
    this.inSystem.add(this.clock.now, 1);
    this.arrivals++;
  }

  accepted(tContainer: number, tArrive: number): void {
    if (tArrive < this.from) return;
    const w = this.clock.now - tContainer;
    this.queueWait.add(w);
    if (w > 0) this.waited++;
  }

  /** A request ended with `cause` (0 = success) after arriving at tArrive, at `container` (-1: none). */
  ended(tArrive: number, cause: number, container = -1): void {
    const now = this.clock.now;
    this.inSystem.add(now, -1);
    if (tArrive < this.from) return;
    const rt = now - tArrive;
    this.finished++;
    this.sojournSum += rt;
    this.cause[cause]++;
    const status = this.causeStatus[cause]!;
    this.status[status]++;
    if (cause !== 0 && this.timeline !== null) this.timeline.failure(cause, status, container);
    if (cause === 0) this.latency.add(rt);
  }

  // Worker events: counted, and placed on the timeline when one is recorded (rare events: one
  // null check each, nothing on the request path).
  recycled(container: number): void {
    this.recycles++;
    this.timeline?.workerEvent('recycle', container);
  }

  mercyExit(container: number): void {
    this.mercyExits++;
    this.timeline?.workerEvent('mercy-exit', container);
  }

  killed(reason: KillReason, container = -1): void {
    this.sigkills[KILL_REASONS.indexOf(reason)]++;
    this.timeline?.workerEvent(`SIGKILL ${reason}`, container);
  }
}
