// `--shard K/N`: a deterministic share of a sweep's work. The work units are the (point,
// replication) pairs numbered point-major, u = point × replications + replication; shard K of N
// runs the units with u mod N = K − 1. Dealing units round-robin spreads the slow points (few
// containers, many failures) evenly over the shards, and every unit belongs to exactly one shard.
import { ExperimentInputError } from './errors.js';

export interface Shard {
  /** 1-based. */
  k: number;
  n: number;
}

export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const k = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!m || !(n >= 1) || !(k >= 1 && k <= n)) {
    throw new ExperimentInputError(`--shard ${text}: expected K/N with 1 <= K <= N, such as --shard 2/4`);
  }
  return { k, n };
}

/** Does this shard run replication r of point p (of a sweep with `replications` per point)? */
export function inShard(shard: Shard | null, point: number, replication: number, replications: number): boolean {
  if (!shard || shard.n === 1) return true;
  return (point * replications + replication) % shard.n === shard.k - 1;
}

/** "shard-2-of-4", used in file names. */
export function shardTag(shard: Shard | null): string {
  return shard && shard.n > 1 ? `shard-${shard.k}-of-${shard.n}` : '';
}
