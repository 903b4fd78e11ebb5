// Seeded, named random streams. Each component asks for its own stream by name; the stream's
// seed is derived from (run seed, replication, name), so adding a component or a replication
// never reshuffles another component's draws — the basis of common random numbers in sweeps.
import seedrandom from 'seedrandom';

/** A source of uniform numbers in [0, 1). */
export type Uniform = () => number;

export class RandomStreams {
  constructor(
    readonly seed: number,
    readonly replication: number,
  ) {}

  /** The independent stream for `name` (same name, seed and replication: same numbers). */
  stream(name: string): Uniform {
    // Alea (Baagoe) is seedrandom's fastest generator with a well-mixed string seed.
    return seedrandom.alea(`capsim/${this.seed}/${this.replication}/${name}`);
  }
}
