// What each app server does by default and which settings its version honours: the one place
// for version-dependent behaviour. Every default cites where it comes from (see
// docs/model.md for the source files and functions); `capsim explain` prints these.
import type { DistSpec } from '../../kernel/distribution-spec.js';
import type { ServerKind, WorkerMode } from '../../scenario/model-types.js';
import { atLeast } from './version.js';

export interface Default<T> {
  value: T;
  /** Where the value comes from, for `capsim explain`. */
  source: string;
}

const MiB = 1024 * 1024;
const c = (value: number): DistSpec => ({ kind: 'const', value });

/** uWSGI socket-timeout (core/init.c: 4 s), which bind_to_tcp also gives TCP_DEFER_ACCEPT. */
export const UWSGI_SOCKET_TIMEOUT = 4;

export const DEFAULT_VERSION: Record<ServerKind, string> = { uwsgi: '2.0.15', gunicorn: '20.1.0' };

/** The defaults of every server setting capsim models, for this kind, version and mode. */
export function serverDefaults(kind: ServerKind, version: string, mode: WorkerMode, socket: 'http-socket' | 'http11-socket' = 'http-socket') {
  const connectionClose = { value: false, source: 'capsim default: no `Connection: close` header added (uWSGI add-header)' };
  const closeLag = { value: 0.00012, source: 'measured: uWSGI 2.0.21 sync behind a keep-alive proxy reusing at once, on Linux loopback, lost 0.71% of requests at 60/s to the close (docs/model.md, "Checked against a real stack"): an effective 120 µs from the last write to the FIN' };
  if (kind === 'uwsgi') {
    const v = `uWSGI ${version}`;
    const http11 = socket === 'http11-socket';
    return {
      socket: { value: 'http-socket' as const, source: `capsim default: ${v} --http-socket (the write-up's and the testbed's setup)` },
      connectionClose,
      closeLag,
      deferAccept: { value: true, source: `${v} core/socket.c bind_to_tcp: TCP_DEFER_ACCEPT (socket-timeout, 4 s) on every TCP socket unless --no-defer-accept` },
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
            value: mode === 'gevent' ? 30 : 4,
            source:
              mode === 'gevent'
                ? `${v} http11-socket waits socket-timeout for the next request (proto/http.c uwsgi_proto_http11_accept); --gevent raises socket-timeout to 30 s (plugins/gevent/gevent.c)`
                : `${v} http11-socket waits socket-timeout (default 4 s, core/init.c) for the next request (proto/http.c uwsgi_proto_http11_accept)`,
          }
        : { value: 0, source: `${v} http-socket closes the connection after each response` },
      masterCycle: { value: 1, source: `${v} master loop (check-interval 1 s): an exited worker is noticed on its next turn` },
      fork: { value: c(0.005), source: 'capsim assumption: fork of a preforked worker, a few ms' },
      appImport: { value: { kind: 'lognormal', mu: Math.log(1.5), sigma: Math.log(4 / 1.5) / 2.3263478740 } as DistSpec, source: 'capsim assumption: a Django app import, median 1.5 s, p99 4 s' },
      preload: { value: true, source: `${v} default: the app is loaded in the master before fork (no lazy-apps)` },
      exitDelay: { value: c(0.02), source: 'capsim assumption: Python finalisation at worker exit, 20 ms' },
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
  const v = `gunicorn ${version}`;
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

/** Does this server version honour the setting? (A setting it ignores is a warning in explain.) */
export function honours(kind: ServerKind, version: string, setting: 'maxRequestsDelta' | 'maxRequestsJitter' | 'minWorkerLifetime' | 'reloadOnRss' | 'evilReloadOnRss' | 'forkbombDelay' | 'keepAlive', mode: WorkerMode, socket: 'http-socket' | 'http11-socket' = 'http-socket'): { ok: boolean; why: string } {
  if (kind === 'uwsgi') {
    switch (setting) {
      case 'maxRequestsDelta':
        return atLeast(version, '2.0.29')
          ? { ok: true, why: 'uWSGI >= 2.0.29 (and 2.1) recycles worker i after max-requests + (i-1)·delta' }
          : { ok: false, why: `uWSGI ${version} has no max-requests-delta (backported in 2.0.29); an ini file's entry is silently ignored` };
      case 'maxRequestsJitter':
        return { ok: false, why: 'max_requests_jitter is a gunicorn setting; uWSGI has max-requests-delta (>= 2.0.29)' };
      case 'keepAlive':
        if (socket === 'http11-socket') {
          return atLeast(version, '2.0.16')
            ? { ok: true, why: '' }
            : { ok: false, why: `uWSGI ${version} has no http11-socket (it arrived in 2.0.16); http-socket closes every connection after the response` };
        }
        return { ok: false, why: `uWSGI ${version} http-socket closes every connection after the response (keep-alive needs the http router or http11-socket)` };
      default:
        return { ok: true, why: '' };
    }
  }
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

/**
 * What becomes of the connection after a response, as the balancer sees it:
 *   keep-alive  — the server keeps it open for keepAlive seconds (gunicorn gevent/gthread,
 *                 uWSGI http11-socket): reusable, with the keepalive-race at its idle close;
 *   close-after — uWSGI 2.0 http-socket: HTTP/1.1 with a Content-Length and no
 *                 `Connection: close`, then the worker closes the socket (proto/http.c,
 *                 core/utils.c uwsgi_close_request): a keep-alive balancer takes it as reusable;
 *   closed      — the response says `Connection: close` (gunicorn sync's resp.force_close(),
 *                 gunicorn keepalive 0, uWSGI add-header): never reused.
 */
export type ConnectionFate = 'keep-alive' | 'close-after' | 'closed';

export function connectionFate(s: { kind: ServerKind; version: string; mode: WorkerMode; keepAlive: number; socket: 'http-socket' | 'http11-socket'; connectionClose: boolean }): ConnectionFate {
  if (s.connectionClose) return 'closed';
  if (s.kind === 'gunicorn') return s.mode === 'sync' || s.keepAlive <= 0 ? 'closed' : 'keep-alive';
  if (s.socket === 'http11-socket' && s.keepAlive > 0 && honours(s.kind, s.version, 'keepAlive', s.mode, s.socket).ok) return 'keep-alive';
  return 'close-after';
}
