// The whole Model: traffic forms, balancer, fleet, server and database keys, their defaults
// per kind, version and mode, and the errors for settings the real software refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelError } from '../../../src/scenario/errors.js';
import { parseModelText } from '../../../src/scenario/parse-model.js';
import { FULL, MINIMAL, modelError } from './fixtures.js';

const FILE = 'models/x.yaml';
const MiB = 1024 ** 2;
const GiB = 1024 ** 3;


/** MINIMAL plus more top-level YAML (MINIMAL is 4 lines, so the extra starts on line 5). */
const withExtra = (extra: string): string => `${MINIMAL}${extra}`;


test('every key of the full model parses to its value', () => {
  const m = parseModelText(FULL, FILE);
  assert.deepEqual(m.traffic.profile, {
    period: 86400,
    points: [
      { at: 0, rate: 5000 / 60 },
      { at: 43200, rate: 19000 / 60 },
      { at: 72000, rate: 0 },
    ],
    scale: 1,
  });
  assert.equal(parseModelText(FULL, FILE, ['traffic.profile.scale=1.3']).traffic.profile!.scale, 1.3);
  assert.throws(() => parseModelText(FULL, FILE, ['traffic.profile.scale=0']), /traffic\.profile\.scale: got 0, expected a number > 0/);
  assert.equal(m.traffic.rate, undefined);
  assert.equal(m.traffic.users, undefined);
  assert.deepEqual(m.traffic.bursts, { every: { kind: 'exp', mean: 600 }, size: 200, over: 2 });
  assert.deepEqual(m.traffic.endpoints[0]!.phases.map((p) => p.kind), ['cpu', 'db', 'cpu']);
  assert.deepEqual(m.balancer, {
    kind: 'alb',
    routing: 'least-outstanding',
    idleTimeout: 60,
    connectTimeout: 5,
    keepAlive: false,
    reuse: 'lifo',
    nodes: 3,
    pool: { profile: 'eager', reuseDelay: { kind: 'exp', mean: 0.001 }, noticeFin: false, retry: true, preopen: 0 },
    nextUpstream: [],
    nextUpstreamTries: 0,
    maxFails: 0,
    failTimeout: 10,
    surgeQueue: 0,
    rtt: 0.001,
    sendDelay: 0.002,
    synRetransmit: 'linux',
    healthCheck: { enabled: true, interval: 10, timeout: 2, unhealthyThreshold: 3, healthyThreshold: 2, work: { kind: 'exp', mean: 0.003 } },
    failOpen: false,
  });
  const { server, db, ...fleet } = m.fleet;
  assert.deepEqual(fleet, {
    containers: 4,
    vcpu: 2,
    memory: 4 * GiB,
    somaxconn: 1024,
    overflow: 'refuse',
    tcpAbortOnOverflow: true,
    synackRetries: 2,
  });
  const { respawn, appImport, exitDelay, ...rest } = server;
  assert.deepEqual(rest, {
    kind: 'uwsgi',
    version: '2.0.29',
    workers: 2,
    mode: 'gevent',
    concurrency: 100,
    backlog: 512,
    maxRequests: 5000,
    maxRequestsDelta: 50,
    maxRequestsJitter: 0,
    minWorkerLifetime: 30,
    reloadMercy: 20,
    harakiri: 45,
    keepAlive: 0,
    socket: 'http-socket',
    connectionClose: false,
    closeLag: { kind: 'const', value: 0.0003 },
    deferAccept: false,
    masterCycle: 0.5,
    fork: { kind: 'uniform', min: 0.001, max: 0.003 },
    preload: false,
    forkbombDelay: 1,
    reloadOnRss: 512 * MiB,
    evilReloadOnRss: GiB,
    memory: { shared: 0, base: 150 * MiB, perRequest: 8 * 1024, perInFlight: 0 },
    acceptOrder: 'fifo',
    startFresh: false,
  });
  assert.equal(respawn?.kind, 'lognormal');
  assert.equal(appImport.kind, 'lognormal');
  assert.deepEqual(exitDelay, { kind: 'mixture', weights: [0.9, 0.1], parts: [{ kind: 'const', value: 0.01 }, { kind: 'const', value: 5 }] });
  assert.deepEqual(db, {
    driver: 'pymysql',
    driverCpu: { kind: 'exp', mean: 0.0003 },
    pymysqlCpuFactor: 2.65,
    pool: { size: 5, maxOverflow: 10, timeout: 30 },
    connect: { kind: 'const', value: 0.003 },
    maxConnections: 500,
  });
});

test('closed users, and unquoted distributions in block style for every distribution-valued key', () => {
  const text = `traffic:
  users:
    count: 3k
    think: lognormal(mean=10s, sd=5s)
  bursts:
    every: mix(0.5: exp(5m), 0.5: const(1h))
    size: 10
  phases:
    - db: gamma(shape=2, scale=3ms)
balancer:
  healthCheck:
    work: uniform(1ms, 2ms)
fleet:
  server:
    respawn: exp(1s)
    fork: exp(2ms)
    appImport: empirical(0: 1s, 0.5: 2s, 1: 5s)
    exitDelay: normal(mean=20ms, sd=5ms)
  db:
    driverCpu: weibull(shape=1.5, scale=1ms)
    connect: pareto(shape=2.5, scale=1ms)
`;
  const m = parseModelText(text, FILE);
  assert.equal(m.traffic.users?.count, 3000);
  assert.equal(m.traffic.users?.think.kind, 'lognormal');
  assert.equal(m.traffic.bursts?.every.kind, 'mixture');
  assert.equal(m.traffic.bursts?.over, 0);
  assert.deepEqual(m.traffic.endpoints[0]!.phases[0], { kind: 'db', dist: { kind: 'gamma', shape: 2, scale: 0.003 } });
  assert.deepEqual(m.balancer.healthCheck.work, { kind: 'uniform', min: 0.001, max: 0.002 });
  assert.deepEqual(m.fleet.server.respawn, { kind: 'exp', mean: 1 });
  assert.deepEqual(m.fleet.server.fork, { kind: 'exp', mean: 0.002 });
  assert.equal(m.fleet.server.appImport.kind, 'empirical');
  assert.equal(m.fleet.server.exitDelay.kind, 'normal');
  assert.equal(m.fleet.db.driverCpu.kind, 'weibull');
  assert.equal(m.fleet.db.connect.kind, 'pareto');
  // And as --set values.
  const s = parseModelText(text, FILE, ['traffic.users.think=mix(0.9: exp(1s), 0.1: const(1m))', 'fleet.db.connect=lognormal(median=2ms, p99=20ms)']);
  assert.equal(s.traffic.users?.think.kind, 'mixture');
  assert.equal(s.fleet.db.connect.kind, 'lognormal');
});

test('uWSGI defaults: backlog 100, reload mercy 60s, min worker lifetime 10s, no keep-alive, preload', () => {
  const s = parseModelText(MINIMAL, FILE).fleet.server;
  assert.equal(s.kind, 'uwsgi');
  assert.equal(s.version, '2.0.15');
  assert.equal(s.backlog, 100);
  assert.equal(s.reloadMercy, 60);
  assert.equal(s.minWorkerLifetime, 10);
  assert.equal(s.harakiri, 0);
  assert.equal(s.keepAlive, 0);
  assert.equal(s.masterCycle, 1);
  assert.equal(s.forkbombDelay, 2);
  assert.equal(s.preload, true);
  assert.equal(s.respawn, null);
  assert.equal(s.concurrency, 1);
  const g = parseModelText(withExtra('fleet: { server: { mode: gevent } }\n'), FILE).fleet.server;
  assert.equal(g.concurrency, 100);
});

test('gunicorn defaults per mode: gevent has 1000 connections and keep-alive 2s; sync closes', () => {
  const g = parseModelText(withExtra('fleet: { server: { kind: gunicorn, mode: gevent } }\n'), FILE).fleet.server;
  assert.equal(g.version, '20.1.0');
  assert.equal(g.concurrency, 1000);
  assert.equal(g.keepAlive, 2);
  assert.equal(g.harakiri, 30);
  assert.equal(g.reloadMercy, 30);
  assert.equal(g.preload, false);
  assert.equal(g.backlog, 2048);
  assert.equal(g.masterCycle, 0);
  assert.equal(g.minWorkerLifetime, 0);
  assert.equal(g.forkbombDelay, 0);
  const s = parseModelText(withExtra('fleet: { server: { kind: gunicorn } }\n'), FILE).fleet.server;
  assert.equal(s.mode, 'sync');
  assert.equal(s.concurrency, 1);
  assert.equal(s.keepAlive, 0);
});

test('balancer defaults depend on its kind', () => {
  const elb = parseModelText(MINIMAL, FILE).balancer;
  assert.equal(elb.kind, 'elb');
  assert.equal(elb.routing, 'least-outstanding');
  assert.equal(elb.surgeQueue, 1024);
  assert.equal(elb.failOpen, false);
  assert.equal(elb.healthCheck.healthyThreshold, 10);
  const alb = parseModelText(withExtra('balancer: { kind: alb }\n'), FILE).balancer;
  assert.equal(alb.routing, 'round-robin');
  assert.equal(alb.failOpen, true);
  assert.equal(alb.surgeQueue, 0);
  assert.equal(alb.healthCheck.healthyThreshold, 5);
  assert.equal(alb.healthCheck.unhealthyThreshold, 2);
  assert.equal(alb.idleTimeout, 60);
  assert.equal(alb.connectTimeout, 10);
  // A partial health check keeps the other defaults.
  const hc = parseModelText(withExtra('balancer: { kind: alb, healthCheck: { interval: 5s } }\n'), FILE).balancer.healthCheck;
  assert.deepEqual({ ...hc, work: undefined }, { enabled: true, interval: 5, timeout: 5, unhealthyThreshold: 2, healthyThreshold: 5, work: undefined });
});

test('fleet and database defaults', () => {
  const f = parseModelText(MINIMAL, FILE).fleet;
  assert.equal(f.memory, 2 * GiB);
  assert.equal(f.somaxconn, 4096);
  assert.equal(f.overflow, 'linux');
  assert.equal(f.tcpAbortOnOverflow, false);
  assert.equal(f.synackRetries, 5);
  assert.equal(f.db.driver, 'mysqlclient');
  assert.equal(f.db.pool, null);
  assert.equal(f.db.maxConnections, 151);
  assert.equal(f.db.pymysqlCpuFactor, 1.6);
  assert.equal(parseModelText(withExtra('fleet: { memory: unlimited }\n'), FILE).fleet.memory, Infinity);
});

test('a pool: sub-keys default to SQLAlchemy 5 / 10 / 30s; none or null means no pool', () => {
  const pool = (yaml: string) => parseModelText(withExtra(`fleet:\n  db:\n    pool: ${yaml}\n`), FILE).fleet.db.pool;
  assert.deepEqual(pool('{}'), { size: 5, maxOverflow: 10, timeout: 30 });
  assert.deepEqual(pool('{ size: 2 }'), { size: 2, maxOverflow: 10, timeout: 30 });
  assert.deepEqual(pool('{ maxOverflow: 0, timeout: 1s }'), { size: 5, maxOverflow: 0, timeout: 1 });
  assert.equal(pool('none'), null);
  assert.equal(pool('null'), null);
  assert.equal(pool(''), null);
  assert.deepEqual(parseModelText(MINIMAL, FILE, ['fleet.db.pool={ size: 3 }']).fleet.db.pool, { size: 3, maxOverflow: 10, timeout: 30 });
  const e = modelError(() => pool('{ sise: 3 }'));
  assert.equal(e.message, 'models/x.yaml:7: fleet.db.pool.sise: unknown key "sise" (did you mean "size"? known keys: size, maxOverflow, timeout)');
  const n = modelError(() => pool('5'));
  assert.equal(n.message, 'models/x.yaml:7: fleet.db.pool: got 5, expected a pool such as { size: 5, maxOverflow: 10, timeout: 30s }, or none');
  const z = modelError(() => pool('{ size: 0 }'));
  assert.equal(z.message, 'models/x.yaml:7: fleet.db.pool.size: got 0, expected a whole number >= 1');
});

test('traffic needs exactly one of rate, profile, users and replay', () => {
  const none = modelError(() => parseModelText('traffic:\n  phases: [ { cpu: 1ms } ]\n', FILE));
  assert.equal(
    none.message,
    'models/x.yaml:1: traffic.rate: missing, expected exactly one of traffic.rate (a rate such as 19k/min, 317/s or 100/h), traffic.profile, traffic.users or traffic.replay',
  );
  const two = modelError(() => parseModelText('traffic:\n  rate: 1/s\n  users: { count: 3, think: exp(1s) }\n  phases: [ { cpu: 1ms } ]\n', FILE));
  assert.match(two.message, /^models\/x\.yaml:3: traffic\.users: got \{"count":3,"think":"exp\(1s\)"\} \(traffic\.rate is given too\), expected exactly one of traffic\.rate .*, traffic\.profile, traffic\.users or traffic\.replay$/);
  const think = modelError(() => parseModelText('traffic:\n  users: { count: 3000 }\n  phases: [ { cpu: 1ms } ]\n', FILE));
  assert.match(think.message, /^models\/x\.yaml:2: traffic\.users\.think: missing, expected a distribution such as/);
});

test('a rate profile starts at 0, rises, stays inside its period and is not all zero', () => {
  const profile = (points: string, period = '') =>
    parseModelText(`traffic:\n  profile: { ${period}points: [ ${points} ] }\n  phases: [ { cpu: 1ms } ]\n`, FILE);
  assert.equal(profile('{ at: 0, rate: 0/s }, { at: 1h, rate: 1/s }').traffic.profile?.period, 86400);
  assert.equal(profile('{ at: 0, rate: 1/s }', 'period: 1h, ').traffic.profile?.period, 3600);
  const cases: Array<[string, string]> = [
    ['{ at: 1h, rate: 5/s }', 'traffic.profile.points.0.at: got "1h", expected 0 for the first point (the start of the period)'],
    ['{ at: 0h, rate: 5/s }, { at: 30h, rate: 5/s }', 'traffic.profile.points.1.at: got "30h", expected a time < traffic.profile.period (24h)'],
    ['{ at: 0h, rate: 5/s }, { at: 2h, rate: 5/s }, { at: 1h, rate: 5/s }', `traffic.profile.points.2.at: got "1h", expected a time after the previous point's (2h): points in ascending order`],
    ['{ at: 0h, rate: 0/s }, { at: 2h, rate: 0/min }', 'traffic.profile.points: got [{"at":"0h","rate":"0/s"},{"at":"2h","rate":"0/min"}] (every rate is 0), expected a non-empty list of points such as'],
    ['{ at: 0h, rate: -1/s }', 'traffic.profile.points.0.rate: got "-1/s" ("-1/s" is negative), expected a rate >= 0 such as 19k/min'],
    ['{ at: 0h }', 'traffic.profile.points.0.rate: missing, expected a rate >= 0'],
  ];
  for (const [points, message] of cases) {
    const e = modelError(() => profile(points));
    assert.ok(e.message.startsWith(`models/x.yaml:2: ${message}`), e.message);
  }
});

test('ALB has no surge queue', () => {
  const e = modelError(() => parseModelText(withExtra('balancer: { kind: alb, surgeQueue: 1024 }\n'), FILE));
  assert.equal(e.message, 'models/x.yaml:5: balancer.surgeQueue: got 1024 (ALB has no surge queue), expected 0 with balancer.kind alb');
  assert.equal(parseModelText(withExtra('balancer: { kind: alb, surgeQueue: 0 }\n'), FILE).balancer.surgeQueue, 0);
  const set = modelError(() => parseModelText(withExtra('balancer: { kind: alb }\n'), FILE, ['balancer.surgeQueue=10']));
  assert.equal(set.message, 'models/x.yaml: --set balancer.surgeQueue=10: balancer.surgeQueue: got 10 (ALB has no surge queue), expected 0 with balancer.kind alb');
});

test('sync workers serve one request at a time', () => {
  const e = modelError(() => parseModelText(withExtra('fleet:\n  server:\n    concurrency: 100\n'), FILE));
  assert.equal(e.message, 'models/x.yaml:7: fleet.server.concurrency: got 100 (sync workers serve one request at a time), expected 1 with mode sync (or mode gevent or threads)');
  assert.equal(parseModelText(withExtra('fleet: { server: { mode: sync, concurrency: 1 } }\n'), FILE).fleet.server.concurrency, 1);
  assert.equal(parseModelText(withExtra('fleet: { server: { mode: threads, concurrency: 8 } }\n'), FILE).fleet.server.concurrency, 8);
});

test('uWSGI refuses a backlog above somaxconn; gunicorn is capped by the kernel', () => {
  const e = modelError(() => parseModelText(withExtra('fleet:\n  somaxconn: 128\n  server:\n    backlog: 1024\n'), FILE));
  assert.equal(e.message, 'models/x.yaml:8: fleet.server.backlog: got 1024, expected a backlog <= fleet.somaxconn (128): uWSGI refuses to start otherwise');
  assert.equal(e.keyPath, 'fleet.server.backlog');
  // The default listen 100 against a smaller somaxconn: the somaxconn is what was written.
  const d = modelError(() => parseModelText(withExtra('fleet: { somaxconn: 64 }\n'), FILE));
  assert.equal(d.message, "models/x.yaml:5: fleet.somaxconn: got 64, expected a somaxconn >= fleet.server.backlog (uWSGI's default listen 100): uWSGI refuses to start otherwise");
  assert.equal(parseModelText(withExtra('fleet: { somaxconn: 128, server: { backlog: 128 } }\n'), FILE).fleet.server.backlog, 128);
  assert.equal(parseModelText(withExtra('fleet: { somaxconn: 128, server: { backlog: unlimited } }\n'), FILE).fleet.server.backlog, Infinity);
  const g = parseModelText(withExtra('fleet: { somaxconn: 128, server: { kind: gunicorn } }\n'), FILE);
  assert.equal(g.fleet.server.backlog, 2048);
});

test('new leaf forms: booleans, sizes, enums', () => {
  const cases: Array<[string, string]> = [
    ['fleet: { tcpAbortOnOverflow: yes }', 'fleet.tcpAbortOnOverflow: got "yes", expected true or false'],
    ['fleet: { memory: lots }', 'fleet.memory: got "lots" ("lots" is not a size), expected a size > 0 such as 2GiB, 512MiB, 64KB or a whole number of bytes, or "unlimited"'],
    ['fleet: { memory: 0 }', 'fleet.memory: got 0 (must be > 0), expected a size > 0'],
    ['fleet: { somaxconn: 0 }', 'fleet.somaxconn: got 0, expected a whole number >= 1'],
    ['fleet: { server: { reloadOnRss: 1.5B } }', 'fleet.server.reloadOnRss: got "1.5B" ("1.5B" is not a whole number of bytes), expected a size such as'],
    ['fleet: { server: { acceptOrder: random } }', 'fleet.server.acceptOrder: got "random", expected "lifo", "fifo" or "favourite"'],
    ['fleet: { db: { driver: psycopg } }', 'fleet.db.driver: got "psycopg", expected "mysqlclient" or "pymysql"'],
    ['fleet: { db: { pymysqlCpuFactor: 0 } }', 'fleet.db.pymysqlCpuFactor: got 0, expected a number > 0'],
    ['fleet: { db: { maxConnections: 0 } }', 'fleet.db.maxConnections: got 0, expected a whole number >= 1'],
    ['balancer: { routing: random }', 'balancer.routing: got "random", expected "least-outstanding" or "round-robin"'],
    ['balancer: { healthCheck: { healthyThreshold: 0 } }', 'balancer.healthCheck.healthyThreshold: got 0, expected a whole number >= 1'],
    ['balancer: { healthCheck: { intervall: 5s } }', 'balancer.healthCheck.intervall: unknown key "intervall" (did you mean "interval"?'],
    ['fleet: { server: { memory: { base: 120MiB, growth: 1KiB } } }', 'fleet.server.memory.growth: unknown key "growth"'],
    ['fleet: { server: { harakiri: 30 } }', 'fleet.server.harakiri: got 30 (30 has no unit), expected a duration such as'],
  ];
  for (const [yaml, message] of cases) {
    const e = modelError(() => parseModelText(withExtra(`${yaml}\n`), FILE));
    assert.ok(e.message.startsWith(`models/x.yaml:5: ${message}`), e.message);
  }
});
