// A FIFO queue of integers (request or worker indices, below 2^31) on a growable ring buffer, with an
// optional capacity: push() refuses when full, which is how a bounded queue loses arrivals.

export class Fifo {
  private buf: Int32Array;
  private mask: number;
  private head = 0;
  private count = 0;

  constructor(
    /** Maximum length; Infinity for unbounded. */
    public capacity = Infinity,
    initialSize = 64,
  ) {
    let n = 16;
    while (n < initialSize) n *= 2;
    this.buf = new Int32Array(n);
    this.mask = n - 1;
  }

  get length(): number {
    return this.count;
  }

  get full(): boolean {
    return this.count >= this.capacity;
  }

  /** Append x; false (and nothing changes) when the queue is at capacity. */
  push(x: number): boolean {
    if (this.count >= this.capacity) return false;
    if (this.count > this.mask) this.grow();
    this.buf[(this.head + this.count) & this.mask] = x;
    this.count++;
    return true;
  }

  /** Remove and return the oldest element; the queue must not be empty. */
  shift(): number {
    if (this.count === 0) throw new Error('shift from an empty Fifo');
    const x = this.buf[this.head]!;
    this.head = (this.head + 1) & this.mask;
    this.count--;
    return x;
  }

  /** Remove and return the newest element (stack order); the queue must not be empty. */
  pop(): number {
    if (this.count === 0) throw new Error('pop from an empty Fifo');
    this.count--;
    return this.buf[(this.head + this.count) & this.mask]!;
  }

  peek(): number {
    if (this.count === 0) throw new Error('peek at an empty Fifo');
    return this.buf[this.head]!;
  }

  /** The k-th item from the head (0 = the next out of shift()). */
  at(k: number): number {
    return this.buf[(this.head + k) & this.mask]!;
  }

  /** Remove the first occurrence of x; O(n). For rare removals (a worker leaving an idle list). */
  remove(x: number): boolean {
    for (let i = 0; i < this.count; i++) {
      if (this.buf[(this.head + i) & this.mask] === x) {
        for (let j = i; j < this.count - 1; j++) {
          this.buf[(this.head + j) & this.mask] = this.buf[(this.head + j + 1) & this.mask]!;
        }
        this.count--;
        return true;
      }
    }
    return false;
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
  }

  private grow(): void {
    const n = this.buf.length * 2;
    const b = new Int32Array(n);
    for (let i = 0; i < this.count; i++) b[i] = this.buf[(this.head + i) & this.mask]!;
    this.buf = b;
    this.mask = n - 1;
    this.head = 0;
  }
}
