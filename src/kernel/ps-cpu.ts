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
//
// A job may also be started ahead, at a known later time (startAt): a burst that must follow an
// I/O wait nothing can interrupt but a kill. It joins the running jobs at that time exactly,
// whenever the CPU is next looked at (advance), and costs an event only when other jobs are
// running then whose rate its start changes (more jobs than cores); alone, or joining jobs that
// keep a core each, it simply runs from its start: the timer goes straight to the next end, as
// the start's event would have computed it. The result is the same, to the bit, as calling
// start() at that time.
import type { EventId, Simulation } from './simulation.js';
import { F64_ZERO } from './f64.js';

const enum TimerKind {
  /** The end of the running job with the smallest tag. */
  Complete = 0,
  /** The start of a job started ahead, while others run. */
  Start = 1,
  /** The end of a job started ahead on an idle CPU, running alone. */
  Lone = 2,
}

export class PsCpu {
  private v = F64_ZERO; // virtual time
  private last = F64_ZERO; // real time of the last update
  private n = 0;
  private readonly tag: Float64Array; // virtual finish tag per job
  private readonly seq: Float64Array; // start order, to break ties deterministically
  private readonly pos: Int32Array; // job -> heap index, -1 if idle
  private readonly heap: Int32Array;
  private nextSeq = 0;
  /** Jobs started ahead: start time (Infinity if none) and work, per job. */
  private readonly pendingAt: Float64Array;
  private readonly pendingWork: Float64Array;
  private nPending = 0;
  /** The job started ahead that starts first, and when (-1, Infinity if none). */
  private firstJob = -1;
  private firstAt = Infinity;
  private timer: EventId = -1;
  /** What the timer is for, and when. */
  private timerKind = TimerKind.Complete;
  private timerAt = Infinity;
  /**
   * When the running job with the smallest tag ends at the current rate, for that job and rate
   * (job -1: to be computed). Kept while they stay the same: recomputed later from a later V,
   * the same instant can come out a rounding step apart.
   */
  private endAt = Infinity;
  private endJob = -1;
  private endRate = F64_ZERO;
  /**
   * The job started ahead whose start was given no event (it changes no rate: quietJoinEnd), or
   * -1: when it joins, the end is noted as that event's reschedule would have noted it.
   */
  private quietJob = -1;
  /** Inside onDone: the owner's reaction will change the jobs again; reschedule once, after. */
  private inCallback = false;
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
    this.pendingAt = new Float64Array(maxJobs).fill(Infinity);
    this.pendingWork = new Float64Array(maxJobs);
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
    if (!this.inCallback) this.reschedule();
  }

  /**
   * Start `work` seconds of CPU for `job` at time t > now, as start() would then. The job must be
   * neither running nor started ahead already.
   */
  startAt(job: number, t: number, work: number): void {
    this.pendingAt[job] = t;
    this.pendingWork[job] = work;
    this.nPending++;
    if (t < this.firstAt || (t === this.firstAt && job < this.firstJob)) {
      this.firstAt = t;
      this.firstJob = job;
    }
    // No advance: the running jobs are unchanged, and the timer is computed from the last update.
    if (!this.inCallback) this.reschedule();
  }

  /** Stop a running job, or one started ahead (its process was killed); returns the work it had left. */
  abort(job: number): number {
    const at = this.pendingAt[job]!;
    if (at < Infinity) {
      if (at > this.sim.now) {
        this.pendingAt[job] = Infinity;
        this.nPending--;
        this.findFirst();
        if (!this.inCallback) this.reschedule();
        return this.pendingWork[job]!;
      }
      this.advance(); // it has started: abort it as a running job
    }
    if (this.pos[job]! < 0) return 0;
    this.advance(); // a job started ahead may join meanwhile and move this one in the heap
    const left = this.tag[job]! - this.v;
    this.removeAt(this.pos[job]!);
    if (!this.inCallback) this.reschedule();
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

  /** Bring the CPU to now: jobs started ahead join at their own times, in order. */
  private advance(): void {
    const now = this.sim.now;
    while (this.firstAt <= now) {
      const job = this.firstJob;
      this.advanceTo(this.firstAt);
      this.pendingAt[job] = Infinity;
      this.nPending--;
      this.findFirst();
      this.tag[job] = this.v + this.pendingWork[job]!;
      this.seq[job] = this.nextSeq++;
      this.insert(job);
      if (job === this.quietJob) {
        this.quietJob = -1;
        this.noteEnd();
      }
    }
    this.advanceTo(now);
  }

  private advanceTo(now: number): void {
    const dt = now - this.last;
    if (dt > 0) {
      if (this.n > 0) {
        this.v += dt * this.rate();
        this.busyArea += dt * (this.n < this.cores ? this.n : this.cores);
      }
      this.last = now;
    }
  }

  /** The job started ahead that starts first, other than `except` (-1 if none). */
  private firstPending(except: number): number {
    let best = -1;
    const at = this.pendingAt;
    for (let j = 0; j < at.length; j++) if (j !== except && at[j]! < Infinity && (best < 0 || at[j]! < at[best]!)) best = j;
    return best;
  }

  private findFirst(): void {
    const job = this.nPending > 0 ? this.firstPending(-1) : -1;
    this.firstJob = job;
    this.firstAt = job < 0 ? Infinity : this.pendingAt[job]!;
  }

  /**
   * Keep the timer on the next change: the end of the job with the smallest tag at the current
   * rate, or, if earlier, the start of a job started ahead (while others run: their rate
   * changes). On an idle CPU the first job started ahead will run alone: its end is the next
   * change unless another starts before it. Times are reckoned from the last update (v is V
   * then); a timer whose time is unchanged is left alone.
   */
  private reschedule(): void {
    let t: number;
    let kind: TimerKind;
    this.quietJob = -1;
    if (this.n === 0) {
      this.v = 0; // nothing depends on V when idle: restart it to keep full precision
      this.endJob = -1;
      if (this.nPending === 0) {
        if (this.timer >= 0) this.sim.cancel(this.timer);
        this.timer = -1;
        return;
      }
      // As start() would then compute it: tag = 0 + work, so the job ends work after its start.
      t = this.firstAt + this.pendingWork[this.firstJob]!;
      kind = TimerKind.Lone;
      if (this.nPending > 1) {
        const next = this.pendingAt[this.firstPending(this.firstJob)]!;
        if (next <= t) {
          t = next;
          kind = TimerKind.Start;
        }
      }
    } else {
      this.noteEnd();
      t = this.endAt;
      kind = TimerKind.Complete;
      if (this.firstAt <= t) {
        const end = this.quietJoinEnd();
        if (end >= 0) {
          t = end;
          this.quietJob = this.firstJob;
        } else {
          t = this.firstAt;
          kind = TimerKind.Start;
        }
      }
    }
    this.timerKind = kind;
    if (this.timer >= 0) {
      if (t !== this.timerAt) this.sim.moveTo(this.timer, t);
    } else this.timer = this.sim.at(t, this.completeHandler, 0); // every argument: a call with fewer was measured 40% slower
    this.timerAt = t;
  }

  /** Note when the running job with the smallest tag ends at the current rate (kept while job and rate are unchanged). */
  private noteEnd(): void {
    const job = this.heap[0]!;
    const rate = this.rate();
    if (job !== this.endJob || rate !== this.endRate) {
      const left = this.tag[job]! - this.v;
      this.endAt = this.last + (left > 0 ? left / rate : 0);
      this.endJob = job;
      this.endRate = rate;
    }
  }

  /**
   * The first job started ahead starts while others run, before the next end. If it keeps every
   * job at rate 1 (n + 1 <= cores) its start needs no event: the next change is then the end
   * that its event would have computed, returned here (the same operations on the same values:
   * advance's V at its start, noteEnd's end), unless another job started ahead starts by then:
   * -1, an event is needed.
   */
  private quietJoinEnd(): number {
    if (this.n + 1 > this.cores) return -1;
    const job = this.firstJob;
    const at = this.firstAt;
    const v = at > this.last ? this.v + (at - this.last) : this.v; // advanceTo(at), at rate 1
    const tag = v + this.pendingWork[job]!;
    // Its start order is the latest: it becomes the first to end only with a smaller tag.
    let end = this.endAt;
    if (tag < this.tag[this.heap[0]!]!) {
      const left = tag - v;
      end = at + (left > 0 ? left : 0);
    }
    if (this.nPending > 1 && this.pendingAt[this.firstPending(job)]! <= end) return -1;
    return end;
  }

  private complete(): void {
    this.timer = -1;
    this.advance();
    if (this.timerKind === TimerKind.Start) {
      this.reschedule(); // a job started ahead joined: only the rates change
      return;
    }
    const job = this.heap[0]!;
    this.removeAt(0);
    this.endJob = -1;
    if (this.n === 0) this.v = 0; // as reschedule() does, before the owner starts anything
    // The owner usually starts its next burst at once: one timer update after it serves both.
    this.inCallback = true;
    this.onDone(job);
    this.inCallback = false;
    this.reschedule();
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
