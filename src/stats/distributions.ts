// Normal and Student-t quantiles (and the t CDF they are checked against) for confidence
// intervals over replications. With 3–30 replications the t quantile differs from the
// normal one by up to a factor of 6, so it must be exact rather than approximated.

import { lnBeta, regularizedBeta, regularizedGammaQ } from './special-functions.js';

// Wichura (1988) algorithm AS 241 (PPND16), coefficients as in R's qnorm.c.
// prettier-ignore
const A = [3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125,
  45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727] as const;
// prettier-ignore
const B = [1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077,
  21213.794301586595867, 39307.89580009271061, 28729.085735721942674, 5226.495278852854561] as const;
// prettier-ignore
const C = [1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504,
  1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4] as const;
// prettier-ignore
const D = [1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455,
  0.14810397642748007459, 0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9] as const;
// prettier-ignore
const E = [6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123,
  0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7] as const;
// prettier-ignore
const F = [1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525,
  7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15] as const;

function poly(c: readonly number[], x: number): number {
  let r = 0;
  for (let i = c.length - 1; i >= 0; i--) r = r * x + c[i]!;
  return r;
}

/** Standard normal quantile Φ⁻¹(p) (AS 241, ~1e-16 relative). p = 0 → −∞, p = 1 → +∞. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * poly(A, r)) / poly(B, r);
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let val: number;
  if (r <= 5) {
    r -= 1.6;
    val = poly(C, r) / poly(D, r);
  } else {
    r -= 5;
    val = poly(E, r) / poly(F, r);
  }
  return q < 0 ? -val : val;
}

/** Standard normal CDF Φ(z), via Q(1/2, z²/2) = erfc(|z|/√2) so both tails keep full precision. */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  const tail = 0.5 * regularizedGammaQ(0.5, 0.5 * z * z);
  return z > 0 ? 1 - tail : tail;
}

/** Upper tail P(T > t) of Student's t with df degrees of freedom, for t ≥ 0. */
function tUpperTail(t: number, df: number): number {
  if (t === Infinity) return 0;
  const t2 = t * t;
  const s = df + t2;
  return 0.5 * regularizedBeta(df / s, 0.5 * df, 0.5, t2 / s);
}

/** CDF of Student's t with df > 0 degrees of freedom (df = Infinity is the normal). */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (df === Infinity) return normalCdf(t);
  const tail = tUpperTail(Math.abs(t), df);
  return t > 0 ? 1 - tail : tail;
}

/**
 * Quantile of Student's t with df > 0 (not necessarily integer) degrees of freedom;
 * df = Infinity gives the normal quantile. Closed forms for df = 1 and 2; Cornish–Fisher
 * (A&S 26.7.5, error ≪ 1e-12) for df ≥ 1e5; otherwise Hill's (1970) approximation refined
 * by safeguarded Newton on the exact CDF, good to ~1e-12 relative.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p >= 0 && p <= 1) || !(df > 0)) return NaN;
  if (df === Infinity) return normalQuantile(p);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  // Work with the smaller tail so probabilities near 1 lose no precision.
  const pt = p < 0.5 ? p : 1 - p;
  const sign = p < 0.5 ? -1 : 1;
  let t: number;
  if (df === 1) {
    t = 1 / Math.tan(Math.PI * pt);
  } else if (df === 2) {
    t = (1 - 2 * pt) / Math.sqrt(2 * pt * (1 - pt));
  } else if (df >= 1e5) {
    t = cornishFisher(-normalQuantile(pt), df);
  } else {
    t = newtonTail(pt, df, hill(2 * pt, df));
  }
  return sign * t;
}

function cornishFisher(z: number, df: number): number {
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  return z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df;
}

/** Hill (1970), ACM Algorithm 396: t with two-sided tail probability p2. Only a start point. */
function hill(p2: number, n: number): number {
  const a = 1 / (n - 0.5);
  const b = 48 / (a * a);
  let c = ((((20700 * a) / b - 98) * a - 16) * a) + 96.36;
  const d = ((94.5 / (b + c) - 3) / b + 1) * Math.sqrt((a * Math.PI) / 2) * n;
  let y = Math.pow(d * p2, 2 / n);
  if (y > 0.05 + a) {
    const x = normalQuantile(0.5 * p2);
    y = x * x;
    if (n < 5) c += 0.3 * (n - 4.5) * (x + 0.6);
    c = (((0.05 * d * x - 5) * x - 7) * x - 2) * x + b + c;
    y = (((((0.4 * y + 6.3) * y + 36) * y + 94.5) / c - y - 3) / b + 1) * x;
    y = Math.expm1(a * y * y);
  } else {
    y =
      ((1 / (((n + 6) / (n * y) - 0.089 * d - 0.822) * (n + 2) * 3) + 0.5 / (n + 4)) * y - 1) *
        ((n + 1) / (n + 2)) +
      1 / y;
  }
  return Math.sqrt(n * y);
}

/** Solves P(T > t) = pt for t ≥ 0 by Newton, falling back to bisection inside a bracket. */
function newtonTail(pt: number, df: number, guess: number): number {
  // pdf(t) = (1 + t²/ν)^(−(ν+1)/2) / (√ν · B(ν/2, ½))
  const lnC = -0.5 * Math.log(df) - lnBeta(0.5 * df, 0.5);
  let lo = 0;
  let hi = guess > 1 && Number.isFinite(guess) ? guess : 1;
  while (tUpperTail(hi, df) > pt) {
    lo = hi;
    hi *= 2;
  }
  let t = guess > lo && guess < hi ? guess : 0.5 * (lo + hi);
  for (let iter = 0; iter < 300; iter++) {
    const f = tUpperTail(t, df) - pt;
    if (f === 0) return t;
    if (f > 0) lo = t;
    else hi = t;
    const pdf = Math.exp(lnC - 0.5 * (df + 1) * Math.log1p((t * t) / df));
    let next = t + f / pdf; // d tail / dt = −pdf
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - t) <= 1e-14 * next || hi - lo <= 1e-14 * hi) return next;
    t = next;
  }
  return t;
}
