// Streaming quantile sketch with bounded memory, in the style of DDSketch
// (Masson, Rim & Lee, VLDB 2019). Latency percentiles are needed for millions of requests,
// so we cannot keep the samples; instead values are counted in logarithmic buckets.
//
// Buckets. With γ = (1 + α)/(1 − α), bucket k holds the values in (γ^(k−1), γ^k] and is
// reported by the single value r_k = 2γ^k/(γ + 1). For every x in that bucket
// |r_k − x| / x ≤ (γ − 1)/(γ + 1) = α.
//
// Rank convention. The "exact" q-quantile of n samples is the order statistic at 0-based
// rank floor(q·(n − 1)) of the sorted samples (no interpolation). The sketch finds the
// bucket holding that order statistic from cumulative counts, so:
//
//   ERROR GUARANTEE. For any q in [0, 1], if the exact q-quantile x_q lies inside the covered
//   range [rangeMin, rangeMax], then |quantile(q) − x_q| / x_q ≤ α (up to floating-point
//   rounding in Math.log, ~1e-15 relative). quantile(0) and quantile(1) return the exact
//   minimum and maximum seen. Reported values are also clamped to [min, max] seen, which
//   can only move them closer to x_q.
//
// Out-of-range values (documented, not an error):
//   - x < rangeMin (including 0 and negatives) is counted in an underflow bucket; a quantile
//     landing there is reported as the exact minimum seen, so its absolute error is below
//     rangeMin (1 µs with the default range when the unit is seconds).
//   - x > rangeMax is clamped into the last bucket; a quantile landing there is reported as
//     about rangeMax (at most the exact maximum seen), i.e. it may be underestimated. Pick
//     rangeMax above anything the model can produce.
//   - NaN and ±Infinity throw: they always indicate a bug upstream.
//
// Memory. The bucket array is a Float64Array allocated once in the constructor and never
// resized: ceil(ln(rangeMax/rangeMin)/ln γ) + 1 buckets. With the defaults (α = 0.01,
// [1e-6, 1e6]) that is 1382 buckets = 11,056 bytes, independent of the number of samples.
// Float64 counts stay exact up to 2^53 samples (Uint32 would overflow at 4.3e9).
import { F64_ZERO } from '../kernel/f64.js';

export class QuantileSketch {
  /** Relative accuracy of reported quantiles. */
  readonly alpha: number;
  /** Smallest value resolved by a bucket; below goes to the underflow bucket. */
  readonly rangeMin: number;
  /** Largest value resolved by a bucket; above is clamped into the last bucket. */
  readonly rangeMax: number;

  private readonly gamma: number;
  private readonly lnGamma: number;
  private readonly invLnGamma: number;
  /** Bucket key of bins[0]; key(x) = ceil(ln x / ln γ). */
  private readonly minKey: number;
  private readonly lastIndex: number;
  private readonly bins: Float64Array;
  private underflow = 0;
  /** Samples added but not yet binned. */
  private readonly buf = new Float64Array(PENDING);
  private pending = 0;

  private _count = 0;
  private _sum = F64_ZERO;
  private _min = NaN;
  private _max = NaN;

  constructor(alpha = 0.01, min = 1e-6, max = 1e6) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new RangeError(`QuantileSketch: alpha must be in (0, 1), got ${alpha}`);
    }
    if (!(min > 0 && Number.isFinite(max) && max > min)) {
      throw new RangeError(`QuantileSketch: need 0 < min < max < Infinity, got [${min}, ${max}]`);
    }
    this.alpha = alpha;
    this.rangeMin = min;
    this.rangeMax = max;
    this.gamma = (1 + alpha) / (1 - alpha);
    this.lnGamma = Math.log(this.gamma);
    this.invLnGamma = 1 / this.lnGamma;
    this.minKey = Math.ceil(Math.log(min) * this.invLnGamma);
    const maxKey = Math.ceil(Math.log(max) * this.invLnGamma);
    this.bins = new Float64Array(maxKey - this.minKey + 1);
    this.lastIndex = this.bins.length - 1;
  }

  /** Number of samples added (including under- and overflow). */
  get count(): number {
    this.flush();
    return this._count;
  }

  /** Exact sum of the samples (for the mean). */
  get sum(): number {
    this.flush();
    return this._sum;
  }

  /** Exact smallest sample seen; NaN when empty. */
  get min(): number {
    this.flush();
    return this._min;
  }

  /** Exact largest sample seen; NaN when empty. */
  get max(): number {
    this.flush();
    return this._max;
  }

  /** Number of logarithmic buckets (fixed at construction). */
  get bucketCount(): number {
    return this.bins.length;
  }

  /** Bytes held by the bucket array (fixed at construction). */
  get memoryBytes(): number {
    return this.bins.byteLength;
  }

  /**
   * Count one sample. On the hot path (every simulated request), so it only appends to a
   * small buffer; the buffer is binned in one tight loop when it fills or before any read.
   */
  add(x: number): void {
    if (!(x > -Infinity && x < Infinity)) nonFinite(x);
    if (this.pending === PENDING) this.flush();
    this.buf[this.pending++] = x;
  }

  /** Bin the buffered samples. */
  private flush(): void {
    const n = this.pending;
    if (n === 0) return;
    this.pending = 0;
    const buf = this.buf;
    const bins = this.bins;
    const rangeMin = this.rangeMin;
    const inv = this.invLnGamma;
    const minKey = this.minKey;
    const lastIndex = this.lastIndex;
    let min = this._count === 0 ? buf[0]! : this._min;
    let max = this._count === 0 ? buf[0]! : this._max;
    let sum = this._sum;
    for (let k = 0; k < n; k++) {
      const x = buf[k]!;
      if (x < min) min = x;
      if (x > max) max = x;
      sum += x;
      if (x < rangeMin) {
        this.underflow++;
        continue;
      }
      let i = Math.ceil(Math.log(x) * inv) - minKey;
      // Clamp: overflow values go to the last bucket; the lower clamp only guards rounding.
      if (i > lastIndex) i = lastIndex;
      else if (i < 0) i = 0;
      bins[i] = bins[i]! + 1;
    }
    this._min = min;
    this._max = max;
    this._sum = sum;
    this._count += n;
  }

  /**
   * The q-quantile (q in [0, 1]) under the rank convention floor(q·(n − 1)); NaN when
   * empty. Not on the hot path: a linear scan of the buckets.
   */
  quantile(q: number): number {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`QuantileSketch.quantile: q must be in [0, 1], got ${q}`);
    this.flush();
    const n = this._count;
    if (n === 0) return NaN;
    if (q === 0) return this._min;
    if (q === 1) return this._max;
    const rank = Math.floor(q * (n - 1));
    let acc = this.underflow;
    if (rank < acc) return this._min;
    const bins = this.bins;
    for (let i = 0; i <= this.lastIndex; i++) {
      acc += bins[i]!;
      if (acc > rank) {
        const v = (2 * Math.exp((i + this.minKey) * this.lnGamma)) / (this.gamma + 1);
        return v < this._min ? this._min : v > this._max ? this._max : v;
      }
    }
    return this._max; // unreachable while counts are consistent
  }

  /** Folds `o` into this sketch; both must share alpha and range so buckets line up. */
  merge(o: QuantileSketch): void {
    if (o.alpha !== this.alpha || o.rangeMin !== this.rangeMin || o.rangeMax !== this.rangeMax) {
      throw new RangeError('QuantileSketch.merge: sketches differ in alpha or range');
    }
    this.flush();
    o.flush();
    if (o._count === 0) return;
    if (this._count === 0) {
      this._min = o._min;
      this._max = o._max;
    } else {
      if (o._min < this._min) this._min = o._min;
      if (o._max > this._max) this._max = o._max;
    }
    this._count += o._count;
    this._sum += o._sum;
    this.underflow += o.underflow;
    const a = this.bins;
    const b = o.bins;
    for (let i = 0; i < a.length; i++) a[i] = a[i]! + b[i]!;
  }

  reset(): void {
    this.pending = 0;
    this.bins.fill(0);
    this.underflow = 0;
    this._count = 0;
    this._sum = 0;
    this._min = NaN;
    this._max = NaN;
  }
}

/** Samples buffered before binning. */
const PENDING = 256;

function nonFinite(x: number): never {
  throw new RangeError(`QuantileSketch.add: non-finite value ${x}`);
}
