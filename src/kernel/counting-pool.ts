// A counting pool (a semaphore of `size` tokens) with FIFO waiters and a wait timeout:
// SQLAlchemy's QueuePool is one (checkout blocks up to `timeout`, then fails).
//
// Handlers are fixed at construction so waiting allocates nothing: `onGrant(id)` runs when a
// queued waiter gets a token, `onTimeout(id)` when it gave up. acquire() returns true when a
// token was free and the caller may go on at once (no handler is called then).
import type { EventId, Simulation } from './simulation.js';

export class CountingPool {
  /** Tokens in use. */
  inUse = 0;
  /** Waiters that timed out, since construction. */
  timeouts = 0;

  // Waiters by ticket: ticket t lives at index t & mask while head <= t < tail.
  private ids: Int32Array;
  private timers: Int32Array;
  private dead: Uint8Array;
  private mask: number;
  private head = 0;
  private tail = 0;
  private live = 0;
  private readonly timeoutHandler = (ticket: number) => this.expire(ticket);

  constructor(
    private readonly sim: Simulation,
    public size: number,
    private readonly onGrant: (id: number) => void,
    private readonly onTimeout: (id: number) => void,
  ) {
    this.ids = new Int32Array(64);
    this.timers = new Int32Array(64);
    this.dead = new Uint8Array(64);
    this.mask = 63;
  }

  /** Number of waiters. */
  get waiting(): number {
    return this.live;
  }

  /** Take a token for `id`, or queue for at most `timeout` seconds. */
  acquire(id: number, timeout: number): boolean {
    if (this.inUse < this.size && this.live === 0) {
      this.inUse++;
      return true;
    }
    if (this.tail - this.head > this.mask) this.grow();
    const t = this.tail++;
    const k = t & this.mask;
    this.ids[k] = id;
    this.dead[k] = 0;
    this.timers[k] = timeout === Infinity ? -1 : this.sim.schedule(timeout, this.timeoutHandler, t);
    this.live++;
    return false;
  }

  /** Return a token; the oldest live waiter gets it. */
  release(): void {
    while (this.head < this.tail) {
      const k = this.head & this.mask;
      this.head++;
      if (this.dead[k]) continue;
      this.live--;
      const timer = this.timers[k]!;
      if (timer >= 0) this.sim.cancel(timer as EventId);
      this.onGrant(this.ids[k]!); // the token passes straight to the waiter
      return;
    }
    this.inUse--;
  }

  /** Withdraw a queued waiter (its request was killed); false if `id` is not waiting. */
  withdraw(id: number): boolean {
    for (let t = this.head; t < this.tail; t++) {
      const k = t & this.mask;
      if (!this.dead[k] && this.ids[k] === id) {
        this.dead[k] = 1;
        this.live--;
        const timer = this.timers[k]!;
        if (timer >= 0) this.sim.cancel(timer as EventId);
        return true;
      }
    }
    return false;
  }

  /** Forget every token and waiter (their owner is gone); waiters' timers are cancelled. */
  reset(): void {
    for (let t = this.head; t < this.tail; t++) {
      const k = t & this.mask;
      if (!this.dead[k] && this.timers[k]! >= 0) this.sim.cancel(this.timers[k] as EventId);
    }
    this.head = this.tail = 0;
    this.live = 0;
    this.inUse = 0;
  }

  private expire(ticket: number): void {
    const k = ticket & this.mask;
    this.dead[k] = 1;
    this.live--;
    this.timeouts++;
    this.onTimeout(this.ids[k]!);
  }

  private grow(): void {
    const n = (this.mask + 1) * 2;
    const ids = new Int32Array(n);
    const timers = new Int32Array(n);
    const dead = new Uint8Array(n);
    for (let t = this.head; t < this.tail; t++) {
      ids[t & (n - 1)] = this.ids[t & this.mask]!;
      timers[t & (n - 1)] = this.timers[t & this.mask]!;
      dead[t & (n - 1)] = this.dead[t & this.mask]!;
    }
    this.ids = ids;
    this.timers = timers;
    this.dead = dead;
    this.mask = n - 1;
  }
}
