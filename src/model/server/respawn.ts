// Respawn: how long a dead worker's slot stays empty until the master has a new one accepting.
// uWSGI's master notices an exited worker only on its next loop turn (masterCycle), then forks;
// gunicorn's arbiter reaps at once (SIGCHLD). Without preload the new worker then imports the
// app. uWSGI's master sleeps forkbombDelay when workers respawn too fast. The master's loop also
// checks harakiri, evil-reload and gunicorn's timeout (kill.ts).
import type { Container } from '../container.js';
import type { AppServer } from './app-server.js';
import { ProcState, type WorkerProcess } from './worker-process.js';
import { leaveIdle, pull } from './accept.js';
import { threshold } from './recycle.js';
import { addRss, kill, oomKill } from './kill.js';

/** Make sure the master's next turn is simulated. */
export function wakeMaster(server: AppServer, container: Container): void {
  wakeMasterAt(server, container, server.w.sim.now);
}

/** The master reaps an exited worker and forks its replacement. */
export function reap(server: AppServer, id: number): void {
  const w = server.w;
  const proc = w.procs[id]!;
  const s = w.model.fleet.server;
  proc.state = ProcState.Starting;
  const ready = server.fork() + (s.preload ? 0 : server.appImport());
  w.sim.schedule(ready, server.spawnedHandler, server.ref(proc));
}

export function spawned(server: AppServer, ref: number): void {
  const proc = server.deref(ref);
  if (!proc) return;
  server.w.metrics.respawns++;
  born(server, proc);
  if (proc.alive) pull(server, proc);
}

/** A new incarnation starts accepting. */
export function born(server: AppServer, proc: WorkerProcess): void {
  const w = server.w;
  const s = w.model.fleet.server;
  const container = w.containers[proc.container]!;
  proc.state = ProcState.Accepting;
  proc.bornAt = w.sim.now;
  proc.served = 0;
  proc.retiring = false;
  proc.recycledAt = -1;
  proc.threshold = threshold(server, proc);
  addRss(server, container, proc, s.memory.base);
  if (container.live++ === 0) container.zeroLiveSeconds += w.sim.now - container.zeroSince;
  if (container.rss > w.model.fleet.memory) oomKill(server, container);
}

export function leaveLive(server: AppServer, proc: WorkerProcess): void {
  const container = server.w.containers[proc.container]!;
  if (proc.idle) leaveIdle(server, proc);
  if (--container.live === 0) container.zeroSince = server.w.sim.now;
}

/** One turn of the master's loop (uWSGI: reaping, harakiri, evil-reload; gunicorn: timeout). */
export function masterTick(server: AppServer, c: number): void {
  const w = server.w;
  const s = w.model.fleet.server;
  const container = w.containers[c]!;
  const now = w.sim.now;
  container.tickPending = false;
  if (server.alwaysTick) {
    container.tickPending = true;
    w.sim.schedule(server.cycle, server.tickHandler, c);
  }
  if (now < container.masterAwakeAt) {
    // Asleep (forkbomb delay): everything waits for the first turn after it wakes.
    if (container.exited.length > 0) wakeMasterAt(server, container, container.masterAwakeAt);
    return;
  }
  for (const proc of container.procs) {
    if (!proc.alive) continue;
    if (server.uwsgi) {
      if (proc.harakiriAt <= now) kill(server, proc, 'harakiri');
      else if (proc.evilPending) kill(server, proc, 'evil-reload');
    } else if (s.harakiri > 0) {
      // gunicorn's heartbeat: a sync worker notifies between requests; a gevent worker every
      // second from its hub, so only a hub blocked that long misses it; gthread always notifies.
      const stuckSince =
        s.mode === 'sync' ? (proc.busy > 0 ? proc.harakiriAt - s.harakiri : Infinity) : s.mode === 'gevent' && proc.hubCtx >= 0 ? proc.hubSince : Infinity;
      if (now - stuckSince > s.harakiri) kill(server, proc, 'timeout');
    }
  }
  if (!server.uwsgi) return;
  // Reap exited workers; respawning faster than one per worker per cycle puts the master to sleep.
  let sleep = 0;
  while (container.exited.length > 0) {
    const id = container.exited.shift();
    const second = Math.floor(now);
    if (second <= container.lastRespawnSecond + s.masterCycle) {
      if (++container.respawnRate > container.procs.length && s.forkbombDelay > 0) {
        sleep = s.forkbombDelay;
        container.masterAwakeAt = now + sleep;
        container.respawnRate = 0;
      }
    } else container.respawnRate = 0;
    container.lastRespawnSecond = second;
    if (sleep > 0) w.sim.schedule(sleep, server.reapHandler, id);
    else reap(server, id);
  }
}

export function wakeMasterAt(server: AppServer, container: Container, t: number): void {
  if (container.tickPending) return;
  container.tickPending = true;
  const turns = Math.ceil((t - container.masterPhase) / server.cycle);
  server.w.sim.at(container.masterPhase + Math.max(turns, 0) * server.cycle, server.tickHandler, container.index);
}
