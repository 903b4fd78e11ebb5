// The database side: MySQL's connection limit, and each worker process's SQLAlchemy QueuePool
// (or, without a pool, Django's default of a new connection per request).
//
// A request takes a connection at its first query and gives it back when it ends (Django holds
// its connection for the request). QueuePool keeps up to `size` connections open and idle,
// lends up to `size + maxOverflow` at once, closes overflow connections when they come back,
// and makes a borrower wait at most `timeout` (then: TimeoutError, the app answers 500).
import { CountingPool } from '../../kernel/counting-pool.js';
import type { Simulation } from '../../kernel/simulation.js';
import type { Db } from '../../scenario/model-types.js';

export const enum Checkout {
  /** An open pooled connection: go on. */
  Ready = 0,
  /** A connection must be opened first (it may be refused: max_connections). */
  Connect = 1,
  /** Queued in the pool; onGrant or onTimeout will be called with the context. */
  Wait = 2,
}

export class Database {
  /** Connections open on the MySQL server. */
  open = 0;
  /** Peak of `open` in the measured window. */
  openMax = 0;
  refused = 0;
  private readonly pools: CountingPool[] = [];
  /** Is there a pool per process? (Checked first: reading past the end of `pools` is slow.) */
  private readonly hasPool: boolean;
  /** Open, idle connections in each process's pool. */
  private readonly idleOpen: Int32Array;
  /** Connections each process has open (lent or idle). */
  private readonly procOpen: Int32Array;
  /** A granted waiter needs to open a connection (no idle one was there). */
  private readonly grantNeedsConnect: Uint8Array;

  constructor(
    sim: Simulation,
    private readonly db: Db,
    processes: number,
    concurrency: number,
    onGrant: (ctx: number) => void,
    onTimeout: (ctx: number) => void,
  ) {
    this.idleOpen = new Int32Array(processes);
    this.procOpen = new Int32Array(processes);
    this.grantNeedsConnect = new Uint8Array(processes * concurrency);
    this.hasPool = db.pool !== null;
    if (db.pool) {
      const size = db.pool.size + db.pool.maxOverflow;
      for (let p = 0; p < processes; p++) {
        this.pools.push(
          new CountingPool(sim, size, (ctx) => {
            this.grantNeedsConnect[ctx] = this.takeIdle(p) ? 0 : 1;
            onGrant(ctx);
          }, onTimeout),
        );
      }
    }
  }

  get pooled(): boolean {
    return this.hasPool;
  }

  /** The context `ctx` of process `proc` needs a connection. */
  checkout(proc: number, ctx: number): Checkout {
    if (!this.hasPool) return Checkout.Connect;
    const pool = this.pools[proc]!;
    if (!pool.acquire(ctx, this.db.pool!.timeout)) return Checkout.Wait;
    return this.takeIdle(proc) ? Checkout.Ready : Checkout.Connect;
  }

  /** After onGrant: does the granted context have to open a connection? */
  grantedNeedsConnect(ctx: number): boolean {
    return this.grantNeedsConnect[ctx] === 1;
  }

  /** Open a new connection for process `proc`; false when MySQL refuses (max_connections). */
  connect(proc: number): boolean {
    // mysqld admits max_connections + 1, the extra one for a SUPER user: not the app's.
    if (this.open >= this.db.maxConnections) {
      this.refused++;
      return false;
    }
    this.open++;
    this.procOpen[proc]++;
    if (this.open > this.openMax) this.openMax = this.open;
    return true;
  }

  /** A connect was refused: give the pool its token back. */
  connectFailed(proc: number): void {
    this.pools[proc]?.release();
  }

  /** The request ends: its connection goes back to the pool, or is closed. */
  checkin(proc: number): void {
    if (!this.hasPool) {
      this.close(proc);
      return;
    }
    const pool = this.pools[proc]!;
    // QueuePool keeps at most pool_size idle connections; an overflow one is closed on return.
    if (this.idleOpen[proc]! >= this.db.pool!.size) this.close(proc);
    else this.idleOpen[proc]++;
    pool.release();
  }

  /** A context of `proc` stops waiting for the pool (its process is being killed). */
  withdraw(proc: number, ctx: number): void {
    this.pools[proc]?.withdraw(ctx);
  }

  /** The process died: the kernel closes every connection it had. */
  processDied(proc: number): void {
    this.open -= this.procOpen[proc]!;
    this.procOpen[proc] = 0;
    this.idleOpen[proc] = 0;
    this.pools[proc]?.reset();
  }

  startWindow(): void {
    this.openMax = this.open;
    this.refused = 0;
  }

  private takeIdle(proc: number): boolean {
    if (this.idleOpen[proc]! > 0) {
      this.idleOpen[proc]--;
      return true;
    }
    return false;
  }

  private close(proc: number): void {
    this.open--;
    this.procOpen[proc]--;
  }
}
