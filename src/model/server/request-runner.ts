// Running a request's phases on the worker that accepted it.
//
//   cpu  — Python code: needs the process's hub (GIL / gevent hub), then the container's CPU.
//   wait — I/O the worker waits on: a sync worker is held, a greenlet or thread yields.
//   db   — one query: the driver's client-side CPU, a connection (the pool, or a new one: MySQL
//          may refuse it), then the connect's and the server's time. mysqlclient is C: under
//          gevent its connect and its query hold the hub (no greenlet of the process runs
//          meanwhile); PyMySQL is pure Python: it yields during I/O but spends
//          `pymysqlCpuFactor` times the CPU. The driver's CPU is charged before the I/O, and
//          joins the preceding cpu phase's burst when there is one: one burst instead of two,
//          the same CPU (a reordering by a fraction of a millisecond, to save two events).
//
// The hub serves one context at a time, first come first served; a context whose next step
// needs the hub again at once keeps it (a greenlet only yields on I/O).
//
// A mysqlclient query under gevent followed by a CPU phase is handed to the CPU whole: nothing
// can take the hub from the query, and the burst's work is drawn already, so the burst starts
// when the query ends whatever happens meanwhile (but a kill). The PS CPU gets the burst with its
// start time (PsCpu.startAt) instead of an event at the query's end that would only start it:
// one event less per request, with the same results. (Not under gunicorn's timeout, whose
// heartbeat reads how long the hub has been on its current step.)
import { Draw } from '../../kernel/distributions.js';
import type { RandomStreams } from '../../kernel/random-streams.js';
import { Checkout } from '../db/database.js';
import { Cause } from '../outcome.js';
import { PhaseCode } from '../traffic/endpoints.js';
import type { World } from '../world.js';
import { connectionFate } from './profiles.js';
import { HubWork, type WorkerProcess } from './worker-process.js';

const enum DbStep {
  DriverCpu = 0,
  Checkout = 1,
  Connect = 2,
  Query = 3,
  QueryAfterConnect = 4,
  Done = 5,
}

/** table.step of a request whose response waits for the hub after its last I/O. */
const RESPONSE_AFTER_HUB = -1;

export class RequestRunner {
  /** Hand foldable queries' next bursts to the CPU (on by default; off only to test that it is exact). */
  static handQueriesToCpu = true;
  private readonly conc: number;
  /** CPU of the post-response work before a close-after server's close (fleet.server.closeLag); null: none. */
  private readonly closeWork: Draw | null;
  private readonly gevent: boolean;
  /** Does a db call hold the gevent hub (mysqlclient under gevent)? */
  private readonly dbBlocksHub: boolean;
  private readonly cpuFactor: number;
  private readonly connectTime: Draw;
  private readonly driverCpu: Draw;
  /** Per endpoint and phase: may a query in this db phase hand the next phase's CPU burst to the CPU? */
  private readonly foldAfter: Uint8Array[];
  private readonly timerHandler = (ctx: number) => this.timerDone(ctx);
  private readonly blockHandler = (ctx: number) => this.blockDone(ctx);

  constructor(
    private readonly w: World,
    streams: RandomStreams,
  ) {
    const { server, db } = w.model.fleet;
    this.conc = w.concurrency;
    // Modelled where it decides the close race: a keep-alive balancer in front of a close-after
    // server (elsewhere the endpoint's phases hold it like any other work of the request).
    const closeWorkModelled = w.model.balancer.keepAlive && connectionFate(server) === 'close-after';
    this.closeWork = closeWorkModelled ? new Draw(server.closeLag, streams.alea('server/close-work')) : null;
    this.gevent = server.mode === 'gevent';
    this.dbBlocksHub = server.mode === 'gevent' && db.driver === 'mysqlclient';
    this.cpuFactor = db.driver === 'pymysql' ? db.pymysqlCpuFactor : 1;
    this.connectTime = new Draw(db.connect, streams.alea('db/connect'));
    this.driverCpu = new Draw(db.driverCpu, streams.alea('db/driver-cpu'));
    this.driverMerged = w.endpoints.kinds.map((k) => Uint8Array.from(k, (kind, p) => (kind === PhaseCode.Db && p > 0 && k[p - 1] === PhaseCode.Cpu ? 1 : 0)));
    // The burst after the query must be known at the query's start: no draw for it then (a
    // driver CPU draw would move in its stream's order), and nothing that watches the hub's step.
    const drawFree = db.driverCpu.kind === 'const';
    const watched = server.kind === 'gunicorn' && server.harakiri > 0;
    const fold = this.dbBlocksHub && !watched && RequestRunner.handQueriesToCpu;
    this.foldAfter = w.endpoints.kinds.map((k, e) =>
      Uint8Array.from(k, (kind, p) =>
        fold && kind === PhaseCode.Db && k[p + 1] === PhaseCode.Cpu && (drawFree || this.driverMerged[e]![p + 2] !== 1) ? 1 : 0,
      ),
    );
  }

  /** Per endpoint and phase: does a db phase get its driver CPU from the cpu phase before it? */
  private readonly driverMerged: Uint8Array[];

  /** A worker context has just accepted the request in it. */
  begin(ctx: number): void {
    this.w.table.phase[this.w.ctxReq[ctx]!] = 0;
    this.run(ctx);
  }

  /** Stop whatever the context was doing (its process is being killed). */
  abort(ctx: number, proc: WorkerProcess): void {
    const w = this.w;
    const timer = w.ctxTimer[ctx]!;
    if (timer >= 0) {
      w.sim.cancel(timer);
      w.ctxTimer[ctx] = -1;
    }
    if (w.db.pooled) w.db.withdraw(proc.id, ctx);
  }

  /** A CPU burst of process `local` in container c ended. */
  cpuDone(c: number, local: number): void {
    const proc = this.w.containers[c]!.procs[local]!;
    this.hubItemDone(proc, proc.hubCtx);
  }

  /** The pool lent a connection to a waiting context. */
  poolGranted(ctx: number): void {
    const slot = this.w.ctxReq[ctx]!;
    if (this.w.db.grantedNeedsConnect(ctx)) this.w.table.step[slot] = DbStep.Connect;
    else {
      this.w.table.dbConn[slot] = 1;
      this.w.table.step[slot] = DbStep.Query;
    }
    this.dbStep(ctx);
  }

  /** QueuePool's timeout: the app raises TimeoutError and answers 500. */
  poolTimedOut(ctx: number): void {
    this.w.server.requestDone(ctx, Cause.PoolTimeout);
  }

  private run(ctx: number): void {
    const w = this.w;
    const table = w.table;
    const slot = w.ctxReq[ctx]!;
    const e = table.endpoint[slot]!;
    const p = table.phase[slot]!;
    if (p >= w.endpoints.phaseCount[e]!) {
      // A greenlet (thread) back from I/O needs the hub (GIL) again to write its response: behind
      // whoever holds it. (step RESPONSE_AFTER_HUB marks the second pass, the hub granted.)
      if (this.conc > 1 && table.step[slot] !== RESPONSE_AFTER_HUB) {
        const proc = w.procs[(ctx / this.conc) | 0]!;
        if (proc.hubCtx >= 0 || proc.hubWaiting) {
          table.step[slot] = RESPONSE_AFTER_HUB;
          this.hub(ctx, HubWork.Cpu, 0);
          return;
        }
      }
      table.step[slot] = 0;
      w.server.requestDone(ctx, Cause.Ok);
      return;
    }
    switch (w.endpoints.kinds[e]![p]) {
      case PhaseCode.Cpu: {
        let work = table.work[slot * table.maxPhases + p]!;
        if (this.driverMerged[e]![p + 1] === 1) work += this.driverCpu.draw() * this.cpuFactor;
        this.hub(ctx, HubWork.Cpu, work);
        return;
      }
      case PhaseCode.Wait:
        w.ctxTimer[ctx] = w.sim.schedule(table.work[slot * table.maxPhases + p]!, this.timerHandler, ctx);
        return;
      default:
        table.step[slot] = this.driverMerged[e]![p] === 1 ? DbStep.Checkout : DbStep.DriverCpu;
        this.dbStep(ctx);
    }
  }

  /** The current phase (or db step) is over: go on. */
  private resume(ctx: number): void {
    const table = this.w.table;
    const slot = this.w.ctxReq[ctx]!;
    const e = table.endpoint[slot]!;
    if (table.step[slot] === RESPONSE_AFTER_HUB) {
      this.run(ctx);
      return;
    }
    if (this.w.endpoints.kinds[e]![table.phase[slot]!] === PhaseCode.Db) {
      this.dbStep(ctx);
      return;
    }
    table.phase[slot]++;
    this.run(ctx);
  }

  private dbStep(ctx: number): void {
    const w = this.w;
    const table = w.table;
    const slot = w.ctxReq[ctx]!;
    const proc = w.procs[(ctx / this.conc) | 0]!;
    switch (table.step[slot]) {
      case DbStep.DriverCpu:
        table.step[slot] = DbStep.Checkout;
        this.hub(ctx, HubWork.Cpu, this.driverCpu.draw() * this.cpuFactor);
        return;
      case DbStep.Checkout: {
        if (table.dbConn[slot]) {
          table.step[slot] = DbStep.Query;
          this.dbStep(ctx);
          return;
        }
        const got = w.db.checkout(proc.id, ctx);
        if (got === Checkout.Wait) return;
        if (got === Checkout.Ready) {
          table.dbConn[slot] = 1;
          table.step[slot] = DbStep.Query;
        } else table.step[slot] = DbStep.Connect;
        this.dbStep(ctx);
        return;
      }
      case DbStep.Connect:
        if (!w.db.connect(proc.id)) {
          w.db.connectFailed(proc.id);
          w.server.requestDone(ctx, Cause.DbMaxConnections);
          return;
        }
        table.dbConn[slot] = 1;
        table.step[slot] = DbStep.QueryAfterConnect;
        this.dbStep(ctx);
        return;
      case DbStep.Query:
      case DbStep.QueryAfterConnect: {
        // The connect's round trips and the query's server time: one stretch of I/O.
        const connect = table.step[slot] === DbStep.QueryAfterConnect ? this.connectTime.draw() : 0;
        table.step[slot] = DbStep.Done;
        this.io(ctx, connect + table.work[slot * table.maxPhases + table.phase[slot]!]!);
        return;
      }
      default:
        table.step[slot] = 0;
        table.phase[slot]++;
        this.run(ctx);
    }
  }

  /** Database I/O: holds the hub under gevent + mysqlclient, yields otherwise. */
  private io(ctx: number, seconds: number): void {
    if (!this.dbBlocksHub) this.w.ctxTimer[ctx] = this.w.sim.schedule(seconds, this.timerHandler, ctx);
    else if (!(seconds > 0 && this.handQueryToCpu(ctx, seconds))) this.hub(ctx, HubWork.Block, seconds);
  }

  /**
   * The query holds the hub for `seconds`, then the next phase's CPU burst runs (see the top):
   * take the hub as hubStart would for the query, do now what the query's end would do (the next
   * phase, its work), and start the burst on the CPU at the query's end. False if not foldable.
   */
  private handQueryToCpu(ctx: number, seconds: number): boolean {
    const w = this.w;
    const table = w.table;
    const slot = w.ctxReq[ctx]!;
    const e = table.endpoint[slot]!;
    const p = table.phase[slot]!;
    const proc = w.procs[(ctx / this.conc) | 0]!;
    // A query that must first wait for the hub (after waiting for a pooled connection) is not.
    if (this.foldAfter[e]![p] !== 1 || proc.hubCtx >= 0) return false;
    if (proc.idle) w.server.hubBusy(proc);
    if (!proc.hubWaiting) proc.pollAt = w.sim.now;
    proc.hubCtx = ctx;
    proc.hubWork = HubWork.Block;
    proc.hubSince = w.sim.now;
    proc.noteBusy(w.sim.now);
    table.step[slot] = 0;
    table.phase[slot] = p + 1;
    let work = table.work[slot * table.maxPhases + p + 1]!;
    if (this.driverMerged[e]![p + 2] === 1) work += this.driverCpu.draw() * this.cpuFactor;
    w.containers[proc.container]!.cpu.startAt(proc.local, w.sim.now + seconds, work);
    return true;
  }

  private timerDone(ctx: number): void {
    this.w.ctxTimer[ctx] = -1;
    this.resume(ctx);
  }

  // --- the hub ------------------------------------------------------------------------

  /**
   * The context wrote its response; it closes the request when the hub runs it again, after
   * `closeWork` of CPU (a close-after server's post-response work; 0 otherwise). uWSGI gevent's
   * greenlet yields with gevent.sleep(0) (GEVENT_SWITCH): libev runs it at the start of its next
   * loop iteration, after the greenlets the current iteration's poll found ready, ahead of those
   * that became ready since (proc.closeQueue; nextForHub).
   */
  closeOnHub(ctx: number, proc: WorkerProcess): void {
    const work = this.closeWork === null ? 0 : this.closeWork.draw();
    if (proc.hubCtx < 0 && !proc.hubWaiting) {
      proc.pollAt = this.w.sim.now;
      if (work > 0) this.hubStart(proc, ctx, HubWork.Close, work);
      else this.w.server.closedOnHub(ctx, proc);
      return;
    }
    const k = ctx - proc.id * this.conc;
    proc.wantKind[k] = HubWork.Close;
    proc.wantWork[k] = work;
    // (threads: the GIL has no such order; the close waits behind the others.)
    if (this.gevent) proc.closeQueue.push(ctx);
    else {
      proc.wantSince[k] = this.w.sim.now;
      proc.hubQueue.push(ctx);
    }
  }

  private hub(ctx: number, kind: HubWork, work: number): void {
    const proc = this.w.procs[(ctx / this.conc) | 0]!;
    if (proc.hubCtx < 0) {
      // An idle hub waits in its poll: this readiness wakes it, a new loop iteration. (With
      // others waiting, the hub is between two of them: the greenlet it ran goes on.)
      if (!proc.hubWaiting) proc.pollAt = this.w.sim.now;
      this.hubStart(proc, ctx, kind, work);
    } else {
      const k = ctx - proc.id * this.conc;
      proc.wantKind[k] = kind;
      proc.wantWork[k] = work;
      proc.wantSince[k] = this.w.sim.now;
      proc.hubQueue.push(ctx);
    }
  }

  /**
   * What the hub runs next (proc.hubWaiting). gevent: the greenlets the current loop iteration's
   * poll found ready (queued by pollAt) first; then the next iteration: its callbacks (the
   * closes), then its poll, which finds whoever became ready since. Otherwise first come.
   */
  private nextForHub(proc: WorkerProcess): number {
    const queue = proc.hubQueue;
    this.polled = false;
    if (queue.length === 0) return proc.closeQueue.shift();
    const thisIteration = proc.wantSince[queue.peek() - proc.id * this.conc]! <= proc.pollAt;
    if (!thisIteration && proc.closeQueue.length > 0) return proc.closeQueue.shift();
    if (!thisIteration) {
      proc.pollAt = this.w.sim.now;
      this.polled = true;
    }
    return queue.shift();
  }

  /** Did the last nextForHub begin a new loop iteration (a poll)? */
  private polled = false;

  private hubStart(proc: WorkerProcess, ctx: number, kind: HubWork, work: number): void {
    const w = this.w;
    if (proc.idle) w.server.hubBusy(proc);
    proc.hubCtx = ctx;
    proc.hubWork = kind;
    proc.hubSince = w.sim.now;
    proc.noteBusy(w.sim.now);
    if (kind !== HubWork.Block) w.containers[proc.container]!.cpu.start(proc.local, work);
    else w.ctxTimer[ctx] = w.sim.schedule(work, this.blockHandler, ctx);
  }

  private blockDone(ctx: number): void {
    this.w.ctxTimer[ctx] = -1;
    this.hubItemDone(this.w.procs[(ctx / this.conc) | 0]!, ctx);
  }

  private hubItemDone(proc: WorkerProcess, ctx: number): void {
    proc.hubCtx = -1;
    proc.noteBusy(this.w.sim.now);
    const incarnation = proc.incarnation;
    if (proc.hubWork === HubWork.Close) this.w.server.closedOnHub(ctx, proc);
    else this.resume(ctx);
    // The context may have ended the request, and the process with it (killed, exited).
    if (proc.incarnation !== incarnation || proc.hubCtx >= 0) return;
    while (proc.hubWaiting) {
      const next = this.nextForHub(proc);
      const k = next - proc.id * this.conc;
      const kind = proc.wantKind[k]!;
      if (kind === HubWork.Close && proc.wantWork[k] === 0) {
        // A greenlet's close with no work before it: the hub goes on to the next at once.
        this.w.server.closedOnHub(next, proc);
        if (proc.incarnation !== incarnation || proc.hubCtx >= 0) return;
        continue;
      }
      this.hubStart(proc, next, kind, proc.wantWork[k]!);
      // The hub may take one new connection, whose greenlet queues behind: gevent once per loop
      // iteration (the listen socket's watcher, plugins/gevent/gevent.c py_uwsgi_gevent_main,
      // accepts one per call), so at each poll; threads at each switch.
      if (!this.gevent || this.polled) this.w.server.switchPoint(proc);
      return;
    }
    this.w.server.hubIdle(proc);
  }
}
