// Sweeps: the grid's points, their replications (computed in parallel, reused from a previous
// run with --resume, or split across machines with --shard), and the summary of every point.
//
// On disk, in the output directory DIR:
//   sweep-manifest[.shard-K-of-N].json   what was asked: the model file's text, --set, --vary,
//                                        replications, price table (so `capsim merge` needs
//                                        nothing else)
//   points/pNNNN[.shard-K-of-N].json     one file per finished point: its replication results,
//                                        and a hash of the point's resolved model; a file whose
//                                        hash does not match the point as asked now is ignored
//   sweep.csv, sweep.json, report.html…  the command's outputs, committed together at the end
//                                        (unsharded runs and `capsim merge`; see output-set.ts)
// Every file is written atomically. Replication r of a point depends only on the point's model
// and r, so results are collected by (point, replication) and summarised in grid order: the
// output is the same whatever --jobs, --shard/merge or --resume did.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseModelText } from '../scenario/parse-model.js';
import type { Model } from '../scenario/model-types.js';
import { modelWarnings } from '../scenario/warnings.js';
import { ExperimentInputError } from './errors.js';
import { parseExact, stringifyExact, writeFileAtomic } from './files.js';
import { makeGrid, varyFromTexts, type GridPoint, type Vary } from './grid.js';
import type { ReplicationPool } from './pool.js';
import { fleetCost, type FleetCost, type PriceTable } from './prices.js';
import type { ReplicationResult } from './replication.js';
import { summarize, type RunResult } from './run-experiment.js';
import { inShard, shardTag, type Shard } from './shard.js';

export const MANIFEST_FORMAT = 'capsim-sweep/1';

export interface SweepSpec {
  /** The model file as given on the command line (shown in outputs). */
  file: string;
  /** Its text, so shards can be merged without it. */
  text: string;
  /** Base --set arguments (including --duration and friends), applied before each point's own. */
  sets: string[];
  vary: { path: string; texts: string[] }[];
  /** Replications per point. */
  replications: number;
  prices: PriceTable;
  arch: string;
}

export interface SweepPoint extends GridPoint {
  model: Model;
  /** Hash of the resolved model (replication count aside): identifies results on disk. */
  hash: string;
  cost: FleetCost;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  spec: SweepSpec;
  shard: Shard | null;
}

interface PointFile {
  format: typeof MANIFEST_FORMAT;
  point: number;
  hash: string;
  values: Record<string, unknown>;
  replications: ReplicationResult[];
}

export function modelHash(model: Model): string {
  const m = { ...model, simulation: { ...model.simulation, replications: 0 } };
  return createHash('sha256').update(stringifyExact(m)).digest('hex').slice(0, 16);
}

/** Resolve every point's model (a bad path or value fails here, before anything runs). */
export function preparePoints(spec: SweepSpec, varies: readonly Vary[]): SweepPoint[] {
  return makeGrid(varies).map((g) => {
    const model = parseModelText(spec.text, spec.file, [...spec.sets, ...g.sets]);
    return { ...g, model, hash: modelHash(model), cost: fleetCost(model, spec.prices, spec.arch) };
  });
}

export function manifestName(shard: Shard | null): string {
  const tag = shardTag(shard);
  return tag ? `sweep-manifest.${tag}.json` : 'sweep-manifest.json';
}

export function pointFileName(index: number, shard: Shard | null): string {
  const tag = shardTag(shard);
  const n = String(index).padStart(4, '0');
  return tag ? `p${n}.${tag}.json` : `p${n}.json`;
}

const POINT_FILE = /^p(\d+)(?:\.shard-\d+-of-\d+)?\.json$/;

export interface SweepProgress {
  /** Replications this run computes in total, and how many are done. */
  total: number;
  done: number;
  points: number;
  pointsDone: number;
  /** Points whose results were all found on disk (--resume). */
  pointsReused: number;
  /** The point that just finished, if one did. */
  finished?: SweepPoint;
}

/** One sweep's points and the replication results known for them. */
export class Sweep {
  readonly varies: Vary[];
  readonly points: SweepPoint[];
  /** point -> replication -> result */
  private readonly known = new Map<number, Map<number, ReplicationResult>>();
  /** The output directory, once opened. */
  dir: string | null = null;
  /** Files on disk whose hash did not match their point (ignored). */
  stale = 0;

  constructor(
    readonly spec: SweepSpec,
    readonly shard: Shard | null = null,
  ) {
    this.varies = spec.vary.map((v) => varyFromTexts(v.path, v.texts));
    this.points = preparePoints(spec, this.varies);
  }

  /**
   * Use DIR for this run's files. With `resume`, what DIR already holds for these points is
   * reused; without, this run's own earlier point files there (never another shard's) are removed
   * first. Writes the manifest. (The final outputs, sweep.csv, sweep.json, report.html…, are the
   * command's: see output-set.ts, which removes an earlier run's before any work.)
   */
  open(dir: string, resume: boolean): void {
    this.dir = dir;
    const pdir = path.join(dir, 'points');
    mkdirSync(pdir, { recursive: true });
    const tag = shardTag(this.shard);
    if (resume) {
      this.loadDir(dir);
    } else {
      for (const f of readdirSync(pdir)) {
        const m = POINT_FILE.exec(f);
        if (m && (tag ? f.endsWith(`.${tag}.json`) : !f.includes('.shard-'))) rmSync(path.join(pdir, f), { force: true });
      }
    }
    const shard = this.shard && this.shard.n > 1 ? this.shard : null;
    const manifest: Manifest = { format: MANIFEST_FORMAT, spec: this.spec, shard };
    writeFileAtomic(path.join(dir, manifestName(shard)), `${stringifyExact(manifest, 1)}\n`);
  }

  /** Read every point file in DIR/points whose hash matches its point. */
  loadDir(dir: string): void {
    const pdir = path.join(dir, 'points');
    if (!existsSync(pdir)) return;
    for (const f of readdirSync(pdir).sort()) {
      const m = POINT_FILE.exec(f);
      if (!m) continue;
      const index = Number(m[1]);
      const p = this.points[index];
      let pf: PointFile;
      try {
        pf = parseExact<PointFile>(readFileSync(path.join(pdir, f), 'utf8'));
      } catch {
        this.stale++;
        continue;
      }
      if (!p || pf.format !== MANIFEST_FORMAT || pf.point !== index || pf.hash !== p.hash || !Array.isArray(pf.replications)) {
        this.stale++;
        continue;
      }
      for (const r of pf.replications) this.add(index, r);
    }
  }

  private add(point: number, r: ReplicationResult): void {
    let m = this.known.get(point);
    if (!m) this.known.set(point, (m = new Map()));
    if (!m.has(r.replication)) m.set(r.replication, r);
  }

  has(point: number, replication: number): boolean {
    return this.known.get(point)?.has(replication) ?? false;
  }

  /** Replications 0..n−1 of a point, in order; throws if one is missing. */
  reps(point: number, n: number): ReplicationResult[] {
    const m = this.known.get(point);
    const out: ReplicationResult[] = [];
    for (let r = 0; r < n; r++) {
      const x = m?.get(r);
      if (!x) throw new Error(`sweep: point ${point} has no replication ${r}`);
      out.push(x);
    }
    return out;
  }

  /** Which replications 0..n−1 of a point are missing. */
  missing(point: number, n: number): number[] {
    const out: number[] = [];
    for (let r = 0; r < n; r++) if (!this.has(point, r)) out.push(r);
    return out;
  }

  /** The replications this run (this shard) is responsible for: 0..n−1 of each point. */
  wanted(point: number, n: number): number[] {
    const out: number[] = [];
    for (let r = 0; r < n; r++) if (r >= this.spec.replications || inShard(this.shard, point, r, this.spec.replications)) out.push(r);
    return out;
  }

  /**
   * Make sure replications 0..n−1 (of this shard) exist for the given points, computing what is
   * missing on the pool. A point's file is written as soon as its replications are complete.
   */
  async ensure(want: { point: number; n: number }[], pool: ReplicationPool, onProgress?: (p: SweepProgress) => void): Promise<SweepProgress> {
    const tasks: { point: number; replication: number }[] = [];
    const remaining = new Map<number, number>();
    let reused = 0;
    for (const { point, n } of want) {
      const todo = this.wanted(point, n).filter((r) => !this.has(point, r));
      if (todo.length === 0) reused++;
      else remaining.set(point, todo.length);
      for (const r of todo) tasks.push({ point, replication: r });
    }
    const progress: SweepProgress = { total: tasks.length, done: 0, points: want.length, pointsDone: reused, pointsReused: reused };
    onProgress?.({ ...progress });
    await pool.run(
      tasks.map((t) => ({ model: this.points[t.point]!.model, replication: t.replication })),
      (i, result) => {
        const t = tasks[i]!;
        this.add(t.point, result);
        progress.done++;
        const left = remaining.get(t.point)! - 1;
        remaining.set(t.point, left);
        let finished: SweepPoint | undefined;
        if (left === 0) {
          this.save(t.point);
          progress.pointsDone++;
          finished = this.points[t.point];
        }
        onProgress?.({ ...progress, finished });
      },
    );
    return progress;
  }

  /** Write a point's file (this shard's replications of it). */
  save(point: number): void {
    if (this.dir === null) return;
    const p = this.points[point]!;
    const m = this.known.get(point) ?? new Map<number, ReplicationResult>();
    const reps = [...m.values()]
      .filter((r) => r.replication >= this.spec.replications || inShard(this.shard, point, r.replication, this.spec.replications))
      .sort((a, b) => a.replication - b.replication);
    const pf: PointFile = { format: MANIFEST_FORMAT, point, hash: p.hash, values: p.values, replications: reps };
    writeFileAtomic(path.join(this.dir, 'points', pointFileName(point, this.shard)), `${stringifyExact(pf)}\n`);
  }
}

// ---------------------------------------------------------------------------------------------
// The summary of a finished sweep (sweep.json), built the same way by `sweep` and `merge`.

export interface SweepPointResult {
  index: number;
  /** Varied path -> value. */
  point: Record<string, unknown>;
  replications: number;
  containers: number;
  workers: number;
  vcpu: number;
  /** Per container, in the price table's GB. */
  memoryGB: number;
  costPerHour: number;
  /** Is the vcpu/memory pair a valid task size? null when the table lists none. */
  validSize: boolean | null;
  costNote: string | null;
  /** The point's model warnings (settings ignored or contradicting each other, memory that does not fit). */
  warnings: string[];
  result: RunResult;
}

export interface SweepResult {
  model: string;
  file: string;
  seed: number;
  simulatedSeconds: number;
  warmupSeconds: number;
  /** Replications per point asked for (a point may have more: see its own count). */
  replications: number;
  vary: { path: string; values: unknown[] }[];
  prices: {
    table: string;
    date: string;
    source: string;
    region: string;
    currency: string;
    arch: string;
    vcpuHour: number;
    gbHour: number;
    memoryUnit: string;
  };
  points: SweepPointResult[];
  /** With --given: each grid point across the plausible points of an inference (src/infer/given.ts). */
  given?: unknown;
}

export function pointResult(p: SweepPoint, reps: ReplicationResult[]): SweepPointResult {
  return {
    index: p.index,
    point: p.values,
    replications: reps.length,
    containers: p.model.fleet.containers,
    workers: p.model.fleet.server.workers,
    vcpu: p.model.fleet.vcpu,
    memoryGB: p.cost.memoryGB,
    costPerHour: p.cost.costPerHour,
    validSize: p.cost.valid,
    costNote: p.cost.warning,
    warnings: modelWarnings(p.model),
    result: summarize(p.model, reps),
  };
}

export function sweepResult(sweep: Sweep, repsOf: (point: number) => number = () => sweep.spec.replications): SweepResult {
  const { spec } = sweep;
  const first = sweep.points[0]!.model;
  const prices = spec.prices;
  const a = prices.architectures[spec.arch]!;
  return {
    model: first.name,
    file: spec.file,
    seed: first.simulation.seed,
    simulatedSeconds: first.simulation.duration,
    warmupSeconds: first.simulation.warmup,
    replications: spec.replications,
    vary: sweep.varies.map((v) => ({ path: v.path, values: v.values })),
    prices: {
      table: prices.name,
      date: prices.date,
      source: prices.source,
      region: prices.region,
      currency: prices.currency,
      arch: spec.arch,
      vcpuHour: a.vcpuHour,
      gbHour: a.gbHour,
      memoryUnit: prices.memoryUnit,
    },
    points: sweep.points.map((p) => pointResult(p, sweep.reps(p.index, repsOf(p.index)))),
  };
}

/** Read a directory's manifests (unsharded and shards). */
export function readManifests(dir: string): { file: string; manifest: Manifest }[] {
  if (!existsSync(dir)) throw new ExperimentInputError(`${dir}: no such directory`);
  if (!statSync(dir).isDirectory()) throw new ExperimentInputError(`${dir}: is a file; expected the output directory of capsim sweep`);
  const out: { file: string; manifest: Manifest }[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!/^sweep-manifest(\.shard-\d+-of-\d+)?\.json$/.test(f)) continue;
    const file = path.join(dir, f);
    let m: Manifest;
    try {
      m = parseExact<Manifest>(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new ExperimentInputError(`${file}: not a sweep manifest (${e instanceof Error ? e.message : String(e)})`);
    }
    if (m.format !== MANIFEST_FORMAT) throw new ExperimentInputError(`${file}: not a ${MANIFEST_FORMAT} manifest`);
    out.push({ file, manifest: m });
  }
  return out;
}
