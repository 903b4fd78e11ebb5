// The discrete-event core: a clock and one event list.
//
// The event list is ordered by (time, insertion sequence), so events at equal times run in the
// order they were scheduled (or, scheduled with atRanked, in the order of their ranks) and every
// run is reproducible. It is the hot path of every
// simulation, so it is built from typed arrays (struct of arrays) and reuses event slots through
// a free list: scheduling an event allocates nothing once the arrays have grown to the peak
// number of pending events.
//
// It is kept in two binary heaps, near and far. A fleet's pending events are of two kinds: a
// few due within milliseconds (CPU bursts, queries, the next arrival), which are nearly all the
// events run, and many due seconds ahead (slow requests' waits, health checks, timeouts). An
// event due `farAfter` seconds or more ahead when scheduled goes to the far heap, so the
// frequent events sift through a heap of a handful of entries instead of dozens. The next
// event is the smaller of the two heaps' tops by (time, sequence): the order is exactly that of
// one heap, whichever heap an event sits in.
//
// An event is a plain callback with one integer argument (a request, worker or job index,
// below 2^31): components bind their handlers once, at construction, and pass the index as
// the argument. Integers stay unboxed in V8, so calling a handler allocates nothing.
import { EventHeap } from './event-heap.js';
import { F64_ZERO } from './f64.js';

export type Handler = (arg: number) => void;

/** Identifies a scheduled event for cancel(); encodes the slot and its reuse generation. */
export type EventId = number;

// Ids stay below 2^31 so V8 keeps them as small integers: returning one allocates nothing.
const SLOT_BITS = 2 ** 21; // max pending events at once: 2 million
const GEN_LIMIT = 2 ** 10; // generations wrap; an id is only valid while its event is pending

/** Default split between the near and the far heap, in seconds ahead (speed only, not order). */
const FAR_AFTER = 1;

const noop: Handler = () => {};

// Out of line: with the message's template inlined into a hot caller, V8 was measured converting
// the time to a string on every call, error or not (Builtins_NumberToString: 2x slower).
function inThePast(t: number, now: number): never {
  throw new Error(`cannot schedule in the past or at NaN: t=${t}, now=${now}`);
}

/** More events pending at once than an event id can name: the model outran the kernel. */
export class PendingEventsError extends Error {
  constructor(
    readonly limit: number,
    readonly at: number,
  ) {
    super(`more than ${limit} events pending at once at t=${at}`);
    this.name = 'PendingEventsError';
  }
}

export const MAX_PENDING_EVENTS = SLOT_BITS;

export class Simulation {
  /** Simulated time, in seconds. */
  now = F64_ZERO;
  /** Events executed so far (for benchmarks). */
  executed = 0;

  private readonly near: EventHeap;
  private readonly far: EventHeap;

  // Per-slot data.
  private fn: Handler[];
  private arg: Int32Array;
  private gen: Uint32Array;
  private pos: Int32Array; // slot -> index in near (>= 0) or far (-2 - index); -1 when free
  private free: Int32Array;
  private freeTop = 0;
  private capacity: number;

  private seq = 0;
  private stopped = false;

  constructor(
    initialCapacity = 1024,
    /** Events due this many seconds ahead or more wait in the far heap (affects speed only). */
    private readonly farAfter = FAR_AFTER,
  ) {
    this.capacity = initialCapacity;
    this.fn = new Array<Handler>(initialCapacity).fill(noop);
    this.arg = new Int32Array(initialCapacity);
    this.gen = new Uint32Array(initialCapacity);
    this.pos = new Int32Array(initialCapacity).fill(-1);
    this.free = new Int32Array(initialCapacity);
    for (let i = 0; i < initialCapacity; i++) this.free[i] = initialCapacity - 1 - i;
    this.freeTop = initialCapacity;
    this.near = new EventHeap(64, this.pos, 1, 0);
    this.far = new EventHeap(64, this.pos, -1, -2);
  }

  /** Number of pending events. */
  get pending(): number {
    return this.near.size + this.far.size;
  }

  /** Schedule fn(arg) after delay seconds (delay >= 0); arg is an integer below 2^31. */
  schedule(delay: number, fn: Handler, arg = 0): EventId {
    return this.at(this.now + delay, fn, arg);
  }

  /** Schedule fn(arg) at absolute time t (t >= now). */
  at(t: number, fn: Handler, arg = 0): EventId {
    if (!(t >= this.now)) inThePast(t, this.now);
    if (this.freeTop === 0) this.grow();
    const slot = this.free[--this.freeTop]!;
    this.fn[slot] = fn;
    this.arg[slot] = arg;
    (t - this.now < this.farAfter ? this.near : this.far).insert(t, this.seq++, slot);
    return this.gen[slot]! * SLOT_BITS + slot;
  }

  /**
   * Schedule fn(arg) at absolute time t (t >= now) with a tie rank in [0, 1): events at the same
   * time that were given ranks run in rank order, before the ones scheduled with at(). For
   * events whose order at one instant the modelled software leaves open (timers that expire in
   * the same jiffy: facts/linux.ts), the caller draws the rank. (moveTo() would queue the event
   * as at() does: its rank is not kept.)
   */
  atRanked(t: number, fn: Handler, arg: number, rank: number): EventId {
    if (!(t >= this.now)) inThePast(t, this.now);
    if (this.freeTop === 0) this.grow();
    const slot = this.free[--this.freeTop]!;
    this.fn[slot] = fn;
    this.arg[slot] = arg;
    // Sequence numbers of at() are >= 0: a rank - 1 in [-1, 0) sorts before them, by rank.
    (t - this.now < this.farAfter ? this.near : this.far).insert(t, rank - 1, slot);
    return this.gen[slot]! * SLOT_BITS + slot;
  }

  /** Cancel a pending event; returns false if it already ran or was cancelled. */
  cancel(id: EventId): boolean {
    const slot = id % SLOT_BITS;
    const g = (id - slot) / SLOT_BITS;
    if (slot >= this.capacity || this.gen[slot] !== g) return false;
    const p = this.pos[slot]!;
    if (p === -1) return false;
    if (p >= 0) this.near.removeAt(p);
    else this.far.removeAt(this.far.indexOf(p));
    this.release(slot);
    return true;
  }

  /**
   * Move a pending event to absolute time t (t >= now), as if it had been cancelled and
   * scheduled again (it queues behind events already at t) but with one sift instead of a
   * removal and an insertion, and keeping its id. Returns false if the event is not pending.
   */
  moveTo(id: EventId, t: number): boolean {
    if (!(t >= this.now)) inThePast(t, this.now);
    const slot = id % SLOT_BITS;
    const g = (id - slot) / SLOT_BITS;
    if (slot >= this.capacity || this.gen[slot] !== g) return false;
    const p = this.pos[slot]!;
    if (p === -1) return false;
    // The event stays in its heap: the order of events does not depend on which one holds it.
    if (p >= 0) this.near.rekey(p, t, this.seq++);
    else this.far.rekey(this.far.indexOf(p), t, this.seq++);
    return true;
  }

  /** Is the event still pending? */
  isPending(id: EventId): boolean {
    const slot = id % SLOT_BITS;
    const g = (id - slot) / SLOT_BITS;
    return slot < this.capacity && this.gen[slot] === g && this.pos[slot] !== -1;
  }

  /** Stop run() after the current event. */
  stop(): void {
    this.stopped = true;
  }

  /**
   * Run events with time <= until, in order. Afterwards the clock reads `until` (unless
   * stop() was called, when it reads the time of the last event run).
   */
  run(until = Infinity): void {
    this.stopped = false;
    const near = this.near;
    const far = this.far;
    for (;;) {
      // The next event: the smaller top by (time, seq). Arrays are re-read each turn: a
      // handler may grow them.
      let h = near;
      if (far.size > 0) {
        if (near.size === 0) h = far;
        else {
          const ft = far.time[0]!;
          const nt = near.time[0]!;
          if (ft < nt || (ft === nt && far.seq[0]! < near.seq[0]!)) h = far;
        }
      } else if (near.size === 0) break;
      const t = h.time[0]!;
      if (t > until) break;
      const slot = h.slot[0]!;
      h.removeAt(0);
      const fn = this.fn[slot]!;
      const a = this.arg[slot]!;
      this.release(slot);
      this.now = t;
      this.executed++;
      fn(a);
      if (this.stopped) return;
    }
    if (until !== Infinity && until > this.now) this.now = until;
  }

  private release(slot: number): void {
    // The handler stays in the slot until reused: handlers are long-lived bound closures, and
    // not clearing it saves a write barrier per event.
    this.pos[slot] = -1;
    this.gen[slot] = (this.gen[slot]! + 1) & (GEN_LIMIT - 1);
    this.free[this.freeTop++] = slot;
  }

  private grow(): void {
    const old = this.capacity;
    const cap = old * 2;
    if (cap > SLOT_BITS) throw new PendingEventsError(SLOT_BITS, this.now);
    const arg = new Int32Array(cap);
    arg.set(this.arg);
    this.arg = arg;
    const g = new Uint32Array(cap);
    g.set(this.gen);
    this.gen = g;
    const pos = new Int32Array(cap).fill(-1);
    pos.set(this.pos);
    this.pos = pos;
    this.near.pos = pos;
    this.far.pos = pos;
    for (let i = old; i < cap; i++) this.fn.push(noop);
    const free = new Int32Array(cap);
    // All old slots are in use (the free list was empty); hand out new ones lowest first.
    let top = 0;
    for (let i = cap - 1; i >= old; i--) free[top++] = i;
    this.free = free;
    this.freeTop = top;
    this.capacity = cap;
  }
}
