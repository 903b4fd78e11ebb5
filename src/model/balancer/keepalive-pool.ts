// The balancer's idle connections to one target, kept for reuse, which one a request takes
// (balancer.reuse), and the two races a reused connection can lose.
//
// A connection enters the pool when a response leaves on it and the balancer takes it as
// reusable (HTTP/1.1, no `Connection: close`). Two kinds:
//   keep-alive — the server keeps it open and closes it `serverKeepAlive` after its last
//     response (gunicorn async/gthread keepalive, uWSGI http11-socket socket-timeout). A request
//     sent on it in [close − d, close + d) (d: one-way delay) meets the close: 502 keepalive-race.
//     Before that window the reuse is safe; after it the balancer already knows.
//   close-after — the server closes it right after the response although the response did not
//     say so (uWSGI 2.0 http-socket). Its close time is known at once (sync, threads: the write
//     plus closeLag), or only when the gevent hub runs the greenlet's close (closeAt < 0: read
//     from the CloseClock of its context). Any request sent on it between the response's arrival
//     and the FIN's (a window as long as the close's delay after the write, both crossing the
//     same one-way delay) meets the close: 502 close-race. It is never safe to reuse.
// A process's death closes all its connections (incarnation). The balancer closes idle
// connections itself after its idle timeout, with no race.
//
// The pool's parts (balancer.pool, src/facts/aws.ts): a connection is offered again only
// `reuseDelay` after its response (availableAt); with `noticeFin`, a FIN that arrived while it
// was idle takes it out of the pool (the races above are then only with a FIN still in flight);
// without, the balancer learns of the close only when it writes on the connection.
//
// Reuse order: lifo takes the most recently idle, fifo the oldest, random any (from its own
// stream), each among the connections already offered. Everything is in typed arrays in a
// ring: nothing is allocated per request.
import type { Uniform } from '../../kernel/random-streams.js';
import type { WorkerProcess } from '../server/worker-process.js';

/** take() found no usable connection. */
export const NONE = -1;
/** take() picked a connection the server was closing at its keep-alive timeout: keepalive-race. */
export const RACE = -2;
/** take() picked a connection the server was closing after its response: close-race. */
export const CLOSE_RACE = -3;

export type ReuseOrder = 'lifo' | 'fifo' | 'random';

/**
 * When each worker context closed (or will close) the connection of its last response, for
 * closes the gevent hub decides. `gen` counts the context's close-after responses; `at` is the
 * close time of the latest (Infinity while its close waits for the hub), `prev` the one before.
 */
export class CloseClock {
  readonly at: Float64Array;
  readonly prev: Float64Array;
  readonly gen: Float64Array;
  constructor(contexts: number) {
    this.at = new Float64Array(contexts).fill(-Infinity);
    this.prev = new Float64Array(contexts).fill(-Infinity);
    this.gen = new Float64Array(contexts);
  }

  /** A close-after response left context ctx; its close is pending. Returns its generation. */
  open(ctx: number): number {
    this.prev[ctx] = this.at[ctx]!;
    this.at[ctx] = Infinity;
    return ++this.gen[ctx]!;
  }

  /** The close time of generation `gen` of context ctx (-Infinity: long closed). */
  closeOf(ctx: number, gen: number): number {
    const g = this.gen[ctx]!;
    return g === gen ? this.at[ctx]! : g === gen + 1 ? this.prev[ctx]! : -Infinity;
  }
}

const KEEP_ALIVE = 0;
const CLOSE_AFTER = 1;

export class KeepAlivePool {
  private proc: Int32Array;
  private inc: Float64Array;
  private lastUse: Float64Array;
  /** When the balancer offers the connection again (lastUse + reuseDelay). */
  private avail: Float64Array;
  /** Server close time; < 0: pending, read from the CloseClock (ctx, gen). */
  private closeAt: Float64Array;
  private ctx: Int32Array;
  private gen: Float64Array;
  private kind: Uint8Array;
  private mask: number;
  private head = 0;
  private count = 0;
  /** Connections reused safely, keep-alive races and close races lost, since startWindow(). */
  reuses = 0;
  races = 0;
  closeRaces = 0;

  constructor(
    private readonly procs: WorkerProcess[],
    private readonly serverKeepAlive: number,
    private readonly idleTimeout: number,
    private readonly oneWay: number,
    private readonly order: ReuseOrder = 'lifo',
    private readonly random: Uniform | null = null,
    private readonly clock: CloseClock | null = null,
    private readonly noticeFin = true,
  ) {
    this.proc = new Int32Array(64);
    this.inc = new Float64Array(64);
    this.lastUse = new Float64Array(64);
    this.avail = new Float64Array(64);
    this.closeAt = new Float64Array(64);
    this.ctx = new Int32Array(64);
    this.gen = new Float64Array(64);
    this.kind = new Uint8Array(64);
    this.mask = 63;
  }

  get size(): number {
    return this.count;
  }

  /**
   * A response went back on a connection the server keeps open (closes it serverKeepAlive
   * later); the balancer offers it again from `availableAt`.
   */
  put(proc: number, incarnation: number, now: number, availableAt: number): void {
    this.push(proc, incarnation, now, availableAt, now + this.serverKeepAlive, -1, 0, KEEP_ALIVE);
  }

  /**
   * A response went back on a connection the server closes after it without saying so: at
   * `closeAt`, or (closeAt < 0) when the CloseClock says for context ctx, generation gen.
   */
  putClosing(proc: number, incarnation: number, now: number, availableAt: number, closeAt: number, ctx: number, gen: number): void {
    this.push(proc, incarnation, now, availableAt, closeAt, ctx, gen, CLOSE_AFTER);
  }

  private push(proc: number, incarnation: number, now: number, availableAt: number, closeAt: number, ctx: number, gen: number, kind: number): void {
    this.prune(now);
    if (this.count > this.mask) this.grow();
    const k = (this.head + this.count) & this.mask;
    this.proc[k] = proc;
    this.inc[k] = incarnation;
    this.lastUse[k] = now;
    this.avail[k] = availableAt;
    this.closeAt[k] = closeAt;
    this.ctx[k] = ctx;
    this.gen[k] = gen;
    this.kind[k] = kind;
    this.count++;
  }

  /** The next connection in reuse order still open: its process, RACE, CLOSE_RACE, or NONE. */
  take(now: number): number {
    while (this.count > 0) {
      const j = this.pick(now);
      if (j < 0) return NONE;
      const k = this.removeAt(j);
      const verdict = this.judge(k, now);
      if (verdict === NONE) continue;
      if (verdict === RACE) this.races++;
      else if (verdict === CLOSE_RACE) this.closeRaces++;
      else this.reuses++;
      return verdict;
    }
    return NONE;
  }

  /** Position (0 = oldest) of the next entry in reuse order among those offered by now; -1: none. */
  private pick(now: number): number {
    const n = this.count;
    const mask = this.mask;
    const avail = this.avail;
    if (this.order === 'lifo') {
      for (let j = n - 1; j >= 0; j--) if (avail[(this.head + j) & mask]! <= now) return j;
      return -1;
    }
    if (this.order === 'fifo') {
      for (let j = 0; j < n; j++) if (avail[(this.head + j) & mask]! <= now) return j;
      return -1;
    }
    // random: any entry already offered, each as likely.
    let offered = 0;
    for (let j = 0; j < n; j++) if (avail[(this.head + j) & mask]! <= now) offered++;
    if (offered === 0) return -1;
    let r = Math.floor(this.random!() * offered);
    for (let j = 0; j < n; j++) if (avail[(this.head + j) & mask]! <= now && r-- === 0) return j;
    return -1;
  }

  /** Take the entry at position j out of the ring (the others keep their order); its (still readable) index. */
  private removeAt(j: number): number {
    const mask = this.mask;
    if (j === 0) {
      const k = this.head;
      this.head = (k + 1) & mask;
      this.count--;
      return k;
    }
    const last = this.count - 1;
    if (j !== last) {
      // Move the chosen entry to the tail, the ones after it one place down, then pop it.
      const k = (this.head + j) & mask;
      const p = this.proc[k]!, i = this.inc[k]!, l = this.lastUse[k]!, a = this.avail[k]!, c = this.closeAt[k]!, x = this.ctx[k]!, g = this.gen[k]!, d = this.kind[k]!;
      for (let m = j; m < last; m++) {
        const to = (this.head + m) & mask;
        const from = (to + 1) & mask;
        this.proc[to] = this.proc[from]!;
        this.inc[to] = this.inc[from]!;
        this.lastUse[to] = this.lastUse[from]!;
        this.avail[to] = this.avail[from]!;
        this.closeAt[to] = this.closeAt[from]!;
        this.ctx[to] = this.ctx[from]!;
        this.gen[to] = this.gen[from]!;
        this.kind[to] = this.kind[from]!;
      }
      const t = (this.head + last) & mask;
      this.proc[t] = p;
      this.inc[t] = i;
      this.lastUse[t] = l;
      this.avail[t] = a;
      this.closeAt[t] = c;
      this.ctx[t] = x;
      this.gen[t] = g;
      this.kind[t] = d;
    }
    return (this.head + --this.count) & mask;
  }

  /** Close everything (the target left service). */
  clear(): void {
    this.count = 0;
  }

  /** When the server closes entry k's connection (its process's death included). */
  private serverClose(k: number): number {
    let closeAt = this.closeAt[k]!;
    if (closeAt < 0) closeAt = this.clock!.closeOf(this.ctx[k]!, this.gen[k]!);
    const proc = this.procs[this.proc[k]!]!;
    const inc = this.inc[k]!;
    if (inc !== proc.incarnation) {
      // The process has died since: it closed every connection then.
      if (inc + 1 !== proc.incarnation) return -Infinity;
      if (proc.diedAt < closeAt) closeAt = proc.diedAt;
    }
    return closeAt;
  }

  private judge(k: number, now: number): number {
    if (now >= this.lastUse[k]! + this.idleTimeout) return NONE; // the balancer closed it first
    const closeAt = this.serverClose(k);
    // close-after: the response and the FIN that follows it g later both travel the one-way
    // delay d, so the balancer holds the connection for exactly g (from the response's arrival,
    // which is when capsim hands it the response, to the FIN's); every request it sends then
    // meets the close (after it, or unread in the socket when uWSGI closes it: RST). A pool
    // that does not watch idle connections also sends on one whose FIN has arrived.
    if (this.kind[k] === CLOSE_AFTER) return now >= closeAt && this.noticeFin ? NONE : CLOSE_RACE;
    if (now >= closeAt + this.oneWay) return this.noticeFin ? NONE : RACE; // the FIN has arrived
    if (now >= closeAt - this.oneWay) return RACE;
    return this.proc[k]!;
  }

  /** Drop the oldest entries once they can no longer be used. */
  private prune(now: number): void {
    while (this.count > 0) {
      const k = this.head;
      if (now < this.lastUse[k]! + this.idleTimeout && (!this.noticeFin || now < this.serverClose(k) + this.oneWay)) break;
      this.head = (k + 1) & this.mask;
      this.count--;
    }
  }

  private grow(): void {
    const n = (this.mask + 1) * 2;
    const p = new Int32Array(n);
    const i = new Float64Array(n);
    const l = new Float64Array(n);
    const a = new Float64Array(n);
    const c = new Float64Array(n);
    const x = new Int32Array(n);
    const g = new Float64Array(n);
    const d = new Uint8Array(n);
    for (let j = 0; j < this.count; j++) {
      const k = (this.head + j) & this.mask;
      p[j] = this.proc[k]!;
      i[j] = this.inc[k]!;
      l[j] = this.lastUse[k]!;
      a[j] = this.avail[k]!;
      c[j] = this.closeAt[k]!;
      x[j] = this.ctx[k]!;
      g[j] = this.gen[k]!;
      d[j] = this.kind[k]!;
    }
    this.proc = p;
    this.inc = i;
    this.lastUse = l;
    this.avail = a;
    this.closeAt = c;
    this.ctx = x;
    this.gen = g;
    this.kind = d;
    this.head = 0;
    this.mask = n - 1;
  }
}
