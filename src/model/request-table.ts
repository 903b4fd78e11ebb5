// Requests in flight, as a struct of arrays indexed by a reusable slot: creating a request
// allocates nothing once the table has grown to the peak number in flight.
//
// Each request's phase work is drawn when it arrives, in arrival order, so request k gets the
// same work whatever the fleet looks like: a sweep compares configurations on the same
// requests (common random numbers), not on different luck.

export class RequestTable {
  /** Arrival at the balancer (s). */
  tArrive: Float64Array;
  /** Arrival at the container's listen socket (s). */
  tContainer: Float64Array;
  endpoint: Int32Array;
  /** Index of the phase being run. */
  phase: Int32Array;
  container: Int32Array;
  /** Work per phase: slot * maxPhases + phase. */
  work: Float64Array;
  private free: Int32Array;
  private freeTop: number;
  private cap: number;
  inFlight = 0;

  constructor(
    readonly maxPhases: number,
    initial = 256,
  ) {
    this.cap = initial;
    this.tArrive = new Float64Array(initial);
    this.tContainer = new Float64Array(initial);
    this.endpoint = new Int32Array(initial);
    this.phase = new Int32Array(initial);
    this.container = new Int32Array(initial);
    this.work = new Float64Array(initial * maxPhases);
    this.free = new Int32Array(initial);
    for (let i = 0; i < initial; i++) this.free[i] = initial - 1 - i;
    this.freeTop = initial;
  }

  alloc(): number {
    if (this.freeTop === 0) this.grow();
    this.inFlight++;
    return this.free[--this.freeTop]!;
  }

  release(slot: number): void {
    this.inFlight--;
    this.free[this.freeTop++] = slot;
  }

  private grow(): void {
    const old = this.cap;
    const cap = old * 2;
    const f = (a: Float64Array, n: number) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    const i = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.tArrive = f(this.tArrive, cap);
    this.tContainer = f(this.tContainer, cap);
    this.work = f(this.work, cap * this.maxPhases);
    this.endpoint = i(this.endpoint);
    this.phase = i(this.phase);
    this.container = i(this.container);
    const free = new Int32Array(cap);
    let top = 0;
    for (let s = cap - 1; s >= old; s--) free[top++] = s;
    this.free = free;
    this.freeTop = top;
    this.cap = cap;
  }
}
