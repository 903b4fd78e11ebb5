// What `capsim infer` answers, as JSON (the contract of issue 18: unknowns, observations,
// plausible, ruledOutBy, verdict, and more) and as text for people: the verdict first, the points
// not ruled out with the observation that bounds each, which observation ruled out how many
// points, the edges the plausible set touches, and what the waves cost.
import { metricName, metricUnit } from '../experiment/metrics.js';
import { num, table } from '../report/format.js';
import type { Observation } from '../observe/observation.js';
import { edgesTouched, type InferSpec, type MatchResult } from './history-match.js';
import { CUTOFF } from './implausibility.js';
import { display, fromBase, toBase, type Point } from './unknowns.js';

export const INFER_FORMAT = 'capsim-infer/1';

export interface InferAnswer {
  format: typeof INFER_FORMAT;
  model: string;
  file: string;
  seed: number;
  /** The run length of every simulation (measured window and warmup), s. */
  simulatedSeconds: number;
  warmupSeconds: number;
  cutoff: number;
  unknowns: { key: string; range: string; kind: 'range' | 'list'; values?: (string | number | boolean)[] }[];
  observations: {
    name: string;
    source: string;
    metric: string;
    unit: string;
    kind: 'value' | 'at-most' | 'at-least';
    value: number;
    sd: number;
    discrepancy: number;
    window: number;
    set: Record<string, string | number | boolean>;
    /** The smallest implausibility any point tried reached on it, and the point. */
    best: { implausibility: number; point: Point; predicted: number } | null;
  }[];
  plausible: { point: Point; implausibility: number; second: number; boundBy: string; wave: number; predicted: Record<string, number> }[];
  ruledOutBy: Record<string, number>;
  edges: { key: string; edge: 'low' | 'high'; bound: string }[];
  verdict: 'fits' | 'nothing fits';
  /** When nothing fits: the observation no point can meet (the smallest best implausibility). */
  unmet: { observation: string; implausibility: number; point: Point; alone: boolean } | null;
  waves: MatchResult['waves'];
  tried: { point: Point; wave: number; implausibility: number; boundBy: string; ruledOut: boolean }[];
  summary: string;
}

const finiteOr = (x: number) => (Number.isFinite(x) ? x : null) as number;

export function inferAnswer(spec: InferSpec, m: MatchResult): InferAnswer {
  const obs = spec.observations;
  const name = (i: number) => obs[i]!.name;
  const plausible = m.tried.filter((t) => !t.ruledOut).sort((a, b) => a.implausibility - b.implausibility || a.index - b.index);
  const ruledOutBy: Record<string, number> = {};
  obs.forEach((o, i) => (ruledOutBy[o.name] = m.tried.filter((t) => (t.judgements[i]?.implausibility ?? 0) > CUTOFF).length));
  // Over the points where the observation was judged (a point ruled out at an earlier configuration was not run at its).
  const best = obs.map((_, i) => {
    let b: (typeof m.tried)[number] | undefined;
    for (const t of m.tried) if (t.judgements[i] && (!b || t.judgements[i]!.implausibility < b.judgements[i]!.implausibility)) b = t;
    return b ? { implausibility: finiteOr(b.judgements[i]!.implausibility), point: b.point, predicted: finiteOr(b.judgements[i]!.mean) } : null;
  });
  const verdict = plausible.length > 0 ? 'fits' : 'nothing fits';
  let unmet: InferAnswer['unmet'] = null;
  if (verdict === 'nothing fits') {
    // An observation no point meets even on its own, the most clearly (largest best); when each
    // is met somewhere but never all together: the one that bounds the point that came closest.
    const alone = best.map((b, i) => ({ i, v: b ? (b.implausibility ?? Infinity) : -1 })).filter((b) => b.v > CUTOFF);
    if (alone.length > 0) {
      const i = alone.reduce((k, b) => (b.v > k.v ? b : k)).i;
      unmet = { observation: name(i), implausibility: best[i]!.implausibility, point: best[i]!.point, alone: true };
    } else {
      const closest = m.tried.reduce((k, t) => (t.implausibility < k.implausibility ? t : k));
      unmet = { observation: name(closest.bound), implausibility: finiteOr(closest.implausibility), point: closest.point, alone: false };
    }
  }
  const edges = edgesTouched(spec.unknowns, plausible.map((t) => t.point));
  const answer: InferAnswer = {
    format: INFER_FORMAT,
    model: m.model.name,
    file: spec.file,
    seed: m.model.simulation.seed,
    simulatedSeconds: m.model.simulation.duration,
    warmupSeconds: m.model.simulation.warmup,
    cutoff: CUTOFF,
    unknowns: spec.unknowns.map((u) => (u.kind === 'list' ? { key: u.key, range: u.text, kind: u.kind, values: u.levels } : { key: u.key, range: u.text, kind: u.kind })),
    observations: obs.map((o, i) => ({
      name: o.name,
      source: o.source,
      metric: metricName(o.metric),
      unit: metricUnit(o.metric),
      kind: o.form.kind,
      value: o.form.kind === 'value' ? o.form.value : o.form.bound,
      sd: o.form.sd,
      discrepancy: o.discrepancy,
      window: o.window,
      set: o.set,
      best: best[i]!,
    })),
    plausible: plausible.map((t) => ({
      point: t.point,
      implausibility: t.implausibility,
      second: t.second,
      boundBy: name(t.bound),
      wave: t.wave,
      predicted: Object.fromEntries(obs.map((o, i) => [o.name, finiteOr(t.judgements[i]?.mean ?? NaN)])),
    })),
    ruledOutBy,
    edges,
    verdict,
    unmet,
    waves: m.waves,
    tried: m.tried.map((t) => ({ point: t.point, wave: t.wave, implausibility: finiteOr(t.implausibility), boundBy: name(t.bound), ruledOut: t.ruledOut })),
    summary: '',
  };
  answer.summary = summaryLine(answer);
  return answer;
}

function pointText(a: Pick<InferAnswer, 'unknowns'>, p: Point, spec?: InferSpec): string {
  return a.unknowns.map((u, j) => `${u.key}=${spec ? display(spec.unknowns[j]!, p[u.key]!) : String(p[u.key])}`).join(' ');
}

function summaryLine(a: InferAnswer): string {
  const tried = a.tried.length;
  if (a.verdict === 'nothing fits') {
    const u = a.unmet!;
    const how = u.alone ? `no point meets "${u.observation}"` : `no point meets "${u.observation}" together with the others`;
    return `nothing fits: all ${tried} points tried are ruled out (implausibility above ${a.cutoff}); ${how} (best implausibility ${num(u.implausibility)}, at ${pointText(a, u.point)})`;
  }
  const edge = a.edges.length > 0 ? `; it reaches the ${a.edges.map((e) => `${e.edge} edge of ${e.key} (${e.bound})`).join(', ')}: the truth may lie beyond` : '';
  return `fits: ${a.plausible.length} of ${tried} points tried are not ruled out by the ${a.observations.length} observation${a.observations.length === 1 ? '' : 's'} (implausibility at most ${a.cutoff})${edge}`;
}

/** The answer for people. */
export function inferText(a: InferAnswer, spec: InferSpec, rows = 20): string {
  const lines = [a.summary, `${a.model}: ${a.waves.length} wave${a.waves.length === 1 ? '' : 's'} of history matching; runs of ${num(a.simulatedSeconds)} s after ${num(a.warmupSeconds)} s of warmup, seed ${a.seed}`, ''];
  const obsRows = [['observation', 'metric', 'observed', 'sd', 'discrepancy', 'at', 'best I', 'points it ruled out']];
  // Observations are judged in file order; a point ruled out by one is not run at the later ones' configurations.
  for (const o of a.observations) {
    const sign = o.kind === 'at-most' ? '≤ ' : o.kind === 'at-least' ? '≥ ' : '';
    const at = Object.entries(o.set).map(([k, v]) => `${k}=${String(v)}`).join(' ') || 'the model';
    obsRows.push([o.name, o.metric, `${sign}${num(o.value)}`, num(o.sd), num(o.discrepancy), at, o.best ? num(o.best.implausibility) : 'not run', String(a.ruledOutBy[o.name])]);
  }
  lines.push(table(obsRows), '');
  if (a.plausible.length > 0) {
    const head = [...a.unknowns.map((u) => u.key), 'implausibility', 'bound by'];
    const body = a.plausible.slice(0, rows).map((p) => [...spec.unknowns.map((u) => display(u, p.point[u.key]!)), num(p.implausibility), p.boundBy]);
    lines.push(`points not ruled out (lowest implausibility first${a.plausible.length > rows ? `; ${rows} of ${a.plausible.length} shown, all in --json` : ''}):`, table([head, ...body]), '');
    const ranges = spec.unknowns.map((u) => {
      if (u.kind === 'list') return `${u.key}: ${[...new Set(a.plausible.map((p) => String(p.point[u.key])))].join(', ')} of ${u.levels.join(', ')}`;
      const base = a.plausible.map((p) => toBase(u, p.point[u.key]!));
      return `${u.key}: ${display(u, fromBase(u, Math.min(...base)))} to ${display(u, fromBase(u, Math.max(...base)))} of ${u.text}`;
    });
    lines.push(`the plausible set spans ${ranges.join('; ')}`);
  }
  for (const e of a.edges) lines.push(`warning: the points not ruled out reach the ${e.edge} edge of ${e.key} (${e.bound}): the truth may lie beyond; widen the range`);
  lines.push(
    '',
    `cost: ${a.waves.map((w) => `wave ${w.wave}: ${w.points} points, ${w.replications} replications, ${num(w.simulatedSeconds / 3600)} simulated hours, ${w.plausible} not ruled out`).join('; ')}`,
    `(implausibility: |observed − mean of the replications| / sqrt(sd² + discrepancy² + replication variance / n); a point is ruled out above ${a.cutoff}; docs/calibrate.md)`,
  );
  return `${lines.join('\n')}\n`;
}

/** Observation names made unique (two logs give two "502/5min in the log"). */
export function uniqueNames(observations: Observation[]): Observation[] {
  const seen = new Map<string, number>();
  return observations.map((o) => {
    const n = (seen.get(o.name) ?? 0) + 1;
    seen.set(o.name, n);
    return n === 1 ? o : { ...o, name: `${o.name} (${n})` };
  });
}
