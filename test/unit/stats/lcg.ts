// Tiny deterministic generator for test data (Numerical Recipes LCG, 32-bit state), so the
// stats tests are reproducible and do not depend on Math.random or the kernel's RNG.

export class Lcg {
  private state: number;

  constructor(seed = 12345) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1), 32-bit resolution. */
  next(): number {
    this.state = (Math.imul(this.state, 1664525) + 1013904223) >>> 0;
    return this.state / 4294967296;
  }

  /** Uniform in (0, 1): safe to take logs of. */
  open(): number {
    return (this.next() * 4294967295 + 0.5) / 4294967296;
  }

  exponential(mean: number): number {
    return -mean * Math.log(this.open());
  }

  /** Standard normal by Box–Muller (one of the pair; simplicity over speed). */
  normal(): number {
    return Math.sqrt(-2 * Math.log(this.open())) * Math.cos(2 * Math.PI * this.next());
  }

  /** Poisson by Knuth's product-of-uniforms method (fine for means up to a few hundred). */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    let prod = this.next();
    while (prod > limit) {
      k++;
      prod *= this.next();
    }
    return k;
  }
}
