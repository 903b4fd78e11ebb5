// The app servers' masters and workers (uWSGI or gunicorn). This class holds their state and
// the end of a request on the server (requestDone, closedOnHub, release); each other rule has a
// file of its own, named after it, following the source of the version modelled (docs/model.md,
// "Recycling by server and mode"):
//   accept.ts   which worker accepts a connection (the accept queue, the idle order, gevent's hub);
//   recycle.ts  when a worker recycles (max-requests, reload-on-rss, gunicorn's alive = False);
//   drain.ts    how a recycling worker drains and exits, or dies at its mercy deadline;
//   kill.ts     SIGKILLs (harakiri, timeout, OOM, evil-reload, NO MERCY) and what dies with a process;
//   respawn.ts  the master: reaping an exited worker, forking and importing its successor.
// The rules are functions of this class's state (their first argument), not methods: one call
// each on the hot path, as before the split.
import { makeSampler, type Sampler } from '../../kernel/distributions.js';
import type { RandomStreams, Uniform } from '../../kernel/random-streams.js';
import type { Container } from '../container.js';
import { Cause, type KillReason } from '../outcome.js';
import { Origin } from '../request-table.js';
import type { World } from '../world.js';
import { F64_ZERO } from '../../kernel/f64.js';
import { connectionFate, honours } from './profiles.js';
import { uwsgiSocketTimeout } from '../../facts/uwsgi.js';
import { ProcState, type WorkerProcess } from './worker-process.js';
import { accept, acceptNow, deliverKeptAlive, leaveIdle, pull, requestBytes, switchPoint } from './accept.js';
import { beginRecycle, noticeRetire, wantsRecycle } from './recycle.js';
import { beginExit, exitDone, mercyExpired } from './drain.js';
import { addRss, kill, oomKill } from './kill.js';
import { born, masterTick, reap, spawned } from './respawn.js';

export class AppServer {
  readonly gevent: boolean;
  readonly uwsgi: boolean;
  readonly order: 'lifo' | 'fifo' | 'favourite';
  /** gunicorn gevent/gthread: the worker's loop notices alive = False on its next 1 s turn. */
  readonly noticeHandler = (ref: number) => noticeRetire(this, ref);
  readonly fork: Sampler;
  readonly appImport: Sampler;
  readonly exitDelay: Sampler;
  readonly respawnGap: Sampler | null;
  readonly jitter: Uniform;
  readonly initialServed: Uniform;
  readonly deltaHonoured: boolean;
  /** Does a response leave a connection the server closes after it (uWSGI http-socket)? */
  readonly closeAfter: boolean;
  /**
   * The close waits for the hub: uWSGI gevent (the greenlet switches to the hub after the
   * response and closes when it runs again), and every close-after server, whose worker runs
   * the app's post-response work (closeLag of CPU) before the close.
   */
  readonly hubClose: boolean;
  /** Write time of each context's last response (hubClose only), for the close delay. */
  readonly wrote: Float64Array | null;
  /** Close-after responses and the sum of their write-to-close delays, s (measured window). */
  closeCount = 0;
  closeDelaySum = 0;
  /** Recycles that ended in a clean exit / in a kill at the mercy deadline (measured window). */
  drains = 0;
  drainKills = 0;
  /**
   * Seconds recycling workers spent draining, summed (measured window): from max-requests to the
   * end of their last request (or the mercy deadline), while they accept nothing.
   */
  drainSeconds = F64_ZERO;
  /** Requests each process accepted since startWindow() (by process id): how uneven accepting is. */
  readonly accepted: Float64Array;
  readonly tickHandler = (c: number) => masterTick(this, c);
  readonly exitHandler = (ref: number) => exitDone(this, ref);
  readonly mercyHandler = (ref: number) => mercyExpired(this, ref);
  readonly spawnedHandler = (ref: number) => spawned(this, ref);
  readonly reapHandler = (id: number) => reap(this, id);
  readonly requestBytesHandler = (ctx: number) => requestBytes(this, ctx);
  /** uWSGI: how long a worker waits for a request's bytes (socket-timeout; 30 s under --gevent). */
  readonly socketTimeout: number;

  constructor(
    readonly w: World,
    streams: RandomStreams,
  ) {
    const s = w.model.fleet.server;
    this.gevent = s.mode === 'gevent';
    this.uwsgi = s.kind === 'uwsgi';
    this.order = s.acceptOrder;
    this.fork = makeSampler(s.fork, streams.stream('server/fork'));
    this.appImport = makeSampler(s.appImport, streams.stream('server/app-import'));
    this.exitDelay = makeSampler(s.exitDelay, streams.stream('server/exit'));
    this.respawnGap = s.respawn ? makeSampler(s.respawn, streams.stream('server/respawn')) : null;
    this.jitter = streams.stream('server/max-requests-jitter');
    this.initialServed = streams.stream('server/initial-served');
    this.deltaHonoured = this.uwsgi && honours('uwsgi', s.version, 'maxRequestsDelta', s.mode).ok;
    this.closeAfter = connectionFate(s) === 'close-after';
    this.hubClose = (this.uwsgi && this.gevent) || (this.closeAfter && w.model.balancer.keepAlive);
    this.wrote = this.hubClose ? new Float64Array(w.ctxReq.length) : null;
    this.accepted = new Float64Array(w.procs.length);
    this.socketTimeout = uwsgiSocketTimeout(s.mode);
  }

  /** Mean over containers of the share of their requests that their busiest worker slot accepted. */
  busiestWorkerShare(): number {
    let sum = 0;
    let n = 0;
    for (const c of this.w.containers) {
      let total = 0;
      let most = 0;
      for (const p of c.procs) {
        total += this.accepted[p.id]!;
        if (this.accepted[p.id]! > most) most = this.accepted[p.id]!;
      }
      if (total > 0) {
        sum += most / total;
        n++;
      }
    }
    return n > 0 ? sum / n : NaN;
  }

  /** Every worker starts accepting at time 0; the masters start their loops. */
  start(masterPhase: Uniform): void {
    const w = this.w;
    const s = w.model.fleet.server;
    // The fleet starts as if it had been running a while: each worker has already served a
    // uniform share of its recycling limit (and is past min-worker-lifetime). Starting every
    // worker at zero would recycle the whole fleet in lockstep, a storm of the simulator's making.
    const served = this.initialServed;
    for (const proc of w.procs) {
      born(this, proc);
      if (!s.startFresh) {
        if (proc.threshold < Infinity) proc.served = Math.floor(served() * proc.threshold);
        proc.bornAt = -s.minWorkerLifetime;
      }
      pull(this, proc);
    }
    // The master's loop turns every `cycle` seconds from a random phase. A turn with nothing to
    // check changes nothing, so turns are simulated only when there is something to check:
    // always with harakiri / timeout / evil-reload, otherwise only after a worker exits.
    this.cycle = this.uwsgi ? s.masterCycle : 1;
    this.alwaysTick = this.uwsgi ? s.harakiri > 0 || s.evilReloadOnRss > 0 : s.harakiri > 0;
    for (const c of w.containers) {
      c.masterPhase = masterPhase() * this.cycle;
      if (this.alwaysTick && this.cycle > 0) {
        c.tickPending = true;
        w.sim.at(c.masterPhase, this.tickHandler, c.index);
      }
    }
  }

  cycle = 1;
  alwaysTick = false;

  // --- accepting (accept.ts) ----------------------------------------------------------------

  /** An idle worker of the container accepts the connection at once, if there is one. */
  acceptNow(container: Container, slot: number): boolean {
    return acceptNow(this, container, slot);
  }

  /** A request arrives on a connection the balancer kept alive to this process. */
  deliverKeptAlive(proc: WorkerProcess, slot: number): void {
    deliverKeptAlive(this, proc, slot);
  }

  /** gevent: the hub switches between greenlets; it may accept one queued connection. */
  switchPoint(proc: WorkerProcess): void {
    switchPoint(this, proc);
  }

  /** The process's hub starts running something: it is no longer blocked in accept(). */
  hubBusy(proc: WorkerProcess): void {
    if (proc.idle && this.gevent) leaveIdle(this, proc);
  }

  /** The process's hub has nothing to run. */
  hubIdle(proc: WorkerProcess): void {
    if (proc.state === ProcState.Accepting) pull(this, proc);
  }

  // --- a request ends on the server -----------------------------------------------------

  /** The worker wrote its answer (cause Ok, or an app error 500) and closes the request. */
  requestDone(ctx: number, cause: number): void {
    const w = this.w;
    const table = w.table;
    const slot = w.ctxReq[ctx]!;
    const proc = w.procs[(ctx / w.concurrency) | 0]!;
    w.ctxReq[ctx] = -1;
    if (table.dbConn[slot]) {
      w.db.checkin(proc.id);
      table.dbConn[slot] = 0;
    }
    const toBalancer = table.clientWaiting[slot] === 1 && table.user[slot] !== Origin.HealthCheck;
    w.balancer.answer(slot, cause);
    if (toBalancer) {
      if (this.closeAfter) {
        // uWSGI http-socket: HTTP/1.1, a Content-Length, no `Connection: close`; then the close.
        // A balancer without keep-alive never reuses the connection: nothing to pool.
        if (w.balancer.closeAfter) w.balancer.closing(table.node[slot]!, proc.container, proc.id, proc.incarnation, ctx);
      } else if (cause === Cause.Ok && proc.state === ProcState.Accepting && proc.served + (this.uwsgi ? 1 : 0) < proc.threshold) {
        // The connection stays open for reuse only if the balancer still waited for this response
        // (after its timeout it closed the connection) and the worker is not about to recycle
        // (gunicorn sets alive = False and force-closes the response that reaches max_requests).
        w.balancer.keptAlive(table.node[slot]!, proc.container, proc.id, proc.incarnation);
      }
    }
    table.serverDone(slot);
    if (this.hubClose) {
      // plugins/gevent/gevent.c py_uwsgi_gevent_request: after the last chunk the response
      // subhandler returns UWSGI_AGAIN, the greenlet switches to the hub (GEVENT_SWITCH) and
      // calls uwsgi_close_request only when the hub runs it again: the core stays in_request.
      // A close-after server (any mode) first runs the app's post-response work: the WSGI
      // iterable's close() (Django's request_finished closes the DB connection), then
      // uwsgi_close_request closes the socket (core/utils.c close_and_free_request).
      this.wrote![ctx] = w.sim.now;
      proc.closing++;
      w.runner.closeOnHub(ctx, proc);
      return;
    }
    this.release(proc, ctx);
  }

  /** uWSGI gevent: the hub ran the greenlet's uwsgi_close_request: the socket closes now. */
  closedOnHub(ctx: number, proc: WorkerProcess): void {
    const w = this.w;
    const now = w.sim.now;
    proc.closing--;
    if (this.closeAfter) {
      // The post-response work (closeLag of CPU) is done: the socket closes now.
      const closes = w.balancer.closes;
      if (closes !== null) closes.at[ctx] = now;
      this.closeCount++;
      this.closeDelaySum += now - this.wrote![ctx]!;
    }
    this.release(proc, ctx);
  }

  /** The context has closed its request (uwsgi_close_request): free for the next one. */
  release(proc: WorkerProcess, ctx: number): void {
    const w = this.w;
    const container = w.containers[proc.container]!;
    const s = w.model.fleet.server;
    // uWSGI counts the request here, in uwsgi_close_request (delta_requests++): under gevent that
    // is when the hub runs the greenlet's close, not when its response was written.
    if (this.uwsgi) proc.served++;
    this.returnContext(proc, ctx);
    const held = s.memory.perInFlight;
    if (held > 0) {
      addRss(this, container, proc, -held);
    }
    const grow = s.memory.perRequest;
    if (grow > 0) {
      addRss(this, container, proc, grow);
      if (container.rss > w.model.fleet.memory) {
        oomKill(this, container);
        if (!proc.alive) return;
      }
      if (s.evilReloadOnRss > 0 && proc.rss >= s.evilReloadOnRss) proc.evilPending = true;
    }
    this.afterClose(proc, this.uwsgi);
  }

  /**
   * A context whose connection never brought a request (accepted empty or without its bytes)
   * closed it: free again, no request's memory. uWSGI counts such a close towards max-requests
   * under gevent (uwsgi_close_request) but not in sync or threads mode (core/loop.c:
   * uwsgi_destroy_request); gunicorn counts a request only as it starts.
   */
  releaseEmpty(proc: WorkerProcess, ctx: number): void {
    const counted = this.uwsgi && this.gevent;
    if (counted) proc.served++;
    this.returnContext(proc, ctx);
    this.afterClose(proc, counted);
  }

  private returnContext(proc: WorkerProcess, ctx: number): void {
    const now = this.w.sim.now;
    proc.returnContext(ctx);
    proc.noteBusy(now);
    this.w.metrics.busyContexts.add(now, -1);
    proc.harakiriAt = Infinity;
  }

  /** After a close: recycle, drain, or take the next connection. `counted`: towards max-requests. */
  private afterClose(proc: WorkerProcess, counted: boolean): void {
    const w = this.w;
    if (proc.state === ProcState.Accepting && wantsRecycle(this, proc)) beginRecycle(this, proc);
    else if (proc.state === ProcState.Draining && counted && !this.gevent) {
      // uWSGI: each request closed past max-requests curses the worker again (NO MERCY moves on).
      proc.mercyDeadline = w.sim.now + w.model.fleet.server.reloadMercy;
    }
    if (proc.state === ProcState.Draining) {
      while (proc.pending.length > 0 && proc.hasFreeContext) accept(this, proc, proc.pending.shift());
      if (proc.busy === 0) beginExit(this, proc);
      return;
    }
    // gevent takes new connections when its hub is free (see RequestRunner); others at once.
    if (!this.gevent || (proc.hubCtx < 0 && !proc.hubWaiting)) pull(this, proc);
  }

  // --- lifecycle (recycle.ts, drain.ts, kill.ts, respawn.ts) ----------------------------------

  /** SIGKILL: every request still in the process fails. */
  kill(proc: WorkerProcess, reason: KillReason): void {
    kill(this, proc, reason);
  }

  /** A reference to a process incarnation that survives its death. */
  ref(proc: WorkerProcess): number {
    return (proc.incarnation & 0x7fff) * 65536 + proc.id;
  }

  deref(ref: number): WorkerProcess | null {
    const id = ref % 65536;
    const proc = this.w.procs[id]!;
    return (ref - id) / 65536 === (proc.incarnation & 0x7fff) ? proc : null;
  }

  /**
   * Per-process utilization over the window (see WorkerProcess.noteBusy): the mean over the
   * fleet's processes and the busiest one's (the favourite accept order loads one worker most).
   */
  processUtilization(seconds: number): { mean: number; max: number } {
    const now = this.w.sim.now;
    let sum = 0;
    let max = 0;
    for (const p of this.w.procs) {
      const u = seconds > 0 ? p.busySeconds(now) / seconds : NaN;
      sum += u;
      if (u > max) max = u;
    }
    return { mean: sum / this.w.procs.length, max };
  }

  startWindow(): void {
    const now = this.w.sim.now;
    for (const p of this.w.procs) p.utilStartWindow(now);
    this.drains = 0;
    this.drainKills = 0;
    this.drainSeconds = 0;
    this.accepted.fill(0);
    this.closeCount = 0;
    this.closeDelaySum = 0;
  }
}
