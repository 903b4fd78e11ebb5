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
// The state is one Float64Array, not six number fields: V8 keeps a double field in a box of its
// own (a load through a pointer per field), while a typed array holds the doubles inline; an
// update measured about twice as fast so (several updates per request).
const START = 0; // start of the averaging window (construction time or the last reset)
const LAST = 1; // time of the last change (time must not run backwards)
const START_VALUE = 2; // value at the start of the window
const MOMENT = 3; // Σ δ_k·t_k over the window's changes
const VALUE = 4;
const MAX = 5;

export class TimeWeighted {
  private readonly s = new Float64Array(6);

  constructor(t0 = 0, value = 0) {
    const s = this.s;
    s[START] = t0;
    s[LAST] = t0;
    s[START_VALUE] = value;
    s[VALUE] = value;
    s[MAX] = value;
  }

  /** Current value of the signal. */
  get value(): number {
    return this.s[VALUE]!;
  }

  /** Largest value the signal has held since construction or the last reset. */
  get max(): number {
    return this.s[MAX]!;
  }

  /** The signal changes to `value` at time `now`. */
  set(now: number, value: number): void {
    this.add(now, value - this.s[VALUE]!);
  }

  /** The signal changes by `delta` at time `now` (e.g. +1 on enqueue, −1 on dequeue). */
  add(now: number, delta: number): void {
    const s = this.s;
    // A clock going backwards would silently corrupt the integral; fail loudly instead.
    if (now < s[LAST]!) backwards('add', now, s[LAST]!);
    s[LAST] = now;
    const v = s[VALUE]! + delta;
    s[VALUE] = v;
    s[MOMENT] = s[MOMENT]! + delta * now;
    if (v > s[MAX]!) s[MAX] = v;
  }

  /**
   * Average over [start, now]. Reports can be taken mid-run. An empty window returns the
   * current value, the only meaningful average of a zero-length interval.
   */
  mean(now: number): number {
    const s = this.s;
    if (now < s[LAST]!) backwards('mean', now, s[LAST]!);
    const span = now - s[START]!;
    if (span <= 0) return s[VALUE]!;
    return (s[VALUE]! * now - s[START_VALUE]! * s[START]! - s[MOMENT]!) / span;
  }

  /**
   * Restarts averaging at `now`, keeping the current value: called at the end of warmup
   * so the transient start-up period does not bias the steady-state average.
   */
  reset(now: number): void {
    const s = this.s;
    if (now < s[LAST]!) backwards('reset', now, s[LAST]!);
    s[START] = now;
    s[LAST] = now;
    s[START_VALUE] = s[VALUE]!;
    s[MOMENT] = 0;
    s[MAX] = s[VALUE]!;
  }
}

function backwards(what: string, now: number, last: number): never {
  throw new RangeError(`TimeWeighted.${what}: time ${now} is before last update ${last}`);
}
