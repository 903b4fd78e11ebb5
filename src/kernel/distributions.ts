// Samplers: a DistSpec bound to a uniform stream becomes a plain `() => number`.
// Built once per component; drawing allocates nothing.
import type { DistSpec } from './distribution-spec.js';
import type { Alea } from './alea.js';
import { F64_ZERO } from './f64.js';
import type { Uniform } from './random-streams.js';

export type Sampler = () => number;

const enum DrawKind {
  Const = 0,
  Exp = 1,
  Uniform = 2,
  Lognormal = 3,
  /** Any other distribution: its sampler closure. */
  Other = 4,
}

/**
 * A sampler for the hot path: one class for every distribution, so a call site that draws from
 * several (a request's phases) stays monomorphic and V8 inlines `draw()`: no call, no boxed
 * result. The common kinds use makeSampler's formulas (normalFrom, expFrom: the same numbers from
 * the same stream); the others go through makeSampler's closure on the same stream.
 */
export class Draw {
  private readonly kind: DrawKind = DrawKind.Other;
  // Parameters: doubles from the start (F64_ZERO), so V8 stores them unboxed in every instance.
  private readonly a: number = F64_ZERO;
  private readonly b: number = F64_ZERO;
  private readonly u: Uniform;
  private readonly other: Sampler | null = null;

  constructor(
    spec: DistSpec,
    private readonly rng: Alea,
  ) {
    this.u = () => rng.next();
    switch (spec.kind) {
      case 'const':
        this.kind = DrawKind.Const;
        this.a = spec.value;
        break;
      case 'exp':
        this.kind = DrawKind.Exp;
        this.a = spec.mean;
        break;
      case 'uniform':
        this.kind = DrawKind.Uniform;
        this.a = spec.min;
        this.b = spec.max - spec.min;
        break;
      case 'lognormal':
        this.kind = DrawKind.Lognormal;
        this.a = spec.mu;
        this.b = spec.sigma;
        break;
      default:
        this.kind = DrawKind.Other;
        this.other = makeSampler(spec, this.u);
    }
  }

  /** Draw into out[i]: no number crosses a call (V8 would box it where it does not inline draw()). */
  drawInto(out: Float64Array, i: number): void {
    out[i] = this.draw();
  }

  draw(): number {
    switch (this.kind) {
      case DrawKind.Lognormal:
        return Math.exp(this.a + this.b * normalFrom(this.rng.next(), this.u));
      case DrawKind.Exp:
        return expFrom(this.a, this.rng.next());
      case DrawKind.Const:
        return this.a;
      case DrawKind.Uniform:
        return this.a + this.b * this.rng.next();
      default:
        return this.other!();
    }
  }
}

export function makeSampler(spec: DistSpec, u: Uniform): Sampler {
  switch (spec.kind) {
    case 'const': {
      const v = spec.value;
      return () => v;
    }
    case 'exp': {
      const m = spec.mean;
      return () => expFrom(m, u());
    }
    case 'uniform': {
      const a = spec.min;
      const w = spec.max - spec.min;
      return () => a + w * u();
    }
    case 'normal': {
      const z = standardNormal(u);
      const { mean, sd } = spec;
      return () => {
        // Truncated at 0 by rejection: service times cannot be negative.
        for (let i = 0; i < 1000; i++) {
          const x = mean + sd * z();
          if (x >= 0) return x;
        }
        return 0;
      };
    }
    case 'lognormal': {
      const { mu, sigma } = spec;
      return () => Math.exp(mu + sigma * normalFrom(u(), u));
    }
    case 'gamma':
      return gammaSampler(spec.shape, spec.scale, u);
    case 'weibull': {
      const inv = 1 / spec.shape;
      const s = spec.scale;
      return () => s * Math.pow(-Math.log(1 - u()), inv);
    }
    case 'pareto': {
      const inv = -1 / spec.shape;
      const s = spec.scale;
      return () => s * Math.pow(1 - u(), inv);
    }
    case 'empirical': {
      const p = Float64Array.from(spec.probs);
      const v = Float64Array.from(spec.values);
      const last = p.length - 1;
      return () => {
        const x = u();
        // Binary search for the segment [p[lo], p[lo+1]] holding x.
        let lo = 0;
        let hi = last;
        while (hi - lo > 1) {
          const mid = (lo + hi) >> 1;
          if (p[mid]! <= x) lo = mid;
          else hi = mid;
        }
        const dp = p[hi]! - p[lo]!;
        return dp > 0 ? v[lo]! + ((x - p[lo]!) / dp) * (v[hi]! - v[lo]!) : v[lo]!;
      };
    }
    case 'mixture': {
      const parts = spec.parts.map((p) => makeSampler(p, u));
      const cum = new Float64Array(parts.length);
      let acc = 0;
      spec.weights.forEach((w, i) => (cum[i] = acc += w));
      const n = parts.length;
      return () => {
        const x = u() * acc;
        let i = 0;
        while (i < n - 1 && x >= cum[i]!) i++;
        return parts[i]!();
      };
    }
  }
}

// Ziggurat tables (Marsaglia and Tsang 2000, 128 layers), built once.
const ZIG_R = 3.442619855899;
const KN = new Int32Array(128);
const WN = new Float64Array(128);
const FN = new Float64Array(128);
{
  const m1 = 2147483648;
  const vn = 9.91256303526217e-3;
  let dn = ZIG_R;
  let tn = dn;
  const q = vn / Math.exp(-0.5 * dn * dn);
  KN[0] = Math.floor((dn / q) * m1);
  KN[1] = 0;
  WN[0] = q / m1;
  WN[127] = dn / m1;
  FN[0] = 1;
  FN[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)));
    KN[i + 1] = Math.floor((dn / tn) * m1);
    tn = dn;
    FN[i] = Math.exp(-0.5 * dn * dn);
    WN[i] = dn / m1;
  }
}

/**
 * Standard normal draws by the ziggurat method: ~99% of draws cost one uniform, a table lookup
 * and a multiply (no log, sqrt or exp); lognormal service times are on the hot path.
 */
function standardNormal(u: Uniform): Sampler {
  return () => normalFrom(u(), u);
}

/**
 * One standard normal from a first uniform `first` (and, on the slow path, more from u). Small
 * enough for V8 to inline at each sampler (Draw, makeSampler): one formula for both, so they draw
 * the same numbers to the bit.
 */
function normalFrom(first: number, u: Uniform): number {
  const hz = (first * 4294967296) | 0; // a signed 32-bit integer
  const iz = hz & 127;
  return Math.abs(hz) < KN[iz]! ? hz * WN[iz]! : zigguratSlow(hz, iz, u);
}

/** An exponential with mean `mean` from a uniform x in [0, 1) (by inversion; 1 - x is never 0). */
export function expFrom(mean: number, x: number): number {
  return -mean * Math.log(1 - x);
}

/** The ziggurat's slow path for a first draw hz (layer iz) outside its layer's rectangle. */
function zigguratSlow(hz: number, iz: number, u: Uniform): number {
  for (;;) {
    // The base strip's tail, or the wedge of a layer.
    const x = hz * WN[iz]!;
    if (iz === 0) {
      let tx: number, ty: number;
      do {
        tx = -Math.log(1 - u()) / ZIG_R;
        ty = -Math.log(1 - u());
      } while (ty + ty < tx * tx);
      return hz > 0 ? ZIG_R + tx : -ZIG_R - tx;
    }
    if (FN[iz]! + u() * (FN[iz - 1]! - FN[iz]!) < Math.exp(-0.5 * x * x)) return x;
    hz = (u() * 4294967296) | 0;
    iz = hz & 127;
    if (Math.abs(hz) < KN[iz]!) return hz * WN[iz]!;
  }
}

/** Marsaglia-Tsang (2000); shape < 1 by the boost X·U^(1/shape). */
function gammaSampler(shape: number, scale: number, u: Uniform): Sampler {
  const z = standardNormal(u);
  const boost = shape < 1;
  const a = boost ? shape + 1 : shape;
  const d = a - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  const invShape = 1 / shape;
  return () => {
    let g: number;
    for (;;) {
      const x = z();
      let v = 1 + c * x;
      if (v <= 0) continue;
      v = v * v * v;
      const w = u();
      if (w < 1 - 0.0331 * x * x * x * x || Math.log(w) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        g = d * v;
        break;
      }
    }
    if (boost) g *= Math.pow(1 - u(), invShape);
    return g * scale;
  };
}
