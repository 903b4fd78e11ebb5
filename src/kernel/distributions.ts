// Samplers: a DistSpec bound to a uniform stream becomes a plain `() => number`.
// Built once per component; drawing allocates nothing.
import type { DistSpec } from './distribution-spec.js';
import type { Uniform } from './random-streams.js';

export type Sampler = () => number;

export function makeSampler(spec: DistSpec, u: Uniform): Sampler {
  switch (spec.kind) {
    case 'const': {
      const v = spec.value;
      return () => v;
    }
    case 'exp': {
      const m = spec.mean;
      return () => -m * Math.log(1 - u());
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
      const z = standardNormal(u);
      const { mu, sigma } = spec;
      return () => Math.exp(mu + sigma * z());
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

/** Standard normal draws by the Marsaglia polar method, keeping the spare. */
function standardNormal(u: Uniform): Sampler {
  let spare = 0;
  let hasSpare = false;
  return () => {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    let x: number, y: number, s: number;
    do {
      x = 2 * u() - 1;
      y = 2 * u() - 1;
      s = x * x + y * y;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    spare = y * f;
    hasSpare = true;
    return x * f;
  };
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
