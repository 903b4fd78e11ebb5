// A container (a Fargate task): the CPU its worker processes share, the listen socket's
// accept queue, the processes blocked in accept(), and what its master is doing.
import { Fifo } from '../kernel/fifo.js';
import type { PsCpu } from '../kernel/ps-cpu.js';
import { TimeWeighted } from '../stats/time-weighted.js';
import type { WorkerProcess } from './server/worker-process.js';
import { F64_ZERO } from '../kernel/f64.js';

export class Container {
  /** Established connections waiting for a worker to accept them (request slots). */
  readonly acceptQueue: Fifo;
  /** Connections the queue can hold: the effective backlog (+1 under Linux semantics). */
  readonly queueCap: number;
  /** Handshakes under way (the segment completing them not yet in), lazy or simulated. */
  handshakes = 0;
  /**
   * Pre-opened connections waiting in the SYN queue for their data (TCP_DEFER_ACCEPT): request
   * sockets like handshakes, but none enters the queue unless a request is sent on it.
   */
  deferred = 0;
  /**
   * Handshakes whose completing segment cannot find the queue full, in SYN order (= arrival
   * order): they join the queue without an event of their own (see Listener.settle).
   */
  readonly landing: Fifo;
  /** Is an event scheduled to land the first of them for a worker waiting in accept()? */
  wakePending = false;
  /** Connections whose completing segment overflowed and that will try again (request sockets). */
  retransmitting = 0;
  /** SYN-cookie connections not yet in the queue (the SYN queue was full: no request socket). */
  cookies = 0;
  /** Processes blocked in accept(), in the order they became idle. */
  readonly idle: Fifo;
  readonly procs: WorkerProcess[] = [];
  /** Processes accepting now. */
  live = 0;
  /** Since when live has been 0 (when it is). */
  zeroSince = F64_ZERO;
  /** Seconds with no live worker, within the measured window. */
  zeroLiveSeconds = F64_ZERO;
  /** Resident memory of the task (shared + all its worker processes), bytes. */
  rss = 0;
  /** The same over time: its average is what Fargate's memory metric shows, its max what the OOM killer sees. */
  readonly memory = new TimeWeighted();
  /** Accept-queue length over time (for the backlog figures). */
  readonly backlog = new TimeWeighted();
  /** The master's loop turns at masterPhase + k·cycle; is a turn scheduled? */
  masterPhase = F64_ZERO;
  tickPending = false;
  /** The master is asleep (uWSGI forkbomb delay) until then. */
  masterAwakeAt = 0;
  /** uWSGI respawn-rate bookkeeping (core/master.c). */
  lastRespawnSecond = -Infinity;
  respawnRate = 0;
  /** Processes that exited and wait for the master to reap them. */
  readonly exited: Fifo;

  constructor(
    readonly index: number,
    readonly cpu: PsCpu,
    queueCap: number,
  ) {
    this.queueCap = queueCap;
    this.acceptQueue = new Fifo(Infinity, 128);
    this.landing = new Fifo(Infinity, 64);
    this.idle = new Fifo(Infinity, 16);
    this.exited = new Fifo(Infinity, 16);
  }
}
