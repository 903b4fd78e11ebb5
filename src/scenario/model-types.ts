// The resolved model: what the scenario layer hands to the model layer after parsing,
// applying overrides and defaults, and validating. Every unit is gone: times in seconds,
// rates per second, sizes in bytes, distributions as DistSpec.
import type { DistSpec } from '../kernel/distribution-spec.js';

export interface Model {
  name: string;
  simulation: Simulation;
  traffic: Traffic;
  balancer: Balancer;
  fleet: Fleet;
}

export interface Simulation {
  duration: number; // s, after warmup
  warmup: number; // s, discarded at the start of each replication
  replications: number;
  seed: number;
}

export interface Traffic {
  rate: number; // requests per second (Poisson)
  endpoints: Endpoint[];
}

export interface Endpoint {
  name: string;
  weight: number;
  phases: Phase[];
}

export type PhaseKind = 'cpu' | 'wait';
export interface Phase {
  kind: PhaseKind;
  dist: DistSpec;
}

export interface Balancer {
  kind: 'elb' | 'alb';
  idleTimeout: number; // s
}

export type Overflow = 'refuse' | 'linux';

export interface Fleet {
  containers: number;
  vcpu: number;
  overflow: Overflow;
  server: Server;
}

export interface Server {
  kind: 'uwsgi' | 'gunicorn';
  version: string;
  workers: number;
  mode: 'sync' | 'gevent' | 'threads';
  concurrency: number;
  backlog: number; // Infinity = unlimited
  maxRequests: number; // 0 = never recycle
  respawn: DistSpec; // s, from exit to accepting again
}
