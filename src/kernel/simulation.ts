// The discrete-event core: a clock and one event list.
//
// The event list is a binary heap ordered by (time, insertion sequence), so events at equal
// times run in the order they were scheduled and every run is reproducible. It is the hot
// path of every simulation, so it is built from typed arrays (struct of arrays) and reuses
// event slots through a free list: scheduling an event allocates nothing once the arrays
// have grown to the peak number of pending events.
//
// An event is a plain callback with one integer argument (a request, worker or job index,
// below 2^31): components bind their handlers once, at construction, and pass the index as
// the argument. Integers stay unboxed in V8, so calling a handler allocates nothing.

export type Handler = (arg: number) => void;

/** Identifies a scheduled event for cancel(); encodes the slot and its reuse generation. */
export type EventId = number;

// Ids stay below 2^31 so V8 keeps them as small integers: returning one allocates nothing.
const SLOT_BITS = 2 ** 21; // max pending events at once: 2 million
const GEN_LIMIT = 2 ** 10; // generations wrap; an id is only valid while its event is pending

const noop: Handler = () => {};

export class Simulation {
  /** Simulated time, in seconds. */
  now = 0;
  /** Events executed so far (for benchmarks). */
  executed = 0;

  // Heap, in heap order: keys and the slot each entry refers to.
  private hTime: Float64Array;
  private hSeq: Float64Array;
  private hSlot: Int32Array;
  private size = 0;

  // Per-slot data.
  private fn: Handler[];
  private arg: Int32Array;
  private gen: Uint32Array;
  private pos: Int32Array; // slot -> heap index, -1 when free
  private free: Int32Array;
  private freeTop = 0;
  private capacity: number;

  private seq = 0;
  private stopped = false;

  constructor(initialCapacity = 1024) {
    this.capacity = initialCapacity;
    this.hTime = new Float64Array(initialCapacity);
    this.hSeq = new Float64Array(initialCapacity);
    this.hSlot = new Int32Array(initialCapacity);
    this.fn = new Array<Handler>(initialCapacity).fill(noop);
    this.arg = new Int32Array(initialCapacity);
    this.gen = new Uint32Array(initialCapacity);
    this.pos = new Int32Array(initialCapacity).fill(-1);
    this.free = new Int32Array(initialCapacity);
    for (let i = 0; i < initialCapacity; i++) this.free[i] = initialCapacity - 1 - i;
    this.freeTop = initialCapacity;
  }

  /** Number of pending events. */
  get pending(): number {
    return this.size;
  }

  /** Schedule fn(arg) after delay seconds (delay >= 0); arg is an integer below 2^31. */
  schedule(delay: number, fn: Handler, arg = 0): EventId {
    return this.at(this.now + delay, fn, arg);
  }

  /** Schedule fn(arg) at absolute time t (t >= now). */
  at(t: number, fn: Handler, arg = 0): EventId {
    if (!(t >= this.now)) throw new Error(`cannot schedule in the past or at NaN: t=${t}, now=${this.now}`);
    if (this.freeTop === 0) this.grow();
    const slot = this.free[--this.freeTop]!;
    this.fn[slot] = fn;
    this.arg[slot] = arg;
    this.siftUp(this.size++, t, this.seq++, slot);
    return this.gen[slot]! * SLOT_BITS + slot;
  }

  /** Cancel a pending event; returns false if it already ran or was cancelled. */
  cancel(id: EventId): boolean {
    const slot = id % SLOT_BITS;
    const g = (id - slot) / SLOT_BITS;
    if (slot >= this.capacity || this.gen[slot] !== g) return false;
    const i = this.pos[slot]!;
    if (i < 0) return false;
    this.removeAt(i);
    this.release(slot);
    return true;
  }

  /**
   * Move a pending event to absolute time t (t >= now), as if it had been cancelled and
   * scheduled again (it queues behind events already at t) but with one sift instead of a
   * removal and an insertion, and keeping its id. Returns false if the event is not pending.
   */
  moveTo(id: EventId, t: number): boolean {
    if (!(t >= this.now)) throw new Error(`cannot schedule in the past or at NaN: t=${t}, now=${this.now}`);
    const slot = id % SLOT_BITS;
    const g = (id - slot) / SLOT_BITS;
    if (slot >= this.capacity || this.gen[slot] !== g) return false;
    const i = this.pos[slot]!;
    if (i < 0) return false;
    const s = this.seq++;
    const old = this.hTime[i]!;
    // A later key (or the same time with the newest seq) can only move down, an earlier one up.
    if (t >= old) this.siftDown(i, t, s, slot, this.size);
    else this.siftUp(i, t, s, slot);
    return true;
  }

  /** Is the event still pending? */
  isPending(id: EventId): boolean {
    const slot = id % SLOT_BITS;
    const g = (id - slot) / SLOT_BITS;
    return slot < this.capacity && this.gen[slot] === g && this.pos[slot]! >= 0;
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
    // Arrays are re-read each turn: a handler may grow them.
    while (this.size > 0) {
      const t = this.hTime[0]!;
      if (t > until) break;
      const slot = this.hSlot[0]!;
      this.removeAt(0);
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

  /** Place key (t, s) of `slot` at heap index i or above, moving larger parents down. */
  private siftUp(i: number, t: number, s: number, slot: number): void {
    const hTime = this.hTime, hSeq = this.hSeq, hSlot = this.hSlot, pos = this.pos;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = hTime[p]!;
      if (pt < t || (pt === t && hSeq[p]! < s)) break;
      hTime[i] = pt;
      hSeq[i] = hSeq[p]!;
      const ps = hSlot[p]!;
      hSlot[i] = ps;
      pos[ps] = i;
      i = p;
    }
    hTime[i] = t;
    hSeq[i] = s;
    hSlot[i] = slot;
    pos[slot] = i;
  }

  /** Remove heap entry i, restoring heap order with the last entry. */
  private removeAt(i: number): void {
    const last = --this.size;
    if (i === last) return;
    const hTime = this.hTime, hSeq = this.hSeq, hSlot = this.hSlot, pos = this.pos;
    const t = hTime[last]!;
    const s = hSeq[last]!;
    const sl = hSlot[last]!;
    // Sift up if the moved entry is smaller than i's parent, else sift down.
    if (i > 0) {
      const p = (i - 1) >> 1;
      const pt = hTime[p]!;
      if (t < pt || (t === pt && s < hSeq[p]!)) {
        this.siftUp(i, t, s, sl);
        return;
      }
    }
    this.siftDown(i, t, s, sl, last);
  }

  /** Place key (t, s) of `slot` at heap index i or below (heap of n entries), moving smaller children up. */
  private siftDown(i: number, t: number, s: number, slot: number, n: number): void {
    const hTime = this.hTime, hSeq = this.hSeq, hSlot = this.hSlot, pos = this.pos;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let ct = hTime[c]!;
      let cs = hSeq[c]!;
      const r = c + 1;
      if (r < n) {
        const rt = hTime[r]!;
        if (rt < ct || (rt === ct && hSeq[r]! < cs)) {
          c = r;
          ct = rt;
          cs = hSeq[r]!;
        }
      }
      if (t < ct || (t === ct && s < cs)) break;
      hTime[i] = ct;
      hSeq[i] = cs;
      const csl = hSlot[c]!;
      hSlot[i] = csl;
      pos[csl] = i;
      i = c;
    }
    hTime[i] = t;
    hSeq[i] = s;
    hSlot[i] = slot;
    pos[slot] = i;
  }

  private grow(): void {
    const old = this.capacity;
    const cap = old * 2;
    if (cap > SLOT_BITS) throw new Error('too many pending events');
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array, fill: number) => {
      const b = new Int32Array(cap).fill(fill);
      b.set(a);
      return b;
    };
    this.hTime = f64(this.hTime);
    this.hSeq = f64(this.hSeq);
    this.hSlot = i32(this.hSlot, 0);
    this.arg = i32(this.arg, 0);
    const g = new Uint32Array(cap);
    g.set(this.gen);
    this.gen = g;
    this.pos = i32(this.pos, -1);
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
