// How a recycling worker drains and exits. uWSGI cursed at max-requests: NO MERCY deadline =
// now + worker-reload-mercy, pushed back by every later close.
//   sync: nothing else is in flight: it exits at once. threads: it waits for its threads, then
//   exits; still alive at the NO MERCY deadline, the master SIGKILLs it (a real signal 9).
//   gevent (plugins/gevent/gevent.c uwsgi_gevent_gbcw, 2.0.21): it stops its accept watchers,
//   arms a time bomb that calls exit() after worker-reload-mercy, and polls every second until
//   no core is in a request. Its `destroy` flag is set only when that poll returns, so every
//   request closed meanwhile runs the same check again (uwsgi_close_request -> goodbye_cruel_world)
//   and the close that leaves no core busy ends the hub at once: it exits at its last close, as
//   measured on the testbed (drains of one request's service, not a whole second). Requests
//   still in it when the bomb goes off lose their connection (cause reload-mercy,
//   workers.mercyExits): an exit, not a SIGKILL.
// gunicorn gevent/gthread: stops accepting, waits up to graceful_timeout (checking each second),
// then stops its server (remaining handlers killed) and exits normally (cause reload-mercy). The
// arbiter never SIGKILLs a recycling worker.
import { Cause } from '../outcome.js';
import { GUNICORN } from '../../facts/gunicorn.js';
import type { AppServer } from './app-server.js';
import { ProcState, type WorkerProcess } from './worker-process.js';
import { die, kill } from './kill.js';

/** In-flight requests are done: the drain loop sees it, then exit handlers run, then it is gone. */
export function beginExit(server: AppServer, proc: WorkerProcess): void {
  if (proc.state === ProcState.Draining) server.drainSeconds += server.w.sim.now - proc.recycledAt;
  proc.state = ProcState.Exiting;
  server.w.sim.schedule(pollWait(server, proc) + server.exitDelay(), server.exitHandler, server.ref(proc));
}

/**
 * How long after its last request ends a draining worker's loop notices: gunicorn gevent checks
 * once a second from the start of the drain (`gevent.sleep(1)`), and its last second
 * (server.stop) returns at once; uWSGI gevent's last close ends it at once (see the top); the
 * others wait on their threads and see it at once.
 */
export function pollWait(server: AppServer, proc: WorkerProcess): number {
  if (!server.gevent || server.uwsgi || proc.recycledAt < 0 || proc.mercyDeadline === Infinity) return 0;
  const since = server.w.sim.now - proc.recycledAt;
  if (since <= 0) return 0;
  const s = server.w.model.fleet.server;
  if (since > s.reloadMercy + GUNICORN.geventStopAfter - GUNICORN.loopTurn) return 0;
  return Math.ceil(since / GUNICORN.loopTurn) * GUNICORN.loopTurn - since;
}

export function exitDone(server: AppServer, ref: number): void {
  const proc = server.deref(ref);
  if (!proc || proc.state !== ProcState.Exiting) return; // killed meanwhile
  if (proc.mercyDeadline < Infinity) server.drains++;
  // Nothing is in flight; a request the balancer sent on a connection the exit is closing meets the close.
  die(server, proc, Cause.CloseRace);
}

/**
 * The recycling worker's deadline. uWSGI gevent: the time bomb armed at the recycle calls
 * exit() (plugins/gevent/gevent.c uwsgi_gevent_gbcw, core/timebomb.c); each request closed
 * during the drain re-curses the worker and pushes the master's NO MERCY back, so the bomb goes
 * first: a normal exit, and the requests still in it lose their connection. gunicorn (gevent,
 * gthread): after graceful_timeout the worker stops its server (handlers killed) and exits
 * normally (workers/ggevent.py). uWSGI sync/threads: the master's NO MERCY SIGKILL
 * (core/master.c uwsgi_master_check_mercy): a real signal 9.
 */
export function mercyExpired(server: AppServer, ref: number): void {
  const proc = server.deref(ref);
  if (!proc || (proc.state !== ProcState.Draining && proc.state !== ProcState.Exiting)) return;
  const w = server.w;
  if (w.sim.now < proc.mercyDeadline) {
    // uWSGI: a later close cursed the worker again.
    w.sim.at(proc.mercyDeadline, server.mercyHandler, ref);
    return;
  }
  if (proc.state === ProcState.Exiting) {
    // Nothing is in flight. uWSGI gevent: the time bomb's exit() ends it now; uWSGI otherwise:
    // its exit hangs past NO MERCY: SIGKILL; gunicorn's arbiter just waits for it.
    if (!server.uwsgi) return;
    if (server.gevent) exitDone(server, ref);
    else kill(server, proc, 'no-mercy');
    return;
  }
  server.drainKills++;
  server.drainSeconds += w.sim.now - proc.recycledAt;
  if (server.gevent || !server.uwsgi) {
    if (proc.busy > 0 || proc.pending.length > 0) w.metrics.mercyExit(proc.container);
    die(server, proc, Cause.ReloadMercy);
  } else kill(server, proc, 'no-mercy');
}
