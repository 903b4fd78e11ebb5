// One worker process of an app server (a uWSGI or gunicorn worker): its lifecycle state, its
// execution contexts (1 for sync, `concurrency` greenlets or threads otherwise) and its hub,
// the one thread of Python that runs CPU work: the GIL/gevent hub serialise a process's CPU
// phases, so at most one of its contexts is on the container's CPU at a time.
import { Fifo } from '../kernel/fifo.js';

export const enum ProcState {
  /** Forked, importing the app, or waiting for the master to notice and respawn it. */
  Down = 0,
  /** Accepting new connections. */
  Accepting = 1,
  /** Recycling: no longer accepting, finishing in-flight requests. */
  Draining = 2,
}

export class WorkerProcess {
  state = ProcState.Accepting;
  /** Contexts serving a request. */
  busy = 0;
  /** Requests closed since this incarnation started. */
  served = 0;
  /** Recycle after this many requests (Infinity = never). */
  threshold = Infinity;
  /** Context running on the hub, or -1. */
  hubCtx = -1;
  /** Contexts waiting for the hub. */
  readonly hubQueue: Fifo;
  /** Free context ids (a stack). */
  readonly freeCtx: Int32Array;
  freeTop: number;
  /** Is the process in its container's idle list? */
  idle = false;

  constructor(
    /** Index in the fleet. */
    readonly id: number,
    /** Index in its container (its CPU job id). */
    readonly local: number,
    readonly container: number,
    readonly concurrency: number,
  ) {
    this.hubQueue = new Fifo(Infinity, 16);
    this.freeCtx = new Int32Array(concurrency);
    this.freeTop = concurrency;
    this.resetContexts();
  }

  /** Global id of this process's k-th context. */
  ctx(k: number): number {
    return this.id * this.concurrency + k;
  }

  resetContexts(): void {
    for (let k = 0; k < this.concurrency; k++) this.freeCtx[k] = this.ctx(this.concurrency - 1 - k);
    this.freeTop = this.concurrency;
    this.busy = 0;
    this.hubCtx = -1;
    this.hubQueue.clear();
  }

  get hasFreeContext(): boolean {
    return this.freeTop > 0;
  }

  takeContext(): number {
    this.busy++;
    return this.freeCtx[--this.freeTop]!;
  }

  returnContext(ctx: number): void {
    this.busy--;
    this.freeCtx[this.freeTop++] = ctx;
  }
}
