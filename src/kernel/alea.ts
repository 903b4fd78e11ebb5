// Baagoe's Alea generator, as seedrandom's `alea` computes it, bit for bit (test/unit/kernel/
// random.test.ts compares them): capsim's own so that the hot path calls a method of one class
// that V8 can inline (seedrandom hands out a closure per stream, which it did not, and boxed
// every number it returned).

import { F64_ZERO } from './f64.js';

/** A source of uniform numbers in [0, 1): `next()`. */
export class Alea {
  // Doubles from the start (F64_ZERO): a field first left undefined is kept boxed, and every
  // draw then allocated its three new states.
  private s0 = F64_ZERO;
  private s1 = F64_ZERO;
  private s2 = F64_ZERO;
  private c = 1;

  constructor(seed: string) {
    const mash = makeMash();
    this.s0 = mash(' ');
    this.s1 = mash(' ');
    this.s2 = mash(' ');
    this.s0 -= mash(seed);
    if (this.s0 < 0) this.s0 += 1;
    this.s1 -= mash(seed);
    if (this.s1 < 0) this.s1 += 1;
    this.s2 -= mash(seed);
    if (this.s2 < 0) this.s2 += 1;
  }

  next(): number {
    const t = 2091639 * this.s0 + this.c * 2.3283064365386963e-10; // 2^-32
    this.s0 = this.s1;
    this.s1 = this.s2;
    this.c = t | 0;
    return (this.s2 = t - this.c);
  }
}

/** Baagoe's Mash: the seed string's hash, one call per use (state carried between calls). */
function makeMash(): (data: string) => number {
  let n = 0xefc8249d;
  return (data) => {
    for (let i = 0; i < data.length; i++) {
      n += data.charCodeAt(i);
      let h = 0.02519603282416938 * n;
      n = h >>> 0;
      h -= n;
      h *= n;
      n = h >>> 0;
      h -= n;
      n += h * 0x100000000; // 2^32
    }
    return (n >>> 0) * 2.3283064365386963e-10; // 2^-32
  };
}
