// Streaming mean and variance (Welford 1962) with the parallel merge of Chan, Golub and
// LeVeque (1979). Used per request, so it keeps three numbers and never allocates: memory
// is constant however many samples arrive, and the update avoids the catastrophic
// cancellation of the naive sum-of-squares formula.

export class Welford {
  private _count = 0;
  private _mean = 0;
  /** Sum of squared deviations from the current mean. */
  private _m2 = 0;

  get count(): number {
    return this._count;
  }

  /** Mean of the samples so far; NaN when there are none (there is no honest mean of nothing). */
  get mean(): number {
    return this._count === 0 ? NaN : this._mean;
  }

  add(x: number): void {
    const n = ++this._count;
    const d = x - this._mean;
    this._mean += d / n;
    // Uses the deviation from both the old and the new mean: the numerically stable form.
    this._m2 += d * (x - this._mean);
  }

  /** Sample variance (n − 1 denominator); NaN with fewer than two samples, where it is undefined. */
  variance(): number {
    return this._count < 2 ? NaN : this._m2 / (this._count - 1);
  }

  /** Sample standard deviation; NaN with fewer than two samples. */
  sd(): number {
    return Math.sqrt(this.variance());
  }

  reset(): void {
    this._count = 0;
    this._mean = 0;
    this._m2 = 0;
  }

  /** Folds `o` into this accumulator, as if every sample of `o` had been added here. */
  merge(o: Welford): void {
    const nb = o._count;
    if (nb === 0) return;
    const na = this._count;
    if (na === 0) {
      this._count = nb;
      this._mean = o._mean;
      this._m2 = o._m2;
      return;
    }
    const n = na + nb;
    const delta = o._mean - this._mean;
    this._mean += (delta * nb) / n;
    this._m2 += o._m2 + (delta * delta * na * nb) / n;
    this._count = n;
  }
}
