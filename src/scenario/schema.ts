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
import type { Balancer, Endpoint, Fleet, Model, Phase, PhaseKind, Server, Simulation, Traffic } from './model-types.js';
import { DURATION_FORM, RATE_FORM, UnitError, parseCount, parseDuration, parseNumber, parseRate, show } from './units.js';

/** Parameters attached to every issue the leaf validators raise. */
export interface IssueParams {
  expected: string;
  problem?: string;
}

// ---------------------------------------------------------------- leaves

/** A leaf: `parse` returns the value or throws UnitError (missing values arrive as undefined). */
function leaf<T>(parse: (v: unknown) => T): z.ZodType<T, unknown> {
  return z.unknown().transform((v, ctx) => {
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
  });
}

const rate = leaf((v) => {
  if (!isText(v)) throw new UnitError(RATE_FORM);
  const r = parseRate(v);
  if (!(r > 0)) throw new UnitError(RATE_FORM, 'must be > 0');
  return r;
});

function count(min: number): z.ZodType<number, unknown> {
  const expected = `a whole number >= ${min}`;
  return leaf((v) => {
    if (!isText(v)) throw new UnitError(expected);
    let n: number;
    try {
      n = parseCount(v);
    } catch (e) {
      if (e instanceof UnitError) throw new UnitError(expected);
      throw e;
    }
    if (n < min) throw new UnitError(expected);
    return n;
  });
}

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
});

function oneOf<const T extends string>(values: readonly T[], note = ''): z.ZodType<T, unknown> {
  const expected =
    (values.length === 1
      ? show(values[0])
      : `${values.slice(0, -1).map(show).join(', ')} or ${show(values[values.length - 1])}`) + note;
  return leaf((v) => {
    if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
    throw new UnitError(expected);
  });
}

const text = (what: string) =>
  leaf((v) => {
    if (typeof v === 'string' && v.trim() !== '') return v;
    throw new UnitError(what);
  });

/** A version: a string, or a YAML number (2.0) taken as its text. */
const version = leaf((v) => {
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw new UnitError('a version string such as "2.0.15"');
});

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
});

const distribution = leaf<DistSpec>((v) => {
  if (typeof v === 'number') return parseDistribution(String(v));
  if (typeof v !== 'string') throw new UnitError(GENERIC_FORM);
  return parseDistribution(v);
});

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

export const SERVER_DEFAULTS = {
  uwsgi: { version: '2.0.15', backlog: 100 },
  gunicorn: { version: '20.1.0', backlog: 2048 },
} as const;

const PHASE_KINDS: readonly PhaseKind[] = ['cpu', 'wait'];
const PHASE_FORM = 'a phase with exactly one key, cpu or wait, such as { cpu: exp(5ms) } or { wait: 1s }';
const PHASES_FORM = 'a non-empty list of phases such as [ { cpu: exp(5ms) }, { wait: 20ms } ]';
const ENDPOINTS_FORM = 'a non-empty list of endpoints such as [ { name: api, phases: [ { cpu: exp(5ms) } ] } ]';

const phase: z.ZodType<Phase, unknown> = obj({ cpu: distribution.optional(), wait: distribution.optional() }, PHASE_FORM).transform(
  (p, ctx): Phase => {
    const kinds = PHASE_KINDS.filter((k) => p[k] !== undefined);
    if (kinds.length !== 1) {
      return fail(ctx, [], {
        expected: PHASE_FORM,
        problem: kinds.length === 0 ? 'no phase kind given' : `both ${kinds.join(' and ')} given`,
      });
    }
    const kind = kinds[0]!;
    return { kind, dist: p[kind]! };
  },
);

const phases = list(phase, PHASES_FORM);

const endpoint: z.ZodType<Endpoint, unknown> = obj(
  {
    name: text('an endpoint name such as api'),
    weight: positiveNumber.default(1),
    phases,
  },
  'an endpoint such as { name: api, weight: 1, phases: [ { cpu: exp(5ms) } ] }',
);

const traffic: z.ZodType<Traffic, unknown> = obj({
  rate,
  endpoints: list(endpoint, ENDPOINTS_FORM).optional(),
  phases: phases.optional(),
}).transform((t, ctx): Traffic => {
  if (t.endpoints && t.phases) {
    return fail(ctx, ['phases'], {
      expected: 'either traffic.endpoints or traffic.phases (one endpoint), not both',
      problem: 'traffic.endpoints is given too',
    });
  }
  if (t.phases) return { rate: t.rate, endpoints: [{ name: 'default', weight: 1, phases: t.phases }] };
  if (!t.endpoints) {
    return fail(ctx, ['endpoints'], { expected: `${ENDPOINTS_FORM} (or traffic.phases for a single endpoint)` });
  }
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
  return { rate: t.rate, endpoints: t.endpoints };
});

const simulation: z.ZodType<Simulation, unknown> = obj({
  duration: duration('positive').default(3600),
  warmup: duration('nonnegative').default(0),
  replications: count(1).default(10),
  seed: count(0).default(1),
}).prefault({});

const balancer: z.ZodType<Balancer, unknown> = obj({
  kind: oneOf(['elb', 'alb']).default('elb'),
  idleTimeout: duration('positive').default(60),
}).prefault({});

const server: z.ZodType<Server, unknown> = obj({
  kind: oneOf(['uwsgi', 'gunicorn']).default('uwsgi'),
  version: version.optional(),
  workers: count(1).default(1),
  mode: oneOf(['sync', 'gevent', 'threads']).default('sync'),
  concurrency: count(1).default(1),
  backlog: backlog.optional(),
  maxRequests: count(0).default(0),
  respawn: distribution.default({ kind: 'const', value: 1 }),
})
  .prefault({})
  .transform(
    (s): Server => ({
      kind: s.kind,
      version: s.version ?? SERVER_DEFAULTS[s.kind].version,
      workers: s.workers,
      mode: s.mode,
      concurrency: s.concurrency,
      backlog: s.backlog ?? SERVER_DEFAULTS[s.kind].backlog,
      maxRequests: s.maxRequests,
      respawn: s.respawn,
    }),
  );

const fleet: z.ZodType<Fleet, unknown> = obj({
  containers: count(1).default(1),
  vcpu: positiveNumber.default(1),
  overflow: oneOf(['refuse'], ' (the only overflow mode supported so far)').default('refuse'),
  server,
}).prefault({ server: {} });

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
