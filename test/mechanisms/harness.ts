// Small pure helpers for the mechanism tests: build a model from YAML text the way the CLI does,
// run one replication, and read its counts by name.
import * as YAML from 'yaml';
import { runReplication, type ReplicationResult } from '../../src/experiment/replication.js';
import { CAUSES, KILL_REASONS, STATUSES, causeStatuses, type CauseName, type KillReason, type StatusKey } from '../../src/model/outcome.js';
import type { Model } from '../../src/scenario/model-types.js';
import { parseModelText } from '../../src/scenario/parse-model.js';

export type Tree = { [k: string]: unknown };

/** A negligible Poisson base rate: with seed 1 it brings no arrival in any window used here. */
export const NO_BASE_RATE = '0.001/d';

/**
 * The common skeleton: one container, 1 vCPU, no memory limit, health checks off, no warmup,
 * one replication, workers starting fresh, and a Classic ELB without pre-opened connections
 * (its default keeps one per node and target: each test derives its counts for its own
 * mechanism; preopen.test.ts sets them). `over` is deep-merged into it (arrays and scalars replace).
 */
export function base(over: Tree): Tree {
  const skeleton: Tree = {
    name: 'mechanism',
    simulation: { duration: '100s', warmup: '0s', replications: 1, seed: 1 },
    traffic: {},
    balancer: { kind: 'elb', healthCheck: { enabled: false }, pool: { preopen: 0 } },
    // Workers start fresh (nothing served yet), so recycling counts can be derived by hand; a
    // close-after server closes at its response (no post-response work) unless a test says so.
    fleet: { containers: 1, vcpu: 1, memory: 'unlimited', server: { startFresh: true, closeLag: '0s' } },
  };
  return merge(skeleton, over);
}

/**
 * One balancer node with an eager pool that offers a connection again as its response is read
 * (the testbed's Node proxy takes ~100 µs more: the `eager` profile's reuseDelay).
 */
export const EAGER: Tree = { nodes: 1, pool: { profile: 'eager', reuseDelay: '0s' } };

export function merge(a: Tree, b: Tree): Tree {
  const out: Tree = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && prev !== null && typeof prev === 'object' && !Array.isArray(prev)) {
      out[k] = merge(prev as Tree, v as Tree);
    } else out[k] = v;
  }
  return out;
}

/** The YAML text of a model tree (what a user would write in a model file). */
export function yamlOf(tree: Tree): string {
  return YAML.stringify(tree);
}

/** Parse YAML model text exactly as `capsim run` does. */
export function parse(yaml: string): Model {
  return parseModelText(yaml, 'test.yaml');
}

export interface Run {
  r: ReplicationResult;
  model: Model;
  /** Ended requests by cause name. */
  cause: Record<CauseName, number>;
  /** Ended requests by status key. */
  status: Record<StatusKey, number>;
  /** SIGKILLs by reason. */
  kills: Record<KillReason, number>;
  /** Total SIGKILLs. */
  killTotal: number;
}

/** Run replication 0 of a model given as a tree (or YAML text). */
export function run(model: Tree | string): Run {
  const m = parse(typeof model === 'string' ? model : yamlOf(model));
  const r = runReplication(m, 0);
  const cause = Object.fromEntries(CAUSES.map((c, i) => [c.name, r.cause[i]!])) as Record<CauseName, number>;
  const status = Object.fromEntries(STATUSES.map((s, i) => [s, r.status[i]!])) as Record<StatusKey, number>;
  const kills = Object.fromEntries(KILL_REASONS.map((k, i) => [k, r.sigkills[i]!])) as Record<KillReason, number>;
  return { r, model: m, cause, status, kills, killTotal: r.sigkills.reduce((a, b) => a + b, 0) };
}

/** The failed causes only (cause ≠ ok) with a non-zero count: for readable assertion messages. */
export function failures(x: Run): Partial<Record<CauseName, number>> {
  const out: Partial<Record<CauseName, number>> = {};
  for (const [k, v] of Object.entries(x.cause)) if (k !== 'ok' && v !== 0) out[k as CauseName] = v;
  return out;
}

/** Every arrival of the window ended with exactly one status and one cause, each cause under its status. */
export function conservation(x: Run): string | null {
  const { r } = x;
  const sumStatus = r.status.reduce((a, b) => a + b, 0);
  const sumCause = r.cause.reduce((a, b) => a + b, 0);
  if (sumStatus !== r.finished) return `status counts sum to ${sumStatus}, finished ${r.finished}`;
  if (sumCause !== r.finished) return `cause counts sum to ${sumCause}, finished ${r.finished}`;
  const byStatus = new Array<number>(STATUSES.length).fill(0);
  const statusOf = causeStatuses(x.model.balancer.kind);
  CAUSES.forEach((_, i) => (byStatus[statusOf[i]!] += r.cause[i]!));
  for (let s = 0; s < STATUSES.length; s++) {
    if (byStatus[s] !== r.status[s]) return `status ${STATUSES[s]}: ${r.status[s]} but its causes sum to ${byStatus[s]}`;
  }
  if (r.finished > r.arrivals) return `finished ${r.finished} > arrivals ${r.arrivals}`;
  return null;
}

/** Traffic: one burst of `size` requests at time `at` (s), spread evenly over `over`, on a negligible base rate.
 *  The next burst comes at 2·at, so keep the window shorter than that. */
export function burst(size: number, at: number, over = '0s'): Tree {
  return { rate: NO_BASE_RATE, bursts: { every: `const(${at}s)`, size, over } };
}

/** Traffic: a closed population of `count` users with a constant think time (first requests at `think`). */
export function users(count: number, think: string): Tree {
  return { users: { count, think: `const(${think})` } };
}

/** |a − b| ≤ tol, with a readable message. */
export function near(actual: number, expected: number, tol: number, what: string): void {
  if (!(Math.abs(actual - expected) <= tol)) {
    throw new Error(`${what}: expected ${expected} ± ${tol}, got ${actual}`);
  }
}

/** Total response time of every finished request (any status), s. */
export function sojournSum(x: Run): number {
  return x.r.little.W * x.r.finished;
}
