// A processor-sharing CPU with `cores` cores: n active jobs each progress at rate min(1, c/n).
//
// Virtual time V(t) is the work one job would have received since the start: dV/dt = min(1, c/n).
// A job that arrives at V0 with work w finishes when V reaches V0 + w, so jobs finish in order
// of that virtual finish tag and a change in n only changes the rate, not any job's tag.
// A start, completion or abort therefore costs one heap operation, O(log n), instead of
// updating every job's remaining work, O(n).
//
// Jobs are identified by small integers below `maxJobs` (a worker process can have at most one
// CPU burst running: the GIL/gevent hub serialise the rest), so all state is in typed arrays.
import type { EventId, Simulation } from './simulation.js';
import { F64_ZERO } from './f64.js';

export class PsCpu {
  private v = F64_ZERO; // virtual time
  private last = F64_ZERO; // real time of the last update
  private n = 0;
  private readonly tag: Float64Array; // virtual finish tag per job
  private readonly seq: Float64Array; // start order, to break ties deterministically
  private readonly pos: Int32Array; // job -> heap index, -1 if idle
  private readonly heap: Int32Array;
  private nextSeq = 0;
  private timer: EventId = -1;
  private timerJob = -1;
  private timerRate = F64_ZERO;
  private busyArea = F64_ZERO; // integral of min(n, c) dt since measureFrom()
  private readonly completeHandler = () => this.complete();

  constructor(
    private readonly sim: Simulation,
    readonly cores: number,
    maxJobs: number,
    private readonly onDone: (job: number) => void,
  ) {
    this.tag = new Float64Array(maxJobs);
    this.seq = new Float64Array(maxJobs);
    this.pos = new Int32Array(maxJobs).fill(-1);
    this.heap = new Int32Array(maxJobs);
  }

  /** Jobs running now. */
  get active(): number {
    return this.n;
  }

  /** Start `work` seconds of CPU for `job` (which must not be running). */
  start(job: number, work: number): void {
    this.advance();
    this.tag[job] = this.v + work;
    this.seq[job] = this.nextSeq++;
    this.insert(job);
    this.reschedule();
  }

  /** Stop a running job (its process was killed); returns the work it had left. */
  abort(job: number): number {
    const i = this.pos[job]!;
    if (i < 0) return 0;
    this.advance();
    const left = this.tag[job]! - this.v;
    this.removeAt(i);
    this.reschedule();
    return left > 0 ? left : 0;
  }

  /** Core-seconds of work done since the last measureFrom(). */
  busyCoreSeconds(): number {
    this.advance();
    return this.busyArea;
  }

  /** Restart the utilization measure (end of warmup). */
  measureFrom(): void {
    this.advance();
    this.busyArea = 0;
  }

  private rate(): number {
    return this.n <= this.cores ? 1 : this.cores / this.n;
  }

  private advance(): void {
    const now = this.sim.now;
    const dt = now - this.last;
    if (dt > 0) {
      if (this.n > 0) {
        this.v += dt * this.rate();
        this.busyArea += dt * (this.n < this.cores ? this.n : this.cores);
      }
      this.last = now;
    }
  }

  /**
   * Keep the completion timer on the job with the smallest tag. Unchanged min job and rate
   * mean an unchanged finish time, so the timer stays: most starts then cost no timer work.
   */
  private reschedule(): void {
    if (this.n === 0) {
      if (this.timer >= 0) this.sim.cancel(this.timer);
      this.timer = -1;
      this.v = 0; // nothing depends on V when idle: restart it to keep full precision
      return;
    }
    const job = this.heap[0]!;
    const rate = this.rate();
    if (this.timer >= 0 && job === this.timerJob && rate === this.timerRate) return;
    const left = this.tag[job]! - this.v;
    const delay = left > 0 ? left / rate : 0;
    this.timerJob = job;
    this.timerRate = rate;
    if (this.timer >= 0) this.sim.moveTo(this.timer, this.sim.now + delay);
    else this.timer = this.sim.schedule(delay, this.completeHandler);
  }

  private complete(): void {
    this.timer = -1;
    this.advance();
    const job = this.heap[0]!;
    this.removeAt(0);
    this.reschedule();
    this.onDone(job);
  }

  // --- indexed binary heap on (tag, seq) ---
  private less(a: number, b: number): boolean {
    const ta = this.tag[a]!;
    const tb = this.tag[b]!;
    return ta < tb || (ta === tb && this.seq[a]! < this.seq[b]!);
  }

  private insert(job: number): void {
    this.siftUp(this.n++, job);
  }

  /** Place `job` at heap index i or above, moving larger parents down. */
  private siftUp(i: number, job: number): void {
    const heap = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pj = heap[p]!;
      if (!this.less(job, pj)) break;
      heap[i] = pj;
      this.pos[pj] = i;
      i = p;
    }
    heap[i] = job;
    this.pos[job] = i;
  }

  private removeAt(i: number): void {
    const heap = this.heap;
    const removed = heap[i]!;
    this.pos[removed] = -1;
    const last = --this.n;
    if (i === last) return;
    const job = heap[last]!;
    // Sift up if the moved job is smaller than i's parent, else down.
    if (i > 0 && this.less(job, heap[(i - 1) >> 1]!)) {
      this.siftUp(i, job);
      return;
    }
    for (;;) {
      let c = 2 * i + 1;
      if (c >= last) break;
      if (c + 1 < last && this.less(heap[c + 1]!, heap[c]!)) c++;
      const cj = heap[c]!;
      if (!this.less(cj, job)) break;
      heap[i] = cj;
      this.pos[cj] = i;
      i = c;
    }
    heap[i] = job;
    this.pos[job] = i;
  }
}
