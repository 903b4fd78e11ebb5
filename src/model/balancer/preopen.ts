// The Classic ELB's pre-opened connections (balancer.pool.preopen): each node keeps `preopen`
// connections opened ahead to each target, carrying no request yet ("Classic Load Balancers use
// pre-open connections, but Application Load Balancers do not": ELB User Guide; what one does on
// an instance: cloudavail.com's "AWS ELB pre-open Connection Exposé"; src/facts/aws.ts).
//
// The node's side. A request for which the node has no reusable kept-alive connection takes a
// ready pre-opened one (established: no handshake) and the node opens a replacement at once. A
// connection the server closed is dropped when its FIN arrives (one-way delay d later, with
// noticeFin; without, only when a request meets the close); a request sent on it from d before
// the close to the FIN's arrival meets the close: keepalive-race (the server closed an idle
// connection; 504 behind a Classic ELB). The node closes a pre-opened connection that carried
// nothing for its idle timeout, and opens another. One that could not be opened (connect
// timeout, a reset) is opened again at the node's next request to that target (assumption:
// how soon a node retries is not documented).
//
// The server's side follows the server (src/facts/gunicorn.ts, uwsgi.ts, linux.ts):
//   no TCP_DEFER_ACCEPT (gunicorn): the handshake puts it in the accept queue like any connection
//     (a backlog place); a worker that accepts it waits for its request (hold): sync blocks the
//     worker until the request comes or the arbiter's timeout kills it; gevent parks a greenlet
//     until keepalive, then closes it; gthread holds a thread until the request comes.
//   TCP_DEFER_ACCEPT (uWSGI): the connection stays a request socket (the SYN queue) until its
//     request's data come (then it enters the accept queue with them: the request skips only the
//     handshake) or until the defer period's SYN-ACK retransmission is answered by a bare ACK
//     (linux.ts deferEndAt); then a worker accepts it empty and waits socket-timeout (sync: the
//     worker, gevent: one async core) before it closes it.
// A request that takes a connection still in the accept queue rides on it (`carried`) and starts
// when a worker accepts it. A worker's death closes the connections it holds.
//
// Each connection is a slot of the request table (Origin.Preopen) while the network or a worker
// holds it, so the listener, the accept queue and the kill path treat it as any connection; the
// node's bookkeeping is in typed arrays indexed by entry ((node · targets + target) · preopen +
// k) and by slot: nothing is allocated per request. With preopen 0 none of this exists.
import type { World } from '../world.js';
import { Cause } from '../outcome.js';
import { Origin } from '../request-table.js';
import type { WorkerProcess } from '../server/worker-process.js';
import { deferEndAt } from '../../facts/linux.js';
import { gunicornEmptyConnectionWait } from '../../facts/gunicorn.js';
import { uwsgiEmptyConnectionWait } from '../../facts/uwsgi.js';
import { startRequest } from '../server/accept.js';

/** take(): no ready pre-opened connection. */
export const PRE_NONE = 0;
/** take(): the request went out on a pre-opened connection. */
export const PRE_USED = 1;
/** take(): the request went out on a pre-opened connection the server closed: keepalive-race. */
export const PRE_RACE = 2;

const enum State {
  /** No connection (none yet, or one that could not be opened). */
  None = 0,
  /** Its handshake, or the accept queue: not accepted by a worker yet. */
  Opening = 1,
  /** A request socket waiting for data under TCP_DEFER_ACCEPT. */
  Deferred = 2,
  /** Accepted empty: a worker context waits for its request. */
  Held = 3,
  /** The server closed it; the node has not noticed yet. */
  Closed = 4,
}

export class PreopenPool {
  /** Connections kept per node and target. */
  readonly perTarget: number;
  private readonly containers: number;
  private readonly oneWay: number;
  private readonly rtt: number;
  private readonly noticeFin: boolean;
  private readonly defer: boolean;
  /** How long a worker waits on an accepted empty connection (Infinity: until its request). */
  private readonly holdFor: number;
  /** gunicorn sync: the heartbeat stops while the worker is blocked on it. */
  private readonly gunicornSync: boolean;
  // Per entry.
  private readonly slot: Int32Array;
  private readonly state: Uint8Array;
  private readonly readyAt: Float64Array;
  private readonly closeAt: Float64Array;
  private readonly ctx: Int32Array;
  // Per request-table slot (grown with the table).
  private entryOf: Int32Array;
  private carried: Int32Array;
  private readonly noticeHandler = (ref: number) => this.notice(ref);
  private readonly deferEndHandler = (ref: number) => this.deferEnd(ref);
  private readonly holdEndHandler = (ctx: number) => this.holdEnd(ctx);
  /** Counts in the measured window. */
  opened = 0;
  used = 0;
  races = 0;
  heldEmpty = 0;
  serverCloses = 0;
  deaths = 0;
  idleCloses = 0;
  failed = 0;

  constructor(private readonly w: World) {
    const { balancer, fleet } = w.model;
    const s = fleet.server;
    this.perTarget = balancer.pool.preopen;
    this.containers = fleet.containers;
    this.rtt = balancer.rtt;
    this.oneWay = balancer.rtt / 2;
    this.noticeFin = balancer.pool.noticeFin;
    this.defer = s.deferAccept;
    this.gunicornSync = s.kind === 'gunicorn' && s.mode === 'sync';
    this.holdFor = s.kind === 'uwsgi' ? uwsgiEmptyConnectionWait(s.mode) : gunicornEmptyConnectionWait(s.mode, s.keepAlive);
    const n = balancer.nodes * fleet.containers * this.perTarget;
    this.slot = new Int32Array(n).fill(-1);
    this.state = new Uint8Array(n);
    this.readyAt = new Float64Array(n).fill(Infinity);
    this.closeAt = new Float64Array(n).fill(Infinity);
    this.ctx = new Int32Array(n).fill(-1);
    this.entryOf = new Int32Array(256).fill(-1);
    this.carried = new Int32Array(256).fill(-1);
  }

  /** Every node opens its connections to every target. */
  start(): void {
    for (let e = 0; e < this.slot.length; e++) this.open(e);
  }

  startWindow(): void {
    this.opened = this.used = this.races = this.heldEmpty = this.serverCloses = this.deaths = this.idleCloses = this.failed = 0;
  }

  private open(e: number): void {
    const w = this.w;
    const table = w.table;
    const slot = table.alloc(w.sim.now, Origin.Preopen);
    this.fit(table.capacity);
    const pair = (e / this.perTarget) | 0;
    table.node[slot] = (pair / this.containers) | 0;
    this.entryOf[slot] = e;
    this.carried[slot] = -1;
    this.slot[e] = slot;
    this.state[e] = State.Opening;
    this.readyAt[e] = Infinity;
    this.closeAt[e] = Infinity;
    this.ctx[e] = -1;
    this.opened++;
    w.listener.connect(pair % this.containers, slot);
  }

  private fit(capacity: number): void {
    if (capacity <= this.entryOf.length) return;
    const e = new Int32Array(capacity).fill(-1);
    e.set(this.entryOf);
    this.entryOf = e;
    const c = new Int32Array(capacity).fill(-1);
    c.set(this.carried);
    this.carried = c;
  }

  /** The node lets go of entry e's connection (and, with `done`, the slot's client side ends). */
  private detach(e: number, done = true): void {
    const slot = this.slot[e]!;
    this.entryOf[slot] = -1;
    this.slot[e] = -1;
    this.state[e] = State.None;
    if (done) this.w.table.clientDone(slot);
  }

  // --- the listener ----------------------------------------------------------------------

  /**
   * The connection's SYN got into the SYN queue (or a cookie): the node has it established one
   * rtt later. Under TCP_DEFER_ACCEPT (no cookie) it then waits for data: true when the
   * listener must leave it alone (a request socket until its data or the defer period's end).
   */
  synIn(slot: number, cookie: boolean): boolean {
    const e = this.entryOf[slot]!;
    if (e < 0) return false;
    const now = this.w.sim.now;
    this.readyAt[e] = now + this.rtt;
    if (!this.defer || cookie) return false;
    this.state[e] = State.Deferred;
    this.w.sim.at(deferEndAt(now, this.rtt, this.w.listener.deferRetrans), this.deferEndHandler, this.w.table.ref(slot));
    return true;
  }

  /** The defer period ended with no data: the bare ACK queues the connection empty. */
  private deferEnd(ref: number): void {
    const table = this.w.table;
    const slot = table.deref(ref);
    if (slot < 0) return;
    const e = this.entryOf[slot]!;
    if (e < 0 || this.slot[e] !== slot || this.state[e] !== State.Deferred) return;
    this.state[e] = State.Opening;
    this.w.listener.deferredSegment(slot, false);
  }

  // --- the node sends a request -------------------------------------------------------------

  /** Node `node` has a request for target c and no kept-alive connection: a pre-opened one? */
  take(req: number, node: number, c: number): number {
    const w = this.w;
    const now = w.sim.now;
    const base = (node * this.containers + c) * this.perTarget;
    for (let k = 0; k < this.perTarget; k++) {
      const e = base + k;
      const slot = this.slot[e]!;
      if (slot < 0) {
        // One that could not be opened: the node tries again now, for the next request.
        this.open(e);
        continue;
      }
      if (this.readyAt[e]! > now) continue;
      const closeAt = this.closeAt[e]!;
      if (now >= closeAt - this.oneWay) {
        // The FIN has arrived (a node that watches its connections already dropped it; a tie
        // with the notice), or the request will meet the close: keepalive-race.
        if (this.noticeFin && now >= closeAt + this.oneWay) continue;
        this.detach(e);
        this.races++;
        this.open(e);
        return PRE_RACE;
      }
      const state = this.state[e]!;
      // A connection not yet accepted stays the node's until a worker takes the request off it.
      const riding = state !== State.Held && state !== State.Deferred;
      this.detach(e, !riding);
      this.used++;
      const table = w.table;
      table.serverHeld[req] = 1;
      table.attempt[req] = 0;
      table.cookie[req] = 0;
      table.tContainer[req] = now;
      if (state === State.Held) {
        const ctx = this.ctx[e]!;
        this.stopHoldTimer(ctx);
        table.serverDone(slot);
        this.startHeld(ctx, req);
      } else if (state === State.Deferred) {
        // Its data arrive: the connection enters the accept queue with them.
        table.serverDone(slot);
        w.listener.deferredSegment(req, true);
      } else {
        // In the accept queue or its handshake: the request rides on it to a worker. The slot
        // stays the node's until then, so that the queue does not take it for abandoned.
        this.carried[slot] = req;
      }
      this.open(e);
      return PRE_USED;
    }
    return PRE_NONE;
  }

  // --- the balancer's answer path: the connection ends -----------------------------------

  /**
   * The connection ended on the node's side: `cause` IdleTimeout is the node's own idle close;
   * WorkerKilled / ReloadMercy a worker's death closed it; a connect failure (connect timeout,
   * a reset) means it was never opened. The caller frees the server's side where it does so
   * for a request.
   */
  ended(slot: number, cause: number): void {
    const w = this.w;
    const table = w.table;
    const e = this.entryOf[slot]!;
    const req = this.carried[slot]!;
    if (e < 0) {
      if (req >= 0) {
        // A request rode on it: an idle close does not apply (the request is data on it);
        // a connect failure is the request's.
        if (cause === Cause.IdleTimeout) return;
        this.carried[slot] = -1;
        table.clientDone(slot);
        w.balancer.answer(req, cause);
        table.serverDone(req);
        return;
      }
      table.clientDone(slot);
      return;
    }
    if (cause === Cause.IdleTimeout) {
      this.idleCloses++;
      const state = this.state[e]!;
      const ctx = this.ctx[e]!;
      this.detach(e);
      if (state === State.Held) {
        // The worker reads the FIN: it gives up on the connection.
        this.stopHoldTimer(ctx);
        this.releaseHold(ctx);
        table.serverDone(slot);
      } else if (state === State.Deferred) {
        // The FIN completes the handshake and the worker that accepts it reads EOF: as good as gone.
        w.containers[table.container[slot]!]!.deferred--;
        table.serverDone(slot);
      }
      // Opening: the listener or the accept queue drops it (no client side left).
      this.open(e);
      return;
    }
    if (cause === Cause.WorkerKilled || cause === Cause.ReloadMercy) {
      this.deaths++;
      this.serverClosed(e, slot);
      return;
    }
    // It could not be opened.
    this.failed++;
    this.detach(e);
  }

  /** The server closed entry e's connection now; the node learns of it one way later. */
  private serverClosed(e: number, slot: number): void {
    const now = this.w.sim.now;
    this.state[e] = State.Closed;
    this.closeAt[e] = Math.min(this.closeAt[e]!, now);
    this.ctx[e] = -1;
    if (this.noticeFin) this.w.sim.at(now + this.oneWay, this.noticeHandler, this.w.table.ref(slot));
  }

  /** The FIN of a closed connection reaches its node: dropped, and replaced. */
  private notice(ref: number): void {
    const slot = this.w.table.deref(ref);
    if (slot < 0) return;
    const e = this.entryOf[slot]!;
    if (e < 0 || this.slot[e] !== slot) return;
    this.detach(e);
    this.open(e);
  }

  // --- the server -------------------------------------------------------------------------

  /**
   * A worker accepted a pre-opened connection (accept.ts). With a request on it, the request
   * starts (accept again with the request's slot: true, the caller does so); empty, a context
   * waits for its request (false).
   */
  accepted(proc: WorkerProcess, slot: number): number {
    const w = this.w;
    const table = w.table;
    const req = this.carried[slot]!;
    if (req >= 0) {
      this.carried[slot] = -1;
      table.clientDone(slot);
      table.serverDone(slot);
      if (!table.clientWaiting[req]) {
        table.serverDone(req);
        return -1;
      }
      return req;
    }
    const e = this.entryOf[slot]!;
    if (e < 0 || !table.clientWaiting[slot]) {
      table.serverDone(slot);
      return -1;
    }
    const now = w.sim.now;
    const ctx = proc.takeContext();
    proc.noteBusy(now);
    w.metrics.busyContexts.add(now, 1);
    w.ctxReq[ctx] = slot;
    // gunicorn sync: the worker notified the arbiter before accept() and blocks in recv now.
    const s = w.model.fleet.server;
    if (this.gunicornSync && s.harakiri > 0) proc.harakiriAt = now + s.harakiri;
    this.state[e] = State.Held;
    this.ctx[e] = ctx;
    this.heldEmpty++;
    if (this.holdFor < Infinity) {
      this.closeAt[e] = now + this.holdFor;
      w.ctxTimer[ctx] = w.sim.schedule(this.holdFor, this.holdEndHandler, ctx);
    }
    return -1;
  }

  /** The worker's read timeout on an empty connection: it closes it. */
  private holdEnd(ctx: number): void {
    const w = this.w;
    w.ctxTimer[ctx] = -1;
    const slot = w.ctxReq[ctx]!;
    const e = this.entryOf[slot]!;
    this.releaseHold(ctx);
    this.serverCloses++;
    if (e >= 0 && this.slot[e] === slot) this.serverClosed(e, slot);
    w.table.serverDone(slot);
  }

  /** The worker's read timeout on its empty connection no longer applies. */
  private stopHoldTimer(ctx: number): void {
    const w = this.w;
    const timer = w.ctxTimer[ctx]!;
    if (timer >= 0) {
      w.sim.cancel(timer);
      w.ctxTimer[ctx] = -1;
    }
  }

  /** A context that waited on an empty connection is free again. */
  private releaseHold(ctx: number): void {
    const w = this.w;
    w.ctxReq[ctx] = -1;
    w.server.releaseEmpty(w.procs[(ctx / w.concurrency) | 0]!, ctx);
  }

  /** A request arrives on a connection a worker context holds: it starts there at once. */
  private startHeld(ctx: number, req: number): void {
    const w = this.w;
    const server = w.server;
    const table = w.table;
    const proc = w.procs[(ctx / w.concurrency) | 0]!;
    table.container[req] = proc.container;
    w.metrics.accepted(table.tContainer[req]!, table.tArrive[req]!);
    server.accepted[proc.id]++;
    w.ctxReq[ctx] = req;
    // gunicorn's heartbeat stopped when the worker accepted the connection (see accepted()).
    startRequest(server, proc, ctx, req, true);
  }
}
