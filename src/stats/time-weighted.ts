// Time-weighted average of a piecewise-constant signal such as queue length or busy
// workers. A plain sample mean would weight each change equally, so a queue that spikes
// for a microsecond would count as much as one that sits full for a minute; instead we
// integrate value × duration and divide by elapsed time. Memory is constant over any
// simulated duration.
//
// A change is on the hot path (several per simulated request), so it only accumulates the
// first moment of the changes: with N(s) the value at the window's start and δ_k the change
// at t_k, ∫ₛᵗ N dt = N(t)·t − N(s)·s − Σ δ_k·t_k. An update is then two additions, with no
// product over the elapsed time.
import { F64_ZERO } from '../kernel/f64.js';

export class TimeWeighted {
  /** Start of the averaging window (construction time or the last reset). */
  private start: number;
  /** Time of the last change (time must not run backwards). */
  private last: number;
  /** Value at the start of the window. */
  private startValue: number;
  /** Σ δ_k·t_k over the window's changes. */
  private moment = F64_ZERO;
  private _value: number;
  private _max: number;

  constructor(t0 = F64_ZERO, value = 0) {
    this.start = t0;
    this.last = t0;
    this.startValue = value;
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
    this.add(now, value - this._value);
  }

  /** The signal changes by `delta` at time `now` (e.g. +1 on enqueue, −1 on dequeue). */
  add(now: number, delta: number): void {
    // A clock going backwards would silently corrupt the integral; fail loudly instead.
    if (now < this.last) backwards('add', now, this.last);
    this.last = now;
    const v = this._value + delta;
    this._value = v;
    this.moment += delta * now;
    if (v > this._max) this._max = v;
  }

  /**
   * Average over [start, now]. Reports can be taken mid-run. An empty window returns the
   * current value, the only meaningful average of a zero-length interval.
   */
  mean(now: number): number {
    if (now < this.last) backwards('mean', now, this.last);
    const span = now - this.start;
    if (span <= 0) return this._value;
    return (this._value * now - this.startValue * this.start - this.moment) / span;
  }

  /**
   * Restarts averaging at `now`, keeping the current value: called at the end of warmup
   * so the transient start-up period does not bias the steady-state average.
   */
  reset(now: number): void {
    if (now < this.last) backwards('reset', now, this.last);
    this.start = now;
    this.last = now;
    this.startValue = this._value;
    this.moment = 0;
    this._max = this._value;
  }
}

function backwards(what: string, now: number, last: number): never {
  throw new RangeError(`TimeWeighted.${what}: time ${now} is before last update ${last}`);
}
