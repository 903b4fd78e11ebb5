// The containers' listen sockets: how a new connection from the balancer gets (or fails to
// get) into the accept queue, under the textbook rule or as Linux really does it.
//
// overflow: refuse — a connection that finds the queue full is refused at once: 502
//   backlog-overflow. N workers and a backlog B then make the loss system M/M/N/(N+B).
// overflow: linux (the default) — the queue holds min(backlog, somaxconn) + 1 connections
// (every rule and constant: src/facts/linux.ts).
//   * A SYN that arrives while it is full is dropped; the balancer retransmits it 1 s later,
//     then after 2 s, 4 s… (RFC 6298), until its connect timeout: 504 connect-timeout.
//     Meanwhile a Classic ELB holds the request in its surge queue.
//   * A SYN that gets in enters the queue when the segment completing its handshake arrives:
//     the final ACK one RTT later, or, on a TCP_DEFER_ACCEPT socket (uWSGI's default), the
//     request's first data segment, which the balancer sends `sendDelay` after that (the
//     kernel drops the bare ACK). If the queue filled up in between, that segment overflows:
//     with tcp_abort_on_overflow the kernel resets the connection (502 backlog-overflow);
//     without (the default) it drops the segment, and the connection tries again each time the
//     balancer retransmits its request (RTO rtt + 200 ms, doubling) or answers a retransmitted
//     SYN-ACK; when the request socket expires (63 s) the next retransmission meets a reset:
//     502 backlog-overflow (usually the balancer's own timeout has answered 504 by then).
// Connections in the queue belong to the listening socket (the master's), so they survive a
// worker's death and wait for the next worker to accept them.
//
// Most handshakes cannot end in an overflow: when the queue, plus every handshake ahead, is
// below capacity, the final ACK is certain to get in. Such a handshake "lands" in the queue at
// SYN + rtt without an event of its own: it waits in the container's `landing` list and joins
// the queue, at its own ACK time, whenever anything next looks at the queue (settle). Only a
// worker waiting in accept() needs the ACK on time; then one event lands it exactly. Loaded
// containers (a queue that is never empty) thus save an event per connection.
import type { Alea } from '../kernel/alea.js';
import type { RandomStreams } from '../kernel/random-streams.js';
import type { Container } from './container.js';
import { LINUX, deferAcceptRetrans, linuxSynRto, overflowRetriesAt, requestBytesAfter, wheelExpiry } from '../facts/linux.js';
import { uwsgiSocketTimeout } from '../facts/uwsgi.js';
import { Cause } from './outcome.js';
import { Origin } from './request-table.js';
import type { World } from './world.js';

/** Listener.connectedAtSyn's length: the first SYN, Linux's 6 retransmissions, and any later. */
export const CONNECTED_AT_SYN = 8;

export class Listener {
  /** Land safe handshakes without events (on by default; off only to test that it is exact). */
  static lazyHandshakes = true;
  /**
   * Timers of one jiffy in random order (on by default; off, they run in the order they were
   * armed, as capsim had it: only for the check in docs/model.md that compares the two).
   */
  static sameJiffyRanks = true;
  private readonly linux: boolean;
  /** SYNs dropped because the accept queue was full, in the measured window. */
  synDrops = 0;
  /** Handshakes whose completing segment (final ACK, or first data under TCP_DEFER_ACCEPT) found the queue full. */
  ackOverflows = 0;
  /** SYNs answered with a cookie because the SYN queue (request sockets) was full. */
  synCookies = 0;
  /**
   * Requests' connections that got in (their SYN answered) at SYN number k + 1: index 0 the
   * first SYN, 1-6 after that many retransmissions, the last index any later, in the measured
   * window. Each retransmission adds a second or more to the request's latency.
   */
  readonly connectedAtSyn = new Float64Array(CONNECTED_AT_SYN);
  private readonly synRetryHandler = (slot: number) => this.syn(slot);
  private readonly ackHandler = (slot: number) => this.ack(slot);
  private readonly connectTimeoutHandler = (slot: number) => this.connectTimedOut(slot);
  private readonly connectFailedHandler = (slot: number) => this.connectFailed(slot);
  private readonly synackGiveUpHandler = (slot: number) => this.synackGiveUp(slot);
  private readonly wakeHandler = (c: number) => this.wake(c);
  /** From the SYN to the segment that completes the handshake and can enter the accept queue. */
  private readonly entry: number;
  /** Later tries of an overflowed handshake (offsets from its SYN), and its reset. */
  private readonly dataAt: number;
  /** TCP_DEFER_ACCEPT's period as SYN-ACK timer runs (0: not set): uWSGI's socket-timeout. */
  readonly deferRetrans: number;
  /** A SYN cookie's connection: the bare ACK completes it (no defer), its retries, its end. */
  private readonly cookieEntry: number;
  /** Request sockets the SYN queue holds: min(backlog, somaxconn) (inet_csk_reqsk_queue_is_full). */
  private readonly synQueueCap: number;
  private readonly linuxClient: boolean;
  private readonly halfRtt: number;
  private readonly lazy: boolean;
  /** Ranks for timers that fire in the same jiffy: Linux leaves their order open (facts/linux.ts, wheelExpiry). */
  private readonly sameJiffy: Alea;
  private readonly ranked: boolean;

  constructor(
    private readonly w: World,
    streams: RandomStreams,
  ) {
    const { balancer, fleet } = w.model;
    this.linux = fleet.overflow === 'linux';
    const defer = fleet.server.deferAccept;
    this.entry = balancer.rtt + (defer ? balancer.sendDelay : 0);
    const dataAt = balancer.rtt + balancer.sendDelay;
    this.dataAt = dataAt;
    this.deferRetrans = defer ? deferAcceptRetrans(uwsgiSocketTimeout(fleet.server.mode)) : 0;
    this.cookieEntry = balancer.rtt;
    // A landing is certain only if nothing decided after it can enter the queue before it. A
    // cookie's connection (queued at its bare ACK) could overtake handshakes that wait for their
    // data under TCP_DEFER_ACCEPT: then every handshake is simulated.
    this.lazy = Listener.lazyHandshakes && this.cookieEntry >= this.entry;
    this.synQueueCap = Math.min(fleet.server.backlog, fleet.somaxconn);
    this.linuxClient = balancer.synRetransmit === 'linux';
    this.halfRtt = balancer.rtt / 2;
    this.sameJiffy = streams.alea('linux/same-jiffy-order');
    this.ranked = Listener.sameJiffyRanks;
  }

  /** Schedule what a wheel timer sets off at t: among the others of its jiffy, in random order. */
  private atWheel(t: number, fn: (slot: number) => void, slot: number): void {
    if (this.ranked) this.w.sim.atRanked(t, fn, slot, this.sameJiffy.next());
    else this.w.sim.at(t, fn, slot);
  }

  /**
   * Land every lazy handshake whose ACK time has come, in order, at its own time. Called before
   * anything reads or changes the container's accept queue.
   */
  settle(container: Container): void {
    const landing = container.landing;
    if (landing.length === 0) return;
    const w = this.w;
    const table = w.table;
    const now = w.sim.now;
    while (landing.length > 0) {
      const slot = landing.peek();
      const t = table.tContainer[slot]! + this.entry;
      if (t > now) break;
      landing.shift();
      container.handshakes--;
      if (!table.clientWaiting[slot]) {
        table.serverDone(slot);
        continue;
      }
      // A worker waits in accept() only with the queue empty, and then a wake event lands this
      // handshake at exactly t == now.
      if (container.acceptQueue.length === 0 && w.server.acceptNow(container, slot)) continue;
      this.enqueueAt(container, slot, t);
    }
  }

  /** A worker of the container now waits in accept(): land the next handshake for it on time. */
  workerWaiting(container: Container): void {
    if (container.landing.length === 0 || container.wakePending) return;
    container.wakePending = true;
    const slot = container.landing.peek();
    this.w.sim.at(Math.max(this.w.table.tContainer[slot]! + this.entry, this.w.sim.now), this.wakeHandler, container.index);
  }

  private wake(c: number): void {
    const container = this.w.containers[c]!;
    container.wakePending = false;
    this.settle(container);
    if (container.idle.length > 0) this.workerWaiting(container);
  }

  /** The balancer opens a new connection to container c for the request. */
  connect(c: number, slot: number): void {
    const table = this.w.table;
    table.container[slot] = c;
    table.serverHeld[slot] = 1;
    table.tContainer[slot] = this.w.sim.now;
    table.attempt[slot] = 0;
    if (!this.linux) {
      this.refuseMode(c, slot);
      return;
    }
    this.syn(slot);
  }

  private refuseMode(c: number, slot: number): void {
    const container = this.w.containers[c]!;
    if (this.w.server.acceptNow(container, slot)) return;
    if (container.acceptQueue.length < container.queueCap) {
      this.enqueue(c, slot);
      return;
    }
    this.fail(slot, Cause.BacklogOverflow);
  }

  /** A SYN (first or retransmitted) reaches the container. */
  private syn(slot: number): void {
    const w = this.w;
    const table = w.table;
    if (!table.clientWaiting[slot]) {
      // The balancer gave up on this request meanwhile.
      this.leaveSurge(slot);
      table.serverDone(slot);
      return;
    }
    const c = table.container[slot]!;
    const container = w.containers[c]!;
    this.settle(container);
    if (container.acceptQueue.length >= container.queueCap) {
      this.synDrops++;
      const k = table.attempt[slot]!;
      // (A pre-opened connection carries no request: it is not in the surge queue.)
      if (k === 0 && w.model.balancer.surgeQueue > 0 && table.user[slot] !== Origin.Preopen) w.balancer.surgeEnter();
      table.attempt[slot] = k + 1;
      this.retransmitSyn(slot, k);
      return;
    }
    const user = table.user[slot]!;
    if (user !== Origin.Preopen && user !== Origin.HealthCheck) this.connectedAtSyn[Math.min(table.attempt[slot]!, CONNECTED_AT_SYN - 1)]++;
    this.leaveSurge(slot);
    table.attempt[slot] = 0;
    const preopen = user === Origin.Preopen ? w.balancer.preopen : null;
    if (container.handshakes + container.retransmitting + container.deferred >= this.synQueueCap) {
      // The SYN queue is full: tcp_syncookies (1, the default) answers with a cookie and keeps
      // no request socket; the bare ACK completes the handshake (no deferring).
      if (preopen !== null) preopen.synIn(slot, true);
      this.synCookies++;
      table.cookie[slot] = 1;
      container.cookies++;
      table.tContainer[slot] = w.sim.now;
      w.sim.schedule(this.cookieEntry, this.ackHandler, slot);
      return;
    }
    if (preopen !== null && preopen.synIn(slot, false)) {
      // A pre-opened connection under TCP_DEFER_ACCEPT: a request socket until its data come
      // (deferredSegment) or the defer period ends. Not a handshake under way: one enters the
      // queue within an rtt only if a request goes out on it (the fast path below ignores that).
      container.deferred++;
      return;
    }
    // The handshake completes one RTT later. With an empty queue and no other handshake under
    // way, nothing decided within that RTT could differ: take the outcome now and save an event.
    // Otherwise simulate the wait, so that SYNs arriving meanwhile see the queue as Linux does
    // and the final ACK can overflow.
    if (container.acceptQueue.length === 0 && container.handshakes === 0) {
      if (w.server.acceptNow(container, slot)) return;
      if (container.queueCap >= 2) {
        this.enqueue(c, slot);
        return;
      }
    }
    table.tContainer[slot] = w.sim.now; // from now on: the SYN-ACK clock
    // The ACK finds at most the queue plus the handshakes ahead of it (nothing else can get in
    // first): below capacity, it cannot overflow, and it lands without an event.
    const ahead = container.handshakes++;
    if (this.lazy && container.retransmitting === 0 && container.cookies === 0 && container.acceptQueue.length + ahead + container.deferred < container.queueCap) {
      container.landing.push(slot);
      if (container.idle.length > 0) this.workerWaiting(container);
      return;
    }
    w.sim.schedule(this.entry, this.ackHandler, slot);
  }

  /** The handshake's final ACK reaches the container. */
  private ack(slot: number): void {
    const w = this.w;
    const table = w.table;
    const c = table.container[slot]!;
    const container = w.containers[c]!;
    this.settle(container);
    const cookie = table.cookie[slot] === 1;
    // A retry: the connection leaves retransmission, unless it overflows again.
    if (cookie) container.cookies--;
    else if (table.attempt[slot]! > 0) container.retransmitting--;
    else container.handshakes--;
    if (!table.clientWaiting[slot]) {
      table.cookie[slot] = 0;
      table.serverDone(slot);
      return;
    }
    // A retry that is a bare ACK gets the connection in without the request's bytes.
    // (A pre-opened connection carries no request: nothing to wait for.)
    if (table.attempt[slot]! > 0 && !cookie && table.user[slot] !== Origin.Preopen) table.bytesAt[slot] = this.bytesAfterRetry(slot, table.attempt[slot]! - 1);
    if (container.acceptQueue.length === 0 && w.server.acceptNow(container, slot)) {
      table.cookie[slot] = 0;
      return;
    }
    if (container.acceptQueue.length < container.queueCap) {
      table.cookie[slot] = 0;
      this.enqueue(c, slot);
      return;
    }
    this.ackOverflows++;
    table.bytesAt[slot] = 0;
    const k = table.attempt[slot]!;
    const t0 = table.tContainer[slot]!;
    if (cookie) {
      // tcp_get_cookie_sock: no child, the segment is dropped, never a reset.
      container.cookies++;
      table.attempt[slot] = k + 1;
      this.retry(slot, t0, k, true);
      return;
    }
    if (w.model.fleet.tcpAbortOnOverflow) {
      this.fail(slot, Cause.BacklogOverflow);
      return;
    }
    container.retransmitting++;
    table.attempt[slot] = k + 1;
    this.retry(slot, t0, k, false);
  }

  /**
   * The segment that completes a deferred pre-opened connection's handshake arrives: its
   * request's first data (`data`: slot is the request's now), or the bare ACK that answers the
   * SYN-ACK retransmitted at the end of the defer period (slot is the empty connection's).
   */
  deferredSegment(slot: number, data: boolean): void {
    const w = this.w;
    const table = w.table;
    const c = table.container[slot]!;
    const container = w.containers[c]!;
    this.settle(container);
    container.deferred--;
    if (!table.clientWaiting[slot]) {
      table.serverDone(slot);
      return;
    }
    if (container.acceptQueue.length === 0 && w.server.acceptNow(container, slot)) return;
    if (container.acceptQueue.length < container.queueCap) {
      this.enqueue(c, slot);
      return;
    }
    this.ackOverflows++;
    if (w.model.fleet.tcpAbortOnOverflow || !data) {
      // Without tcp_abort_on_overflow the kernel drops the bare ACK and keeps the request socket
      // for the next SYN-ACK; capsim drops the connection (the node opens another): a
      // simplification of a rare case (the queue full at that instant).
      this.fail(slot, Cause.BacklogOverflow);
      return;
    }
    // The data overflowed: from here on like a handshake whose data just arrived.
    const t0 = w.sim.now - this.entry;
    table.tContainer[slot] = t0;
    container.retransmitting++;
    table.attempt[slot] = 1;
    this.retry(slot, t0, 0, false);
  }

  /** Schedule try number k+1 of an overflowed handshake whose SYN came at t0, or its reset. */
  private retry(slot: number, t0: number, k: number, cookie: boolean): void {
    const w = this.w;
    const entry = cookie ? this.cookieEntry : this.entry;
    // Computed on the (rare) overflow path only: a few timer chains of at most a dozen steps.
    const r = overflowRetriesAt(t0, entry, this.dataAt, w.model.balancer.rtt, w.model.fleet.synackRetries, cookie ? 0 : this.deferRetrans, cookie, this.linuxClient);
    // Every try and the reset come from a timer on a wheel: in no fixed order with the others
    // of their jiffy.
    if (k < r.tries.length) this.atWheel(r.tries[k]!, this.ackHandler, slot);
    else this.atWheel(r.reset, this.synackGiveUpHandler, slot);
  }

  /**
   * Try number k+1 of an overflowed handshake got it into the queue: if that try was a bare ACK
   * (a retransmitted SYN-ACK's answer; under TCP_DEFER_ACCEPT once the defer period is over),
   * when its request's bytes arrive (the client's next retransmission of them); 0 if they came
   * with it.
   */
  private bytesAfterRetry(slot: number, k: number): number {
    const w = this.w;
    const t0 = w.table.tContainer[slot]!;
    const rtt = w.model.balancer.rtt;
    const r = overflowRetriesAt(t0, this.entry, this.dataAt, rtt, w.model.fleet.synackRetries, this.deferRetrans, false, this.linuxClient);
    if (k >= r.tries.length || !r.bare[k]) return 0;
    return requestBytesAfter(t0, this.dataAt, rtt, w.sim.now, this.linuxClient);
  }

  /**
   * SYN number k+1 (k retransmissions so far) was dropped: when does the balancer send the
   * next one, or give up? Linux clients on the timer wheel; otherwise RFC 6298 at exact times.
   */
  private retransmitSyn(slot: number, k: number): void {
    const w = this.w;
    const t0 = w.table.tContainer[slot]!;
    const giveUp = t0 + w.model.balancer.connectTimeout;
    const sent = w.sim.now - this.halfRtt;
    if (this.linuxClient) {
      const fires = wheelExpiry(sent, linuxSynRto(k));
      if (k >= LINUX.synRetries) {
        // The kernel's last timeout: connect() fails with ETIMEDOUT.
        if (fires < giveUp) this.atWheel(fires, this.connectFailedHandler, slot);
        else w.sim.at(giveUp, this.connectTimeoutHandler, slot);
        return;
      }
      const next = fires + this.halfRtt;
      // The SYNs of one jiffy reach the listen socket in no fixed order, mixed with the other
      // segments its timers send (facts/linux.ts, wheelExpiry).
      if (next < giveUp) this.atWheel(next, this.synRetryHandler, slot);
      else w.sim.at(giveUp, this.connectTimeoutHandler, slot);
      return;
    }
    const next = t0 + 2 ** (k + 1) - 1;
    if (next < giveUp) w.sim.at(next, this.synRetryHandler, slot);
    else w.sim.at(giveUp, this.connectTimeoutHandler, slot);
  }

  /** The request socket (or the cookie) expired: the balancer's next retransmission meets a reset. */
  private synackGiveUp(slot: number): void {
    const table = this.w.table;
    const container = this.w.containers[table.container[slot]!]!;
    if (table.cookie[slot] === 1) container.cookies--;
    else container.retransmitting--;
    table.cookie[slot] = 0;
    if (!table.clientWaiting[slot]) {
      table.serverDone(slot);
      return;
    }
    this.fail(slot, Cause.BacklogOverflow);
  }

  /** The balancer's kernel gave up on its SYNs before the balancer's own connect timeout. */
  private connectFailed(slot: number): void {
    this.leaveSurge(slot);
    this.fail(slot, Cause.ConnectFailed);
  }

  private enqueue(c: number, slot: number): void {
    this.enqueueAt(this.w.containers[c]!, slot, this.w.sim.now);
  }

  /** The connection joined the accept queue at time t (now, or a lazy ACK's time). */
  private enqueueAt(container: Container, slot: number, t: number): void {
    this.w.table.tContainer[slot] = t;
    container.acceptQueue.push(slot);
    container.backlog.add(t, 1);
  }

  private connectTimedOut(slot: number): void {
    this.leaveSurge(slot);
    this.fail(slot, Cause.ConnectTimeout);
  }

  private leaveSurge(slot: number): void {
    if (this.w.table.attempt[slot]! > 0 && this.w.model.balancer.surgeQueue > 0 && this.w.table.user[slot] !== Origin.Preopen) {
      this.w.balancer.surgeLeave();
      this.w.table.attempt[slot] = 0;
    }
  }

  private fail(slot: number, cause: number): void {
    this.w.balancer.answer(slot, cause);
    this.w.table.serverDone(slot);
  }

  startWindow(): void {
    this.synDrops = 0;
    this.ackOverflows = 0;
    this.synCookies = 0;
    this.connectedAtSyn.fill(0);
  }
}
