import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseModelWithProvenance } from '../../../src/scenario/provenance.js';
import { modelWarnings, warningFixes } from '../../../src/scenario/warnings.js';
import { MINIMAL } from './fixtures.js';

/** Every warning for MINIMAL plus more YAML and --set arguments. */
function warnAll(extra: string, sets: string[] = [], base = MINIMAL): string[] {
  const { model, provenance } = parseModelWithProvenance(`${base}${extra}`, 'w.yaml', sets);
  return modelWarnings(model, provenance);
}

/** The close race of uWSGI's http-socket behind a keep-alive balancer: the defaults' one warning. */
const isCloseRace = (w: string) => w.includes('close-race');

/** gunicorn sync behind a Classic ELB that pre-opens connections (the Classic ELB's default). */
const isPreopen = (w: string) => w.includes('pre-opens connections');

/** Warnings other than the close race and the pre-open one (each tested on its own below). */
function warn(extra: string, sets: string[] = [], base = MINIMAL): string[] {
  return warnAll(extra, sets, base).filter((w) => !isCloseRace(w) && !isPreopen(w));
}

test('gunicorn sync behind a Classic ELB that pre-opens: workers held by empty connections, killed at the timeout; the fixes the sources give', () => {
  const gunicorn = 'fleet: { server: { kind: gunicorn } }\n';
  const w = warnAll(gunicorn).filter(isPreopen);
  assert.equal(w.length, 1);
  assert.match(w[0]!, /^gunicorn 20\.1\.0 sync workers behind a Classic ELB that pre-opens connections \(balancer\.pool\.preopen 1 per node and target\).*timeout 30s the arbiter kills the worker/);
  assert.match(w[0]!, /fleet\.server\.mode gevent or threads.*TCP listener.*balancer\.pool\.preopen 0\)$/);
  assert.match(warnAll('fleet: { server: { kind: gunicorn, harakiri: 0s } }\n').filter(isPreopen)[0]!, /timeout 0: held until the request comes/);
  // Its fixes, as size's candidates: the worker classes and preopen 0 (never an invented setting).
  const { model, provenance } = parseModelWithProvenance(`${MINIMAL}${gunicorn}`, 'w.yaml', []);
  assert.deepEqual(
    warningFixes(model, provenance).filter((f) => isPreopen(f.warning)).map((f) => `${f.fix.path}=${f.fix.value}`),
    ['fleet.server.mode=gevent', 'fleet.server.mode=threads', 'balancer.pool.preopen=0'],
  );
  for (const extra of [
    'balancer: { kind: alb }\nfleet: { server: { kind: gunicorn } }\n',
    'balancer: { pool: { preopen: 0 } }\nfleet: { server: { kind: gunicorn } }\n',
    'fleet: { server: { kind: gunicorn, mode: gevent } }\n',
    'fleet: { server: { kind: gunicorn, mode: threads } }\n',
    '',
  ]) {
    assert.deepEqual(warnAll(extra).filter(isPreopen), [], extra);
  }
});

test('uWSGI http-socket behind a keep-alive balancer: the close race, unless Connection: close, http11-socket, no keep-alive, or gunicorn', () => {
  const w = warnAll('');
  assert.equal(w.length, 1);
  assert.match(w[0]!, /^uWSGI 2\.0\.15 http-socket answers HTTP\/1\.1 without `Connection: close`.*504 close-race/);
  assert.match(warnAll('balancer: { kind: alb }\n')[0]!, /502 close-race/);
  assert.match(warnAll('fleet: { server: { mode: gevent } }\n')[0]!, /close waits for the hub/);
  for (const extra of [
    'fleet: { server: { connectionClose: true } }\n',
    'fleet: { server: { version: "2.0.16", socket: http11-socket } }\n',
    'balancer: { keepAlive: false }\n',
    'balancer: { kind: nginx }\n',
    'fleet: { server: { kind: gunicorn } }\n',
  ]) {
    assert.deepEqual(warnAll(extra).filter(isCloseRace), [], extra);
  }
  // The fix it names: http11-socket only where it works (sync, threads; from 2.0.16), never for gevent.
  assert.match(warnAll('fleet: { server: { version: "2.0.16" } }\n')[0]!, /connectionClose .* or socket http11-socket$/);
  assert.doesNotMatch(warnAll('fleet: { server: { version: "2.0.15" } }\n')[0]!, /http11-socket/);
  assert.doesNotMatch(warnAll('fleet: { server: { version: "2.0.21", mode: gevent } }\n')[0]!, /http11-socket/);
  assert.deepEqual(warnAll('balancer: { kind: nginx, reuse: fifo }\n'), [
    'balancer.reuse is set but nginx without upstream keepalive (balancer.keepAlive false) never reuses a connection',
  ]);
});

test('uWSGI http11-socket under gevent: the crash the testbed saw is warned of', () => {
  const w = warn('fleet: { server: { version: "2.0.21", mode: gevent, socket: http11-socket, keepAlive: 90s } }\n');
  assert.equal(w.length, 1);
  assert.match(w[0]!, /http11-socket in gevent mode: .*killed the worker.*use fleet\.server\.connectionClose instead/);
  assert.deepEqual(warn('fleet: { server: { version: "2.0.21", mode: sync, socket: http11-socket, keepAlive: 90s } }\n'), []);
});

const DB_TRAFFIC = 'traffic:\n  rate: 317/s\n  phases: [ { cpu: exp(5ms) }, { db: exp(4ms) } ]\n';

test('defaults alone raise no warning', () => {
  assert.deepEqual(warn(''), []);
  assert.deepEqual(warn('fleet: { server: { kind: gunicorn } }\n'), []);
  assert.deepEqual(warn('fleet: { server: { mode: gevent } }\n'), []);
});

test('maxRequestsDelta is ignored before uWSGI 2.0.29, honoured from it', () => {
  const extra = 'fleet: { server: { version: "2.0.15", maxRequests: 5000, maxRequestsDelta: 50 } }\n';
  assert.deepEqual(warn(extra), [
    'uWSGI 2.0.15 ignores maxRequestsDelta (max-requests-delta arrived in 2.0.29): every worker recycles after exactly maxRequests',
  ]);
  assert.deepEqual(warn(extra, ['fleet.server.version=2.0.29']), []);
  assert.deepEqual(warn(extra, ['fleet.server.version=2.0.30']), []);
  // Written as 0 it is nothing to warn about.
  assert.deepEqual(warn('fleet: { server: { maxRequestsDelta: 0 } }\n'), []);
});

test('settings of the other server are ignored', () => {
  assert.deepEqual(warn('fleet: { server: { maxRequestsJitter: 100 } }\n'), [
    'uWSGI 2.0.15 ignores maxRequestsJitter (a gunicorn setting; uWSGI has max-requests-delta from 2.0.29): every worker recycles after exactly maxRequests',
  ]);
  assert.deepEqual(warn('fleet: { server: { kind: gunicorn, maxRequestsJitter: 100 } }\n'), []);
  assert.deepEqual(warn('fleet: { server: { kind: gunicorn, maxRequestsDelta: 5, minWorkerLifetime: 60s, reloadOnRss: 1GiB, evilReloadOnRss: 2GiB, forkbombDelay: 1s } }\n'), [
    'gunicorn 20.1.0 ignores maxRequestsDelta (a uWSGI setting; gunicorn spreads recycles with maxRequestsJitter)',
    'gunicorn 20.1.0 ignores minWorkerLifetime (min-worker-lifetime is a uWSGI setting)',
    'gunicorn 20.1.0 ignores reloadOnRss (reload-on-rss is a uWSGI setting)',
    'gunicorn 20.1.0 ignores evilReloadOnRss (evil-reload-on-rss is a uWSGI setting)',
    'gunicorn 20.1.0 ignores forkbombDelay (forkbomb-delay is a uWSGI setting)',
  ]);
});

test('keepAlive where the server closes every connection', () => {
  const [u] = warn('fleet: { server: { keepAlive: 75s } }\n');
  assert.match(u!, /^uWSGI 2\.0\.15 ignores keepAlive 75s in sync mode \(uWSGI 2\.0\.15 http-socket closes every connection .*\): every connection is closed after its response$/);
  const [g] = warn('fleet: { server: { kind: gunicorn, mode: sync, keepAlive: 75s } }\n');
  assert.match(g!, /^gunicorn 20\.1\.0 ignores keepAlive 75s in sync mode \(gunicorn's sync worker always closes/);
  assert.deepEqual(warn('fleet: { server: { kind: gunicorn, mode: gevent, keepAlive: 75s } }\n'), []);
});

test('gunicorn keep-alive below the balancer idle timeout: the keep-alive race', () => {
  const race =
    'fleet.server.keepAlive 2s is shorter than balancer.idleTimeout 60s: the balancer may reuse a connection the server is closing: 502 keepalive-race; set keepAlive above idleTimeout';
  assert.deepEqual(warn('balancer: { kind: alb, idleTimeout: 60s }\nfleet: { server: { kind: gunicorn, mode: gevent, keepAlive: 2s } }\n'), [race]);
  // gunicorn's default keepalive in gevent mode is the same 2s.
  assert.deepEqual(warn('balancer: { kind: alb }\nfleet: { server: { kind: gunicorn, mode: gevent } }\n'), [race]);
  assert.deepEqual(warn('balancer: { kind: alb }\nfleet: { server: { kind: gunicorn, mode: threads, concurrency: 4 } }\n'), [race]);
  assert.match(warn('fleet: { server: { kind: gunicorn, mode: gevent, keepAlive: 60s } }\n')[0]!, /keepAlive 60s equals balancer\.idleTimeout 60s/);
  assert.deepEqual(warn('fleet: { server: { kind: gunicorn, mode: gevent, keepAlive: 75s } }\n'), []);
  // A balancer that does not reuse connections cannot race.
  assert.deepEqual(warn('balancer: { keepAlive: false }\nfleet: { server: { kind: gunicorn, mode: gevent } }\n'), []);
});

test('gunicorn backlog above somaxconn is capped', () => {
  assert.deepEqual(warn('fleet: { somaxconn: 128, server: { kind: gunicorn } }\n'), [
    'fleet.server.backlog 2048 is above fleet.somaxconn 128: the kernel silently caps the accept queue at 128',
  ]);
});

test('harakiri at or above the idle timeout: the balancer answers first', () => {
  assert.deepEqual(warn('fleet: { server: { harakiri: 60s } }\n'), [
    "fleet.server.harakiri 60s is not shorter than balancer.idleTimeout 60s: the balancer answers 504 idle-timeout before uWSGI's harakiri kills the request",
  ]);
  assert.deepEqual(warn('fleet: { server: { harakiri: 30s } }\n'), []);
  assert.deepEqual(warn('balancer: { idleTimeout: 20s }\nfleet: { server: { kind: gunicorn } }\n'), [
    "fleet.server.harakiri 30s is not shorter than balancer.idleTimeout 20s: the balancer answers 504 idle-timeout before gunicorn's timeout kills the request",
  ]);
});

test('mysqlclient under gevent blocks the hub, only when there are queries', () => {
  const gevent = 'fleet: { server: { mode: gevent } }\n';
  const w = warn(gevent, [], DB_TRAFFIC);
  assert.equal(w.length, 1);
  assert.match(w[0]!, /^fleet\.db\.driver mysqlclient in gevent mode: mysqlclient is a C extension: each query blocks the whole gevent hub/);
  assert.deepEqual(warn(gevent), []);
  assert.deepEqual(warn('fleet: { server: { mode: gevent }, db: { driver: pymysql } }\n', [], DB_TRAFFIC), []);
});

test('more MySQL connections than max_connections', () => {
  const pool = 'fleet: { containers: 4, server: { workers: 4 }, db: { pool: { size: 5, maxOverflow: 10 } } }\n';
  assert.deepEqual(warn(pool, [], DB_TRAFFIC), [
    'up to 4 containers × 4 workers × 15 connections (pool size 5 + maxOverflow 10) = 240 MySQL connections, above fleet.db.maxConnections 151: MySQL may refuse: 500 db-max-connections',
  ]);
  assert.deepEqual(warn(pool, ['fleet.db.maxConnections=240'], DB_TRAFFIC), []);
  const noPool = warn('fleet: { containers: 2, server: { workers: 1, mode: threads, concurrency: 100 } }\n', [], DB_TRAFFIC);
  assert.deepEqual(noPool, [
    'up to 2 containers × 1 workers × 100 connections (no pool: one connection per request in flight, concurrency 100) = 200 MySQL connections, above fleet.db.maxConnections 151: MySQL may refuse: 500 db-max-connections',
  ]);
  assert.deepEqual(warn(pool), [], 'no db phase, no connections');
});

test('workers that do not fit the container memory, and maxRequests below the gevent concurrency', () => {
  assert.deepEqual(warn('fleet: { memory: 512MiB, server: { workers: 5 } }\n'), [
    '5 workers × fleet.server.memory.base 120MiB = 600MiB is above fleet.memory 512MiB: the container runs out of memory at start: the OOM killer SIGKILLs a worker, again at every respawn',
  ]);
  // The shared memory (master, copy-on-write pages) counts once: 300 + 14 × 120 MiB = 1980 MiB fits
  // in 2 GiB, 300 + 15 × 120 = 2100 MiB does not.
  assert.deepEqual(warn('fleet: { memory: 2GiB, server: { workers: 14, memory: { shared: 300MiB } } }\n'), []);
  assert.deepEqual(warn('fleet: { memory: 2GiB, server: { workers: 15, memory: { shared: 300MiB } } }\n'), [
    'fleet.server.memory.shared 300MiB + 15 workers × fleet.server.memory.base 120MiB = 2100MiB is above fleet.memory 2GiB: the container runs out of memory at start: the OOM killer SIGKILLs a worker, again at every respawn',
  ]);
  // Requests in flight: 2 gevent workers × (120 MiB + 100 × 5 MiB) = 1240 MiB > 1 GiB.
  assert.deepEqual(warn('fleet: { memory: 1GiB, server: { mode: gevent, workers: 2, concurrency: 100, memory: { perInFlight: 5MiB } } }\n'), [
    '2 workers × (memory.base 120MiB + concurrency 100 × memory.perInFlight 5MiB) = 1240MiB is above fleet.memory 1GiB: when the workers fill up, the OOM killer SIGKILLs the largest one (signal 9) and its requests fail',
  ]);
  // Growth to the recycle: 2 × (120 MiB + 5000 × 100 KiB) = 1216.6 MiB > 1 GiB.
  assert.equal(warn('fleet: { memory: 1GiB, server: { workers: 2, maxRequests: 5000, memory: { perRequest: 100KiB } } }\n').length, 1);
  assert.deepEqual(warn('fleet: { memory: unlimited, server: { workers: 500 } }\n'), []);
  assert.deepEqual(warn('fleet: { server: { mode: gevent, concurrency: 100, maxRequests: 50 } }\n'), [
    'fleet.server.maxRequests 50 is below fleet.server.concurrency 100 in gevent mode: a worker recycles before it can fill its async cores, so recycles (and their drains) come very often',
  ]);
});

test('several warnings come in a stable order', () => {
  const extra =
    'balancer: { kind: alb }\nfleet: { memory: 256MiB, server: { kind: gunicorn, mode: gevent, workers: 4, maxRequests: 10, maxRequestsDelta: 3, harakiri: 90s } }\n';
  const w = warn(extra, [], DB_TRAFFIC);
  assert.deepEqual(
    w.map((x) => x.split(' ')[0]),
    ['gunicorn', 'fleet.server.keepAlive', 'fleet.server.harakiri', 'fleet.db.driver', 'up', '4', 'fleet.server.maxRequests'],
  );
  assert.deepEqual(warn(extra, [], DB_TRAFFIC), w);
});

test('without provenance, a non-zero ignored setting still warns', () => {
  const { model } = parseModelWithProvenance(`${MINIMAL}fleet: { server: { maxRequestsDelta: 50 } }\n`, 'w.yaml');
  assert.equal(modelWarnings(model).filter((w) => !isCloseRace(w)).length, 1);
  assert.deepEqual(modelWarnings(parseModelWithProvenance(MINIMAL, 'w.yaml').model).filter((w) => !isCloseRace(w)), []);
});
