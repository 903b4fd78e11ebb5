// A container (a Fargate task): its CPU, shared by all its worker processes, the listen socket's
// accept queue, and the list of worker processes waiting in accept().
import { Fifo } from '../kernel/fifo.js';
import type { PsCpu } from '../kernel/ps-cpu.js';
import type { WorkerProcess } from './worker-process.js';

export class Container {
  /** Connections completed by the kernel, waiting for a worker to accept them. */
  readonly acceptQueue: Fifo;
  /** Processes blocked in accept(), most recently idle last. */
  readonly idle: Fifo;
  readonly procs: WorkerProcess[] = [];
  /** Processes accepting now. */
  live = 0;
  /** Since when live has been 0 (NaN when it is not). */
  zeroSince = NaN;
  /** Seconds with no live worker, within the measured window. */
  zeroLiveSeconds = 0;

  constructor(
    readonly index: number,
    readonly cpu: PsCpu,
    backlog: number,
  ) {
    this.acceptQueue = new Fifo(backlog, 128);
    this.idle = new Fifo(Infinity, 16);
  }
}
