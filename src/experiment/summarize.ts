// Replications summarised into the JSON contract of `capsim run --json`: every figure is
// { mean, ci95 } over replications. Counts of rare events (502s) use an exact Poisson interval when
// few were seen (see stats/intervals.ts: summarizeCounts). Pure (no Node-only imports): the page
// (src/page/) summarises in the browser with this very code, so its figures are the CLI's.
import { CONNECTED_AT_SYN } from '../model/listener.js';
import { CAUSES, KILL_REASONS, STATUSES, causeStatuses } from '../model/outcome.js';
import type { Model } from '../scenario/model-types.js';
import { quantityCI, summarizeCounts, type Quantity } from '../stats/intervals.js';
import { analytic, type Analytic } from './analytic.js';
import { estimate, type Estimate } from './metrics.js';
import type { PrecisionOutcome } from './precision.js';
import { CDF_PROBS, type ReplicationResult } from './replication.js';

export interface Figure {
  mean: number | null;
  ci95: [number | null, number | null];
}

export interface RunResult {
  model: string;
  seed: number;
  replications: number;
  simulatedSeconds: number;
  requests: Figure;
  status: Record<string, Figure>;
  per5min: Record<string, Figure>;
  causes: Record<string, Record<string, Figure>>;
  /** Every 5xx (500, 502, 503, 504) together: per 5 simulated minutes, and as a fraction of the requests. */
  failures: { per5min: Figure; rate: Figure };
  latencyMs: { mean: Figure; p50: Figure; p95: Figure; p99: Figure; max: Figure };
  /** The latency CDF of successful requests: at each probability p, the latency (ms) averaged over replications. */
  latencyCdf: { p: number[]; ms: (number | null)[] };
  queueWaitMs: { mean: Figure; p95: Figure };
  /** Fraction of accepted requests that waited in the accept queue. */
  queueWaitProbability: Figure;
  workers: { recycles: Figure; respawns: Figure; sigkills: Record<string, Figure>; mercyExits: Figure; zeroLiveSeconds: Figure };
  /**
   * Busy fractions: vCPUs, worker contexts, task memory, and the worker processes' own (each
   * process's Python thread or all its contexts taken): the mean over processes, and the busiest.
   */
  utilization: { cpu: Figure; workers: Figure; memory: Figure; process: Figure; processBusiest: Figure };
  mechanisms: Record<string, Figure>;
  /**
   * Requests' connections per replication by the SYN that got in: [0] at the first SYN, [k] after
   * k retransmitted SYNs (each adds a second or more), [7] later. Zeros under `overflow: refuse`.
   */
  connectedAtSyn: Figure[];
  /** The closed-form queueing estimate for the model, where one applies (see analytic.ts). */
  analytic: Analytic;
  /** Present when replications ran to a precision (`capsim run --precision`). */
  precision?: PrecisionOutcome;
}

/** JSON cannot carry NaN: a figure nobody could measure is null. */
function fig(mean: number, ci: [number, number]): Figure {
  const n = (x: number) => (Number.isFinite(x) ? x : null);
  return { mean: n(mean), ci95: [n(ci[0]), n(ci[1])] };
}

/** Mean and interval of a per-replication figure, bounded to what it can be (stats/intervals.ts). */
function of(values: number[], q: Quantity = 'nonnegative'): Figure {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { mean: null, ci95: [null, null] };
  const s = quantityCI(finite, q);
  return fig(s.mean, s.ci95);
}

/** Mechanisms that are fractions (the rest are counts, lengths, times: never below 0). */
const FRACTION_MECHANISMS: ReadonlySet<string> = new Set(['busiestWorkerShare']);

const ofEstimate = (e: Estimate): Figure => fig(e.mean, [e.lo, e.hi]);

function counts(values: number[], scale = 1): Figure {
  const s = summarizeCounts(values);
  return fig(s.mean * scale, [s.ci95[0] * scale, s.ci95[1] * scale]);
}

export function summarize(model: Model, reps: ReplicationResult[]): RunResult {
  const seconds = model.simulation.duration;
  const per5 = 300 / seconds;
  const status: Record<string, Figure> = {};
  const per5min: Record<string, Figure> = {};
  const causes: Record<string, Record<string, Figure>> = {};
  const statusOf = causeStatuses(model.balancer.kind);
  STATUSES.forEach((key, s) => {
    const v = reps.map((r) => r.status[s]!);
    status[key] = counts(v);
    per5min[key] = counts(v, per5);
    if (s === 0) return;
    const byCause: Record<string, Figure> = {};
    CAUSES.forEach((c, i) => {
      if (statusOf[i] === s) byCause[c.name] = counts(reps.map((r) => r.cause[i]!));
    });
    causes[key] = byCause;
  });
  const sigkills: Record<string, Figure> = {
    total: counts(reps.map((r) => r.sigkills.reduce((a, b) => a + b, 0))),
  };
  KILL_REASONS.forEach((k, i) => (sigkills[k] = counts(reps.map((r) => r.sigkills[i]!))));
  return {
    model: model.name,
    seed: model.simulation.seed,
    replications: reps.length,
    simulatedSeconds: seconds,
    requests: of(reps.map((r) => r.arrivals)),
    status,
    per5min,
    causes,
    failures: { per5min: ofEstimate(estimate({ kind: 'per5min', status: '5xx' }, reps, seconds)), rate: ofEstimate(estimate({ kind: 'rate', status: '5xx' }, reps, seconds)) },
    latencyMs: {
      mean: of(reps.map((r) => r.latencyMs.mean)),
      p50: of(reps.map((r) => r.latencyMs.p50)),
      p95: of(reps.map((r) => r.latencyMs.p95)),
      p99: of(reps.map((r) => r.latencyMs.p99)),
      max: of(reps.map((r) => r.latencyMs.max)),
    },
    latencyCdf: {
      p: [...CDF_PROBS],
      ms: CDF_PROBS.map((_, k) => of(reps.map((r) => r.latencyCdfMs[k]!)).mean),
    },
    queueWaitMs: {
      mean: of(reps.map((r) => r.queueWaitMs.mean)),
      p95: of(reps.map((r) => r.queueWaitMs.p95)),
    },
    queueWaitProbability: of(reps.map((r) => r.waitProbability), 'fraction'),
    workers: {
      recycles: counts(reps.map((r) => r.recycles)),
      respawns: counts(reps.map((r) => r.respawns)),
      sigkills,
      mercyExits: counts(reps.map((r) => r.mercyExits)),
      zeroLiveSeconds: of(reps.map((r) => r.zeroLiveSeconds)),
    },
    utilization: {
      cpu: of(reps.map((r) => r.utilization.cpu), 'fraction'),
      workers: of(reps.map((r) => r.utilization.workers), 'fraction'),
      memory: of(reps.map((r) => r.utilization.memory)),
      process: of(reps.map((r) => r.utilization.process ?? NaN), 'fraction'),
      processBusiest: of(reps.map((r) => r.utilization.processBusiest ?? NaN), 'fraction'),
    },
    // (Replication results saved by a capsim without this count, merged with newer ones, lack it.)
    connectedAtSyn: Array.from({ length: CONNECTED_AT_SYN }, (_, k) => counts(reps.filter((r) => r.connectedAtSyn !== undefined).map((r) => r.connectedAtSyn[k]!))),
    mechanisms: Object.fromEntries(
      (Object.keys(reps[0]!.mechanisms) as (keyof ReplicationResult['mechanisms'])[]).map((k) => [k, of(reps.map((r) => r.mechanisms[k] ?? NaN), FRACTION_MECHANISMS.has(k) ? 'fraction' : 'nonnegative')]),
    ),
    analytic: analytic(model),
  };
}

