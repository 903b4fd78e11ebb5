// gunicorn (20.1-23.0) as capsim models it: its defaults and which settings it honours, each
// with the file it comes from (github.com/benoitc/gunicorn at the tag), and the constants of its
// behaviour that the simulation uses. The one place for gunicorn facts;
// src/model/server/profiles.ts dispatches here. Pure data and functions.
import type { DistSpec } from '../kernel/distribution-spec.js';
import type { WorkerMode } from '../scenario/model-types.js';
import type { CommonDefaults, HonourSetting } from './settings.js';

const MiB = 1024 * 1024;
const c = (value: number): DistSpec => ({ kind: 'const', value });

export const GUNICORN = {
  /**
   * workers/ggevent.py, gthread.py: `while self.alive: self.notify(); gevent.sleep(1.0)`: the
   * worker's loop turns each second from its start; max_requests is seen on the next turn.
   */
  loopTurn: 1,
  /**
   * workers/ggevent.py: after graceful_timeout (checked once a second) the worker calls
   * server.stop(timeout=1): the handlers still running are killed graceful_timeout + 2 s after
   * the drain began.
   */
  geventStopAfter: 2,
};

/**
 * How long a worker of this mode waits on an accepted connection that has not sent its request
 * (a Classic ELB's pre-opened connection), from gunicorn 20.1.0's source:
 *   sync    — workers/sync.py:27-31 accept() sets the socket blocking and calls handle(), which
 *             blocks in next(parser) (sync.py:134-135, recv without a timeout) until the request's
 *             bytes arrive. The worker's loop calls notify() only between connections
 *             (sync.py:62), so a connection that sends nothing for `timeout` gets the worker
 *             killed by the arbiter (WORKER TIMEOUT: benoitc/gunicorn#2652, "client connects but
 *             does not send HTTP request: 30s"; pypi/warehouse#20110; #1194 "Gunicorn sync workers
 *             time out on docker + AWS", only behind an ELB with an HTTP listener).
 *   gevent  — workers/base_async.py:39-48: with keepalive, the first request too is read under
 *             timeout_ctx(), gevent.Timeout(keepalive) (ggevent.py:53-54): the greenlet gives up
 *             and closes after keepalive (2 s by default); with keepalive 0, next(parser) has no
 *             timeout. The hub keeps notifying: no kill.
 *   threads — workers/gthread.py:117-124 accept() submits handle() to the thread pool at once
 *             (enqueue_req, :111-115, TConn.init makes the socket blocking, :47-48); handle()
 *             blocks in next(conn.parser) (:266) with no timeout: a thread is held until the
 *             request comes (#2652: gthread "infinity"). The main loop keeps notifying: no kill.
 * Infinity: until the request arrives (or the balancer closes the connection).
 */
export function gunicornEmptyConnectionWait(mode: WorkerMode, keepAlive: number): number {
  if (mode === 'gevent') return keepAlive > 0 ? keepAlive : Infinity;
  return Infinity;
}

/** The defaults of every server setting capsim models, for gunicorn at this version and mode. */
export function gunicornDefaults(version: string, mode: WorkerMode, common: CommonDefaults) {
  const v = `gunicorn ${version}`;
  const { connectionClose } = common;
  const closeLag = { value: { kind: 'const', value: 0 } as DistSpec, source: 'unused: gunicorn never closes a connection it answered as kept alive (sync sends Connection: close)' };
  return {
    socket: { value: 'http-socket' as const, source: 'uWSGI only' },
    connectionClose,
    closeLag,
    deferAccept: { value: false, source: `${v} gunicorn/sock.py sets no TCP_DEFER_ACCEPT` },
    backlog: { value: 2048, source: `${v} default backlog` },
    concurrency: {
      value: mode === 'gevent' ? 1000 : 1,
      source: mode === 'gevent' ? `${v} default worker_connections` : mode === 'threads' ? `${v} default threads` : `${v} sync: one request per process`,
    },
    maxRequests: { value: 0, source: `${v} default max_requests (off)` },
    maxRequestsDelta: { value: 0, source: 'uWSGI only' },
    maxRequestsJitter: { value: 0, source: `${v} default max_requests_jitter` },
    minWorkerLifetime: { value: 0, source: 'uWSGI only' },
    reloadMercy: { value: 30, source: `${v} default graceful_timeout` },
    harakiri: { value: 30, source: `${v} default timeout` },
    keepAlive: {
      value: mode === 'sync' ? 0 : 2,
      source: mode === 'sync' ? `${v} sync worker always closes after the response` : `${v} default keepalive`,
    },
    masterCycle: { value: 0, source: `${v} arbiter reaps on SIGCHLD at once` },
    fork: { value: { kind: 'uniform', min: 0.005, max: 0.105 } as DistSpec, source: `${v} spawn_workers: fork after sleep(0.1 * random())` },
    appImport: { value: { kind: 'lognormal', mu: Math.log(1.5), sigma: Math.log(4 / 1.5) / 2.3263478740 } as DistSpec, source: 'capsim assumption: a Django app import, median 1.5 s, p99 4 s' },
    preload: { value: false, source: `${v} default preload_app = False: each new worker imports the app` },
    exitDelay: { value: c(0.02), source: 'capsim assumption: Python finalisation at worker exit, 20 ms' },
    forkbombDelay: { value: 0, source: 'uWSGI only' },
    reloadOnRss: { value: 0, source: 'uWSGI only' },
    evilReloadOnRss: { value: 0, source: 'uWSGI only' },
    memoryBase: { value: 120 * MiB, source: 'capsim assumption: a Django worker, 120 MiB' },
    memoryPerRequest: { value: 0, source: 'capsim default: no growth per request' },
    memoryPerInFlight: { value: 0, source: 'capsim default: no memory held per request in flight' },
    memoryShared: { value: 0, source: 'capsim default: the master and the pages workers share are not counted' },
    acceptOrder: { value: 'lifo' as 'lifo' | 'fifo' | 'favourite', source: 'Linux wakes the most recently idle waiter (epoll)' },
    startFresh: { value: false, source: 'capsim default: the fleet has been running: each worker starts at a uniform point of its recycling cycle' },
  };
}

/** Does gunicorn honour the setting? */
export function gunicornHonours(setting: HonourSetting, mode: WorkerMode): { ok: boolean; why: string } {
  switch (setting) {
    case 'maxRequestsJitter':
      return { ok: true, why: '' };
    case 'keepAlive':
      return mode === 'sync'
        ? { ok: false, why: `gunicorn's sync worker always closes the connection after the response` }
        : { ok: true, why: '' };
    case 'maxRequestsDelta':
      return { ok: false, why: 'max-requests-delta is a uWSGI setting; gunicorn has max_requests_jitter' };
    default:
      return { ok: false, why: `${setting} is a uWSGI setting; gunicorn ignores it` };
  }
}
