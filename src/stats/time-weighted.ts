// Time-weighted average of a piecewise-constant signal such as queue length or busy
// workers. A plain sample mean would weight each change equally, so a queue that spikes
// for a microsecond would count as much as one that sits full for a minute; instead we
// integrate value × duration and divide by elapsed time. Only the running integral is
// kept, so memory is constant over any simulated duration.

export class TimeWeighted {
  /** Start of the averaging window (construction time or the last reset). */
  private start: number;
  /** Time of the last change; the integral is complete up to here. */
  private last: number;
  /** ∫ value dt over [start, last]. */
  private area = 0;
  private _value: number;
  private _max: number;

  constructor(t0 = 0, value = 0) {
    this.start = t0;
    this.last = t0;
    this._value = value;
    this._max = value;
  }

  /** Current value of the signal. */
  get value(): number {
    return this._value;
  }

  /** Largest value the signal has held since construction or the last reset. */
  get max(): number {
    return this._max;
  }

  /** The signal changes to `value` at time `now`. */
  set(now: number, value: number): void {
    if (now < this.last) {
      // A clock going backwards would silently corrupt the integral; fail loudly instead.
      throw new RangeError(`TimeWeighted.set: time ${now} is before last update ${this.last}`);
    }
    this.area += this._value * (now - this.last);
    this.last = now;
    this._value = value;
    if (value > this._max) this._max = value;
  }

  /** The signal changes by `delta` at time `now` (e.g. +1 on enqueue, −1 on dequeue). */
  add(now: number, delta: number): void {
    this.set(now, this._value + delta);
  }

  /**
   * Average over [start, now]. The integral is extended to `now` without mutating state,
   * so reports can be taken mid-run. An empty window returns the current value, the only
   * meaningful average of a zero-length interval.
   */
  mean(now: number): number {
    if (now < this.last) {
      throw new RangeError(`TimeWeighted.mean: time ${now} is before last update ${this.last}`);
    }
    const span = now - this.start;
    if (span <= 0) return this._value;
    return (this.area + this._value * (now - this.last)) / span;
  }

  /**
   * Restarts averaging at `now`, keeping the current value: called at the end of warmup
   * so the transient start-up period does not bias the steady-state average.
   */
  reset(now: number): void {
    if (now < this.last) {
      throw new RangeError(`TimeWeighted.reset: time ${now} is before last update ${this.last}`);
    }
    this.start = now;
    this.last = now;
    this.area = 0;
    this._max = this._value;
  }
}
