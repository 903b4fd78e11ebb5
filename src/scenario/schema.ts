// The model file's schema (zod v4): validates the raw YAML object, fills defaults and turns
// every unit string into numbers, producing exactly `Model` (model-types.ts).
//
// Leaf values (durations, rates, counts, distributions, enums) are custom transforms that call
// the parsers in units.ts / distribution-syntax.ts, so every issue carries, in `params`,
// `expected` (the form wanted) and maybe `problem` (what is wrong). Objects are strict: an
// unknown key is an issue whose message names the key, a suggestion and the known keys.
// Pure: no Node-only imports.
import * as z from 'zod';
import type { DistSpec } from '../kernel/distribution-spec.js';
import { GENERIC_FORM, parseDistribution } from './distribution-syntax.js';
import { DB_DEFAULTS, FLEET_DEFAULTS, balancerDefaults } from '../model/defaults.js';
import { UWSGI } from '../facts/uwsgi.js';
import { serverDefaults } from '../model/server/profiles.js';
import { MODELLED_VERSIONS, atLeast, versionProblem } from '../model/server/version.js';
import {
  BALANCER_KIND,
  RESPAWN_DEFAULT,
  SERVER_KIND,
  SIMULATION_DEFAULTS,
  TRAFFIC_DEFAULTS,
  serverModeDefault,
  serverVersionDefault,
  serverWorkersDefault,
} from './default-sources.js';
import { formatDuration } from './format.js';
import { formatDecimal } from '../report/format.js'; // not toLocaleString: ICU's number formatting costs every command ~15 ms at load
import {
  backlogJson,
  booleanJson,
  countJson,
  distributionJson,
  durationJson,
  enumJson,
  numberJson,
  rateJson,
  sizeJson,
  textJson,
  versionJson,
  type JsonFragment,
} from './json-schema-forms.js';
import { poolProfile } from '../model/balancer/pool-profiles.js';
import type { PoolName } from '../facts/aws.js';
import type {
  Balancer,
  BalancerPool,
  Bursts,
  ClosedUsers,
  Db,
  Endpoint,
  Fleet,
  HealthCheck,
  Model,
  Phase,
  PhaseKind,
  RateProfile,
  Replay,
  Server,
  Simulation,
  Traffic,
} from './model-types.js';
import {
  DURATION_FORM,
  RATE_FORM,
  SIZE_FORM,
  UnitError,
  parseCount,
  parseDuration,
  parseNumber,
  parseRate,
  parseSize,
  show,
} from './units.js';

// Without JIT: zod's compiled parsers cost more to build (~5 ms at every start, measured
// 2026-12-08) than they save on the few small models a command validates (1.2 ms each either way).
z.config({ jitless: true });

/** Parameters attached to every issue the leaf validators raise. */
export interface IssueParams {
  expected: string;
  problem?: string;
}

// ---------------------------------------------------------------- leaves

/** A leaf: `parse` returns the value or throws UnitError (missing values arrive as undefined). */
function leaf<T>(parse: (v: unknown) => T, json: JsonFragment): z.ZodType<T, unknown> {
  return z.unknown().meta(json).transform((v, ctx) => {
    try {
      return parse(v);
    } catch (e) {
      if (!(e instanceof UnitError)) throw e;
      const params: IssueParams = { expected: e.expected };
      if (e.problem !== undefined) params.problem = e.problem;
      ctx.addIssue({ code: 'custom', message: e.expected, params });
      return z.NEVER;
    }
  });
}

const isText = (v: unknown): v is string | number => typeof v === 'string' || typeof v === 'number';

function duration(min: 'positive' | 'nonnegative'): z.ZodType<number, unknown> {
  const expected = min === 'positive' ? DURATION_FORM.replace('a duration', 'a duration > 0') : DURATION_FORM;
  return leaf((v) => {
    if (!isText(v)) throw new UnitError(expected);
    let s: number;
    try {
      s = parseDuration(v);
    } catch (e) {
      if (e instanceof UnitError) throw new UnitError(expected, e.problem);
      throw e;
    }
    if (min === 'positive' && !(s > 0)) throw new UnitError(expected, 'must be > 0');
    return s;
  }, durationJson(expected));
}

function rateLeaf(min: 'positive' | 'nonnegative'): z.ZodType<number, unknown> {
  const expected = min === 'positive' ? RATE_FORM : RATE_FORM.replace('a rate', 'a rate >= 0');
  return leaf((v) => {
    if (!isText(v)) throw new UnitError(expected);
    let r: number;
    try {
      r = parseRate(v);
    } catch (e) {
      if (e instanceof UnitError) throw new UnitError(expected, e.problem);
      throw e;
    }
    if (min === 'positive' && !(r > 0)) throw new UnitError(expected, 'must be > 0');
    return r;
  }, rateJson(expected));
}

const rate = rateLeaf('positive');

function count(min: number, max?: { value: number; why: string }): z.ZodType<number, unknown> {
  const expected = max ? `a whole number from ${min} to ${formatDecimal(max.value, 0)} (${max.why})` : `a whole number >= ${min}`;
  return leaf((v) => {
    if (!isText(v)) throw new UnitError(expected);
    let n: number;
    try {
      n = parseCount(v);
    } catch (e) {
      // Say why only when the bounds are the reason (a typo such as 1e309): "got -2" speaks for itself.
      if (e instanceof UnitError) throw new UnitError(expected, /finite|above the largest/.test(e.problem ?? '') ? e.problem : undefined);
      throw e;
    }
    if (n < min || (max && n > max.value)) throw new UnitError(expected);
    return n;
  }, countJson(expected, min));
}

/** Each user and each request of a burst is an event pending in the kernel, which holds 2 million. */
const PENDING_BOUND = { value: 1_000_000, why: 'each is an event pending at once; capsim holds 2 million' };

const positiveNumber = leaf((v) => {
  const expected = 'a number > 0';
  if (!isText(v)) throw new UnitError(expected);
  let n: number;
  try {
    n = parseNumber(v);
  } catch (e) {
    if (e instanceof UnitError) throw new UnitError(expected);
    throw e;
  }
  if (!(n > 0)) throw new UnitError(expected);
  return n;
}, numberJson('a number > 0'));

function oneOf<const T extends string>(values: readonly T[], note = ''): z.ZodType<T, unknown> {
  const expected =
    (values.length === 1
      ? show(values[0])
      : `${values.slice(0, -1).map(show).join(', ')} or ${show(values[values.length - 1])}`) + note;
  return leaf((v) => {
    if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
    throw new UnitError(expected);
  }, enumJson(expected, values));
}

const boolean = leaf((v) => {
  if (typeof v === 'boolean') return v;
  throw new UnitError('true or false');
}, booleanJson());

/** A size in bytes; `min` 'positive' refuses 0. `unlimited`: also accept "unlimited" (Infinity). */
function size(min: 'positive' | 'nonnegative', unlimited = false): z.ZodType<number, unknown> {
  let expected = min === 'positive' ? SIZE_FORM.replace('a size', 'a size > 0') : SIZE_FORM;
  if (unlimited) expected += ', or "unlimited"';
  return leaf((v) => {
    if (unlimited && v === 'unlimited') return Infinity;
    if (!isText(v)) throw new UnitError(expected);
    let b: number;
    try {
      b = parseSize(v);
    } catch (e) {
      if (e instanceof UnitError) throw new UnitError(expected, e.problem);
      throw e;
    }
    if (min === 'positive' && !(b > 0)) throw new UnitError(expected, 'must be > 0');
    return b;
  }, sizeJson(expected, unlimited));
}

const text = (what: string) =>
  leaf((v) => {
    if (typeof v === 'string' && v.trim() !== '') return v;
    throw new UnitError(what);
  }, textJson(what));

/** A version: a string, or a YAML number (2.0) taken as its text. */
const version = leaf((v) => {
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw new UnitError('a version string such as "2.0.15"');
}, versionJson('a version string such as "2.0.15"'));

const backlog = leaf((v) => {
  const expected = 'a whole number >= 0 or "unlimited"';
  if (v === 'unlimited') return Infinity;
  if (!isText(v)) throw new UnitError(expected);
  try {
    return parseCount(v);
  } catch (e) {
    if (e instanceof UnitError) throw new UnitError(expected);
    throw e;
  }
}, backlogJson('a whole number >= 0 or "unlimited"'));

const distribution = leaf<DistSpec>((v) => {
  if (typeof v === 'number') return parseDistribution(String(v));
  if (typeof v !== 'string') throw new UnitError(GENERIC_FORM);
  return parseDistribution(v);
}, distributionJson(GENERIC_FORM));

// ---------------------------------------------------------------- objects and lists

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The known key closest to `key`, if close enough to be a likely typo. */
export function suggestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = k.toLowerCase() === key.toLowerCase() ? 0 : distance(key.toLowerCase(), k.toLowerCase());
    if (d < bestD) {
      best = k;
      bestD = d;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

export const KNOWN_KEYS_MARK = 'known keys: ';

export function unknownKeyMessage(key: string, known: readonly string[]): string {
  const guess = suggestKey(key, known);
  const hint = guess !== undefined ? `did you mean ${show(guess)}? ` : '';
  return `unknown key ${show(key)} (${hint}${KNOWN_KEYS_MARK}${known.join(', ')})`;
}

/** A strict mapping; `what` is the expected form when something else is given. */
function obj<S extends z.ZodRawShape>(shape: S, what?: string) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code === 'unrecognized_keys') return unknownKeyMessage(iss.keys[0]!, known);
      if (iss.code === 'invalid_type') return what ?? `a mapping with keys ${known.join(', ')}`;
      return undefined;
    },
  });
}

function list<T>(item: z.ZodType<T, unknown>, expected: string) {
  return z.array(item, { error: expected }).min(1, { error: expected });
}

function fail(ctx: z.RefinementCtx, path: PropertyKey[], params: IssueParams): typeof z.NEVER {
  ctx.addIssue({ code: 'custom', message: params.expected, path, params: { ...params } });
  return z.NEVER;
}

// ---------------------------------------------------------------- the model

/** The default version and listen backlog of each server (kept for callers of the first schema). */
export const SERVER_DEFAULTS = {
  uwsgi: { version: serverVersionDefault('uwsgi').value, backlog: serverDefaults('uwsgi', serverVersionDefault('uwsgi').value, 'sync').backlog.value },
  gunicorn: {
    version: serverVersionDefault('gunicorn').value,
    backlog: serverDefaults('gunicorn', serverVersionDefault('gunicorn').value, 'sync').backlog.value,
  },
} as const;

const PHASE_KINDS: readonly PhaseKind[] = ['cpu', 'wait', 'db'];
const PHASE_FORM =
  'a phase with exactly one key, cpu, wait or db, such as { cpu: exp(5ms) }, { wait: 1s } or { db: lognormal(mean=4ms, sd=2ms) }';
const PHASES_FORM = 'a non-empty list of phases such as [ { cpu: exp(5ms) }, { wait: 20ms } ]';
const ENDPOINTS_FORM = 'a non-empty list of endpoints such as [ { name: api, phases: [ { cpu: exp(5ms) } ] } ]';

const phase: z.ZodType<Phase, unknown> = obj(
  { cpu: distribution.optional(), wait: distribution.optional(), db: distribution.optional() },
  PHASE_FORM,
).transform((p, ctx): Phase => {
  const kinds = PHASE_KINDS.filter((k) => p[k] !== undefined);
  if (kinds.length !== 1) {
    return fail(ctx, [], {
      expected: PHASE_FORM,
      problem: kinds.length === 0 ? 'no phase kind given' : `${kinds.length === 2 ? 'both ' : ''}${kinds.join(' and ')} given`,
    });
  }
  const kind = kinds[0]!;
  return { kind, dist: p[kind]! };
});

const phases = list(phase, PHASES_FORM);

const endpoint: z.ZodType<Endpoint, unknown> = obj(
  {
    name: text('an endpoint name such as api'),
    weight: positiveNumber.default(TRAFFIC_DEFAULTS.weight.value),
    phases,
  },
  'an endpoint such as { name: api, weight: 1, phases: [ { cpu: exp(5ms) } ] }',
);

const PROFILE_FORM = 'a rate profile such as { period: 24h, points: [ { at: 0h, rate: 5k/min }, { at: 12h, rate: 19k/min } ] }';
const POINTS_FORM = 'a non-empty list of points such as [ { at: 0h, rate: 5k/min }, { at: 12h, rate: 19k/min } ]';

const profilePoint = obj({ at: duration('nonnegative'), rate: rateLeaf('nonnegative') }, 'a profile point such as { at: 12h, rate: 19k/min }');

const profile: z.ZodType<RateProfile, unknown> = obj(
  {
    period: duration('positive').default(TRAFFIC_DEFAULTS.period.value),
    points: list(profilePoint, POINTS_FORM),
    scale: positiveNumber.default(TRAFFIC_DEFAULTS.scale.value),
  },
  PROFILE_FORM,
).transform((p, ctx): RateProfile => {
  const pts = p.points;
  if (pts[0]!.at !== 0) {
    return fail(ctx, ['points', 0, 'at'], { expected: '0 for the first point (the start of the period)' });
  }
  for (let i = 1; i < pts.length; i++) {
    if (!(pts[i]!.at > pts[i - 1]!.at)) {
      return fail(ctx, ['points', i, 'at'], {
        expected: `a time after the previous point's (${formatDuration(pts[i - 1]!.at)}): points in ascending order`,
      });
    }
  }
  for (let i = 0; i < pts.length; i++) {
    if (!(pts[i]!.at < p.period)) {
      return fail(ctx, ['points', i, 'at'], { expected: `a time < traffic.profile.period (${formatDuration(p.period)})` });
    }
  }
  if (!pts.some((q) => q.rate > 0)) {
    return fail(ctx, ['points'], { expected: `${POINTS_FORM}, at least one with a rate > 0`, problem: 'every rate is 0' });
  }
  return { points: pts.map((q) => ({ at: q.at, rate: q.rate })), period: p.period, scale: p.scale };
});

const users: z.ZodType<ClosedUsers, unknown> = obj(
  { count: count(1, PENDING_BOUND), think: distribution },
  'closed users such as { count: 3000, think: exp(10s) }',
);

const bursts: z.ZodType<Bursts, unknown> = obj(
  { every: distribution, size: count(1, PENDING_BOUND), over: duration('nonnegative').default(TRAFFIC_DEFAULTS.burstOver.value) },
  'bursts such as { every: exp(10m), size: 200, over: 2s }',
);

/** traffic.replay: FILE, or { file: FILE, format: alb }: an access log's own arrival times. */
const REPLAY_FORMATS = ['auto', 'alb', 'elb', 'nginx', 'gunicorn', 'uwsgi'] as const;
const replayFile = text('an access log file such as logs/incident-hour.log.gz');
const replay: z.ZodType<Replay, unknown> = z.preprocess(
  (v) => (typeof v === 'string' ? { file: v } : v),
  obj({ file: replayFile, format: oneOf(REPLAY_FORMATS).default('auto') }, 'a replayed log such as logs/hour.log or { file: logs/hour.log, format: alb }'),
);

const ARRIVALS = ['rate', 'profile', 'users', 'replay'] as const;
const ARRIVALS_FORM = `exactly one of traffic.rate (${RATE_FORM}), traffic.profile, traffic.users or traffic.replay`;

const traffic: z.ZodType<Traffic, unknown> = obj({
  rate: rate.optional(),
  profile: profile.optional(),
  users: users.optional(),
  bursts: bursts.optional(),
  replay: replay.optional(),
  endpoints: list(endpoint, ENDPOINTS_FORM).optional(),
  phases: phases.optional(),
}).transform((t, ctx): Traffic => {
  const given = ARRIVALS.filter((k) => t[k] !== undefined);
  if (given.length === 0) return fail(ctx, ['rate'], { expected: ARRIVALS_FORM });
  if (given.length > 1) {
    return fail(ctx, [given[1]!], { expected: ARRIVALS_FORM, problem: `traffic.${given[0]} is given too` });
  }
  if (t.endpoints && t.phases) {
    return fail(ctx, ['phases'], {
      expected: 'either traffic.endpoints or traffic.phases (one endpoint), not both',
      problem: 'traffic.endpoints is given too',
    });
  }
  let endpoints: Endpoint[];
  if (t.phases) {
    endpoints = [{ name: TRAFFIC_DEFAULTS.endpointName.value, weight: TRAFFIC_DEFAULTS.weight.value, phases: t.phases }];
  } else if (!t.endpoints) {
    return fail(ctx, ['endpoints'], { expected: `${ENDPOINTS_FORM} (or traffic.phases for a single endpoint)` });
  } else {
    const seen = new Set<string>();
    for (const [i, e] of t.endpoints.entries()) {
      if (seen.has(e.name)) {
        return fail(ctx, ['endpoints', i, 'name'], {
          expected: 'a name no other endpoint has',
          problem: 'used by an earlier endpoint',
        });
      }
      seen.add(e.name);
    }
    endpoints = t.endpoints;
  }
  const out: Traffic = { endpoints };
  if (t.rate !== undefined) out.rate = t.rate;
  if (t.profile !== undefined) out.profile = t.profile;
  if (t.users !== undefined) out.users = t.users;
  if (t.bursts !== undefined) out.bursts = t.bursts;
  if (t.replay !== undefined) out.replay = t.replay;
  // Key order as in model-types.ts: arrivals first, then endpoints.
  const { endpoints: eps, ...arrivals } = out;
  return { ...arrivals, endpoints: eps };
});

const simulation: z.ZodType<Simulation, unknown> = obj({
  duration: duration('positive').default(SIMULATION_DEFAULTS.duration.value),
  warmup: duration('nonnegative').default(SIMULATION_DEFAULTS.warmup.value),
  replications: count(1).default(SIMULATION_DEFAULTS.replications.value),
  seed: count(0).default(SIMULATION_DEFAULTS.seed.value),
}).prefault({});

const healthCheck = obj({
  enabled: boolean.optional(),
  interval: duration('positive').optional(),
  timeout: duration('positive').optional(),
  unhealthyThreshold: count(1).optional(),
  healthyThreshold: count(1).optional(),
  work: distribution.optional(),
}).prefault({});

const POOL_PROFILES = ['alb', 'elb', 'nginx', 'eager'] as const;
const poolProfileName = oneOf(POOL_PROFILES);
const balancerPoolObject = obj({
  profile: poolProfileName.optional(),
  reuseDelay: distribution.optional(),
  noticeFin: boolean.optional(),
  retry: boolean.optional(),
  // Each one is a simulated connection per node and target: a bound keeps a typo (1e8) from
  // filling memory; no report shows a node keeping more than a few.
  preopen: count(0, { value: 100, why: 'connections a node opens ahead to each target; the Classic ELB is seen keeping a few' }).optional(),
});
type BalancerPoolInput = { profile?: PoolName; reuseDelay?: DistSpec; noticeFin?: boolean; retry?: boolean; preopen?: number };
const balancerPoolJson = {
  description: `a pool profile (${POOL_PROFILES.join(', ')}) or a mapping { profile, reuseDelay, noticeFin, retry, preopen }`,
  get anyOf() {
    const { $schema: _, ...mapping } = z.toJSONSchema(balancerPoolObject, { io: 'input', unrepresentable: 'any' });
    return [{ enum: [...POOL_PROFILES] }, mapping];
  },
};
/**
 * `balancer.pool`: a profile's name (as `{ profile }`), or { profile, reuseDelay, noticeFin, retry,
 * preopen }; validated as the mapping, so an error names the part and its expected form.
 */
const balancerPool = z.unknown().meta(balancerPoolJson).transform((v, ctx): BalancerPoolInput => {
  const r = typeof v === 'string' ? poolProfileName.safeParse(v) : balancerPoolObject.safeParse(v);
  if (r.success) return (typeof r.data === 'string' ? { profile: r.data } : r.data) as BalancerPoolInput;
  for (const issue of r.error.issues) ctx.addIssue(issue as unknown as z.core.$ZodRawIssue);
  return z.NEVER;
});

const balancer: z.ZodType<Balancer, unknown> = obj({
  kind: oneOf(['elb', 'alb', 'nginx']).default(BALANCER_KIND.value),
  routing: oneOf(['least-outstanding', 'round-robin']).optional(),
  idleTimeout: duration('positive').optional(),
  connectTimeout: duration('positive').optional(),
  keepAlive: boolean.optional(),
  reuse: oneOf(['lifo', 'fifo', 'random']).optional(),
  nodes: count(1).optional(),
  pool: balancerPool.optional(),
  nextUpstream: z.array(oneOf(['error', 'timeout'])).optional(),
  nextUpstreamTries: count(0).optional(),
  maxFails: count(0).optional(),
  failTimeout: duration('nonnegative').optional(),
  surgeQueue: count(0).optional(),
  rtt: duration('nonnegative').optional(),
  sendDelay: duration('nonnegative').optional(),
  synRetransmit: oneOf(['linux', 'rfc6298']).optional(),
  healthCheck,
  failOpen: boolean.optional(),
})
  .prefault({})
  .transform((b, ctx): Balancer => {
    const d = balancerDefaults(b.kind);
    if (b.kind !== 'elb' && b.surgeQueue !== undefined && b.surgeQueue > 0) {
      return fail(ctx, ['surgeQueue'], { expected: `0 with balancer.kind ${b.kind}`, problem: `${b.kind === 'alb' ? 'ALB' : 'nginx'} has no surge queue` });
    }
    if (b.kind !== 'nginx') {
      for (const key of ['nextUpstream', 'nextUpstreamTries', 'maxFails', 'failTimeout'] as const) {
        if (b[key] !== undefined) return fail(ctx, [key], { expected: 'no value unless balancer.kind is nginx', problem: `${key} is an nginx setting` });
      }
    }
    if (b.kind === 'nginx') {
      if (b.pool?.profile !== undefined && b.pool.profile !== 'nginx') {
        return fail(ctx, ['pool', 'profile'], { expected: 'nginx (or no value) with balancer.kind nginx', problem: 'nginx has its own upstream keepalive cache' });
      }
      if (b.pool?.retry !== undefined) {
        return fail(ctx, ['pool', 'retry'], { expected: 'no value with balancer.kind nginx: its retries are proxy_next_upstream (balancer.nextUpstream)', problem: 'nginx retries by proxy_next_upstream' });
      }
      if (b.nodes !== undefined && b.nodes > 1) {
        return fail(ctx, ['nodes'], { expected: '1 with balancer.kind nginx', problem: "capsim models one nginx worker process (several would each keep their own cache and round robin: not modelled)" });
      }
    }
    const profile = b.pool?.profile ?? d.pool.value;
    const parts = poolProfile(profile);
    const pool: BalancerPool = {
      profile,
      reuseDelay: b.pool?.reuseDelay ?? parts.reuseDelay.value,
      noticeFin: b.pool?.noticeFin ?? parts.noticeFin.value,
      retry: b.kind === 'nginx' ? b.nextUpstream?.includes('error') ?? d.nextUpstream.value.includes('error') : b.pool?.retry ?? parts.retry.value,
      preopen: b.pool?.preopen ?? parts.preopen.value,
    };
    const h = b.healthCheck;
    const hd = d.healthCheck;
    const hc: HealthCheck = {
      enabled: h.enabled ?? hd.enabled.value,
      interval: h.interval ?? hd.interval.value,
      timeout: h.timeout ?? hd.timeout.value,
      unhealthyThreshold: h.unhealthyThreshold ?? hd.unhealthyThreshold.value,
      healthyThreshold: h.healthyThreshold ?? hd.healthyThreshold.value,
      work: h.work ?? hd.work.value,
    };
    return {
      kind: b.kind,
      routing: b.routing ?? d.routing.value,
      idleTimeout: b.idleTimeout ?? d.idleTimeout.value,
      connectTimeout: b.connectTimeout ?? d.connectTimeout.value,
      keepAlive: b.keepAlive ?? d.keepAlive.value,
      reuse: b.reuse ?? d.reuse.value,
      nodes: b.nodes ?? d.nodes.value,
      pool,
      nextUpstream: b.nextUpstream ?? d.nextUpstream.value,
      nextUpstreamTries: b.nextUpstreamTries ?? d.nextUpstreamTries.value,
      maxFails: b.maxFails ?? d.maxFails.value,
      failTimeout: b.failTimeout ?? d.failTimeout.value,
      surgeQueue: b.surgeQueue ?? d.surgeQueue.value,
      rtt: b.rtt ?? d.rtt.value,
      sendDelay: b.sendDelay ?? d.sendDelay.value,
      synRetransmit: b.synRetransmit ?? d.synRetransmit.value,
      healthCheck: hc,
      failOpen: b.failOpen ?? d.failOpen.value,
    };
  });

const server = obj({
  kind: oneOf(['uwsgi', 'gunicorn']).default(SERVER_KIND.value),
  version: version.optional(),
  workers: count(1).optional(),
  mode: oneOf(['sync', 'gevent', 'threads']).optional(),
  concurrency: count(1).optional(),
  backlog: backlog.optional(),
  maxRequests: count(0).optional(),
  maxRequestsDelta: count(0).optional(),
  maxRequestsJitter: count(0).optional(),
  minWorkerLifetime: duration('nonnegative').optional(),
  reloadMercy: duration('nonnegative').optional(),
  harakiri: duration('nonnegative').optional(),
  keepAlive: duration('nonnegative').optional(),
  socket: oneOf(['http-socket', 'http11-socket']).optional(),
  connectionClose: boolean.optional(),
  closeLag: distribution.optional(),
  deferAccept: boolean.optional(),
  respawn: distribution.optional(),
  masterCycle: duration('nonnegative').optional(),
  fork: distribution.optional(),
  appImport: distribution.optional(),
  exitDelay: distribution.optional(),
  preload: boolean.optional(),
  startFresh: boolean.optional(),
  forkbombDelay: duration('nonnegative').optional(),
  reloadOnRss: size('nonnegative').optional(),
  evilReloadOnRss: size('nonnegative').optional(),
  memory: obj(
    {
      shared: size('nonnegative').optional(),
      base: size('nonnegative').optional(),
      perRequest: size('nonnegative').optional(),
      perInFlight: size('nonnegative').optional(),
    },
    'worker memory such as { shared: 300MiB, base: 40MiB, perRequest: 8KiB, perInFlight: 2MiB }',
  ).optional(),
  acceptOrder: oneOf(['lifo', 'fifo', 'favourite']).optional(),
}).prefault({});

type ServerInput = z.output<typeof server>;

/** Fill a server's defaults for its kind, version and mode; `at` is the server's path in the fleet. */
function resolveServer(s: ServerInput, ctx: z.RefinementCtx, somaxconn: number, driver: 'mysqlclient' | 'pymysql'): Server {
  const kind = s.kind;
  const version = s.version ?? serverVersionDefault(kind).value;
  const wrongVersion = versionProblem(kind, version);
  if (wrongVersion !== undefined) {
    return fail(ctx, ['server', 'version'], { expected: `${MODELLED_VERSIONS[kind].series}, such as ${MODELLED_VERSIONS[kind].example}`, problem: wrongVersion });
  }
  const mode = s.mode ?? serverModeDefault(kind, version).value;
  const socket = s.socket ?? 'http-socket';
  if (s.socket !== undefined && kind !== 'uwsgi') {
    return fail(ctx, ['server', 'socket'], { expected: 'no socket with kind gunicorn', problem: 'http-socket / http11-socket are uWSGI options' });
  }
  if (socket === 'http11-socket' && !atLeast(version, UWSGI.http11SocketSince)) {
    return fail(ctx, ['server', 'socket'], {
      expected: `http-socket, or version >= ${UWSGI.http11SocketSince}`,
      problem: `uWSGI ${version} has no http11-socket option (it arrived in ${UWSGI.http11SocketSince}): uWSGI would not start`,
    });
  }
  const d = serverDefaults(kind, version, mode, socket, driver);
  if (s.deferAccept === true && kind !== 'uwsgi') {
    return fail(ctx, ['server', 'deferAccept'], {
      expected: 'false or no value with kind gunicorn',
      problem: 'gunicorn has no option that sets TCP_DEFER_ACCEPT on its listen socket',
    });
  }
  if (mode === 'sync' && s.concurrency !== undefined && s.concurrency !== 1) {
    return fail(ctx, ['server', 'concurrency'], {
      expected: '1 with mode sync (or mode gevent or threads)',
      problem: 'sync workers serve one request at a time',
    });
  }
  const backlog = s.backlog ?? d.backlog.value;
  if (kind === 'uwsgi' && Number.isFinite(backlog) && backlog > somaxconn) {
    if (s.backlog !== undefined) {
      return fail(ctx, ['server', 'backlog'], {
        expected: `a backlog <= fleet.somaxconn (${somaxconn}): uWSGI refuses to start otherwise`,
      });
    }
    return fail(ctx, ['somaxconn'], {
      expected: `a somaxconn >= fleet.server.backlog (uWSGI's default listen ${backlog}): uWSGI refuses to start otherwise`,
    });
  }
  return {
    kind,
    version,
    workers: s.workers ?? serverWorkersDefault(kind, version).value,
    mode,
    concurrency: s.concurrency ?? d.concurrency.value,
    backlog,
    maxRequests: s.maxRequests ?? d.maxRequests.value,
    maxRequestsDelta: s.maxRequestsDelta ?? d.maxRequestsDelta.value,
    maxRequestsJitter: s.maxRequestsJitter ?? d.maxRequestsJitter.value,
    minWorkerLifetime: s.minWorkerLifetime ?? d.minWorkerLifetime.value,
    reloadMercy: s.reloadMercy ?? d.reloadMercy.value,
    harakiri: s.harakiri ?? d.harakiri.value,
    keepAlive: s.keepAlive ?? d.keepAlive.value,
    socket,
    connectionClose: s.connectionClose ?? d.connectionClose.value,
    closeLag: s.closeLag ?? d.closeLag.value,
    deferAccept: s.deferAccept ?? d.deferAccept.value,
    respawn: s.respawn ?? RESPAWN_DEFAULT.value,
    masterCycle: s.masterCycle ?? d.masterCycle.value,
    fork: s.fork ?? d.fork.value,
    appImport: s.appImport ?? d.appImport.value,
    preload: s.preload ?? d.preload.value,
    startFresh: s.startFresh ?? d.startFresh.value,
    exitDelay: s.exitDelay ?? d.exitDelay.value,
    forkbombDelay: s.forkbombDelay ?? d.forkbombDelay.value,
    reloadOnRss: s.reloadOnRss ?? d.reloadOnRss.value,
    evilReloadOnRss: s.evilReloadOnRss ?? d.evilReloadOnRss.value,
    memory: {
      shared: s.memory?.shared ?? d.memoryShared.value,
      base: s.memory?.base ?? d.memoryBase.value,
      perRequest: s.memory?.perRequest ?? d.memoryPerRequest.value,
      perInFlight: s.memory?.perInFlight ?? d.memoryPerInFlight.value,
    },
    acceptOrder: s.acceptOrder ?? d.acceptOrder.value,
  };
}

const POOL_FORM = 'a pool such as { size: 5, maxOverflow: 10, timeout: 30s }, or none';

const poolObject = obj(
  {
    size: count(1).default(DB_DEFAULTS.poolSize.value),
    maxOverflow: count(0).default(DB_DEFAULTS.poolMaxOverflow.value),
    timeout: duration('positive').default(DB_DEFAULTS.poolTimeout.value),
  },
  POOL_FORM,
);

// Its JSON Schema is made only when asked for (a getter): parsing a model never pays for it.
const poolJson = {
  description: POOL_FORM,
  get anyOf() {
    const { $schema: _, ...mapping } = z.toJSONSchema(poolObject, { io: 'input', unrepresentable: 'any' });
    return [{ const: 'none' }, { type: 'null' }, mapping];
  },
};

/** `none` (or YAML null, dropped before validation) -> null; a mapping -> the pool with its defaults. */
const pool = z.unknown().meta(poolJson).transform((v, ctx): Db['pool'] => {
  if (v === 'none') return null;
  const r = poolObject.safeParse(v);
  if (r.success) return r.data;
  for (const issue of r.error.issues) ctx.addIssue(issue as unknown as z.core.$ZodRawIssue);
  return z.NEVER;
});

const db: z.ZodType<Db, unknown> = obj({
  driver: oneOf(['mysqlclient', 'pymysql']).default(DB_DEFAULTS.driver.value),
  driverCpu: distribution.default(DB_DEFAULTS.driverCpu.value),
  pymysqlCpuFactor: positiveNumber.default(DB_DEFAULTS.pymysqlCpuFactor.value),
  pool: pool.optional(),
  connect: distribution.default(DB_DEFAULTS.connect.value),
  maxConnections: count(1).default(DB_DEFAULTS.maxConnections.value),
})
  .prefault({})
  .transform(
    (b): Db => ({
      driver: b.driver,
      driverCpu: b.driverCpu,
      pymysqlCpuFactor: b.pymysqlCpuFactor,
      pool: b.pool === undefined ? DB_DEFAULTS.pool.value : b.pool,
      connect: b.connect,
      maxConnections: b.maxConnections,
    }),
  );

const fleet: z.ZodType<Fleet, unknown> = obj({
  containers: count(1).default(FLEET_DEFAULTS.containers.value),
  vcpu: positiveNumber.default(FLEET_DEFAULTS.vcpu.value),
  memory: size('positive', true).default(FLEET_DEFAULTS.memory.value),
  somaxconn: count(1).default(FLEET_DEFAULTS.somaxconn.value),
  overflow: oneOf(['linux', 'refuse']).default(FLEET_DEFAULTS.overflow.value),
  tcpAbortOnOverflow: boolean.default(FLEET_DEFAULTS.tcpAbortOnOverflow.value),
  synackRetries: count(0).default(FLEET_DEFAULTS.synackRetries.value),
  server,
  db,
})
  .prefault({ db: {} })
  .transform(
    (f, ctx): Fleet => ({
      containers: f.containers,
      vcpu: f.vcpu,
      memory: f.memory,
      somaxconn: f.somaxconn,
      overflow: f.overflow,
      tcpAbortOnOverflow: f.tcpAbortOnOverflow,
      synackRetries: f.synackRetries,
      server: resolveServer(f.server, ctx, f.somaxconn, f.db.driver),
      db: f.db,
    }),
  );

export const TOP_LEVEL_KEYS = ['name', 'simulation', 'traffic', 'balancer', 'fleet'] as const;

/** The model schema; `defaultName` is used when the file has no `name`. */
export function makeModelSchema(defaultName: string): z.ZodType<Model, unknown> {
  return obj(
    {
      name: text('a model name such as textbook-mmc').default(defaultName),
      simulation,
      traffic,
      balancer,
      fleet,
    },
    `a YAML mapping with keys ${TOP_LEVEL_KEYS.join(', ')}`,
  );
}
