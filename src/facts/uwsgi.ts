// uWSGI (2.0.15-2.0.30, the 2.0 series) as capsim models it: its defaults and which settings a
// version honours, each with the source file it comes from (github.com/unbit/uwsgi at the tag),
// and the constants of its behaviour that the simulation uses. The one place for uWSGI facts;
// src/model/server/profiles.ts dispatches here. Pure data and functions.
import type { DistSpec } from '../kernel/distribution-spec.js';
import type { WorkerMode } from '../scenario/model-types.js';
import { atLeast } from '../model/server/version.js';
import type { CommonDefaults, HonourSetting } from './settings.js';

const MiB = 1024 * 1024;
const c = (value: number): DistSpec => ({ kind: 'const', value });

export const UWSGI = {
  /**
   * core/init.c: socket-timeout 4 s. plugins/gevent/gevent.c:11-12 (uwsgi_opt_setup_gevent, run
   * while the options are parsed, before uwsgi_start binds the sockets): `--gevent` raises it to
   * 30 s. core/socket.c:743 bind_to_tcp gives the same seconds to TCP_DEFER_ACCEPT, and a worker
   * waits that long for a request's bytes (core/utils.c wsgi_req_recv -> uwsgi_wait_read_req;
   * gevent.c:289-295 wait_read_hook) before it closes the connection unanswered.
   */
  socketTimeout: 4,
  geventSocketTimeout: 30,
  /** core/utils.c set_harakiri: the deadline is uwsgi_now() (whole seconds) + harakiri. */
  harakiriWholeSeconds: true,
  /** The release that added http11-socket (keep-alive on the HTTP socket). */
  http11SocketSince: '2.0.16',
  /** The 2.0 release max-requests-delta was backported to (earlier ones ignore it). */
  maxRequestsDeltaSince: '2.0.29',
};

/** socket-timeout as a worker of this mode runs with it (gevent raises it to 30 s): the TCP_DEFER_ACCEPT period and the wait for a request's bytes. */
export function uwsgiSocketTimeout(mode: WorkerMode): number {
  return mode === 'gevent' ? Math.max(UWSGI.socketTimeout, UWSGI.geventSocketTimeout) : UWSGI.socketTimeout;
}

/**
 * How long a uWSGI 2.0 worker waits on an accepted connection that has not sent its request (a
 * pre-opened connection the kernel let through at the end of its TCP_DEFER_ACCEPT period):
 * socket-timeout, then it closes it. sync and threads: core/utils.c wsgi_req_recv (2.0.21:1401-1420)
 * loops on the protocol parser and uwsgi_wait_read_req(), which polls for socket-timeout and
 * gives up (the request is destroyed, the socket closed); gevent: plugins/gevent/gevent.c
 * (2.0.21:289-295) the request greenlet waits in wait_read_hook(fd, socket_timeout): one async
 * core held, the hub free.
 */
export function uwsgiEmptyConnectionWait(mode: WorkerMode): number {
  return uwsgiSocketTimeout(mode);
}

/**
 * The post-response work of a worker behind uWSGI's http-socket, from the response's last byte to
 * the FIN of its close, measured on the testbed (docs/model.md, "The close delay of uWSGI's
 * http-socket, measured": tcpdump in the namespace, undisturbed host, Django 3.2 with
 * CONN_MAX_AGE 0, uWSGI 2.0.21, CPython 3.11, 60 requests/s): the WSGI iterable's close()
 * (Django's request_finished closes the DB connection: COM_QUIT) and uwsgi_close_request up to
 * close(). Means: sync 233 and 277 µs (two reference runs), gevent with mysqlclient 340 µs, with
 * PyMySQL 415 µs; each about lognormal with sigma 0.27 (p50 220 / 312 / 397 µs, p90 297 / 450 /
 * 553 µs). capsim runs it as CPU work of the worker, so a busy container stretches it.
 */
export const CLOSE_WORK = {
  syncMean: 0.000255,
  geventMysqlclientMean: 0.00034,
  geventPymysqlMean: 0.000415,
  sigma: 0.27,
};

function closeWorkDefault(v: string, mode: WorkerMode, driver: 'mysqlclient' | 'pymysql'): { value: DistSpec; source: string } {
  const mean = mode === 'gevent' ? (driver === 'pymysql' ? CLOSE_WORK.geventPymysqlMean : CLOSE_WORK.geventMysqlclientMean) : CLOSE_WORK.syncMean;
  const sigma = CLOSE_WORK.sigma;
  const what = mode === 'gevent' ? `gevent with ${driver}` : mode === 'sync' ? 'sync' : 'threads (as sync: not measured)';
  return {
    value: { kind: 'lognormal', mu: Math.log(mean) - (sigma * sigma) / 2, sigma },
    source: `measured on the testbed for ${v} http-socket, ${what}: mean ${Math.round(mean * 1e6)} µs of post-response work (Django request_finished closing the DB connection, then uwsgi_close_request) from the last write to the FIN, lognormal sigma ${sigma} (docs/model.md, "The close delay of uWSGI's http-socket, measured")`,
  };
}

/** The defaults of every server setting capsim models, for uWSGI at this version and mode. */
export function uwsgiDefaults(version: string, mode: WorkerMode, socket: 'http-socket' | 'http11-socket', common: CommonDefaults, driver: 'mysqlclient' | 'pymysql' = 'mysqlclient') {
  const { connectionClose } = common;
  const v = `uWSGI ${version}`;
  const closeLag = closeWorkDefault(v, mode, driver);
  const http11 = socket === 'http11-socket';
  return {
    socket: { value: 'http-socket' as const, source: `capsim default: ${v} --http-socket (the write-up's and the testbed's setup)` },
    connectionClose,
    closeLag,
    deferAccept: {
      value: true,
      source: `${v} core/socket.c bind_to_tcp: TCP_DEFER_ACCEPT (socket-timeout, ${uwsgiSocketTimeout(mode)} s${mode === 'gevent' ? ': --gevent raises it to 30 s, plugins/gevent/gevent.c' : ''}) on every TCP socket unless --no-defer-accept`,
    },
    backlog: { value: 100, source: `${v} default listen (core/init.c)` },
    concurrency: {
      value: mode === 'gevent' ? 100 : 1,
      source: mode === 'gevent' ? 'capsim default: uWSGI needs --gevent N; 100 as in the incident' : `${v}: one request per ${mode === 'sync' ? 'process' : 'thread'}`,
    },
    maxRequests: { value: 0, source: `${v} default max-requests (off)` },
    maxRequestsDelta: { value: 0, source: `${v} default max-requests-delta (off)` },
    maxRequestsJitter: { value: 0, source: 'gunicorn only' },
    minWorkerLifetime: { value: 10, source: `${v} default min-worker-lifetime (core/init.c: 10 s; the help text says 60)` },
    reloadMercy: { value: 60, source: `${v} default worker-reload-mercy` },
    harakiri: { value: 0, source: `${v} default harakiri (off)` },
    keepAlive: http11
      ? {
          value: uwsgiSocketTimeout(mode),
          source:
            mode === 'gevent'
              ? `${v} http11-socket waits socket-timeout for the next request (proto/http.c uwsgi_proto_http11_accept); --gevent raises socket-timeout to 30 s (plugins/gevent/gevent.c)`
              : `${v} http11-socket waits socket-timeout (default 4 s, core/init.c) for the next request (proto/http.c uwsgi_proto_http11_accept)`,
        }
      : { value: 0, source: `${v} http-socket closes the connection after each response` },
    masterCycle: { value: 1, source: `${v} master loop (check-interval 1 s): an exited worker is noticed on its next turn` },
    fork: {
      value: { kind: 'mixture', weights: [0.88, 0.12], parts: [c(0.0005), { kind: 'uniform', min: 0.01, max: 0.1 }] } as DistSpec,
      source: 'measured on the testbed (uWSGI 2.0.21 sync, 2026-12-07; docs/model.md, "Short overflows while a recycled worker is replaced"): 88% under 1 ms, 12% 11-100 ms',
    },
    appImport: { value: { kind: 'lognormal', mu: Math.log(1.5), sigma: Math.log(4 / 1.5) / 2.3263478740 } as DistSpec, source: 'capsim assumption: a Django app import, median 1.5 s, p99 4 s' },
    preload: { value: true, source: `${v} default: the app is loaded in the master before fork (no lazy-apps)` },
    exitDelay: {
      value: { kind: 'lognormal', mu: Math.log(0.099), sigma: Math.log(0.15 / 0.099) / 2.3263478740 } as DistSpec,
      source: 'measured on the testbed (uWSGI 2.0.21 sync with Django, 2026-12-07; docs/model.md, "Short overflows while a recycled worker is replaced"): from the decision to exit to the worker gone (its DB connection\'s FIN), median 99 ms, p99 150 ms',
    },
    forkbombDelay: { value: 2, source: `${v} default forkbomb-delay` },
    reloadOnRss: { value: 0, source: `${v} default reload-on-rss (off)` },
    evilReloadOnRss: { value: 0, source: `${v} default evil-reload-on-rss (off)` },
    memoryBase: { value: 120 * MiB, source: 'capsim assumption: a Django worker, 120 MiB' },
    memoryPerRequest: { value: 0, source: 'capsim default: no growth per request' },
    memoryPerInFlight: { value: 0, source: 'capsim default: no memory held per request in flight' },
    memoryShared: { value: 0, source: 'capsim default: the master and the pages workers share are not counted' },
    acceptOrder:
      mode === 'gevent'
        ? { value: 'favourite' as 'lifo' | 'fifo' | 'favourite', source: `${v} has no EPOLLEXCLUSIVE: every gevent worker's accept watcher is woken and one stable favourite wins most connections (unbit/uwsgi#1605: ~70% to one worker; #1063)` }
        : { value: 'lifo' as 'lifo' | 'fifo' | 'favourite', source: 'Linux wakes the most recently idle waiter (epoll)' },
    startFresh: { value: false, source: 'capsim default: the fleet has been running: each worker starts at a uniform point of its recycling cycle' },
  };
}

/** Does this uWSGI version honour the setting? */
export function uwsgiHonours(setting: HonourSetting, version: string, socket: 'http-socket' | 'http11-socket'): { ok: boolean; why: string } {
  switch (setting) {
    case 'maxRequestsDelta':
      return atLeast(version, UWSGI.maxRequestsDeltaSince)
        ? { ok: true, why: 'uWSGI >= 2.0.29 (and 2.1) recycles worker i after max-requests + (i-1)·delta' }
        : { ok: false, why: `uWSGI ${version} has no max-requests-delta (backported in 2.0.29); an ini file's entry is silently ignored` };
    case 'maxRequestsJitter':
      return { ok: false, why: 'max_requests_jitter is a gunicorn setting; uWSGI has max-requests-delta (>= 2.0.29)' };
    case 'keepAlive':
      if (socket === 'http11-socket') {
        return atLeast(version, UWSGI.http11SocketSince)
          ? { ok: true, why: '' }
          : { ok: false, why: `uWSGI ${version} has no http11-socket (it arrived in 2.0.16); http-socket closes every connection after the response` };
      }
      return { ok: false, why: `uWSGI ${version} http-socket closes every connection after the response (keep-alive needs the http router or http11-socket)` };
    default:
      return { ok: true, why: '' };
  }
}
