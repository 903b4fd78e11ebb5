// A binary min-heap of pending events keyed by (time, sequence), built from typed arrays
// (struct of arrays), for the Simulation's event list.
//
// Each entry names an event slot; the heap records where every slot sits in a `pos` array that
// it shares with the other heap of the event list. It writes `index * dir + base` there, so two
// heaps can share one array: one writes i (dir 1, base 0), the other -2 - i (dir -1, base -2),
// and -1 stays free for "not pending".
export class EventHeap {
  time: Float64Array;
  seq: Float64Array;
  slot: Int32Array;
  size = 0;

  constructor(
    capacity: number,
    /** slot -> encoded heap index; replaced by the owner when it grows. */
    public pos: Int32Array,
    private readonly dir: 1 | -1,
    private readonly base: 0 | -2,
  ) {
    this.time = new Float64Array(capacity);
    this.seq = new Float64Array(capacity);
    this.slot = new Int32Array(capacity);
  }

  /** Heap index of an encoded position written by this heap. */
  indexOf(p: number): number {
    return (p - this.base) * this.dir;
  }

  insert(t: number, s: number, slot: number): void {
    if (this.size === this.time.length) this.grow();
    this.siftUp(this.size++, t, s, slot);
  }

  /** Remove heap entry i, restoring heap order with the last entry. */
  removeAt(i: number): void {
    const last = --this.size;
    if (i === last) return;
    const time = this.time, seq = this.seq;
    const t = time[last]!;
    const s = seq[last]!;
    const sl = this.slot[last]!;
    // Sift up if the moved entry is smaller than i's parent, else sift down.
    if (i > 0) {
      const p = (i - 1) >> 1;
      const pt = time[p]!;
      if (t < pt || (t === pt && s < seq[p]!)) {
        this.siftUp(i, t, s, sl);
        return;
      }
    }
    this.siftDown(i, t, s, sl, last);
  }

  /** Give entry i the key (t, s): a later key only moves down, an earlier one only up. */
  rekey(i: number, t: number, s: number): void {
    const sl = this.slot[i]!;
    if (t >= this.time[i]!) this.siftDown(i, t, s, sl, this.size);
    else this.siftUp(i, t, s, sl);
  }

  /** Place key (t, s) of `slot` at heap index i or above, moving larger parents down. */
  private siftUp(i: number, t: number, s: number, slot: number): void {
    const time = this.time, seq = this.seq, hs = this.slot, pos = this.pos;
    const dir = this.dir, base = this.base;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = time[p]!;
      if (pt < t || (pt === t && seq[p]! < s)) break;
      time[i] = pt;
      seq[i] = seq[p]!;
      const ps = hs[p]!;
      hs[i] = ps;
      pos[ps] = i * dir + base;
      i = p;
    }
    time[i] = t;
    seq[i] = s;
    hs[i] = slot;
    pos[slot] = i * dir + base;
  }

  /** Place key (t, s) of `slot` at heap index i or below (heap of n entries), moving smaller children up. */
  private siftDown(i: number, t: number, s: number, slot: number, n: number): void {
    const time = this.time, seq = this.seq, hs = this.slot, pos = this.pos;
    const dir = this.dir, base = this.base;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let ct = time[c]!;
      let cs = seq[c]!;
      const r = c + 1;
      if (r < n) {
        const rt = time[r]!;
        if (rt < ct || (rt === ct && seq[r]! < cs)) {
          c = r;
          ct = rt;
          cs = seq[r]!;
        }
      }
      if (t < ct || (t === ct && s < cs)) break;
      time[i] = ct;
      seq[i] = cs;
      const csl = hs[c]!;
      hs[i] = csl;
      pos[csl] = i * dir + base;
      i = c;
    }
    time[i] = t;
    seq[i] = s;
    hs[i] = slot;
    pos[slot] = i * dir + base;
  }

  private grow(): void {
    const cap = this.time.length * 2;
    const time = new Float64Array(cap);
    time.set(this.time);
    const seq = new Float64Array(cap);
    seq.set(this.seq);
    const slot = new Int32Array(cap);
    slot.set(this.slot);
    this.time = time;
    this.seq = seq;
    this.slot = slot;
  }
}
