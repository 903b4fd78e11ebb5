// The work a command asks for, estimated before any of it runs: simulated requests (points ×
// replications × requests per replication) and memory (the replication results kept until the
// summary, and one simulation per worker thread). What cannot fit in memory is refused; what would
// take hours asks for --force. Every input is bounded on its own (scenario/units.ts); this is the
// bound on their product, stated with the numbers it comes from.
import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { mean } from '../kernel/distribution-spec.js';
import type { Model } from '../scenario/model-types.js';
import { ExperimentInputError } from './errors.js';
import type { Shard } from './shard.js';
import type { Sweep } from './sweep.js';
import { formatDecimal } from '../report/format.js';

/** Simulated requests one command runs without --force: about 3 hours of one core. */
export const WORK_LIMIT = 1e10;
/** capsim's steady speed on the incident model (README, Benchmark), for the time it states. */
const REQUESTS_PER_CORE_SECOND = 1e6;

const KiB = 1024;
const MiB = 1024 * KiB;
// Measured on Node 20 (heap after GC): a replication result holds its quantile sketches, 33 KB;
// a simulation ~60 MB to start, ~2 KB per worker process, ~50 B per context (greenlet, thread),
// ~70 B per closed-loop user. Rounded up: an estimate that refuses must not be optimistic.
const RESULT_BYTES = 40 * KiB;
const SIM_BASE_BYTES = 64 * MiB;
const WORKER_BYTES = 4 * KiB;
const CONTEXT_BYTES = 64;
const USER_BYTES = 128;

export interface WorkEstimate {
  /** The model file, for the message. */
  file: string;
  /** How the total is made: "24 points × 10 replications × 1.3M requests". */
  what: string;
  requests: number;
  /** Replication results held at once (the main thread keeps them all until the summary). */
  results: number;
  /** Heap of one simulation (one per worker thread). */
  simulationBytes: number;
  jobs: number;
  /** A note for the message (size reruns, precision's maximum). */
  note?: string;
}

/** Mean time a request takes when nothing waits: its phases' means, by endpoint weight. */
function serviceSeconds(model: Model): number {
  const eps = model.traffic.endpoints;
  const w = eps.reduce((a, e) => a + e.weight, 0);
  return eps.reduce((a, e) => a + (e.weight / w) * e.phases.reduce((b, p) => b + mean(p.dist), 0), 0);
}

/** Requests one replication simulates, warmup included (an upper bound for profiles and users). */
export function requestsPerReplication(model: Model): number {
  const t = model.traffic;
  const window = model.simulation.warmup + model.simulation.duration;
  let rate = 0;
  if (t.rate !== undefined) rate = t.rate;
  if (t.profile) rate = Math.max(...t.profile.points.map((p) => p.rate));
  if (t.users) {
    // Each user sends again after its request and its think time: at most count / (think + service).
    const cycle = mean(t.users.think) + serviceSeconds(model);
    if (!(cycle > 0)) {
      throw new ExperimentInputError(
        `${model.name}: traffic.users: think time and request time are both 0: every user would send requests forever without simulated time passing; expected a think time above 0, such as exp(10s)`,
      );
    }
    rate = t.users.count / cycle;
  }
  if (t.bursts) {
    const every = mean(t.bursts.every);
    if (!(every > 0)) throw new ExperimentInputError(`${model.name}: traffic.bursts.every: a mean of 0 sends bursts forever without time passing; expected a distribution with a mean above 0, such as exp(10m)`);
    rate += t.bursts.size / every;
  }
  return rate * window;
}

function simulationBytes(model: Model): number {
  const f = model.fleet;
  const workers = f.containers * f.server.workers;
  return SIM_BASE_BYTES + workers * WORKER_BYTES + workers * f.server.concurrency * CONTEXT_BYTES + (model.traffic.users?.count ?? 0) * USER_BYTES;
}

/** `capsim run`: `replications` of one model (with --precision: its maximum). */
export function runWork(model: Model, file: string, replications: number, jobs: number, note?: string): WorkEstimate {
  const per = requestsPerReplication(model);
  return { file, what: `${count(replications)} replication${replications === 1 ? '' : 's'} × ${big(per)} requests`, requests: replications * per, results: replications, simulationBytes: simulationBytes(model), jobs, ...(note ? { note } : {}) };
}

/**
 * A sweep's first pass (this shard's share of it); `maxReplications` (capsim size) is what close
 * points may be rerun up to, which the results in memory must allow for.
 */
export function sweepWork(sweep: Sweep, replications: number, jobs: number, shard: Shard | null, maxReplications = replications): WorkEstimate {
  const pts = sweep.points;
  const share = shard && shard.n > 1 ? 1 / shard.n : 1;
  const requests = pts.reduce((a, p) => a + requestsPerReplication(p.model), 0) * replications * share;
  const perPoint = requests / pts.length / replications / share;
  return {
    file: sweep.spec.file,
    what: `${count(pts.length)} point${pts.length === 1 ? '' : 's'} × ${count(replications)} replication${replications === 1 ? '' : 's'} × ${big(perPoint)} requests${share < 1 ? ` / ${shard!.n} shards` : ''}`,
    requests,
    results: Math.ceil(pts.length * maxReplications * share),
    simulationBytes: Math.max(...pts.map((p) => simulationBytes(p.model))),
    jobs,
    ...(maxReplications > replications ? { note: `close points may be rerun up to ${maxReplications} replications, which adds to this` } : {}),
  };
}

/**
 * Refuse what cannot fit in memory (exit 2, whatever --force says: it would only crash later),
 * and what would run for hours unless --force; with --force, say what was accepted.
 */
export function checkWork(w: WorkEstimate, force: boolean, warn: (text: string) => void, heapLimit = getHeapStatistics().heap_size_limit, machine = totalmem()): void {
  const resultBytes = w.results * RESULT_BYTES;
  const limits = [
    { bytes: resultBytes, limit: 0.8 * heapLimit, what: `${count(w.results)} replication results × ${bytes(RESULT_BYTES)} = ${bytes(resultBytes)} (kept until the summary)`, of: `the ${bytes(heapLimit)} heap of this Node process (raise it with NODE_OPTIONS=--max-old-space-size=MiB)` },
    { bytes: w.simulationBytes, limit: 0.8 * heapLimit, what: `one simulation of ${bytes(w.simulationBytes)} (fleet.containers × fleet.server.workers × concurrency, traffic.users)`, of: `the ${bytes(heapLimit)} heap of a Node thread` },
    { bytes: resultBytes + w.jobs * w.simulationBytes, limit: machine, what: `${bytes(resultBytes)} of results and ${w.jobs} simulation${w.jobs === 1 ? '' : 's'} of ${bytes(w.simulationBytes)} at once (--jobs ${w.jobs})`, of: `this machine's ${bytes(machine)} of memory` },
  ];
  for (const l of limits) {
    if (l.bytes > l.limit) {
      throw new ExperimentInputError(`${w.file}: this run cannot fit in memory: ${l.what} is above ${l.of}; give fewer replications, a smaller grid, fewer --jobs or a smaller fleet`);
    }
  }
  const time = `about ${hours(w.requests / (REQUESTS_PER_CORE_SECOND * Math.max(1, w.jobs)))} on ${w.jobs} core${w.jobs === 1 ? '' : 's'} at ~1M simulated requests per second per core`;
  const total = `${big(w.requests)} requests (${w.what}; ${time}${w.note ? `; ${w.note}` : ''})`;
  if (w.requests > WORK_LIMIT) {
    if (!force) {
      throw new ExperimentInputError(
        `${w.file}: this run would simulate ${total}: above the ${big(WORK_LIMIT)} a command runs without --force; lower --replications, --duration (simulation.duration) or the grid, or add --force`,
      );
    }
    warn(`capsim: --force: simulating ${total}\n`);
  }
}

const count = (n: number) => formatDecimal(n, 3);

/** 1234 -> "1,234"; 3.6e12 -> "3.6e12": big numbers with two significant digits. */
export function big(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (n < 1e6) return formatDecimal(Math.round(n), 3);
  const e = Math.floor(Math.log10(n));
  return `${Number((n / 10 ** e).toFixed(1))}e${e}`;
}

function bytes(b: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let i = 0;
  while (b >= 1024 && i < units.length - 1) {
    b /= 1024;
    i++;
  }
  return `${Number(b.toPrecision(b >= 100 ? 3 : 2))} ${units[i]}`;
}

function hours(seconds: number): string {
  if (seconds < 120) return `${Math.ceil(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 3 * 86400) return `${Math.round(seconds / 3600)} h`;
  return `${big(seconds / 86400)} days`;
}
