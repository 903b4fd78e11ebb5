// Seeded, named random streams. Each component asks for its own stream by name; the stream's
// seed is derived from (run seed, replication, name), so adding a component or a replication
// never reshuffles another component's draws — the basis of common random numbers in sweeps.
import { Alea } from './alea.js';

/** A source of uniform numbers in [0, 1). */
export type Uniform = () => number;

export class RandomStreams {
  constructor(
    readonly seed: number,
    readonly replication: number,
  ) {}

  /** The independent stream for `name` (same name, seed and replication: same numbers). */
  stream(name: string): Uniform {
    const a = this.alea(name);
    return () => a.next();
  }

  /** The same stream as a generator object: `next()` is what the hot path calls (one class, inlined). */
  alea(name: string): Alea {
    // Alea (Baagoe), as seedrandom's alea, with a well-mixed string seed.
    return new Alea(`capsim/${this.seed}/${this.replication}/${name}`);
  }
}
