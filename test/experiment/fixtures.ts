// Small helpers for the experiment tests: fake replication results with chosen figures, and a
// small fast model.
import type { ReplicationResult } from '../../src/experiment/replication.js';
import { parseModelText } from '../../src/scenario/parse-model.js';
import type { Model } from '../../src/scenario/model-types.js';

export interface Fake {
  arrivals?: number;
  /** 2xx, 500, 502, 503, 504 */
  status?: number[];
  p99?: number;
  mean?: number;
}

export function fakeRep(replication: number, f: Fake = {}): ReplicationResult {
  const lat = f.p99 ?? 100;
  return {
    replication,
    seconds: 3600,
    arrivals: f.arrivals ?? 1000,
    finished: f.arrivals ?? 1000,
    status: f.status ?? [1000, 0, 0, 0, 0],
    cause: new Array(10).fill(0),
    latencyMs: { mean: f.mean ?? lat / 3, p50: lat / 4, p95: lat / 2, p99: lat, max: lat * 2 },
    queueWaitMs: { mean: 1, p95: 2 },
    waitProbability: 0.1,
    recycles: 0,
    respawns: 0,
    sigkills: [0, 0, 0, 0, 0],
    zeroLiveSeconds: 0,
    utilization: { cpu: 0.5, workers: 0.5, process: 0.5, processBusiest: 0.6 },
    mechanisms: {
      backlogMean: 0,
      backlogMax: 0,
      synDrops: 0,
      ackOverflows: 0,
      surgeQueueMax: 0,
      keepaliveReuses: 0,
      drains: 0,
      drainKills: 0,
      unhealthySeconds: 0,
      dbConnectionsMax: 0,
      dbRefused: 0,
    },
    little: { L: 1, lambda: 1, W: 1 },
    events: 0,
  } as ReplicationResult;
}

/** M/M/c with a small backlog: a few thousand requests per replication, milliseconds to run. */
export const SMALL_MODEL = `
name: small
simulation: { duration: 2m, warmup: 0s, replications: 3, seed: 7 }
traffic:
  rate: 8/s
  phases: [ { wait: exp(400ms) } ]
balancer: { kind: alb, idleTimeout: 60s, nodes: 1, pool: eager }   # an eager pool: the close race shows in small runs
fleet:
  containers: 1
  vcpu: 1
  overflow: refuse
  server: { kind: uwsgi, workers: 4, mode: sync, backlog: 4 }
`;

export function smallModel(sets: string[] = []): Model {
  return parseModelText(SMALL_MODEL, 'small.yaml', sets);
}
