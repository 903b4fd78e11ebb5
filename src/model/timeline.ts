// An optional, bounded trace of one replication: the state of each container sampled at a fixed
// interval (workers accepting, draining, down; accept-queue length; requests being served) and
// every failure with its time, cause and status, and every worker event (recycle, mercy exit,
// SIGKILL with its reason) with its time and container (each up to a cap). Built only when asked for: a run without
// it pays one null check per failed request, nothing per event.
import type { Simulation } from '../kernel/simulation.js';
import type { Container } from './container.js';
import { CAUSES, STATUSES } from './outcome.js';
import { ProcState } from './server/worker-process.js';

export interface ContainerTrace {
  accepting: number[];
  draining: number[];
  down: number[];
  backlog: number[];
  busy: number[];
}

export interface TimelineData {
  /** Sampling interval, s; sample i is at from + i·interval (s since the start of the run). */
  interval: number;
  t: number[];
  containers: ContainerTrace[];
  failures: { t: number[]; cause: string[]; status: string[]; container: number[] };
  /** Failures not listed because the cap was reached. */
  failuresOmitted: number;
  /** Worker events: kind is `recycle`, `mercy-exit` or `SIGKILL REASON` (outcome.ts KILL_REASONS). */
  events: { t: number[]; kind: string[]; container: number[] };
  /** Worker events not listed because the cap was reached. */
  eventsOmitted: number;
}

/** The sampling interval when none is asked for: the window / 4000, at least 1 s. */
export function defaultTimelineInterval(windowSeconds: number): number {
  return Math.max(1, windowSeconds / 4000);
}

export class Timeline {
  private readonly data: TimelineData;
  private readonly handler = () => this.sample();

  constructor(
    private readonly sim: Simulation,
    private readonly containers: Container[],
    interval: number,
    private readonly until: number,
    /** Brings the accept queues up to date before a sample (lazy handshakes: see Listener). */
    private readonly settle: () => void = () => {},
    private readonly maxFailures = 20_000,
  ) {
    this.data = {
      interval,
      t: [],
      containers: containers.map(() => ({ accepting: [], draining: [], down: [], backlog: [], busy: [] })),
      failures: { t: [], cause: [], status: [], container: [] },
      failuresOmitted: 0,
      events: { t: [], kind: [], container: [] },
      eventsOmitted: 0,
    };
  }

  /** Start sampling now (the measured window's start). */
  start(): void {
    this.data.t.length = 0;
    for (const c of this.data.containers) for (const k of Object.keys(c) as (keyof ContainerTrace)[]) c[k].length = 0;
    const f = this.data.failures;
    f.t.length = f.cause.length = f.status.length = f.container.length = 0;
    this.data.failuresOmitted = 0;
    const e = this.data.events;
    e.t.length = e.kind.length = e.container.length = 0;
    this.data.eventsOmitted = 0;
    this.sample();
  }

  failure(cause: number, status: number, container: number): void {
    const f = this.data.failures;
    if (f.t.length >= this.maxFailures) {
      this.data.failuresOmitted++;
      return;
    }
    f.t.push(this.sim.now);
    f.cause.push(CAUSES[cause]!.name);
    f.status.push(STATUSES[status]!);
    f.container.push(container);
  }

  workerEvent(kind: string, container: number): void {
    const e = this.data.events;
    if (e.t.length >= this.maxFailures) {
      this.data.eventsOmitted++;
      return;
    }
    e.t.push(this.sim.now);
    e.kind.push(kind);
    e.container.push(container);
  }

  result(): TimelineData {
    return this.data;
  }

  private sample(): void {
    this.settle();
    const now = this.sim.now;
    this.data.t.push(now);
    this.containers.forEach((c, i) => {
      let accepting = 0;
      let draining = 0;
      let busy = 0;
      for (const p of c.procs) {
        if (p.state === ProcState.Accepting) accepting++;
        else if (p.state === ProcState.Draining || p.state === ProcState.Exiting) draining++;
        busy += p.busy;
      }
      const trace = this.data.containers[i]!;
      trace.accepting.push(accepting);
      trace.draining.push(draining);
      trace.down.push(c.procs.length - accepting - draining);
      trace.backlog.push(c.acceptQueue.length);
      trace.busy.push(busy);
    });
    if (now + this.data.interval <= this.until + 1e-9) this.sim.schedule(this.data.interval, this.handler);
  }
}
