// When a worker recycles. uWSGI (core/utils.c uwsgi_close_request): a request is counted when
// it closes; at max-requests (once the worker is min-worker-lifetime old; staggered by delta
// from 2.0.29) or reload-on-rss the worker is cursed and drains (drain.ts). gunicorn
// (workers/base_async.py, sync.py, ggevent.py): a request is counted when it starts; at
// max_requests (+ jitter) alive = False: sync: that request is the last; gevent/gthread: the
// worker's loop notices within a second (it accepts meanwhile), then drains.
import { GUNICORN } from '../../facts/gunicorn.js';
import type { AppServer } from './app-server.js';
import { ProcState, type WorkerProcess } from './worker-process.js';
import { beginExit } from './drain.js';
import { leaveLive } from './respawn.js';

export function wantsRecycle(server: AppServer, proc: WorkerProcess): boolean {
  const s = server.w.model.fleet.server;
  // gunicorn: only the sync worker stops at once (the request that reached the limit was its
  // last); gevent and gthread workers notice on their loop's next turn (noticeRetire).
  if (!server.uwsgi) return proc.retiring && s.mode === 'sync';
  const overLimit = proc.served >= proc.threshold || (server.uwsgi && s.reloadOnRss > 0 && proc.rss >= s.reloadOnRss);
  if (!overLimit) return false;
  // uWSGI: max-requests and reload-on-rss wait until the worker is min-worker-lifetime old.
  return !server.uwsgi || server.w.sim.now - proc.bornAt >= s.minWorkerLifetime;
}

/** gunicorn: max_requests reached (alive = False); the response gets `Connection: close`. */
export function retire(server: AppServer, proc: WorkerProcess): void {
  proc.retiring = true;
  if (server.w.model.fleet.server.mode === 'sync') return; // requestDone ends it
  // `while self.alive: self.notify(); gevent.sleep(1.0)`: the loop turns each second from the
  // worker's start, and goes on accepting until the turn that sees alive = False.
  const age = server.w.sim.now - proc.bornAt;
  server.w.sim.at(proc.bornAt + (Math.floor(age / GUNICORN.loopTurn) + 1) * GUNICORN.loopTurn, server.noticeHandler, server.ref(proc));
}

export function noticeRetire(server: AppServer, ref: number): void {
  const proc = server.deref(ref);
  if (proc && proc.state === ProcState.Accepting) beginRecycle(server, proc);
}

/** Stop accepting and drain, until the mercy deadline (drain.ts). */
export function beginRecycle(server: AppServer, proc: WorkerProcess): void {
  const w = server.w;
  const s = w.model.fleet.server;
  proc.state = ProcState.Draining;
  proc.recycledAt = w.sim.now;
  w.metrics.recycled(proc.container);
  leaveLive(server, proc);
  // gunicorn gevent: graceful_timeout of 1 s checks, then server.stop(timeout=1) after the last
  // sleep: the handlers still running are killed graceful_timeout + 2 s after the drain began.
  const grace = !server.uwsgi && server.gevent ? s.reloadMercy + GUNICORN.geventStopAfter : s.reloadMercy;
  proc.mercyDeadline = w.sim.now + grace;
  w.sim.at(proc.mercyDeadline, server.mercyHandler, server.ref(proc));
  if (proc.busy === 0) beginExit(server, proc);
}

export function threshold(server: AppServer, proc: WorkerProcess): number {
  const s = server.w.model.fleet.server;
  if (s.maxRequests <= 0) return Infinity;
  if (server.uwsgi) return s.maxRequests + (server.deltaHonoured ? proc.local * s.maxRequestsDelta : 0);
  // gunicorn: max_requests + randint(0, max_requests_jitter), both ends included.
  return s.maxRequests + (s.maxRequestsJitter > 0 ? Math.floor(server.jitter() * (s.maxRequestsJitter + 1)) : 0);
}
