import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseModelText, modelNameFromFile } from '../../../src/scenario/parse-model.js';
import type { Model } from '../../../src/scenario/model-types.js';
import { MINIMAL, TEXTBOOK } from './fixtures.js';
import { ALB_REUSE_DELAY_MEAN } from '../../../src/facts/aws.js';
import { CLOSE_WORK } from '../../../src/facts/uwsgi.js';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

/** The defaults of a Classic ELB (src/model/defaults.ts). */
const ELB_DEFAULTS: Model['balancer'] = {
  kind: 'elb',
  routing: 'least-outstanding',
  idleTimeout: 60,
  connectTimeout: 10,
  keepAlive: true,
  reuse: 'lifo',
  nodes: 2,
  pool: { profile: 'elb', reuseDelay: { kind: 'exp', mean: ALB_REUSE_DELAY_MEAN }, noticeFin: true, retry: false, preopen: 1 },
  nextUpstream: [],
  nextUpstreamTries: 0,
  maxFails: 0,
  failTimeout: 10,
  surgeQueue: 1024,
  rtt: 0.0005,
  sendDelay: 0,
  synRetransmit: 'rfc6298',
  healthCheck: { enabled: true, interval: 30, timeout: 5, unhealthyThreshold: 2, healthyThreshold: 10, work: { kind: 'const', value: 0.002 } },
  failOpen: false,
};

/** uWSGI 2.0.x defaults of everything the first schema did not have (src/model/server/profiles.ts). */
const uwsgiDefaults = {
  maxRequestsDelta: 0,
  maxRequestsJitter: 0,
  minWorkerLifetime: 10,
  reloadMercy: 60,
  harakiri: 0,
  keepAlive: 0,
  socket: 'http-socket' as const,
  connectionClose: false,
  closeLag: { kind: 'lognormal' as const, mu: Math.log(CLOSE_WORK.syncMean) - CLOSE_WORK.sigma ** 2 / 2, sigma: CLOSE_WORK.sigma },
  deferAccept: true,
  masterCycle: 1,
  fork: { kind: 'mixture', weights: [0.88, 0.12], parts: [{ kind: 'const', value: 0.0005 }, { kind: 'uniform', min: 0.01, max: 0.1 }] },
  appImport: { kind: 'lognormal', mu: Math.log(1.5), sigma: Math.log(4 / 1.5) / 2.326347874 },
  preload: true,
  exitDelay: { kind: 'lognormal', mu: Math.log(0.099), sigma: Math.log(0.15 / 0.099) / 2.326347874 },
  forkbombDelay: 2,
  reloadOnRss: 0,
  evilReloadOnRss: 0,
  memory: { shared: 0, base: 120 * MiB, perRequest: 0, perInFlight: 0 },
  acceptOrder: 'lifo',
  startFresh: false,
} satisfies Partial<Model['fleet']['server']>;

const DB: Model['fleet']['db'] = {
  driver: 'mysqlclient',
  driverCpu: { kind: 'const', value: 0.0002 },
  pymysqlCpuFactor: 1.6,
  pool: null,
  connect: { kind: 'const', value: 0.002 },
  maxConnections: 151,
};

test('the DESIGN.md textbook model resolves to exact numbers', () => {
  const model = parseModelText(TEXTBOOK, 'models/textbook.yaml');
  const expected: Model = {
    name: 'textbook-mmc',
    simulation: { duration: 7200, warmup: 600, replications: 10, seed: 1 },
    traffic: {
      rate: 4,
      endpoints: [{ name: 'api', weight: 1, phases: [{ kind: 'wait', dist: { kind: 'exp', mean: 1 } }] }],
    },
    balancer: ELB_DEFAULTS,
    fleet: {
      containers: 1,
      vcpu: 1,
      memory: 2 * GiB,
      somaxconn: 4096,
      overflow: 'refuse',
      tcpAbortOnOverflow: false,
      synackRetries: 5,
      server: {
        kind: 'uwsgi',
        version: '2.0',
        workers: 5,
        mode: 'sync',
        concurrency: 1,
        backlog: Infinity,
        maxRequests: 0,
        ...uwsgiDefaults,
        respawn: { kind: 'const', value: 1 },
      },
      db: DB,
    },
  };
  assert.deepEqual(model, expected);
});

test('every omitted key takes its default', () => {
  const model = parseModelText(MINIMAL, 'models/sub/minimal-model.yaml');
  assert.deepEqual(model, {
    name: 'minimal-model',
    simulation: { duration: 3600, warmup: 0, replications: 10, seed: 1 },
    traffic: {
      rate: 317,
      endpoints: [{ name: 'default', weight: 1, phases: [{ kind: 'cpu', dist: { kind: 'exp', mean: 0.005 } }] }],
    },
    balancer: ELB_DEFAULTS,
    fleet: {
      containers: 1,
      vcpu: 1,
      memory: 2 * GiB,
      somaxconn: 4096,
      overflow: 'linux',
      tcpAbortOnOverflow: false,
      synackRetries: 5,
      server: {
        kind: 'uwsgi',
        version: '2.0.15',
        workers: 1,
        mode: 'sync',
        concurrency: 1,
        backlog: 100,
        maxRequests: 0,
        ...uwsgiDefaults,
        respawn: null,
      },
      db: DB,
    },
  } satisfies Model);
});

test('gunicorn takes its own version and backlog defaults', () => {
  const model = parseModelText(`${MINIMAL}fleet: { server: { kind: gunicorn } }\n`, 'g.yaml');
  assert.equal(model.fleet.server.version, '20.1.0');
  assert.equal(model.fleet.server.backlog, 2048);
  const explicit = parseModelText(`${MINIMAL}fleet: { server: { kind: gunicorn, backlog: 64, version: 21.2.0 } }\n`, 'g.yaml');
  assert.equal(explicit.fleet.server.backlog, 64);
  assert.equal(explicit.fleet.server.version, '21.2.0');
});

test('a version written as a YAML number keeps its text', () => {
  const model = parseModelText(`${MINIMAL}fleet:\n  server:\n    version: 2.0\n`, 'v.yaml');
  assert.equal(model.fleet.server.version, '2.0');
  assert.equal(parseModelText(MINIMAL, 'v.yaml', ['fleet.server.version=2.0']).fleet.server.version, '2.0');
  assert.equal(parseModelText(MINIMAL, 'v.yaml', ['fleet.server.version="2.0.29"']).fleet.server.version, '2.0.29');
});

test('keys left empty in YAML take their defaults', () => {
  const model = parseModelText(`${MINIMAL}balancer:\nfleet:\n  server:\n`, 'e.yaml');
  assert.deepEqual(model.balancer, ELB_DEFAULTS);
  assert.equal(model.fleet.server.workers, 1);
});

test('the DESIGN.md incident style: unquoted distributions inside flow mappings, several endpoints', () => {
  const text = `name: incident-like
simulation: { duration: 1h, warmup: 5m, replications: 20, seed: 42 }
traffic:
  rate: 19k/min
  endpoints:
    - { name: api, weight: 3, phases: [ { cpu: lognormal(mean=6ms, sd=5ms) }, { wait: mix(0.9: exp(5ms), 0.1: const(1s)) }, { cpu: exp(1ms) } ] }
    - name: report
      phases:
        - cpu: empirical(0: 1ms, 0.5: 4ms, 1: 80ms)   # a comment (with parens)
        - wait: 'uniform(1s, 3s)'
        - wait: "gamma(shape=2, scale=3ms)"
balancer: { kind: alb, idleTimeout: 30s }
fleet:
  containers: 4
  vcpu: 0.5
  server: { kind: uwsgi, version: "2.0.15", workers: 2, mode: gevent, concurrency: 100, backlog: 1k, maxRequests: 5000, respawn: lognormal(mean=1.5s, sd=0.5s) }
`;
  const m = parseModelText(text, 'incident.yaml');
  assert.equal(m.traffic.rate, 19000 / 60);
  assert.deepEqual(m.traffic.endpoints.map((e) => [e.name, e.weight, e.phases.length]), [
    ['api', 3, 3],
    ['report', 1, 3],
  ]);
  const api = m.traffic.endpoints[0]!;
  assert.equal(api.phases[0]!.dist.kind, 'lognormal');
  assert.deepEqual(api.phases[1], {
    kind: 'wait',
    dist: { kind: 'mixture', weights: [0.9, 0.1], parts: [{ kind: 'exp', mean: 0.005 }, { kind: 'const', value: 1 }] },
  });
  assert.deepEqual(m.traffic.endpoints[1]!.phases[0]!.dist, { kind: 'empirical', probs: [0, 0.5, 1], values: [0.001, 0.004, 0.08] });
  assert.deepEqual(m.traffic.endpoints[1]!.phases[1]!.dist, { kind: 'uniform', min: 1, max: 3 });
  assert.deepEqual(m.traffic.endpoints[1]!.phases[2]!.dist, { kind: 'gamma', shape: 2, scale: 0.003 });
  assert.deepEqual({ kind: m.balancer.kind, idleTimeout: m.balancer.idleTimeout }, { kind: 'alb', idleTimeout: 30 });
  assert.equal(m.fleet.vcpu, 0.5);
  const sv = m.fleet.server;
  assert.deepEqual(
    { kind: sv.kind, version: sv.version, workers: sv.workers, mode: sv.mode, concurrency: sv.concurrency, backlog: sv.backlog, maxRequests: sv.maxRequests, respawn: sv.respawn?.kind },
    { kind: 'uwsgi', version: '2.0.15', workers: 2, mode: 'gevent', concurrency: 100, backlog: 1000, maxRequests: 5000, respawn: 'lognormal' },
  );
  assert.deepEqual(m.simulation, { duration: 3600, warmup: 300, replications: 20, seed: 42 });
});

test('the model name defaults to the file base name', () => {
  assert.equal(modelNameFromFile('models/incident/01-uwsgi-2-workers.yaml'), '01-uwsgi-2-workers');
  assert.equal(modelNameFromFile('C:\\m\\x.y.yml'), 'x.y');
  assert.equal(modelNameFromFile('plain'), 'plain');
});
