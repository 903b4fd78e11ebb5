// Every default the schema fills in, with where it comes from: the real software's defaults
// live in src/model (profiles.ts for the app servers, defaults.ts for the balancer, the
// container and the database); the few that are capsim's own choices are here. The schema
// takes its values from these tables and `capsim explain` prints their sources, so a value
// and its source cannot drift apart. Pure: no Node-only imports.
import type { DistSpec } from '../kernel/distribution-spec.js';
import { DB_DEFAULTS, FLEET_DEFAULTS, balancerDefaults } from '../model/defaults.js';
import { poolProfile } from '../model/balancer/pool-profiles.js';
import { DEFAULT_VERSION, serverDefaults } from '../model/server/profiles.js';
import type { BalancerKind, Model, ServerKind, WorkerMode } from './model-types.js';
import type { PathSegment } from './overrides.js';

export interface Sourced<T> {
  value: T;
  source: string;
}

export const SIMULATION_DEFAULTS = {
  duration: { value: 3600, source: 'capsim default: 1h measured per replication' },
  warmup: { value: 0, source: 'capsim default: no warmup' },
  replications: { value: 10, source: 'capsim default: 10 replications' },
  seed: { value: 1, source: 'capsim default seed' },
} satisfies Record<string, Sourced<number>>;

export const TRAFFIC_DEFAULTS = {
  weight: { value: 1, source: 'capsim default endpoint weight' },
  /** traffic.phases without traffic.endpoints: one endpoint with this name. */
  endpointName: { value: 'default', source: 'traffic.phases: a single endpoint named "default"' },
  period: { value: 86400, source: 'capsim default: the rate profile repeats every day' },
  scale: { value: 1, source: 'capsim default: the profile\'s rates as written' },
  burstOver: { value: 0, source: 'capsim default: a burst arrives all at once' },
};

export const BALANCER_KIND: Sourced<BalancerKind> = {
  value: 'elb',
  source: 'capsim default: a Classic ELB (the write-up says "ELB"; its Fargate tasks could only be behind an ALB, which the incident models name)',
};

export const SERVER_KIND: Sourced<ServerKind> = { value: 'uwsgi', source: 'capsim default: uWSGI, as in the incident' };

export function serverVersionDefault(kind: ServerKind): Sourced<string> {
  return { value: DEFAULT_VERSION[kind], source: `capsim default ${kind === 'uwsgi' ? 'uWSGI' : 'gunicorn'} version` };
}

export function serverWorkersDefault(kind: ServerKind, version: string): Sourced<number> {
  return kind === 'uwsgi'
    ? { value: 1, source: `uWSGI ${version} default processes (1)` }
    : { value: 1, source: `gunicorn ${version} default workers (1, or $WEB_CONCURRENCY)` };
}

export function serverModeDefault(kind: ServerKind, version: string): Sourced<WorkerMode> {
  return kind === 'uwsgi'
    ? { value: 'sync', source: `uWSGI ${version} default: one request per process (no --gevent, no threads)` }
    : { value: 'sync', source: `gunicorn ${version} default worker_class sync` };
}

export const RESPAWN_DEFAULT: Sourced<DistSpec | null> = {
  value: null,
  source: 'capsim: modelled from masterCycle, fork, appImport (unless preload) and exitDelay',
};

/**
 * The default a leaf of the resolved model would take, with its source, given the model's
 * resolved kinds, version and mode. `path` is a leaf path as `modelLeaves` gives it.
 * Undefined for values that have no default (traffic.rate, an endpoint's phases, …).
 */
export function defaultFor(model: Model, path: readonly PathSegment[]): Sourced<unknown> | undefined {
  const [top, second, third, fourth] = path;
  switch (top) {
    case 'name':
      return { value: model.name, source: 'the model file name' };
    case 'simulation':
      return SIMULATION_DEFAULTS[second as keyof typeof SIMULATION_DEFAULTS];
    case 'traffic':
      if (second === 'endpoints' && path.length === 4 && third !== undefined) {
        if (fourth === 'weight') return TRAFFIC_DEFAULTS.weight;
        if (fourth === 'name') return TRAFFIC_DEFAULTS.endpointName;
      }
      if (second === 'profile' && third === 'period') return TRAFFIC_DEFAULTS.period;
      if (second === 'profile' && third === 'scale') return TRAFFIC_DEFAULTS.scale;
      if (second === 'bursts' && third === 'over') return TRAFFIC_DEFAULTS.burstOver;
      return undefined;
    case 'balancer': {
      if (second === 'kind') return BALANCER_KIND;
      const b = balancerDefaults(model.balancer.kind);
      if (second === 'healthCheck') return b.healthCheck[third as keyof typeof b.healthCheck];
      if (second === 'pool') {
        if (third === 'profile' || third === undefined) return b.pool;
        // The parts come from the profile in use (the balancer's own, or the one the model names).
        const parts = poolProfile(model.balancer.pool.profile);
        if (model.balancer.kind === 'nginx' && third === 'retry') return b.nextUpstream;
        return parts[third as keyof typeof parts];
      }
      return (b as unknown as Record<string, Sourced<unknown> | undefined>)[String(second)];
    }
    case 'fleet': {
      if (second === 'server') return serverDefaultFor(model, path.slice(2));
      if (second === 'db') {
        if (third === 'pool') {
          if (fourth === 'size') return DB_DEFAULTS.poolSize;
          if (fourth === 'maxOverflow') return DB_DEFAULTS.poolMaxOverflow;
          if (fourth === 'timeout') return DB_DEFAULTS.poolTimeout;
          return DB_DEFAULTS.pool;
        }
        return (DB_DEFAULTS as unknown as Record<string, Sourced<unknown> | undefined>)[String(third)];
      }
      return (FLEET_DEFAULTS as unknown as Record<string, Sourced<unknown> | undefined>)[String(second)];
    }
    default:
      return undefined;
  }
}

function serverDefaultFor(model: Model, rest: readonly PathSegment[]): Sourced<unknown> | undefined {
  const { kind, version, mode, socket } = model.fleet.server;
  const key = String(rest[0]);
  switch (key) {
    case 'kind':
      return SERVER_KIND;
    case 'version':
      return serverVersionDefault(kind);
    case 'workers':
      return serverWorkersDefault(kind, version);
    case 'mode':
      return serverModeDefault(kind, version);
    case 'respawn':
      return RESPAWN_DEFAULT;
  }
  const d = serverDefaults(kind, version, mode, socket, model.fleet.db.driver);
  if (key === 'memory') {
    if (rest[1] === 'perRequest') return d.memoryPerRequest;
    if (rest[1] === 'perInFlight') return d.memoryPerInFlight;
    if (rest[1] === 'shared') return d.memoryShared;
    return d.memoryBase;
  }
  return (d as unknown as Record<string, Sourced<unknown> | undefined>)[key];
}
