// Which worker accepts a connection: an idle worker takes it at once (in the order the server's
// wake-up gives: uWSGI's favourite, LIFO or FIFO), a busy one pulls it from the accept queue when
// a context frees, a gevent hub only when it is free. Accepting starts the request (the worker's
// counters, harakiri's deadline, gunicorn's count at start, the memory a request holds).
import type { Container } from '../container.js';
import { Cause } from '../outcome.js';
import { Origin } from '../request-table.js';
import { UWSGI } from '../../facts/uwsgi.js';
import type { AppServer } from './app-server.js';
import { ProcState, type WorkerProcess } from './worker-process.js';
import { retire } from './recycle.js';
import { addRss, oomKill } from './kill.js';

/** An idle worker of the container accepts the connection at once, if there is one. */
export function acceptNow(server: AppServer, container: Container, slot: number): boolean {
  if (container.idle.length === 0) return false;
  const proc = server.w.procs[takeIdle(server, container)]!;
  proc.idle = false;
  accept(server, proc, slot);
  // A threaded (or still idle gevent) worker with contexts to spare stays in accept().
  if (canAccept(server, proc) && !proc.idle) {
    proc.idle = true;
    container.idle.push(proc.id);
    server.w.listener.workerWaiting(container);
  }
  return true;
}

/**
 * Which idle worker gets the connection. uWSGI 2.0 wakes every worker blocked on the socket (no
 * EPOLLEXCLUSIVE) and users measure a stable favourite (unbit/uwsgi#1605: about 70% of requests
 * to one gevent worker; #1063): `favourite` gives it to the lowest-numbered idle worker, so the
 * others only get what it cannot take. `lifo`: the most recently idle (Linux's wake order for
 * exclusive waiters); `fifo`: the longest idle.
 */
export function takeIdle(server: AppServer, container: Container): number {
  const idle = container.idle;
  if (server.order === 'lifo') return idle.pop();
  if (server.order === 'fifo') return idle.shift();
  let best = -1;
  for (let k = 0; k < idle.length; k++) {
    const id = idle.at(k);
    if (best < 0 || id < best) best = id;
  }
  idle.remove(best);
  return best;
}

/** A request arrives on a connection the balancer kept alive to this process. */
export function deliverKeptAlive(server: AppServer, proc: WorkerProcess, slot: number): void {
  const table = server.w.table;
  table.serverHeld[slot] = 1;
  table.tContainer[slot] = server.w.sim.now;
  if (proc.hasFreeContext && (proc.state === ProcState.Accepting || proc.state === ProcState.Draining)) {
    if (proc.idle) leaveIdle(server, proc);
    accept(server, proc, slot);
  } else proc.pending.push(slot);
}

export function accept(server: AppServer, proc: WorkerProcess, slot: number): void {
  const w = server.w;
  const table = w.table;
  if (table.user[slot] === Origin.Preopen) {
    // A connection a Classic ELB node opened ahead: its request, if one rides on it, starts;
    // empty, a context of the worker waits for one (balancer/preopen.ts).
    slot = w.balancer.preopen!.accepted(proc, slot);
    if (slot < 0) return;
  }
  if (table.user[slot] !== Origin.HealthCheck) w.metrics.accepted(table.tContainer[slot]!, table.tArrive[slot]!);
  const ctx = proc.takeContext();
  proc.noteBusy(w.sim.now);
  server.accepted[proc.id]++;
  w.metrics.busyContexts.add(w.sim.now, 1);
  w.ctxReq[ctx] = slot;
  const bytesAt = table.bytesAt[slot]!;
  if (bytesAt > 0) {
    if (bytesAt > w.sim.now) {
      awaitRequestBytes(server, ctx, bytesAt);
      return;
    }
    table.bytesAt[slot] = 0;
  }
  startRequest(server, proc, ctx, slot);
}

/**
 * The worker has read the request: it starts (harakiri's deadline, gunicorn's count at start,
 * the memory a request holds), then its phases run. `heartbeatStopped`: a gunicorn worker that
 * has waited on the connection since its accept, whose timeout runs from then.
 */
export function startRequest(server: AppServer, proc: WorkerProcess, ctx: number, slot: number, heartbeatStopped = false): void {
  const w = server.w;
  const s = w.model.fleet.server;
  // uWSGI arms harakiri once the request is read (core/utils.c wsgi_req_recv), keeps the deadline
  // in whole seconds (set_harakiri: uwsgi_now() + sec), and the master kills once it is strictly
  // past (core/master_checks.c: harakiri < current_time).
  if (s.harakiri > 0 && (server.uwsgi || !heartbeatStopped)) proc.harakiriAt = server.uwsgi && UWSGI.harakiriWholeSeconds ? Math.floor(w.sim.now) + s.harakiri + 1 : w.sim.now + s.harakiri;
  // gunicorn counts a request as it starts (self.nr += 1 in handle_request).
  if (!server.uwsgi && ++proc.served >= proc.threshold && !proc.retiring) retire(server, proc);
  const held = s.memory.perInFlight;
  if (held > 0) {
    // The request's objects live in the worker until it ends; a container over its limit
    // loses its largest worker to the OOM killer — perhaps this one, with this request.
    const container = w.containers[proc.container]!;
    addRss(server, container, proc, held);
    if (container.rss > w.model.fleet.memory) {
      oomKill(server, container);
      if (w.ctxReq[ctx] !== slot) return;
    }
  }
  w.runner.begin(ctx);
}

/**
 * A connection accepted without its request's bytes (see Listener.bytesAfterRetry) holds its
 * context (a sync worker, a thread, a gevent core; not the hub) until they come. uWSGI waits
 * socket-timeout for them (core/utils.c wsgi_req_recv -> uwsgi_wait_read_req; gevent.c
 * py_uwsgi_gevent_request: wait_read_hook with socket_timeout) and then closes the connection
 * unanswered; gunicorn's workers block in recv() (sync) or wait on the socket with no such limit.
 */
function awaitRequestBytes(server: AppServer, ctx: number, bytesAt: number): void {
  const w = server.w;
  const s = w.model.fleet.server;
  // A gunicorn sync worker blocked in recv() sends the arbiter no heartbeat: its timeout runs.
  if (!server.uwsgi && s.mode === 'sync' && s.harakiri > 0) w.procs[(ctx / w.concurrency) | 0]!.harakiriAt = w.sim.now + s.harakiri;
  const until = server.uwsgi ? Math.min(bytesAt, w.sim.now + server.socketTimeout) : bytesAt;
  w.ctxTimer[ctx] = w.sim.at(until, server.requestBytesHandler, ctx);
}

/** The request's bytes arrived, or uWSGI's socket-timeout ran out first, or the balancer left. */
export function requestBytes(server: AppServer, ctx: number): void {
  const w = server.w;
  const table = w.table;
  w.ctxTimer[ctx] = -1;
  const slot = w.ctxReq[ctx]!;
  const proc = w.procs[(ctx / w.concurrency) | 0]!;
  if (table.clientWaiting[slot] && w.sim.now >= table.bytesAt[slot]!) {
    table.bytesAt[slot] = 0;
    startRequest(server, proc, ctx, slot, !server.uwsgi && w.model.fleet.server.mode === 'sync');
    return;
  }
  // The balancer gave up meanwhile (its FIN: the worker reads EOF), or socket-timeout: the worker
  // closes the connection unanswered, and the balancer's next retransmission of its request
  // meets a reset (502).
  w.ctxReq[ctx] = -1;
  table.bytesAt[slot] = 0;
  w.balancer.answer(slot, Cause.BacklogOverflow);
  table.serverDone(slot);
  server.releaseEmpty(proc, ctx);
}

/** Can the process take a new connection from the accept queue now? */
export function canAccept(server: AppServer, proc: WorkerProcess): boolean {
  return proc.state === ProcState.Accepting && proc.hasFreeContext && (!server.gevent || proc.hubCtx < 0);
}

/** Let the process take queued connections while it can; otherwise wait in accept(). */
export function pull(server: AppServer, proc: WorkerProcess): void {
  const w = server.w;
  const container = w.containers[proc.container]!;
  while (proc.pending.length > 0 && proc.hasFreeContext) accept(server, proc, proc.pending.shift());
  w.listener.settle(container);
  while (canAccept(server, proc)) {
    if (container.acceptQueue.length === 0) {
      if (!proc.idle) {
        proc.idle = true;
        container.idle.push(proc.id);
        w.listener.workerWaiting(container);
      }
      return;
    }
    const slot = container.acceptQueue.shift();
    container.backlog.add(w.sim.now, -1);
    // The balancer gave up on it while it waited: the worker reads EOF and moves on.
    if (!w.table.clientWaiting[slot]) w.table.serverDone(slot);
    else accept(server, proc, slot);
  }
}

/** gevent: the hub switches between greenlets; it may accept one queued connection. */
export function switchPoint(server: AppServer, proc: WorkerProcess): void {
  if (proc.state !== ProcState.Accepting || !proc.hasFreeContext) return;
  const container = server.w.containers[proc.container]!;
  server.w.listener.settle(container);
  while (container.acceptQueue.length > 0) {
    const slot = container.acceptQueue.shift();
    container.backlog.add(server.w.sim.now, -1);
    if (!server.w.table.clientWaiting[slot]) server.w.table.serverDone(slot);
    else {
      accept(server, proc, slot);
      return;
    }
  }
}

export function leaveIdle(server: AppServer, proc: WorkerProcess): void {
  server.w.containers[proc.container]!.idle.remove(proc.id);
  proc.idle = false;
}
