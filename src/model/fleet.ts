// The fleet for one replication: traffic -> balancer -> containers -> worker processes, and
// the path each request takes through them. Handlers are bound once here; on the hot path
// they pass request slots and context ids, never new objects.
import { makeSampler, type Sampler } from '../kernel/distributions.js';
import { PsCpu } from '../kernel/ps-cpu.js';
import type { RandomStreams } from '../kernel/random-streams.js';
import type { Simulation } from '../kernel/simulation.js';
import type { Model } from '../scenario/model-types.js';
import { RoundRobin } from './balancer.js';
import { Container } from './container.js';
import type { Metrics } from './metrics.js';
import { Cause } from './outcome.js';
import { RequestTable } from './request-table.js';
import { EndpointTable, PhaseCode, PoissonSource } from './traffic.js';
import { ProcState, WorkerProcess } from './worker-process.js';

export class Fleet {
  readonly containers: Container[] = [];
  readonly procs: WorkerProcess[] = [];
  readonly table: RequestTable;
  /** Contexts in the whole fleet (for utilization). */
  readonly contextCount: number;
  private readonly endpoints: EndpointTable;
  private readonly source: PoissonSource;
  private readonly balancer: RoundRobin;
  private readonly respawnTime: Sampler;
  /** Request served by each context, or -1. */
  private readonly ctxReq: Int32Array;
  private readonly concurrency: number;
  private readonly maxRequests: number;

  // Handlers bound once.
  private readonly onWaitDone = (ctx: number) => this.phaseDone(ctx);
  private readonly onRespawned = (proc: number) => this.respawned(proc);

  constructor(
    private readonly sim: Simulation,
    private readonly model: Model,
    streams: RandomStreams,
    private readonly metrics: Metrics,
  ) {
    const { fleet, traffic } = model;
    const server = fleet.server;
    this.concurrency = server.mode === 'sync' ? 1 : server.concurrency;
    this.maxRequests = server.maxRequests;
    this.endpoints = new EndpointTable(traffic.endpoints, streams, streams.stream('traffic/endpoint'));
    this.table = new RequestTable(this.endpoints.maxPhases);
    this.respawnTime = makeSampler(server.respawn, streams.stream('server/respawn'));

    for (let c = 0; c < fleet.containers; c++) {
      const cpu = new PsCpu(sim, fleet.vcpu, server.workers, (local) => this.cpuDone(c, local));
      const container = new Container(c, cpu, server.backlog);
      for (let w = 0; w < server.workers; w++) {
        const proc = new WorkerProcess(this.procs.length, w, c, this.concurrency);
        proc.threshold = this.maxRequests > 0 ? this.maxRequests : Infinity;
        this.procs.push(proc);
        container.procs.push(proc);
        container.live++;
        this.becomeIdle(container, proc);
      }
      this.containers.push(container);
    }
    this.contextCount = this.procs.length * this.concurrency;
    this.ctxReq = new Int32Array(this.contextCount).fill(-1);
    this.balancer = new RoundRobin(fleet.containers);
    this.source = new PoissonSource(sim, traffic, streams.stream('traffic/arrivals'), this.endpoints, this.table, (slot) =>
      this.arrive(slot),
    );
  }

  start(): void {
    this.source.start();
  }

  /** Begin the measured window: reset the mechanisms' own measures. */
  startWindow(): void {
    const now = this.sim.now;
    for (const c of this.containers) {
      c.cpu.measureFrom();
      c.zeroLiveSeconds = 0;
      if (c.live === 0) c.zeroSince = now;
    }
  }

  /** Close the measured window: fold open intervals into the totals. */
  endWindow(): void {
    const now = this.sim.now;
    for (const c of this.containers) {
      if (c.live === 0) {
        c.zeroLiveSeconds += now - c.zeroSince;
        c.zeroSince = now;
      }
    }
  }

  // --- request path -------------------------------------------------------------------

  private arrive(slot: number): void {
    this.metrics.arrived();
    this.connect(this.balancer.pick(), slot);
  }

  /** The balancer's connection reaches container c's listen socket. */
  private connect(c: number, slot: number): void {
    const container = this.containers[c]!;
    const table = this.table;
    table.container[slot] = c;
    table.tContainer[slot] = this.sim.now;
    if (container.idle.length > 0) {
      const proc = this.procs[container.idle.pop()]!;
      proc.idle = false;
      this.accept(proc, slot);
    } else if (!container.acceptQueue.push(slot)) {
      // overflow: refuse — the textbook loss system: a full queue refuses the connection at once.
      this.fail(slot, Cause.BacklogOverflow);
    }
  }

  private accept(proc: WorkerProcess, slot: number): void {
    const table = this.table;
    this.metrics.accepted(table.tContainer[slot]!, table.tArrive[slot]!);
    const ctx = proc.takeContext();
    this.metrics.busyContexts.add(this.sim.now, 1);
    this.ctxReq[ctx] = slot;
    this.runPhase(ctx);
  }

  /** Run the request's current phase, or respond when none is left. */
  private runPhase(ctx: number): void {
    const slot = this.ctxReq[ctx]!;
    const table = this.table;
    const e = table.endpoint[slot]!;
    const p = table.phase[slot]!;
    if (p >= this.endpoints.phaseCount[e]!) {
      this.respond(ctx);
      return;
    }
    const work = table.work[slot * table.maxPhases + p]!;
    if (this.endpoints.kinds[e]![p] === PhaseCode.Cpu) {
      this.hubEnter(ctx, work);
    } else {
      this.sim.schedule(work, this.onWaitDone, ctx);
    }
  }

  private phaseDone(ctx: number): void {
    this.table.phase[this.ctxReq[ctx]!]++;
    this.runPhase(ctx);
  }

  /** A context needs the process's hub (its one Python thread) for a CPU phase. */
  private hubEnter(ctx: number, work: number): void {
    const proc = this.procs[(ctx / this.concurrency) | 0]!;
    if (proc.hubCtx < 0) {
      proc.hubCtx = ctx;
      this.containers[proc.container]!.cpu.start(proc.local, work);
    } else {
      proc.hubQueue.push(ctx);
    }
  }

  private cpuDone(c: number, local: number): void {
    const proc = this.containers[c]!.procs[local]!;
    const ctx = proc.hubCtx;
    proc.hubCtx = -1;
    // Hand the hub to the next waiting context before this one moves on.
    if (proc.hubQueue.length > 0) {
      const next = proc.hubQueue.shift();
      const slot = this.ctxReq[next]!;
      proc.hubCtx = next;
      this.containers[c]!.cpu.start(local, this.table.work[slot * this.table.maxPhases + this.table.phase[slot]!]!);
    }
    this.phaseDone(ctx);
  }

  /** The response is written: the request is done and the context free. */
  private respond(ctx: number): void {
    const slot = this.ctxReq[ctx]!;
    this.ctxReq[ctx] = -1;
    const proc = this.procs[(ctx / this.concurrency) | 0]!;
    this.finish(slot, Cause.Ok);
    proc.returnContext(ctx);
    this.metrics.busyContexts.add(this.sim.now, -1);
    proc.served++;
    if (proc.served >= proc.threshold && proc.state === ProcState.Accepting) this.beginRecycle(proc);
    if (proc.state === ProcState.Draining) {
      if (proc.busy === 0) this.exit(proc);
      return;
    }
    this.workerFree(proc);
  }

  private finish(slot: number, cause: number): void {
    this.metrics.ended(this.table.tArrive[slot]!, cause);
    this.table.release(slot);
  }

  private fail(slot: number, cause: number): void {
    this.finish(slot, cause);
  }

  /** A context of an accepting process is free: take the next queued connection or wait. */
  private workerFree(proc: WorkerProcess): void {
    const container = this.containers[proc.container]!;
    if (container.acceptQueue.length > 0) this.accept(proc, container.acceptQueue.shift());
    else if (!proc.idle) this.becomeIdle(container, proc);
  }

  private becomeIdle(container: Container, proc: WorkerProcess): void {
    proc.idle = true;
    container.idle.push(proc.id);
  }

  // --- worker lifecycle ------------------------------------------------------------------

  /** max-requests reached: stop accepting and finish what is in flight. */
  private beginRecycle(proc: WorkerProcess): void {
    proc.state = ProcState.Draining;
    this.metrics.recycles++;
    this.leaveLive(proc);
  }

  /** The process exits; the master respawns it after the respawn gap. */
  private exit(proc: WorkerProcess): void {
    proc.state = ProcState.Down;
    proc.resetContexts();
    this.sim.schedule(this.respawnTime(), this.onRespawned, proc.id);
  }

  private respawned(id: number): void {
    const proc = this.procs[id]!;
    proc.state = ProcState.Accepting;
    proc.served = 0;
    proc.threshold = this.maxRequests > 0 ? this.maxRequests : Infinity;
    this.metrics.respawns++;
    const container = this.containers[proc.container]!;
    if (container.live++ === 0) {
      container.zeroLiveSeconds += this.sim.now - container.zeroSince; // startWindow() clips it to the window
      container.zeroSince = NaN;
    }
    this.workerFree(proc);
  }

  private leaveLive(proc: WorkerProcess): void {
    const container = this.containers[proc.container]!;
    if (proc.idle) {
      container.idle.remove(proc.id);
      proc.idle = false;
    }
    if (--container.live === 0) container.zeroSince = this.sim.now;
  }
}
