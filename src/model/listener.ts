// The containers' listen sockets: how a new connection from the balancer gets (or fails to
// get) into the accept queue, under the textbook rule or as Linux really does it.
//
// overflow: refuse — a connection that finds the queue full is refused at once: 502
//   backlog-overflow. N workers and a backlog B then make the loss system M/M/N/(N+B).
// overflow: linux (the default) — the queue holds min(backlog, somaxconn) + 1 connections.
//   * A SYN that arrives while it is full is dropped; the balancer retransmits it 1 s later,
//     then after 2 s, 4 s… (RFC 6298), until its connect timeout: 504 connect-timeout.
//     Meanwhile a Classic ELB holds the request in its surge queue.
//   * A SYN that gets in completes its handshake one RTT later. If the queue filled up in
//     between, the final ACK overflows: with tcp_abort_on_overflow the kernel resets the
//     connection (502 backlog-overflow); without (the default) it drops the ACK and
//     retransmits its SYN-ACK after 1, 3, 7… s (tcp_synack_retries times), each answered by a
//     new ACK; when the retries run out the connection is gone and the balancer's request
//     meets a reset: 502 backlog-overflow.
// Connections in the queue belong to the listening socket (the master's), so they survive a
// worker's death and wait for the next worker to accept them.
//
// Most handshakes cannot end in an overflow: when the queue, plus every handshake ahead, is
// below capacity, the final ACK is certain to get in. Such a handshake "lands" in the queue at
// SYN + rtt without an event of its own: it waits in the container's `landing` list and joins
// the queue, at its own ACK time, whenever anything next looks at the queue (settle). Only a
// worker waiting in accept() needs the ACK on time; then one event lands it exactly. Loaded
// containers (a queue that is never empty) thus save an event per connection.
import type { Container } from './container.js';
import { Cause } from './outcome.js';
import type { World } from './world.js';

export class Listener {
  /** Land safe handshakes without events (on by default; off only to test that it is exact). */
  static lazyHandshakes = true;
  private readonly linux: boolean;
  /** SYNs dropped because the accept queue was full, in the measured window. */
  synDrops = 0;
  /** Handshakes whose final ACK found the queue full. */
  ackOverflows = 0;
  private readonly synRetryHandler = (slot: number) => this.syn(slot);
  private readonly ackHandler = (slot: number) => this.ack(slot);
  private readonly connectTimeoutHandler = (slot: number) => this.connectTimedOut(slot);
  private readonly synackGiveUpHandler = (slot: number) => this.synackGiveUp(slot);
  private readonly wakeHandler = (c: number) => this.wake(c);
  private readonly rtt: number;
  private readonly lazy = Listener.lazyHandshakes;

  constructor(private readonly w: World) {
    this.linux = w.model.fleet.overflow === 'linux';
    this.rtt = w.model.balancer.rtt;
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
      const t = table.tContainer[slot]! + this.rtt;
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
    this.w.sim.at(Math.max(this.w.table.tContainer[slot]! + this.rtt, this.w.sim.now), this.wakeHandler, container.index);
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
      if (k === 0 && w.model.balancer.surgeQueue > 0) w.balancer.surgeEnter();
      table.attempt[slot] = k + 1;
      // Retransmissions at 1, 3, 7, 15 … s after the first SYN.
      const t0 = table.tContainer[slot]!;
      const next = t0 + 2 ** (k + 1) - 1;
      const giveUp = t0 + w.model.balancer.connectTimeout;
      if (next < giveUp) w.sim.at(next, this.synRetryHandler, slot);
      else w.sim.at(giveUp, this.connectTimeoutHandler, slot);
      return;
    }
    this.leaveSurge(slot);
    table.attempt[slot] = 0;
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
    if (this.lazy && container.retransmitting === 0 && container.acceptQueue.length + ahead < container.queueCap) {
      container.landing.push(slot);
      if (container.idle.length > 0) this.workerWaiting(container);
      return;
    }
    w.sim.schedule(this.rtt, this.ackHandler, slot);
  }

  /** The handshake's final ACK reaches the container. */
  private ack(slot: number): void {
    const w = this.w;
    const table = w.table;
    const c = table.container[slot]!;
    const container = w.containers[c]!;
    this.settle(container);
    // A retransmitted SYN-ACK's ACK: the connection leaves retransmission, unless it overflows again.
    if (table.attempt[slot]! > 0) container.retransmitting--;
    else container.handshakes--;
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
    if (w.model.fleet.tcpAbortOnOverflow) {
      this.fail(slot, Cause.BacklogOverflow);
      return;
    }
    container.retransmitting++;
    const k = table.attempt[slot]!;
    table.attempt[slot] = k + 1;
    const t0 = table.tContainer[slot]!;
    // The k-th SYN-ACK retransmission goes out 2^k − 1 s after the first; after the last one the
    // timer runs once more before the request socket is dropped (1+2+4+8+16+32 = 63 s by default).
    const next = t0 + 2 ** (k + 1) - 1;
    if (k < w.model.fleet.synackRetries) w.sim.at(next + w.model.balancer.rtt, this.ackHandler, slot);
    else w.sim.at(next, this.synackGiveUpHandler, slot);
  }

  /** The SYN-ACK retransmissions ran out: the balancer's data then meets a reset. */
  private synackGiveUp(slot: number): void {
    this.w.containers[this.w.table.container[slot]!]!.retransmitting--;
    this.fail(slot, Cause.BacklogOverflow);
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
    if (this.w.table.attempt[slot]! > 0 && this.w.model.balancer.surgeQueue > 0) {
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
  }
}
