// The balancer's idle connections to one target, kept alive for reuse (most recently used
// first, as HTTP client pools do), and the keep-alive race.
//
// The server closes an idle connection `serverKeepAlive` after its last response (or when its
// process dies); the balancer learns of it one-way-delay d later. A request sent on the
// connection in [close − d, close + d) meets the close: the target resets it and the balancer
// answers 502 (ALB documents exactly this). Before that window the reuse is safe; after it the
// balancer already knows and opens a new connection. The balancer closes idle connections
// itself after its idle timeout, with no race.
import type { WorkerProcess } from '../server/worker-process.js';

/** take() found no usable connection. */
export const NONE = -1;
/** take() picked a connection the server was closing: a keepalive-race 502. */
export const RACE = -2;

export class KeepAlivePool {
  private proc: Float64Array;
  private inc: Float64Array;
  private lastUse: Float64Array;
  private mask: number;
  private head = 0;
  private count = 0;
  /** Connections reused, and races lost, since startWindow(). */
  reuses = 0;
  races = 0;

  constructor(
    private readonly procs: WorkerProcess[],
    private readonly serverKeepAlive: number,
    private readonly idleTimeout: number,
    private readonly oneWay: number,
  ) {
    this.proc = new Float64Array(64);
    this.inc = new Float64Array(64);
    this.lastUse = new Float64Array(64);
    this.mask = 63;
  }

  get size(): number {
    return this.count;
  }

  /** A response went back on a connection that stays open. */
  put(proc: number, incarnation: number, now: number): void {
    this.prune(now);
    if (this.count > this.mask) this.grow();
    const k = (this.head + this.count) & this.mask;
    this.proc[k] = proc;
    this.inc[k] = incarnation;
    this.lastUse[k] = now;
    this.count++;
  }

  /** The most recently used connection still usable: its process, RACE, or NONE. */
  take(now: number): number {
    while (this.count > 0) {
      this.count--;
      const k = (this.head + this.count) & this.mask;
      const verdict = this.judge(k, now);
      if (verdict === NONE) continue;
      if (verdict === RACE) this.races++;
      else this.reuses++;
      return verdict;
    }
    return NONE;
  }

  /** Close everything (the target left service). */
  clear(): void {
    this.count = 0;
  }

  private judge(k: number, now: number): number {
    const last = this.lastUse[k]!;
    if (now >= last + this.idleTimeout) return NONE; // the balancer closed it first
    const proc = this.procs[this.proc[k]!]!;
    const inc = this.inc[k]!;
    let closeAt = last + this.serverKeepAlive;
    if (inc !== proc.incarnation) {
      // The process has died since: it closed every connection then.
      if (inc + 1 !== proc.incarnation) return NONE;
      if (proc.diedAt < closeAt) closeAt = proc.diedAt;
    }
    if (now >= closeAt + this.oneWay) return NONE; // the FIN has arrived: known closed
    if (now >= closeAt - this.oneWay) return RACE;
    return this.proc[k]!;
  }

  /** Drop the oldest entries once they can no longer be used. */
  private prune(now: number): void {
    while (this.count > 0) {
      const last = this.lastUse[this.head]!;
      if (now < last + this.idleTimeout && now < last + this.serverKeepAlive + this.oneWay) break;
      this.head = (this.head + 1) & this.mask;
      this.count--;
    }
  }

  private grow(): void {
    const n = (this.mask + 1) * 2;
    const p = new Float64Array(n);
    const i = new Float64Array(n);
    const l = new Float64Array(n);
    for (let j = 0; j < this.count; j++) {
      const k = (this.head + j) & this.mask;
      p[j] = this.proc[k]!;
      i[j] = this.inc[k]!;
      l[j] = this.lastUse[k]!;
    }
    this.proc = p;
    this.inc = i;
    this.lastUse = l;
    this.head = 0;
    this.mask = n - 1;
  }
}
