// The app servers' masters and workers (uWSGI or gunicorn): which worker accepts a connection,
// when a worker recycles, how a recycling worker drains and exits (or is killed), and how long
// its slot stays empty until the master has a new one accepting. Each rule follows the source of
// the version modelled (docs/model.md, "Recycling by server and mode"):
//
// uWSGI (core/utils.c uwsgi_close_request): a request is counted when it closes; at max-requests
// (once the worker is min-worker-lifetime old; staggered by delta from 2.0.29) the worker is
// cursed (NO MERCY deadline = now + worker-reload-mercy, pushed back by every later close).
//   sync: nothing else is in flight: it exits at once. threads: it waits for its threads, then
//   exits; still alive at the NO MERCY deadline, the master SIGKILLs it (a real signal 9).
//   gevent (plugins/gevent/gevent.c uwsgi_gevent_gbcw): it stops its accept watchers, arms a
//   time bomb that calls exit() after worker-reload-mercy, and polls every second until no core
//   is in a request; requests still in it when the bomb goes off lose their connection
//   (cause reload-mercy, workers.mercyExits): an exit, not a SIGKILL.
// gunicorn (workers/base_async.py, sync.py, ggevent.py): a request is counted when it starts;
// at max_requests alive = False. sync: that request is the last. gevent/gthread: the worker's
// loop notices within a second (it accepts meanwhile), stops accepting, waits up to
// graceful_timeout (checking each second), then stops its server (remaining handlers killed)
// and exits normally (cause reload-mercy). The arbiter never SIGKILLs a recycling worker.
//
// Respawn: uWSGI's master notices an exited worker only on its next loop turn (masterCycle),
// then forks; gunicorn's arbiter reaps at once (SIGCHLD). Without preload the new worker then
// imports the app. uWSGI's master sleeps forkbombDelay when workers respawn too fast.
//
// Other kills (SIGKILL): uWSGI harakiri (a worker that accepted nothing and closed nothing for
// that long), gunicorn timeout (a sync request, or a blocked gevent hub, longer than that), the
// kernel's OOM killer (the container's memory limit; it kills the largest worker),
// evil-reload-on-rss.
import { makeSampler, type Sampler } from '../../kernel/distributions.js';
import type { RandomStreams, Uniform } from '../../kernel/random-streams.js';
import type { Container } from '../container.js';
import { Cause, type KillReason } from '../outcome.js';
import { Origin } from '../request-table.js';
import type { World } from '../world.js';
import { GUNICORN } from '../../facts/gunicorn.js';
import { UWSGI } from '../../facts/uwsgi.js';
import { connectionFate, honours } from './profiles.js';
import { ProcState, type WorkerProcess } from './worker-process.js';

export class AppServer {
  private readonly gevent: boolean;
  private readonly uwsgi: boolean;
  private readonly order: 'lifo' | 'fifo' | 'favourite';
  /** gunicorn gevent/gthread: the worker's loop notices alive = False on its next 1 s turn. */
  private readonly noticeHandler = (ref: number) => this.noticeRetire(ref);
  private readonly fork: Sampler;
  private readonly appImport: Sampler;
  private readonly exitDelay: Sampler;
  private readonly respawnGap: Sampler | null;
  private readonly jitter: Uniform;
  private readonly initialServed: Uniform;
  private readonly deltaHonoured: boolean;
  /** Does a response leave a connection the server closes after it (uWSGI http-socket)? */
  private readonly closeAfter: boolean;
  /** uWSGI gevent: the greenlet switches to the hub after the response and closes when it runs again. */
  private readonly hubClose: boolean;
  /** Write time of each context's last response (hubClose only), for the close delay. */
  private readonly wrote: Float64Array | null;
  /** Close-after responses and the sum of their write-to-close delays, s (measured window). */
  closeCount = 0;
  closeDelaySum = 0;
  /** Recycles that ended in a clean exit / in a kill at the mercy deadline (measured window). */
  drains = 0;
  drainKills = 0;
  /** Requests each process accepted since startWindow() (by process id): how uneven accepting is. */
  readonly accepted: Float64Array;
  private readonly tickHandler = (c: number) => this.masterTick(c);
  private readonly exitHandler = (ref: number) => this.exitDone(ref);
  private readonly mercyHandler = (ref: number) => this.mercyExpired(ref);
  private readonly spawnedHandler = (ref: number) => this.spawned(ref);
  private readonly reapHandler = (id: number) => this.reap(id);

  constructor(
    private readonly w: World,
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
    this.hubClose = this.uwsgi && this.gevent;
    this.wrote = this.hubClose ? new Float64Array(w.ctxReq.length) : null;
    this.accepted = new Float64Array(w.procs.length);
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
      this.born(proc);
      if (!s.startFresh) {
        if (proc.threshold < Infinity) proc.served = Math.floor(served() * proc.threshold);
        proc.bornAt = -s.minWorkerLifetime;
      }
      this.pull(proc);
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

  private cycle = 1;
  private alwaysTick = false;

  /** Make sure the master's next turn is simulated. */
  private wakeMaster(container: Container): void {
    this.wakeMasterAt(container, this.w.sim.now);
  }

  // --- accepting ------------------------------------------------------------------------

  /** An idle worker of the container accepts the connection at once, if there is one. */
  acceptNow(container: Container, slot: number): boolean {
    if (container.idle.length === 0) return false;
    const proc = this.w.procs[this.takeIdle(container)]!;
    proc.idle = false;
    this.accept(proc, slot);
    // A threaded (or still idle gevent) worker with contexts to spare stays in accept().
    if (this.canAccept(proc) && !proc.idle) {
      proc.idle = true;
      container.idle.push(proc.id);
      this.w.listener.workerWaiting(container);
    }
    return true;
  }

  /**
   * Which idle worker gets the connection. uWSGI 2.0 wakes every worker blocked on the socket (no
   * EPOLLEXCLUSIVE) and users measure a stable favourite (unbit/uwsgi#1605: about 70% of requests
   * to one gevent worker; #1063): `favourite` gives it to the lowest-numbered idle worker, so the
   * others only get what it cannot take. `lifo`: the most recently idle (Linux's wake order for
   * exclusive waiters); `fifo`: the longest idle.
   */
  private takeIdle(container: Container): number {
    const idle = container.idle;
    if (this.order === 'lifo') return idle.pop();
    if (this.order === 'fifo') return idle.shift();
    let best = -1;
    for (let k = 0; k < idle.length; k++) {
      const id = idle.at(k);
      if (best < 0 || id < best) best = id;
    }
    idle.remove(best);
    return best;
  }

  /** A request arrives on a connection the balancer kept alive to this process. */
  deliverKeptAlive(proc: WorkerProcess, slot: number): void {
    const table = this.w.table;
    table.serverHeld[slot] = 1;
    table.tContainer[slot] = this.w.sim.now;
    if (proc.hasFreeContext && (proc.state === ProcState.Accepting || proc.state === ProcState.Draining)) {
      if (proc.idle) this.leaveIdle(proc);
      this.accept(proc, slot);
    } else proc.pending.push(slot);
  }

  private accept(proc: WorkerProcess, slot: number): void {
    const w = this.w;
    const table = w.table;
    if (table.user[slot] !== Origin.HealthCheck) w.metrics.accepted(table.tContainer[slot]!, table.tArrive[slot]!);
    const ctx = proc.takeContext();
    proc.noteBusy(w.sim.now);
    this.accepted[proc.id]++;
    w.metrics.busyContexts.add(w.sim.now, 1);
    w.ctxReq[ctx] = slot;
    const s = w.model.fleet.server;
    // uWSGI keeps the deadline in whole seconds (core/utils.c set_harakiri: uwsgi_now() + sec) and
    // the master kills once it is strictly past (core/master_checks.c: harakiri < current_time).
    if (s.harakiri > 0) proc.harakiriAt = this.uwsgi && UWSGI.harakiriWholeSeconds ? Math.floor(w.sim.now) + s.harakiri + 1 : w.sim.now + s.harakiri;
    // gunicorn counts a request as it starts (self.nr += 1 in handle_request).
    if (!this.uwsgi && ++proc.served >= proc.threshold && !proc.retiring) this.retire(proc);
    const held = s.memory.perInFlight;
    if (held > 0) {
      // The request's objects live in the worker until it ends; a container over its limit
      // loses its largest worker to the OOM killer — perhaps this one, with this request.
      const container = w.containers[proc.container]!;
      this.addRss(container, proc, held);
      if (container.rss > w.model.fleet.memory) {
        this.oomKill(container);
        if (w.ctxReq[ctx] !== slot) return;
      }
    }
    w.runner.begin(ctx);
  }

  /** Can the process take a new connection from the accept queue now? */
  private canAccept(proc: WorkerProcess): boolean {
    return proc.state === ProcState.Accepting && proc.hasFreeContext && (!this.gevent || proc.hubCtx < 0);
  }

  /** Let the process take queued connections while it can; otherwise wait in accept(). */
  private pull(proc: WorkerProcess): void {
    const w = this.w;
    const container = w.containers[proc.container]!;
    while (proc.pending.length > 0 && proc.hasFreeContext) this.accept(proc, proc.pending.shift());
    w.listener.settle(container);
    while (this.canAccept(proc)) {
      if (container.acceptQueue.length === 0) {
        if (!proc.idle) {
          proc.idle = true;
          container.idle.push(proc.id);
          w.listener.workerWaiting(container);
        }
        return;
      }
      const slot = container.acceptQueue.shift();
      container.backlog.add(w.sim.now, -1);
      // The balancer gave up on it while it waited: the worker reads EOF and moves on.
      if (!w.table.clientWaiting[slot]) w.table.serverDone(slot);
      else this.accept(proc, slot);
    }
  }

  /** gevent: the hub switches between greenlets; it may accept one queued connection. */
  switchPoint(proc: WorkerProcess): void {
    if (proc.state !== ProcState.Accepting || !proc.hasFreeContext) return;
    const container = this.w.containers[proc.container]!;
    this.w.listener.settle(container);
    while (container.acceptQueue.length > 0) {
      const slot = container.acceptQueue.shift();
      container.backlog.add(this.w.sim.now, -1);
      if (!this.w.table.clientWaiting[slot]) this.w.table.serverDone(slot);
      else {
        this.accept(proc, slot);
        return;
      }
    }
  }

  /** The process's hub starts running something: it is no longer blocked in accept(). */
  hubBusy(proc: WorkerProcess): void {
    if (proc.idle && this.gevent) this.leaveIdle(proc);
  }

  /** The process's hub has nothing to run. */
  hubIdle(proc: WorkerProcess): void {
    if (proc.state === ProcState.Accepting) this.pull(proc);
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
        w.balancer.closing(proc.container, proc.id, proc.incarnation, ctx);
      } else if (cause === Cause.Ok && proc.state === ProcState.Accepting && proc.served + (this.uwsgi ? 1 : 0) < proc.threshold) {
        // The connection stays open for reuse only if the balancer still waited for this response
        // (after its timeout it closed the connection) and the worker is not about to recycle
        // (gunicorn sets alive = False and force-closes the response that reaches max_requests).
        w.balancer.keptAlive(proc.container, proc.id, proc.incarnation);
      }
    }
    table.serverDone(slot);
    if (this.hubClose) {
      // plugins/gevent/gevent.c py_uwsgi_gevent_request: after the last chunk the response
      // subhandler returns UWSGI_AGAIN, the greenlet switches to the hub (GEVENT_SWITCH) and
      // calls uwsgi_close_request only when the hub runs it again: the core stays in_request.
      this.wrote![ctx] = w.sim.now;
      proc.closing++;
      w.runner.closeOnHub(ctx, proc);
      return;
    }
    if (this.closeAfter) {
      this.closeCount++;
      this.closeDelaySum += w.model.fleet.server.closeLag;
    }
    this.release(proc, ctx);
  }

  /** uWSGI gevent: the hub ran the greenlet's uwsgi_close_request: the socket closes now. */
  closedOnHub(ctx: number, proc: WorkerProcess): void {
    const w = this.w;
    const now = w.sim.now;
    proc.closing--;
    if (this.closeAfter) {
      const lag = w.model.fleet.server.closeLag;
      const closes = w.balancer.closes;
      if (closes !== null) closes.at[ctx] = now + lag;
      this.closeCount++;
      this.closeDelaySum += now - this.wrote![ctx]! + lag;
    }
    this.release(proc, ctx);
  }

  /** The context has closed its request (uwsgi_close_request): free for the next one. */
  private release(proc: WorkerProcess, ctx: number): void {
    const w = this.w;
    const container = w.containers[proc.container]!;
    const s = w.model.fleet.server;
    // uWSGI counts the request here, in uwsgi_close_request (delta_requests++): under gevent that
    // is when the hub runs the greenlet's close, not when its response was written.
    if (this.uwsgi) proc.served++;
    proc.returnContext(ctx);
    proc.noteBusy(w.sim.now);
    w.metrics.busyContexts.add(w.sim.now, -1);
    proc.harakiriAt = Infinity;
    const held = s.memory.perInFlight;
    if (held > 0) {
      this.addRss(container, proc, -held);
    }
    const grow = s.memory.perRequest;
    if (grow > 0) {
      this.addRss(container, proc, grow);
      if (container.rss > w.model.fleet.memory) {
        this.oomKill(container);
        if (!proc.alive) return;
      }
      if (s.evilReloadOnRss > 0 && proc.rss >= s.evilReloadOnRss) proc.evilPending = true;
    }
    if (proc.state === ProcState.Accepting && this.wantsRecycle(proc)) this.beginRecycle(proc);
    else if (proc.state === ProcState.Draining && this.uwsgi && !this.gevent) {
      // uWSGI: each request closed past max-requests curses the worker again (NO MERCY moves on).
      proc.mercyDeadline = w.sim.now + s.reloadMercy;
    }
    if (proc.state === ProcState.Draining) {
      while (proc.pending.length > 0 && proc.hasFreeContext) this.accept(proc, proc.pending.shift());
      if (proc.busy === 0) this.beginExit(proc);
      return;
    }
    // gevent takes new connections when its hub is free (see RequestRunner); others at once.
    if (!this.gevent || (proc.hubCtx < 0 && proc.hubQueue.length === 0)) this.pull(proc);
  }

  private wantsRecycle(proc: WorkerProcess): boolean {
    const s = this.w.model.fleet.server;
    // gunicorn: only the sync worker stops at once (the request that reached the limit was its
    // last); gevent and gthread workers notice on their loop's next turn (noticeRetire).
    if (!this.uwsgi) return proc.retiring && s.mode === 'sync';
    const overLimit = proc.served >= proc.threshold || (this.uwsgi && s.reloadOnRss > 0 && proc.rss >= s.reloadOnRss);
    if (!overLimit) return false;
    // uWSGI: max-requests and reload-on-rss wait until the worker is min-worker-lifetime old.
    return !this.uwsgi || this.w.sim.now - proc.bornAt >= s.minWorkerLifetime;
  }

  // --- lifecycle --------------------------------------------------------------------------

  /** gunicorn: max_requests reached (alive = False); the response gets `Connection: close`. */
  private retire(proc: WorkerProcess): void {
    proc.retiring = true;
    if (this.w.model.fleet.server.mode === 'sync') return; // requestDone ends it
    // `while self.alive: self.notify(); gevent.sleep(1.0)`: the loop turns each second from the
    // worker's start, and goes on accepting until the turn that sees alive = False.
    const age = this.w.sim.now - proc.bornAt;
    this.w.sim.at(proc.bornAt + (Math.floor(age / GUNICORN.loopTurn) + 1) * GUNICORN.loopTurn, this.noticeHandler, this.ref(proc));
  }

  private noticeRetire(ref: number): void {
    const proc = this.deref(ref);
    if (proc && proc.state === ProcState.Accepting) this.beginRecycle(proc);
  }

  /** Stop accepting and drain, until the mercy deadline (see the top of the file). */
  private beginRecycle(proc: WorkerProcess): void {
    const w = this.w;
    const s = w.model.fleet.server;
    proc.state = ProcState.Draining;
    proc.recycledAt = w.sim.now;
    w.metrics.recycled(proc.container);
    this.leaveLive(proc);
    // gunicorn gevent: graceful_timeout of 1 s checks, then server.stop(timeout=1) after the last
    // sleep: the handlers still running are killed graceful_timeout + 2 s after the drain began.
    const grace = !this.uwsgi && this.gevent ? s.reloadMercy + GUNICORN.geventStopAfter : s.reloadMercy;
    proc.mercyDeadline = w.sim.now + grace;
    w.sim.at(proc.mercyDeadline, this.mercyHandler, this.ref(proc));
    if (proc.busy === 0) this.beginExit(proc);
  }

  /** In-flight requests are done: the drain loop sees it, then exit handlers run, then it is gone. */
  private beginExit(proc: WorkerProcess): void {
    proc.state = ProcState.Exiting;
    this.w.sim.schedule(this.pollWait(proc) + this.exitDelay(), this.exitHandler, this.ref(proc));
  }

  /**
   * How long after its last request ends a draining worker's loop notices: uWSGI gevent and
   * gunicorn gevent check once a second from the start of the drain (`gevent.sleep(1)`); the
   * others wait on their threads and see it at once. gunicorn's last second (server.stop) also
   * returns at once.
   */
  private pollWait(proc: WorkerProcess): number {
    if (!this.gevent || proc.recycledAt < 0 || proc.mercyDeadline === Infinity) return 0;
    const since = this.w.sim.now - proc.recycledAt;
    if (since <= 0) return 0;
    const s = this.w.model.fleet.server;
    if (!this.uwsgi && since > s.reloadMercy + GUNICORN.geventStopAfter - GUNICORN.loopTurn) return 0;
    const poll = this.uwsgi ? UWSGI.geventDrainPoll : GUNICORN.loopTurn;
    return Math.ceil(since / poll) * poll - since;
  }

  private exitDone(ref: number): void {
    const proc = this.deref(ref);
    if (!proc || proc.state !== ProcState.Exiting) return; // killed meanwhile
    if (proc.mercyDeadline < Infinity) this.drains++;
    // Nothing is in flight; a request the balancer sent on a connection the exit is closing meets the close.
    this.die(proc, Cause.CloseRace);
  }

  /**
   * The recycling worker's deadline. uWSGI gevent: the time bomb armed at the recycle calls
   * exit() (plugins/gevent/gevent.c uwsgi_gevent_gbcw, core/timebomb.c); each request closed
   * during the drain re-curses the worker and pushes the master's NO MERCY back, so the bomb goes
   * first: a normal exit, and the requests still in it lose their connection. gunicorn (gevent,
   * gthread): after graceful_timeout the worker stops its server (handlers killed) and exits
   * normally (workers/ggevent.py). uWSGI sync/threads: the master's NO MERCY SIGKILL
   * (core/master.c uwsgi_master_check_mercy): a real signal 9.
   */
  private mercyExpired(ref: number): void {
    const proc = this.deref(ref);
    if (!proc || (proc.state !== ProcState.Draining && proc.state !== ProcState.Exiting)) return;
    const w = this.w;
    if (w.sim.now < proc.mercyDeadline) {
      // uWSGI: a later close cursed the worker again.
      w.sim.at(proc.mercyDeadline, this.mercyHandler, ref);
      return;
    }
    if (proc.state === ProcState.Exiting) {
      // Nothing is in flight. uWSGI gevent: the time bomb's exit() ends it now; uWSGI otherwise:
      // its exit hangs past NO MERCY: SIGKILL; gunicorn's arbiter just waits for it.
      if (!this.uwsgi) return;
      if (this.gevent) this.exitDone(ref);
      else this.kill(proc, 'no-mercy');
      return;
    }
    this.drainKills++;
    if (this.gevent || !this.uwsgi) {
      if (proc.busy > 0 || proc.pending.length > 0) w.metrics.mercyExit(proc.container);
      this.die(proc, Cause.ReloadMercy);
    } else this.kill(proc, 'no-mercy');
  }

  /** SIGKILL: every request still in the process fails. */
  kill(proc: WorkerProcess, reason: KillReason): void {
    this.w.metrics.killed(reason, proc.container);
    this.die(proc, Cause.WorkerKilled);
  }

  /** The process is gone; `cause`: what the requests still in it die of. */
  private die(proc: WorkerProcess, cause: number): void {
    const w = this.w;
    const table = w.table;
    const now = w.sim.now;
    const container = w.containers[proc.container]!;
    // Its CPU burst, running or due at the end of a query (RequestRunner hands those to the CPU).
    if (proc.hubCtx >= 0) container.cpu.abort(proc.local);
    for (let k = 0; k < proc.concurrency; k++) {
      const ctx = proc.ctx(k);
      const slot = w.ctxReq[ctx]!;
      if (slot < 0) continue;
      w.runner.abort(ctx, proc);
      w.ctxReq[ctx] = -1;
      table.dbConn[slot] = 0;
      w.metrics.busyContexts.add(now, -1);
      // The kernel closes its sockets: the balancer gets a reset or FIN instead of a response.
      w.balancer.answer(slot, cause);
      table.serverDone(slot);
    }
    while (proc.pending.length > 0) {
      const slot = proc.pending.shift();
      w.balancer.answer(slot, cause);
      table.serverDone(slot);
    }
    // Contexts whose close was still waiting for the hub: the death closes their sockets.
    if (proc.closing > 0) {
      w.metrics.busyContexts.add(now, -proc.closing);
      proc.closing = 0;
    }
    w.db.processDied(proc.id);
    this.addRss(container, proc, -proc.rss);
    if (proc.state === ProcState.Accepting) this.leaveLive(proc);
    proc.state = ProcState.Dead;
    proc.incarnation++;
    proc.diedAt = now;
    proc.mercyDeadline = Infinity;
    proc.harakiriAt = Infinity;
    proc.evilPending = false;
    proc.resetContexts();
    proc.noteBusy(now);
    if (this.respawnGap) {
      w.sim.schedule(this.respawnGap(), this.spawnedHandler, this.ref(proc));
    } else if (this.uwsgi && this.cycle > 0) {
      container.exited.push(proc.id); // reaped on the master's next turn
      this.wakeMaster(container);
    } else {
      this.reap(proc.id); // gunicorn's arbiter gets SIGCHLD
    }
  }

  /** The master reaps an exited worker and forks its replacement. */
  private reap(id: number): void {
    const w = this.w;
    const proc = w.procs[id]!;
    const s = w.model.fleet.server;
    proc.state = ProcState.Starting;
    const ready = this.fork() + (s.preload ? 0 : this.appImport());
    w.sim.schedule(ready, this.spawnedHandler, this.ref(proc));
  }

  private spawned(ref: number): void {
    const proc = this.deref(ref);
    if (!proc) return;
    this.w.metrics.respawns++;
    this.born(proc);
    if (proc.alive) this.pull(proc);
  }

  /** A new incarnation starts accepting. */
  private born(proc: WorkerProcess): void {
    const w = this.w;
    const s = w.model.fleet.server;
    const container = w.containers[proc.container]!;
    proc.state = ProcState.Accepting;
    proc.bornAt = w.sim.now;
    proc.served = 0;
    proc.retiring = false;
    proc.recycledAt = -1;
    proc.threshold = this.threshold(proc);
    this.addRss(container, proc, s.memory.base);
    if (container.live++ === 0) container.zeroLiveSeconds += w.sim.now - container.zeroSince;
    if (container.rss > w.model.fleet.memory) this.oomKill(container);
  }

  private threshold(proc: WorkerProcess): number {
    const s = this.w.model.fleet.server;
    if (s.maxRequests <= 0) return Infinity;
    if (this.uwsgi) return s.maxRequests + (this.deltaHonoured ? proc.local * s.maxRequestsDelta : 0);
    // gunicorn: max_requests + randint(0, max_requests_jitter), both ends included.
    return s.maxRequests + (s.maxRequestsJitter > 0 ? Math.floor(this.jitter() * (s.maxRequestsJitter + 1)) : 0);
  }

  private leaveLive(proc: WorkerProcess): void {
    const container = this.w.containers[proc.container]!;
    if (proc.idle) this.leaveIdle(proc);
    if (--container.live === 0) container.zeroSince = this.w.sim.now;
  }

  private leaveIdle(proc: WorkerProcess): void {
    this.w.containers[proc.container]!.idle.remove(proc.id);
    proc.idle = false;
  }

  private addRss(container: Container, proc: WorkerProcess, bytes: number): void {
    proc.rss += bytes;
    container.rss += bytes;
    container.memory.add(this.w.sim.now, bytes);
  }

  /** The kernel's OOM killer: the container is over its memory limit; the largest worker dies. */
  private oomKill(container: Container): void {
    let victim: WorkerProcess | null = null;
    for (const p of container.procs) if (p.alive && (!victim || p.rss > victim.rss)) victim = p;
    if (victim) this.kill(victim, 'oom');
  }

  /** One turn of the master's loop (uWSGI: reaping, harakiri, evil-reload; gunicorn: timeout). */
  private masterTick(c: number): void {
    const w = this.w;
    const s = w.model.fleet.server;
    const container = w.containers[c]!;
    const now = w.sim.now;
    container.tickPending = false;
    if (this.alwaysTick) {
      container.tickPending = true;
      w.sim.schedule(this.cycle, this.tickHandler, c);
    }
    if (now < container.masterAwakeAt) {
      // Asleep (forkbomb delay): everything waits for the first turn after it wakes.
      if (container.exited.length > 0) this.wakeMasterAt(container, container.masterAwakeAt);
      return;
    }
    for (const proc of container.procs) {
      if (!proc.alive) continue;
      if (this.uwsgi) {
        if (proc.harakiriAt <= now) this.kill(proc, 'harakiri');
        else if (proc.evilPending) this.kill(proc, 'evil-reload');
      } else if (s.harakiri > 0) {
        // gunicorn's heartbeat: a sync worker notifies between requests; a gevent worker every
        // second from its hub, so only a hub blocked that long misses it; gthread always notifies.
        const stuckSince =
          s.mode === 'sync' ? (proc.busy > 0 ? proc.harakiriAt - s.harakiri : Infinity) : s.mode === 'gevent' && proc.hubCtx >= 0 ? proc.hubSince : Infinity;
        if (now - stuckSince > s.harakiri) this.kill(proc, 'timeout');
      }
    }
    if (!this.uwsgi) return;
    // Reap exited workers; respawning faster than one per worker per cycle puts the master to sleep.
    let sleep = 0;
    while (container.exited.length > 0) {
      const id = container.exited.shift();
      const second = Math.floor(now);
      if (second <= container.lastRespawnSecond + s.masterCycle) {
        if (++container.respawnRate > container.procs.length && s.forkbombDelay > 0) {
          sleep = s.forkbombDelay;
          container.masterAwakeAt = now + sleep;
          container.respawnRate = 0;
        }
      } else container.respawnRate = 0;
      container.lastRespawnSecond = second;
      if (sleep > 0) w.sim.schedule(sleep, this.reapHandler, id);
      else this.reap(id);
    }
  }

  private wakeMasterAt(container: Container, t: number): void {
    if (container.tickPending) return;
    container.tickPending = true;
    const turns = Math.ceil((t - container.masterPhase) / this.cycle);
    this.w.sim.at(container.masterPhase + Math.max(turns, 0) * this.cycle, this.tickHandler, container.index);
  }

  /** A reference to a process incarnation that survives its death. */
  private ref(proc: WorkerProcess): number {
    return (proc.incarnation & 0x7fff) * 65536 + proc.id;
  }

  private deref(ref: number): WorkerProcess | null {
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
    this.accepted.fill(0);
    this.closeCount = 0;
    this.closeDelaySum = 0;
  }
}
