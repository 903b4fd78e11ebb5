// Special functions behind the confidence intervals: log-gamma and log-beta, the
// regularized incomplete gamma and beta functions, and the inverse of the incomplete gamma.
// Written here rather than taken from a package so the stats layer stays dependency-free.
// The algorithms are the standard ones (Lanczos; series / Lentz continued fractions as in
// Numerical Recipes §6.2 and §6.4), with Stirling-series prefactors so huge shape
// parameters (counts of 1e6, df of 1e7) keep ~1e-12 relative accuracy instead of losing
// digits to cancellation between log-gammas of size a·ln a.

// Convergence tolerance: a few ulps, so rounding noise in the last bit cannot stall a loop.
const EPS = 1e-15;
const TINY = 1e-300; // guards the Lentz recurrences against division by zero
const MAX_ITER = 100_000; // series/fractions need O(sqrt(a)) terms; generous for huge counts

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
] as const;
const LN_SQRT_2PI = 0.9189385332046728;

/** ln Γ(x) for x > 0 (Lanczos, g = 7, ~1e-15 relative); reflection below 0.5. */
export function lnGamma(x: number): number {
  if (x < 0.5) {
    // Γ(x)Γ(1 − x) = π / sin(πx)
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  }
  const z = x - 1;
  let s = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) s += LANCZOS[i]! / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return LN_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/**
 * Tail of Stirling's series, lnΓ(x) − [(x − ½)ln x − x + ½ln 2π], for x ≥ 20 (error < 2e-15).
 * Lets us form differences of log-gammas of huge arguments without subtracting two
 * numbers of size x·ln x, which would throw away ~log10(x·ln x) digits.
 */
function stirlingTail(x: number): number {
  const r = 1 / x;
  const r2 = r * r;
  return r * (1 / 12 - r2 * (1 / 360 - r2 * (1 / 1260 - r2 / 1680)));
}

/** ln B(a, b) = lnΓ(a) + lnΓ(b) − lnΓ(a + b), accurate also when one argument is huge. */
export function lnBeta(a: number, b: number): number {
  const big = Math.max(a, b);
  const small = Math.min(a, b);
  if (big < 20) return lnGamma(a) + lnGamma(b) - lnGamma(a + b);
  // lnΓ(big) − lnΓ(big + small) expanded with Stirling, written so nothing large cancels.
  const diff =
    -small * Math.log(big) -
    (big + small - 0.5) * Math.log1p(small / big) +
    small +
    stirlingTail(big) -
    stirlingTail(big + small);
  return lnGamma(small) + diff;
}

/** ln(x^a e^−x / Γ(a)), the common prefactor of P and Q, accurate for large a with x ≈ a. */
function lnGammaPrefix(a: number, x: number): number {
  if (a < 20) return a * Math.log(x) - x - lnGamma(a);
  const u = (x - a) / a;
  return a * (Math.log1p(u) - u) + 0.5 * Math.log(a / (2 * Math.PI)) - stirlingTail(a);
}

/** Regularized lower incomplete gamma P(a, x) = γ(a, x)/Γ(a), a > 0, x ≥ 0. */
export function regularizedGammaP(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return NaN;
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  // The series converges fast below a + 1, the continued fraction above it.
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
}

/** Regularized upper incomplete gamma Q(a, x) = 1 − P(a, x), computed without cancellation. */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return NaN;
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

function gammaSeries(a: number, x: number): number {
  let ap = a;
  let del = 1 / a;
  let sum = del;
  for (let n = 0; n < MAX_ITER; n++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(lnGammaPrefix(a, x));
}

function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.exp(lnGammaPrefix(a, x)) * h;
}

/**
 * Inverse of P(a, ·): the x with P(a, x) = p, i.e. the p-quantile of Gamma(shape a, scale 1).
 * Newton's method safeguarded by a bisection bracket, so it cannot diverge; converges to
 * ~1e-14 relative.
 */
export function inverseRegularizedGammaP(a: number, p: number): number {
  if (!(a > 0) || !(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return 0;
  if (p === 1) return Infinity;

  // Starting point: Wilson–Hilferty for a ≥ 1, the small-a approximation of NR §6.2.1 below.
  let x: number;
  if (a >= 1) {
    const z = normalQuantileForGamma(p);
    const t = 1 - 1 / (9 * a) + z / (3 * Math.sqrt(a));
    x = t > 0 ? a * t * t * t : a * 1e-3;
  } else {
    const t = 1 - a * (0.253 + a * 0.12);
    x = p < t ? Math.pow(p / t, 1 / a) : 1 - Math.log(1 - (p - t) / (1 - t));
  }
  if (!(x > 0) || !Number.isFinite(x)) x = a;

  // Bracket [lo, hi] with P(lo) ≤ p ≤ P(hi).
  let lo = 0;
  let hi = Math.max(x, 1);
  while (regularizedGammaP(a, hi) < p) {
    lo = hi;
    hi *= 2;
  }

  for (let iter = 0; iter < 1000; iter++) {
    const f = regularizedGammaP(a, x) - p;
    if (f === 0) return x;
    if (f < 0) lo = x;
    else hi = x;
    const density = Math.exp(lnGammaPrefix(a, x)) / x;
    let next = x - f / density;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - x) <= 1e-15 * next || hi - lo <= 1e-15 * hi) return next;
    x = next;
  }
  return x;
}

/**
 * Regularized incomplete beta I_x(a, b). Takes y = 1 − x as well so callers that know
 * 1 − x exactly (e.g. t²/(ν + t²)) avoid the cancellation of computing it.
 */
export function regularizedBeta(x: number, a: number, b: number, y: number = 1 - x): number {
  if (!(a > 0 && b > 0) || !(x >= 0 && x <= 1)) return NaN;
  if (x === 0) return 0;
  if (y === 0) return 1;
  // log1p of the complement keeps a·ln x exact when x ≈ 1 and a is huge (t with large df).
  const lnX = y < 0.5 ? Math.log1p(-y) : Math.log(x);
  const lnY = x < 0.5 ? Math.log1p(-x) : Math.log(y);
  const front = Math.exp(a * lnX + b * lnY - lnBeta(a, b));
  // The continued fraction converges quickly for x < (a + 1)/(a + b + 2); use the symmetry
  // I_x(a, b) = 1 − I_{1−x}(b, a) on the other side.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(y, b, a)) / b;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_ITER; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

// A rough normal quantile (Abramowitz & Stegun 26.2.23, |error| < 4.5e-4) is enough for a
// Newton start and keeps this file independent of distributions.ts.
function normalQuantileForGamma(p: number): number {
  const q = p < 0.5 ? p : 1 - p;
  const t = Math.sqrt(-2 * Math.log(q));
  const num = 2.515517 + t * (0.802853 + t * 0.010328);
  const den = 1 + t * (1.432788 + t * (0.189269 + t * 0.001308));
  const z = t - num / den;
  return p < 0.5 ? -z : z;
}
