// The fleet for one replication: traffic -> balancer -> containers' listen sockets -> app
// servers' workers -> database, wired together on one clock. Each part lives in its own file;
// this one only builds them and opens and closes the measured window.
import { LINUX } from '../facts/linux.js';
import { PsCpu } from '../kernel/ps-cpu.js';
import type { RandomStreams } from '../kernel/random-streams.js';
import type { Simulation } from '../kernel/simulation.js';
import type { Model } from '../scenario/model-types.js';
import { Balancer } from './balancer/balancer.js';
import { Container } from './container.js';
import { Database } from './db/database.js';
import { Listener } from './listener.js';
import type { Metrics } from './metrics.js';
import { RequestTable } from './request-table.js';
import type { RequestSink } from './request-sink.js';
import { AppServer } from './server/app-server.js';
import { RequestRunner } from './server/request-runner.js';
import { WorkerProcess } from './server/worker-process.js';
import { EndpointTable } from './traffic/endpoints.js';
import { BurstSource, ClosedUsersSource, PoissonSource, ProfileSource, type TrafficSource } from './traffic/sources.js';
import type { World } from './world.js';
import { loadReplay } from './traffic/replay-loader.js';
import { ReplaySource } from './traffic/replay-source.js';
import { Origin } from './request-table.js';

export class Fleet {
  readonly w: World;
  private readonly sources: TrafficSource[] = [];

  constructor(
    sim: Simulation,
    model: Model,
    private readonly streams: RandomStreams,
    metrics: Metrics,
    requestSink: RequestSink | null = null,
  ) {
    const { fleet, traffic, balancer } = model;
    const server = fleet.server;
    const concurrency = server.mode === 'sync' ? 1 : server.concurrency;
    const endpoints = new EndpointTable(traffic.endpoints, balancer.healthCheck.work, streams, streams.stream('traffic/endpoint'));
    const table = new RequestTable(endpoints.maxPhases);
    const containers: Container[] = [];
    const procs: WorkerProcess[] = [];
    // Linux's accept queue holds backlog + 1 connections, the backlog capped by somaxconn.
    const queueCap = fleet.overflow === 'linux' ? Math.min(server.backlog, fleet.somaxconn) + LINUX.acceptQueueExtra : server.backlog;
    const w: World = {
      sim,
      model,
      table,
      metrics,
      endpoints,
      containers,
      procs,
      concurrency,
      ctxReq: new Int32Array(fleet.containers * server.workers * concurrency).fill(-1),
      ctxTimer: new Float64Array(fleet.containers * server.workers * concurrency).fill(-1),
      requestSink,
      balancer: null as unknown as Balancer,
      listener: null as unknown as Listener,
      server: null as unknown as AppServer,
      runner: null as unknown as RequestRunner,
      db: null as unknown as Database,
    };
    this.w = w;
    for (let c = 0; c < fleet.containers; c++) {
      const cpu = new PsCpu(sim, fleet.vcpu, server.workers, (local) => w.runner.cpuDone(c, local));
      const container = new Container(c, cpu, queueCap);
      container.rss = server.memory.shared;
      container.memory.add(0, server.memory.shared);
      for (let k = 0; k < server.workers; k++) {
        const proc = new WorkerProcess(procs.length, k, c, concurrency);
        procs.push(proc);
        container.procs.push(proc);
      }
      containers.push(container);
    }
    w.db = new Database(sim, fleet.db, procs.length, concurrency, (ctx) => w.runner.poolGranted(ctx), (ctx) => w.runner.poolTimedOut(ctx));
    w.runner = new RequestRunner(w, streams);
    w.server = new AppServer(w, streams);
    w.listener = new Listener(w, streams);
    w.balancer = new Balancer(w, streams);

    const emit = (user: number) => {
      const slot = table.alloc(sim.now, user);
      endpoints.drawWork(table, slot, endpoints.choose());
      w.balancer.route(slot);
    };
    if (traffic.rate !== undefined) this.sources.push(new PoissonSource(sim, traffic.rate, streams.alea('traffic/arrivals'), emit));
    if (traffic.profile) {
      this.sources.push(new ProfileSource(sim, traffic.profile, streams.stream('traffic/arrivals'), streams.stream('traffic/thinning'), emit));
    }
    if (traffic.users) {
      const users = new ClosedUsersSource(sim, traffic.users, streams, emit);
      w.balancer.users = users;
      this.sources.push(users);
    }
    if (traffic.bursts) this.sources.push(new BurstSource(sim, traffic.bursts, streams, emit));
    if (traffic.replay) {
      const log = loadReplay(traffic.replay.file, traffic.replay.format, traffic.endpoints.map((e) => e.name));
      this.sources.push(
        new ReplaySource(sim, log, (e) => {
          const slot = table.alloc(sim.now, Origin.Open);
          endpoints.drawWork(table, slot, e >= 0 ? e : endpoints.choose());
          w.balancer.route(slot);
        }),
      );
    }
  }

  get containers(): Container[] {
    return this.w.containers;
  }

  /** Contexts in the whole fleet (for utilization). */
  get contextCount(): number {
    return this.w.procs.length * this.w.concurrency;
  }

  start(): void {
    this.w.server.start(this.streams.stream('server/master-phase'));
    this.w.balancer.start();
    for (const s of this.sources) s.start();
  }

  /** Begin the measured window: reset the mechanisms' own measures. */
  startWindow(): void {
    const w = this.w;
    const now = w.sim.now;
    this.settleQueues();
    for (const c of w.containers) {
      c.cpu.measureFrom();
      c.zeroLiveSeconds = 0;
      if (c.live === 0) c.zeroSince = now;
      c.backlog.reset(now);
      c.memory.reset(now);
    }
    w.listener.startWindow();
    w.balancer.startWindow();
    w.server.startWindow();
    w.db.startWindow();
  }

  /** Land the handshakes due by now in the accept queues (before reading them). */
  settleQueues(): void {
    for (const c of this.w.containers) this.w.listener.settle(c);
  }

  /** Close the measured window: fold open intervals into the totals. */
  endWindow(): void {
    const w = this.w;
    const now = w.sim.now;
    this.settleQueues();
    for (const c of w.containers) {
      if (c.live === 0) {
        c.zeroLiveSeconds += now - c.zeroSince;
        c.zeroSince = now;
      }
    }
    w.balancer.health.endWindow();
  }
}
