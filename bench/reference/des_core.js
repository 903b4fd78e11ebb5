'use strict';
// Source: the benchmark baselines of issue 20 (shared/bench/des_core.js in the project's shared folder),
// copied unchanged but for these two lines; mmc_spec.md beside it specifies the work.
// Minimal hand-written DES core used by the plain-JS baselines (no library).
// - sfc32 PRNG (32-bit ops only), seeded through splitmix32; identical in c/des_core.h
// - binary min-heap event list keyed by (time, seq) over typed arrays; events carry
//   an integer kind and two float payload slots and an int payload slot.

function splitmix32(state) {
  // returns [newState, output]
  state = (state + 0x9e3779b9) | 0;
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z = (z ^ (z >>> 16)) >>> 0;
  return [state, z];
}

class Rng {
  constructor(seed) {
    let s = seed | 0;
    let o;
    [s, o] = splitmix32(s); this.a = o | 0;
    [s, o] = splitmix32(s); this.b = o | 0;
    [s, o] = splitmix32(s); this.c = o | 0;
    [s, o] = splitmix32(s); this.d = o | 0;
    for (let i = 0; i < 12; i++) this.nextU32();
  }
  nextU32() {
    let a = this.a, b = this.b, c = this.c, d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    this.a = a; this.b = b; this.c = c; this.d = d;
    return t >>> 0;
  }
  // uniform in the open interval (0,1)
  uniform() { return (this.nextU32() + 0.5) * 2.3283064365386963e-10; }
  exponential(mean) { return -mean * Math.log(this.uniform()); }
  // standard normal by Box-Muller, two uniforms per call, no caching
  normal() {
    const u1 = this.uniform();
    const u2 = this.uniform();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(6.283185307179586 * u2);
  }
  lognormal(mu, sigma) { return Math.exp(mu + sigma * this.normal()); }
}

class EventHeap {
  constructor(cap = 64) {
    this.cap = cap;
    this.n = 0;
    this.seqCounter = 0;
    // heap arrays (index = heap position)
    this.time = new Float64Array(cap);
    this.seq = new Float64Array(cap);
    this.kind = new Int32Array(cap);
    this.i0 = new Int32Array(cap);
    this.f0 = new Float64Array(cap);
    this.f1 = new Float64Array(cap);
  }
  grow() {
    const cap = this.cap * 2;
    const g = (Old, T) => { const a = new T(cap); a.set(Old); return a; };
    this.time = g(this.time, Float64Array);
    this.seq = g(this.seq, Float64Array);
    this.kind = g(this.kind, Int32Array);
    this.i0 = g(this.i0, Int32Array);
    this.f0 = g(this.f0, Float64Array);
    this.f1 = g(this.f1, Float64Array);
    this.cap = cap;
  }
  push(t, kind, i0, f0, f1) {
    if (this.n === this.cap) this.grow();
    const time = this.time, seq = this.seq, K = this.kind, I0 = this.i0, F0 = this.f0, F1 = this.f1;
    const s = this.seqCounter++;
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const tp = time[p];
      if (tp < t || (tp === t && seq[p] < s)) break;
      time[i] = tp; seq[i] = seq[p]; K[i] = K[p]; I0[i] = I0[p]; F0[i] = F0[p]; F1[i] = F1[p];
      i = p;
    }
    time[i] = t; seq[i] = s; K[i] = kind; I0[i] = i0; F0[i] = f0; F1[i] = f1;
  }
  // Pops the minimum into this.top* fields. Caller checks n > 0.
  pop() {
    const time = this.time, seq = this.seq, K = this.kind, I0 = this.i0, F0 = this.f0, F1 = this.f1;
    this.topTime = time[0]; this.topKind = K[0]; this.topI0 = I0[0]; this.topF0 = F0[0]; this.topF1 = F1[0];
    const n = --this.n;
    if (n === 0) return;
    const t = time[n], s = seq[n], k = K[n], a = I0[n], b = F0[n], c = F1[n];
    let i = 0;
    const half = n >> 1;
    while (i < half) {
      let l = 2 * i + 1;
      const r = l + 1;
      if (r < n && (time[r] < time[l] || (time[r] === time[l] && seq[r] < seq[l]))) l = r;
      const tl = time[l];
      if (t < tl || (t === tl && s < seq[l])) break;
      time[i] = tl; seq[i] = seq[l]; K[i] = K[l]; I0[i] = I0[l]; F0[i] = F0[l]; F1[i] = F1[l];
      i = l;
    }
    time[i] = t; seq[i] = s; K[i] = k; I0[i] = a; F0[i] = b; F1[i] = c;
  }
}

// FIFO ring buffer of float64 values with growth
class FloatFifo {
  constructor(cap = 1024) { this.buf = new Float64Array(cap); this.head = 0; this.len = 0; this.mask = cap - 1; }
  push(x) {
    if (this.len === this.buf.length) {
      const nb = new Float64Array(this.buf.length * 2);
      for (let i = 0; i < this.len; i++) nb[i] = this.buf[(this.head + i) & this.mask];
      this.buf = nb; this.head = 0; this.mask = nb.length - 1;
    }
    this.buf[(this.head + this.len) & this.mask] = x; this.len++;
  }
  shift() { const x = this.buf[this.head]; this.head = (this.head + 1) & this.mask; this.len--; return x; }
}

module.exports = { Rng, EventHeap, FloatFifo };
