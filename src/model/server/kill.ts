// Kills (SIGKILL): uWSGI harakiri (a worker that accepted nothing and closed nothing for that
// long), gunicorn timeout (a sync request, or a blocked gevent hub, longer than that), the
// kernel's OOM killer (the container's memory limit; it kills the largest worker),
// evil-reload-on-rss, NO MERCY. Any death (a kill or an exit) fails the requests still in the
// process and leaves its slot to the master (respawn.ts).
import type { Container } from '../container.js';
import { Cause, type KillReason } from '../outcome.js';
import type { AppServer } from './app-server.js';
import { ProcState, type WorkerProcess } from './worker-process.js';
import { leaveLive, reap, wakeMaster } from './respawn.js';

/** SIGKILL: every request still in the process fails. */
export function kill(server: AppServer, proc: WorkerProcess, reason: KillReason): void {
  server.w.metrics.killed(reason, proc.container);
  die(server, proc, Cause.WorkerKilled);
}

/** The process is gone; `cause`: what the requests still in it die of. */
export function die(server: AppServer, proc: WorkerProcess, cause: number): void {
  const w = server.w;
  const table = w.table;
  const now = w.sim.now;
  const container = w.containers[proc.container]!;
  // Its CPU burst, running or due at the end of a query (RequestRunner hands those to the CPU).
  if (proc.hubCtx >= 0) container.cpu.abort(proc.local);
  for (let k = 0; k < proc.concurrency; k++) {
    const ctx = proc.ctx(k);
    const slot = w.ctxReq[ctx]!;
    if (slot < 0) continue;
    w.runner.abort(ctx, proc);
    w.ctxReq[ctx] = -1;
    table.dbConn[slot] = 0;
    w.metrics.busyContexts.add(now, -1);
    // The kernel closes its sockets: the balancer gets a reset or FIN instead of a response.
    w.balancer.answer(slot, cause);
    table.serverDone(slot);
  }
  while (proc.pending.length > 0) {
    const slot = proc.pending.shift();
    w.balancer.answer(slot, cause);
    table.serverDone(slot);
  }
  // Contexts whose close was still waiting for the hub: the death closes their sockets.
  if (proc.closing > 0) {
    w.metrics.busyContexts.add(now, -proc.closing);
    proc.closing = 0;
  }
  w.db.processDied(proc.id);
  addRss(server, container, proc, -proc.rss);
  if (proc.state === ProcState.Accepting) leaveLive(server, proc);
  proc.state = ProcState.Dead;
  proc.incarnation++;
  proc.diedAt = now;
  proc.mercyDeadline = Infinity;
  proc.harakiriAt = Infinity;
  proc.evilPending = false;
  proc.resetContexts();
  proc.noteBusy(now);
  if (server.respawnGap) {
    w.sim.schedule(server.respawnGap(), server.spawnedHandler, server.ref(proc));
  } else if (server.uwsgi && server.cycle > 0) {
    container.exited.push(proc.id); // reaped on the master's next turn
    wakeMaster(server, container);
  } else {
    reap(server, proc.id); // gunicorn's arbiter gets SIGCHLD
  }
}

export function addRss(server: AppServer, container: Container, proc: WorkerProcess, bytes: number): void {
  proc.rss += bytes;
  container.rss += bytes;
  container.memory.add(server.w.sim.now, bytes);
}

/** The kernel's OOM killer: the container is over its memory limit; the largest worker dies. */
export function oomKill(server: AppServer, container: Container): void {
  let victim: WorkerProcess | null = null;
  for (const p of container.procs) if (p.alive && (!victim || p.rss > victim.rss)) victim = p;
  if (victim) kill(server, victim, 'oom');
}
