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
import { Cause } from './outcome.js';
import type { World } from './world.js';

export class Listener {
  private readonly linux: boolean;
  /** SYNs dropped because the accept queue was full, in the measured window. */
  synDrops = 0;
  /** Handshakes whose final ACK found the queue full. */
  ackOverflows = 0;
  private readonly synRetryHandler = (slot: number) => this.syn(slot);
  private readonly ackHandler = (slot: number) => this.ack(slot);
  private readonly connectTimeoutHandler = (slot: number) => this.connectTimedOut(slot);
  private readonly synackGiveUpHandler = (slot: number) => this.synackGiveUp(slot);

  constructor(private readonly w: World) {
    this.linux = w.model.fleet.overflow === 'linux';
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
    container.handshakes++;
    table.tContainer[slot] = w.sim.now; // from now on: the SYN-ACK clock
    w.sim.schedule(w.model.balancer.rtt, this.ackHandler, slot);
  }

  /** The handshake's final ACK reaches the container. */
  private ack(slot: number): void {
    const w = this.w;
    const table = w.table;
    const c = table.container[slot]!;
    const container = w.containers[c]!;
    if (table.attempt[slot] === 0) container.handshakes--;
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
    this.fail(slot, Cause.BacklogOverflow);
  }

  private enqueue(c: number, slot: number): void {
    const container = this.w.containers[c]!;
    this.w.table.tContainer[slot] = this.w.sim.now;
    container.acceptQueue.push(slot);
    container.backlog.add(this.w.sim.now, 1);
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
