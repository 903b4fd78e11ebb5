// Requests in flight, as a struct of arrays indexed by a reusable slot: creating a request
// allocates nothing once the table has grown to the peak number in flight.
//
// Each request's phase work is drawn when it arrives, in arrival order, so request k gets the
// same work whatever the fleet looks like: a sweep compares configurations on the same
// requests (common random numbers), not on different luck.
//
// A slot has two holders: the client (until it has its answer: a response, a failure, or the
// balancer's timeout) and the network/server side (from the first SYN until the server is done
// with it). A balancer timeout ends the client's part while a worker may still be busy with
// the request, exactly as in reality; the slot is reused only when both have let go.

/** Who sent the request. */
export const enum Origin {
  Open = -1, // open traffic (rate, profile, bursts)
  HealthCheck = -2, // the balancer's health check
  Preopen = -3, // a connection a Classic ELB node opened ahead, carrying no request (balancer/preopen.ts)
}

export class RequestTable {
  /** Arrival at the balancer (s). */
  tArrive: Float64Array;
  /** First SYN to the container, then arrival in its accept queue (s). */
  tContainer: Float64Array;
  endpoint: Int32Array;
  /** Index of the phase being run, and the step within it (db phases have several). */
  phase: Int32Array;
  step: Int32Array;
  container: Int32Array;
  /** The balancer node that sent it (each node has its own connections and round robin). */
  node: Int32Array;
  /** Closed-loop user index, or an Origin. */
  user: Int32Array;
  /** SYN or SYN-ACK retransmissions so far. */
  attempt: Int32Array;
  /** 1 while the client still waits for its answer. */
  clientWaiting: Uint8Array;
  /** 1 while the network or a worker holds the request. */
  serverHeld: Uint8Array;
  /** 1 while the request holds a DB connection. */
  dbConn: Uint8Array;
  /** 1 while its connection's handshake is a SYN cookie's (the SYN queue was full): no request socket. */
  cookie: Uint8Array;
  /** Reuse generation of the slot, to recognise stale references. */
  gen: Uint32Array;
  /** Work per phase: slot * maxPhases + phase. */
  work: Float64Array;
  /**
   * When the request's bytes reach the server on a connection that entered the accept queue
   * without them (a bare ACK completed its handshake after an overflow); 0: they came with it.
   */
  bytesAt: Float64Array;
  private free: Int32Array;
  private freeTop: number;
  private cap: number;
  inFlight = 0;

  /** Slots ever handed out: every live request has a slot below this. */
  get capacity(): number {
    return this.cap;
  }

  constructor(
    readonly maxPhases: number,
    initial = 256,
  ) {
    this.cap = initial;
    this.tArrive = new Float64Array(initial);
    this.tContainer = new Float64Array(initial);
    this.endpoint = new Int32Array(initial);
    this.phase = new Int32Array(initial);
    this.step = new Int32Array(initial);
    this.container = new Int32Array(initial);
    this.node = new Int32Array(initial);
    this.user = new Int32Array(initial);
    this.attempt = new Int32Array(initial);
    this.clientWaiting = new Uint8Array(initial);
    this.serverHeld = new Uint8Array(initial);
    this.dbConn = new Uint8Array(initial);
    this.cookie = new Uint8Array(initial);
    this.gen = new Uint32Array(initial);
    this.work = new Float64Array(initial * maxPhases);
    this.bytesAt = new Float64Array(initial);
    this.free = new Int32Array(initial);
    for (let i = 0; i < initial; i++) this.free[i] = initial - 1 - i;
    this.freeTop = initial;
  }

  /** A new request, held by its client. */
  alloc(now: number, user: number): number {
    if (this.freeTop === 0) this.grow();
    this.inFlight++;
    const slot = this.free[--this.freeTop]!;
    this.tArrive[slot] = now;
    this.user[slot] = user;
    this.phase[slot] = 0;
    this.step[slot] = 0;
    this.attempt[slot] = 0;
    this.clientWaiting[slot] = 1;
    this.serverHeld[slot] = 0;
    this.dbConn[slot] = 0;
    this.cookie[slot] = 0;
    this.bytesAt[slot] = 0;
    return slot;
  }

  /** The client has its answer; true when the slot is now free. */
  clientDone(slot: number): boolean {
    this.clientWaiting[slot] = 0;
    return this.releaseIfFree(slot);
  }

  /** The network/server side is done with it; true when the slot is now free. */
  serverDone(slot: number): boolean {
    this.serverHeld[slot] = 0;
    return this.releaseIfFree(slot);
  }

  /** A reference that survives slot reuse: slot + generation (below 2^31: a small integer). */
  ref(slot: number): number {
    return (this.gen[slot]! << 21) | slot;
  }

  /** The slot of a reference, or -1 if the slot has been reused since. */
  deref(ref: number): number {
    const slot = ref & 0x1fffff;
    return ref >>> 21 === this.gen[slot] ? slot : -1;
  }

  private releaseIfFree(slot: number): boolean {
    if (this.clientWaiting[slot] || this.serverHeld[slot]) return false;
    this.inFlight--;
    this.gen[slot] = (this.gen[slot]! + 1) & 0x3ff;
    this.free[this.freeTop++] = slot;
    return true;
  }

  private grow(): void {
    const old = this.cap;
    const cap = old * 2;
    const f64 = (a: Float64Array, n = cap) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    const u8 = (a: Uint8Array) => {
      const b = new Uint8Array(cap);
      b.set(a);
      return b;
    };
    this.tArrive = f64(this.tArrive);
    this.tContainer = f64(this.tContainer);
    this.bytesAt = f64(this.bytesAt);
    this.work = f64(this.work, cap * this.maxPhases);
    this.endpoint = i32(this.endpoint);
    this.phase = i32(this.phase);
    this.step = i32(this.step);
    this.container = i32(this.container);
    this.node = i32(this.node);
    this.user = i32(this.user);
    this.attempt = i32(this.attempt);
    this.clientWaiting = u8(this.clientWaiting);
    this.serverHeld = u8(this.serverHeld);
    this.dbConn = u8(this.dbConn);
    this.cookie = u8(this.cookie);
    const g = new Uint32Array(cap);
    g.set(this.gen);
    this.gen = g;
    const free = new Int32Array(cap);
    let top = 0;
    for (let s = cap - 1; s >= old; s--) free[top++] = s;
    this.free = free;
    this.freeTop = top;
    this.cap = cap;
  }
}
