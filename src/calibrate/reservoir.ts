// A uniform random sample of fixed size from a stream of any length (Vitter's algorithm R),
// with a seeded generator so the same log gives the same sample (and the same calibration).
// Each value carries a tag (here: the minute it arrived in), so a subset can be taken later.

export class Reservoir {
  // Grown by doubling up to capacity: most endpoints of a log are small.
  values = new Float64Array(16);
  tags = new Int32Array(16);
  size = 0;
  seen = 0;
  private state: number;

  constructor(
    readonly capacity: number,
    seed = 1,
  ) {
    this.state = seed >>> 0 || 1;
  }

  add(x: number, tag: number): void {
    const k = this.seen++;
    if (k < this.capacity) {
      if (k === this.values.length) {
        const n = Math.min(this.capacity, k * 2);
        const v = new Float64Array(n);
        v.set(this.values);
        this.values = v;
        const t = new Int32Array(n);
        t.set(this.tags);
        this.tags = t;
      }
      this.values[k] = x;
      this.tags[k] = tag;
      this.size = k + 1;
      return;
    }
    const j = Math.floor(this.random() * (k + 1));
    if (j < this.capacity) {
      this.values[j] = x;
      this.tags[j] = tag;
    }
  }

  /** The sampled values whose tag passes keep, sorted. */
  sorted(keep?: (tag: number) => boolean): Float64Array {
    const out: number[] = [];
    for (let i = 0; i < this.size; i++) if (!keep || keep(this.tags[i]!)) out.push(this.values[i]!);
    return Float64Array.from(out).sort();
  }

  /** xorshift32: enough for sampling, and reproducible. */
  private random(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 4294967296;
  }
}
