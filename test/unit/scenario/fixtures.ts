import assert from 'node:assert/strict';
import { ModelError } from '../../../src/scenario/errors.js';
// Model texts shared by the scenario tests.

/** DESIGN.md's textbook example, with `overflow: refuse`. Line numbers matter to the tests. */
export const TEXTBOOK = `name: textbook-mmc
simulation: { duration: 2h, warmup: 10m, replications: 10, seed: 1 }
traffic:
  rate: 4/s                       # Poisson arrivals (also: profile:, users:)
  endpoints:
    - name: api
      weight: 1
      phases:                     # done in order by the worker that accepted the request
        - wait: exp(1s)           # pure waiting (I/O); holds a sync worker, yields under gevent
        # - cpu: exp(5ms)         # needs the container's CPU (shared when workers > vcpu)
balancer: { kind: elb, idleTimeout: 60s }
fleet:
  containers: 1
  vcpu: 1
  overflow: refuse
  server:
    kind: uwsgi                   # uwsgi | gunicorn
    version: "2.0"
    workers: 5
    mode: sync                    # sync | gevent | threads
    concurrency: 1                # gevent async cores / threads per worker
    backlog: unlimited            # listen queue length, or a number (default: the server's own)
    maxRequests: 0                # 0 = never recycle
    respawn: const(1s)            # exit -> accepting again
`;

/** The smallest valid model. */
export const MINIMAL = `traffic:
  rate: 317/s
  phases:
    - cpu: exp(5ms)
`;

/** The DESIGN.md incident model with every key written, several unquoted distributions. */
export const FULL = `name: full
simulation: { duration: 1h, warmup: 5m, replications: 20, seed: 42 }
traffic:
  profile:
    period: 24h
    points: [ { at: 0h, rate: 5k/min }, { at: 12h, rate: 19k/min }, { at: 20h, rate: 0/s } ]
  bursts: { every: exp(10m), size: 200, over: 2s }
  endpoints:
    - { name: api, weight: 1, phases: [ { cpu: lognormal(mean=6ms, sd=5ms) }, { db: lognormal(mean=4ms, sd=4ms) }, { cpu: exp(1ms) } ] }
balancer:
  kind: alb
  routing: least-outstanding
  idleTimeout: 60s
  connectTimeout: 5s
  keepAlive: false
  nodes: 3
  pool: { profile: eager, reuseDelay: exp(1ms), noticeFin: false, retry: true }
  surgeQueue: 0
  rtt: 1ms
  sendDelay: 2ms
  synRetransmit: linux
  failOpen: false
  healthCheck: { enabled: true, interval: 10s, timeout: 2s, unhealthyThreshold: 3, healthyThreshold: 2, work: exp(3ms) }
fleet:
  containers: 4
  vcpu: 2
  memory: 4GiB
  somaxconn: 1024
  overflow: refuse
  tcpAbortOnOverflow: true
  synackRetries: 2
  server:
    kind: uwsgi
    version: "2.0.29"
    workers: 2
    mode: gevent
    concurrency: 100
    backlog: 512
    maxRequests: 5000
    maxRequestsDelta: 50
    maxRequestsJitter: 0
    minWorkerLifetime: 30s
    reloadMercy: 20s
    harakiri: 45s
    keepAlive: 0s
    closeLag: 300us
    deferAccept: false
    respawn: lognormal(mean=1.5s, sd=0.5s)
    masterCycle: 500ms
    fork: uniform(1ms, 3ms)
    appImport: lognormal(median=2s, p99=6s)
    exitDelay: mix(0.9: const(10ms), 0.1: const(5s))
    preload: false
    forkbombDelay: 1s
    reloadOnRss: 512MiB
    evilReloadOnRss: 1GiB
    memory: { base: 150MiB, perRequest: 8KiB }
    acceptOrder: fifo
  db:
    driver: pymysql
    driverCpu: exp(300us)
    pymysqlCpuFactor: 2.65
    pool: { size: 5, maxOverflow: 10, timeout: 30s }
    connect: const(3ms)
    maxConnections: 500
`;

/** Run fn, expecting a one-line ModelError with exit code 2; return it. */
export function modelError(fn: () => unknown): ModelError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ModelError, `expected a ModelError, got ${String(e)}`);
    assert.equal(e.exitCode, 2);
    assert.ok(!e.message.includes('\n'), `message is one line: ${e.message}`);
    return e;
  }
  return assert.fail('expected a ModelError');
}
