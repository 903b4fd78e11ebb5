// Exact results of queueing theory, computed here from their formulas so the validation tests
// compare the simulator with theory rather than with numbers copied from somewhere.

/** Erlang B blocking probability for c servers and offered load a = λ/μ (stable recurrence). */
export function erlangB(c: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b;
}

/** Erlang C: probability that an arrival waits in M/M/c (a = λ/μ < c). */
export function erlangC(c: number, a: number): number {
  const b = erlangB(c, a);
  return (c * b) / (c - a * (1 - b));
}

/** M/M/c mean wait in queue. */
export function mmcWq(c: number, lambda: number, mu: number): number {
  return erlangC(c, lambda / mu) / (c * mu - lambda);
}

/** M/M/c mean time in system. */
export function mmcW(c: number, lambda: number, mu: number): number {
  return mmcWq(c, lambda, mu) + 1 / mu;
}

/** M/M/c/K: probability that an arrival finds K in the system (and is lost). */
export function mmckLoss(c: number, K: number, lambda: number, mu: number): number {
  const a = lambda / mu;
  const p: number[] = [1];
  for (let n = 1; n <= K; n++) p[n] = (p[n - 1]! * a) / Math.min(n, c);
  const total = p.reduce((x, y) => x + y, 0);
  return p[K]! / total;
}

/** Pollaczek-Khinchine: M/G/1 mean wait in queue from the service time's first two moments. */
export function pkWq(lambda: number, es: number, es2: number): number {
  const rho = lambda * es;
  return (lambda * es2) / (2 * (1 - rho));
}
