// One worker process of an app server: its lifecycle, its execution contexts (1 for sync,
// `concurrency` greenlets or threads otherwise) and its hub — the one Python thread that runs
// CPU work. The GIL (threads) or the gevent hub (greenlets) let only one context run Python at
// a time, so a process has at most one CPU burst on the container's CPU; under gevent a C call
// that does not yield (mysqlclient) holds the hub too, and every other greenlet waits.
import { Fifo } from '../../kernel/fifo.js';
import { F64_ZERO } from '../../kernel/f64.js';

export const enum ProcState {
  /** Exited or killed; waiting for the master to notice and respawn it. */
  Dead = 0,
  /** Forked, importing the app. */
  Starting = 1,
  /** Accepting new connections. */
  Accepting = 2,
  /** Recycling: no longer accepting, finishing in-flight requests. */
  Draining = 3,
  /** Finished its requests; running exit handlers. */
  Exiting = 4,
}

/** What a context asks of the hub. */
export const enum HubWork {
  /** Python code: runs on the container's CPU. */
  Cpu = 0,
  /** A C call that does not release the hub (mysqlclient under gevent): no CPU, no yield. */
  Block = 1,
  /**
   * After its response: the app's post-response work (a close-after server's closeLag of CPU,
   * else none), then uwsgi_close_request closes the socket.
   */
  Close = 2,
}

export class WorkerProcess {
  state = ProcState.Accepting;
  /** Bumped at every respawn: connections and timers of an old incarnation are stale. */
  incarnation = 0;
  /** When this incarnation started accepting. */
  bornAt = F64_ZERO;
  /** When the previous incarnation died (closed all its connections). */
  diedAt = -Infinity;
  /** Contexts serving a request (or, uWSGI gevent, waiting for the hub to close its socket). */
  busy = 0;
  /** Of those, contexts whose response is written and whose close waits for the hub. */
  closing = 0;
  /** Requests counted towards max-requests: uWSGI counts them as they close, gunicorn as they start. */
  served = 0;
  /** gunicorn: reached max_requests (alive = False), not yet noticed by the worker's loop. */
  retiring = false;
  /** When the drain began (the recycle), for gunicorn gevent's 1 s polling. */
  recycledAt = F64_ZERO;
  /** Recycle after this many requests (Infinity = never). */
  threshold = Infinity;
  /** Resident memory, bytes. */
  rss = 0;
  /** Recycle/reload deadline: SIGKILL if still alive then (Infinity = none). */
  mercyDeadline = Infinity;
  /** uWSGI harakiri deadline (Infinity = none). */
  harakiriAt = Infinity;
  /** The master decided to SIGKILL it (evil-reload) at its next turn. */
  evilPending = false;
  /**
   * Context on the hub, or -1; what it runs there; since when. A query handed to the CPU with its
   * next burst (RequestRunner) leaves the query's values here through that burst: only gunicorn's
   * timeout reads them, and under it queries are not handed over.
   */
  hubCtx = -1;
  hubWork = HubWork.Cpu;
  hubSince = F64_ZERO;
  /** Contexts waiting for the hub, and what each wants (by context offset). */
  readonly hubQueue: Fifo;
  /** When each waiting context joined hubQueue (by context offset). */
  readonly wantSince: Float64Array;
  /**
   * gevent: greenlets that wrote their response and wait for the hub to close (their work in
   * wantWork). They yielded with gevent.sleep(0), a callback libev runs at the start of its next
   * loop iteration: after the greenlets this iteration's poll found ready (queued by pollAt), and
   * ahead of those that became ready since.
   */
  readonly closeQueue: Fifo;
  /** gevent: when the hub's current loop iteration polled for I/O. */
  pollAt = F64_ZERO;
  readonly wantKind: Int32Array;
  readonly wantWork: Float64Array;
  /** Does anything wait for the hub? */
  get hubWaiting(): boolean {
    return this.hubQueue.length > 0 || this.closeQueue.length > 0;
  }
  /** Free context ids (a stack). */
  private readonly freeCtx: Int32Array;
  private freeTop: number;
  /** Is the process in its container's idle list? */
  idle = false;
  /** Requests delivered on kept-alive connections while no context was free. */
  readonly pending: Fifo;
  /**
   * Utilization: the process is busy while its one Python thread is taken (the hub or GIL holds a
   * context: CPU, or a mysqlclient query under gevent) or while every context is taken (a sync
   * worker with its request, a threads or gevent worker with no free thread or greenlet): either
   * way it cannot start on anything new. Busy seconds since the window's start, and since when
   * the current busy stretch runs: two numbers per change, nothing allocated.
   */
  utilOn = false;
  utilSince = F64_ZERO;
  utilSeconds = F64_ZERO;
  /** When the last busy stretch ended (-Infinity: none pending): a stretch that starts again at that instant continues it. */
  utilOffAt = -Infinity;

  constructor(
    /** Index in the fleet. */
    readonly id: number,
    /** Index in its container (its CPU job id). */
    readonly local: number,
    readonly container: number,
    readonly concurrency: number,
  ) {
    this.hubQueue = new Fifo(Infinity, 16);
    this.closeQueue = new Fifo(Infinity, 16);
    this.pending = new Fifo(Infinity, 16);
    this.wantKind = new Int32Array(concurrency);
    this.wantWork = new Float64Array(concurrency);
    this.wantSince = new Float64Array(concurrency);
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
    this.closing = 0;
    this.hubCtx = -1;
    this.hubQueue.clear();
    this.closeQueue.clear();
    this.pollAt = 0;
    this.pending.clear();
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

  /** Its hub or its contexts changed at `now`: start or end a busy stretch. */
  noteBusy(now: number): void {
    const on = this.hubCtx >= 0 || this.busy >= this.concurrency;
    if (on === this.utilOn) return;
    this.utilOn = on;
    // A stretch is added up only once the next one starts later, so that a hub released and
    // taken again in the same instant counts one stretch, to the last bit (however the events
    // between were arranged).
    if (!on) this.utilOffAt = now;
    else if (now !== this.utilOffAt) {
      if (this.utilOffAt > -Infinity) this.utilSeconds += this.utilOffAt - this.utilSince;
      this.utilSince = now;
      this.utilOffAt = -Infinity;
    } else this.utilOffAt = -Infinity;
  }

  /** Start counting busy time at `now` (the end of the warmup). */
  utilStartWindow(now: number): void {
    this.utilSeconds = 0;
    this.utilSince = now;
    if (!this.utilOn) this.utilOffAt = -Infinity;
  }

  /** Busy seconds from the window's start to `now`. */
  busySeconds(now: number): number {
    if (this.utilOn) return this.utilSeconds + (now - this.utilSince);
    return this.utilOffAt > -Infinity ? this.utilSeconds + (this.utilOffAt - this.utilSince) : this.utilSeconds;
  }

  /** Is the process alive (holding memory, able to hold connections)? */
  get alive(): boolean {
    return this.state >= ProcState.Accepting;
  }
}
