// `capsim merge DIR…`: gather the shards of one sweep (from one shared directory or one
// directory per shard) into exactly the output the unsharded sweep would have written.
import { ExperimentInputError } from './errors.js';
import { stringifyExact } from './files.js';
import { Sweep, type Manifest } from './sweep.js';
import { readManifests } from './sweep.js';

export interface MergeInput {
  sweep: Sweep;
  /** Shard count found (1 when the inputs hold an unsharded run). */
  shards: number;
}

/** Read and check the shards in `dirs`; every replication of every point must be there. */
export function gatherShards(dirs: readonly string[]): MergeInput {
  const found: { file: string; manifest: Manifest }[] = [];
  for (const d of dirs) {
    const ms = readManifests(d);
    if (ms.length === 0) throw new ExperimentInputError(`${d}: no sweep-manifest*.json here (not the output directory of capsim sweep)`);
    found.push(...ms);
  }
  const spec = stringifyExact(found[0]!.manifest.spec);
  for (const f of found) {
    if (stringifyExact(f.manifest.spec) !== spec) {
      throw new ExperimentInputError(`${f.file} and ${found[0]!.file} belong to different sweeps (model, --set, --vary, replications or prices differ)`);
    }
  }
  const ns = new Set(found.map((f) => f.manifest.shard?.n ?? 1));
  const sharded = found.filter((f) => f.manifest.shard);
  const n = Math.max(...ns);
  if (!found.some((f) => !f.manifest.shard)) {
    if (ns.size > 1) throw new ExperimentInputError(`the shards were split different ways (${[...ns].sort((a, b) => a - b).map((x) => `/${x}`).join(', ')}); merge the shards of one --shard K/N split`);
    const have = new Set(sharded.map((f) => f.manifest.shard!.k));
    const missing: string[] = [];
    for (let k = 1; k <= n; k++) if (!have.has(k)) missing.push(`${k}/${n}`);
    if (missing.length > 0) throw new ExperimentInputError(`shard ${missing.join(', ')} missing: no sweep-manifest.shard-K-of-${n}.json for ${missing.length === 1 ? 'it' : 'them'} in ${dirs.join(', ')}`);
  }
  const sweep = new Sweep(found[0]!.manifest.spec);
  for (const d of dirs) sweep.loadDir(d);
  const R = sweep.spec.replications;
  for (const p of sweep.points) {
    const miss = sweep.missing(p.index, R);
    if (miss.length > 0) {
      const where = n > 1 ? ` (shard ${[...new Set(miss.map((r) => ((p.index * R + r) % n) + 1))].map((k) => `${k}/${n}`).join(', ')} not finished: rerun it with --resume)` : '';
      throw new ExperimentInputError(
        `point ${p.index} (${p.sets.join(' ') || 'the model as given'}) lacks replication${miss.length === 1 ? '' : 's'} ${miss.slice(0, 8).join(', ')}${miss.length > 8 ? ', …' : ''}${where}`,
      );
    }
  }
  return { sweep, shards: n };
}
