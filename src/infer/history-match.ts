// History matching: which values of the unknowns are not ruled out by what was observed.
//
// Wave 1 tries a Latin hypercube over the unknowns' ranges. Every point is simulated at each
// configuration the observations were seen at (observations at the same configuration share
// runs), replication r with the same random numbers at every point (common random numbers: the
// points are compared on the same arrivals). Replications are spent where a verdict is still
// open: a point starts with a few at the first configuration, and goes on to the next only if
// those did not rule it out; one whose implausibility stays above the cut-off with its
// ensemble mean moved 2 standard errors towards the observation is ruled out there; one that
// stays under it moved 2 standard errors away is kept; the others get twice as many, up to the
// most allowed, where their implausibility decides. Later waves draw new points near the
// points not ruled out (none left: near the closest misses). Every decision depends only on the results, collected by index: the
// answer is the same whatever the number of worker threads.
import { ExperimentInputError } from '../experiment/errors.js';
import type { ReplicationPool } from '../experiment/pool.js';
import type { ReplicationResult } from '../experiment/replication.js';
import { ModelError } from '../scenario/errors.js';
import type { Model } from '../scenario/model-types.js';
import { parseModelText } from '../scenario/parse-model.js';
import type { Observation } from '../observe/observation.js';
import { firstWave, nextWave } from './design.js';
import { CUTOFF, judge, type Judgement } from './implausibility.js';
import { pointSets, unitPosition, type Point, type Unknown } from './unknowns.js';

export interface InferSpec {
  file: string;
  text: string;
  /** --set arguments (the run length among them), applied before a point's values and an observation's configuration. */
  sets: string[];
  unknowns: Unknown[];
  observations: Observation[];
  /** Points per wave, waves, replications: the first count and the most per point and configuration. */
  points: number;
  waves: number;
  startReplications: number;
  maxReplications: number;
  seed: string;
}

export interface TriedPoint {
  index: number;
  wave: number;
  point: Point;
  /** Per observation (spec order); null where its configuration was not run (the point was ruled out before). */
  judgements: (Judgement | null)[];
  /** Replications run per configuration. */
  replications: number[];
  /** The largest and second largest implausibility over the observations, and which observation gave the largest. */
  implausibility: number;
  second: number;
  bound: number;
  ruledOut: boolean;
}

export interface WaveCost {
  wave: number;
  points: number;
  replications: number;
  simulatedSeconds: number;
  /** Points still not ruled out after this wave (all waves so far). */
  plausible: number;
}

export interface MatchProgress {
  wave: number;
  done: number;
  total: number;
  points: number;
  pointsDone: number;
}

export interface MatchResult {
  tried: TriedPoint[];
  waves: WaveCost[];
  /** The configurations observations were seen at, and which observations each serves. */
  configs: { set: Record<string, string | number | boolean>; observations: number[] }[];
  /** One model as run (the first point at the first configuration): run length, seed. */
  model: Model;
}

function configKey(set: Record<string, unknown>): string {
  return JSON.stringify(Object.entries(set).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function configsOf(observations: readonly Observation[]): MatchResult['configs'] {
  const out: MatchResult['configs'] = [];
  const index = new Map<string, number>();
  observations.forEach((o, i) => {
    const k = configKey(o.set);
    let c = index.get(k);
    if (c === undefined) {
      index.set(k, (c = out.length));
      out.push({ set: o.set, observations: [] });
    }
    out[c]!.observations.push(i);
  });
  return out;
}

/** The model of a point at a configuration; a key or value the model refuses names where it came from. */
export function pointModel(spec: InferSpec, point: Point, set: Record<string, string | number | boolean>, observation?: Observation): Model {
  const own = Object.entries(set).map(([k, v]) => `${k}=${String(v)}`);
  try {
    return parseModelText(spec.text, spec.file, [...spec.sets, ...pointSets(point), ...own]);
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    const from = observation && own.some((s) => e.message.includes(s.split('=')[0]!)) ? `${observation.source}: set` : '--vary';
    throw new ExperimentInputError(`${from}: ${e.message}`);
  }
}

export async function historyMatch(spec: InferSpec, pool: ReplicationPool, onProgress?: (p: MatchProgress) => void): Promise<MatchResult> {
  const configs = configsOf(spec.observations);
  const stratum = 1 / spec.points;
  const tried: TriedPoint[] = [];
  const waves: WaveCost[] = [];
  let model: Model | undefined;
  let wavePoints = firstWave(spec.unknowns, spec.points, spec.seed);
  for (let wave = 1; wave <= spec.waves && wavePoints.length > 0; wave++) {
    const models = wavePoints.map((p) => configs.map((c) => pointModel(spec, p, c.set, spec.observations[c.observations[0]!])));
    model ??= models[0]![0]!;
    const runs = wavePoints.map(() => configs.map(() => [] as ReplicationResult[]));
    const judged: (Judgement | null)[][] = wavePoints.map(() => spec.observations.map(() => null));
    const decided = wavePoints.map(() => false);
    const cost = { replications: 0, simulatedSeconds: 0 };
    // Replications wanted per point and configuration: the first configuration at first; the next
    // only for a point it did not rule out (most points far out cost one configuration's start).
    const want = wavePoints.map(() => configs.map((_, c) => (c === 0 ? Math.min(spec.startReplications, spec.maxReplications) : 0)));
    for (;;) {
      const tasks: { p: number; c: number; model: Model; replication: number }[] = [];
      wavePoints.forEach((_, p) => {
        if (decided[p]) return;
        configs.forEach((_c, c) => {
          for (let r = runs[p]![c]!.length; r < want[p]![c]!; r++) tasks.push({ p, c, model: models[p]![c]!, replication: r });
        });
      });
      if (tasks.length === 0) break;
      let done = 0;
      const results = await pool.run(tasks, () => onProgress?.({ wave, done: ++done, total: tasks.length, points: wavePoints.length, pointsDone: decided.filter(Boolean).length }));
      tasks.forEach((t, i) => {
        runs[t.p]![t.c]!.push(results[i]!);
        cost.replications++;
        cost.simulatedSeconds += t.model.simulation.warmup + t.model.simulation.duration;
      });
      wavePoints.forEach((_, p) => {
        if (decided[p]) return;
        configs.forEach((c, ci) => {
          if (runs[p]![ci]!.length > 0) for (const i of c.observations) judged[p]![i] = judge(spec.observations[i]!, runs[p]![ci]!);
        });
        const js = judged[p]!;
        if (js.some((j) => j !== null && j.low > CUTOFF)) {
          decided[p] = true; // ruled out, whatever the others say
          return;
        }
        const next = configs.findIndex((_c, ci) => want[p]![ci] === 0);
        if (next >= 0) {
          want[p]![next] = Math.min(spec.startReplications, spec.maxReplications);
          return;
        }
        if (js.every((j) => j!.high <= CUTOFF)) {
          decided[p] = true; // kept
          return;
        }
        // More replications only where an observation's verdict is open.
        let more = false;
        configs.forEach((c, ci) => {
          if (c.observations.some((i) => js[i]!.low <= CUTOFF && js[i]!.high > CUTOFF) && want[p]![ci]! < spec.maxReplications) {
            want[p]![ci] = Math.min(spec.maxReplications, want[p]![ci]! * 2);
            more = true;
          }
        });
        if (!more) decided[p] = true; // at the most replications: I decides
      });
    }
    wavePoints.forEach((point, p) => {
      const js = judged[p]!;
      const order = js
        .map((j, i) => ({ i, v: j ? j.implausibility : -1 }))
        .filter((x) => x.v >= 0)
        .sort((a, b) => b.v - a.v || a.i - b.i);
      tried.push({
        index: tried.length,
        wave,
        point,
        judgements: js,
        replications: runs[p]!.map((r) => r.length),
        implausibility: order[0]!.v,
        second: order[1]?.v ?? 0,
        bound: order[0]!.i,
        ruledOut: order[0]!.v > CUTOFF,
      });
    });
    const survivors = tried.filter((t) => !t.ruledOut);
    waves.push({ wave, points: wavePoints.length, ...cost, plausible: survivors.length });
    // With none left, the next wave looks near the closest misses (a tenth of the points, at
    // least 2): a narrow plausible region can fall between a first wave's points.
    const near = survivors.length > 0 ? survivors : closest(tried);
    wavePoints = wave < spec.waves && near.length > 0 ? nextWave(spec.unknowns, near.map((t) => t.point), tried.map((t) => t.point), spec.points, spec.seed, wave + 1, stratum) : [];
  }
  return { tried, waves, configs, model: model! };
}

function closest(tried: readonly TriedPoint[]): TriedPoint[] {
  const finite = tried.filter((t) => Number.isFinite(t.implausibility)).sort((a, b) => a.implausibility - b.implausibility || a.index - b.index);
  return finite.slice(0, Math.max(2, Math.ceil(tried.length / 10)));
}

/** Where the points not ruled out reach a range's edge (within a first-wave stratum of it). */
export function edgesTouched(unknowns: readonly Unknown[], plausible: readonly Point[]): { key: string; edge: 'low' | 'high'; bound: string }[] {
  const out: { key: string; edge: 'low' | 'high'; bound: string }[] = [];
  // 2% of the range: closer than that, the set may well go on beyond the edge.
  const near = 0.02;
  for (const u of unknowns) {
    if (u.kind !== 'range' || plausible.length === 0) continue;
    const xs = plausible.map((p) => unitPosition(u, p[u.key]!));
    const [loText, hiText] = u.text.split('..').map((s) => s.trim());
    if (Math.min(...xs) <= near + 1e-9) out.push({ key: u.key, edge: 'low', bound: loText! });
    if (Math.max(...xs) >= 1 - near - 1e-9) out.push({ key: u.key, edge: 'high', bound: hiText! });
  }
  return out;
}
