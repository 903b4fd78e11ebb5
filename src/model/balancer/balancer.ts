// The load balancer (Classic ELB, ALB or nginx): it routes each request to a target, reuses
// kept-alive connections or opens new ones, gives up after its idle timeout (504; nginx:
// proxy_read_timeout), holds requests that wait for a connection in the Classic surge queue
// (full: 503), and answers the client. nginx also retries a failed attempt on the next server
// (proxy_next_upstream) and skips a server after max_fails failures (see nginx.ts).
//
// An ALB or Classic ELB is several nodes (balancer.nodes): clients spread over them, and each
// node has its own round robin and its own pool of connections to each target. How a pool
// treats a kept-alive connection is balancer.pool (src/facts/aws.ts, keepalive-pool.ts).
import type { Alea } from '../../kernel/alea.js';
import { Draw } from '../../kernel/distributions.js';
import type { RandomStreams, Uniform } from '../../kernel/random-streams.js';
import { Cause } from '../outcome.js';
import { Origin } from '../request-table.js';
import { connectionFate } from '../server/profiles.js';
import type { ClosedUsersSource } from '../traffic/sources.js';
import type { World } from '../world.js';
import { HealthChecks } from './health-checks.js';
import { CLOSE_RACE, CloseClock, KeepAlivePool, NONE, RACE } from './keepalive-pool.js';
import { NginxUpstream } from './nginx.js';
import { PRE_NONE, PRE_RACE, PreopenPool } from './preopen.js';
import { Router } from './routing.js';

export class Balancer {
  readonly router: Router;
  readonly health: HealthChecks;
  /** Each node's pool of connections to each target: node * containers + target. */
  readonly pools: KeepAlivePool[] = [];
  /** Balancer nodes; requests spread over them uniformly (clients resolve the DNS name to every node). */
  private readonly nodes: number;
  private readonly containers: number;
  private readonly nodeOf: Alea | null;
  /** From a response read to its connection being offered again (null: at once). */
  private readonly reuseDelay: Draw | null;
  /** ALB/ELB: a request that fails on a reused connection is sent again on a new one. */
  private readonly retryReused: boolean;
  /** Requests sent again after failing on a reused connection (measured window). */
  reuseRetries = 0;
  /** Requests waiting for a connection to be established (Classic ELB surge queue). */
  surge = 0;
  surgeMax = 0;
  private readonly surgeCap: number;
  private readonly idleTimeout: number;
  private readonly scanPeriod: number;
  private readonly scanHandler = () => this.scanDeadlines();
  private readonly deadlineHandler = (ref: number) => this.deadline(ref);
  private readonly hcTimeoutHandler = (ref: number) => this.healthCheckTimeout(ref);
  /** Does the balancer pool connections after responses (keep-alive or close-after)? */
  readonly reuse: boolean;
  /** Do responses leave close-after connections (uWSGI http-socket) in the pool? */
  readonly closeAfter: boolean;
  /** close-after: each context's close time, set when its worker has run the close. */
  readonly closes: CloseClock | null;
  /** nginx's upstream logic (round robin with tries and max_fails); null for ELB/ALB. */
  readonly nginx: NginxUpstream | null;
  /** The connections each node keeps opened ahead (balancer.pool.preopen); null with none. */
  readonly preopen: PreopenPool | null;
  users: ClosedUsersSource | null = null;

  constructor(
    private readonly w: World,
    streams: RandomStreams,
  ) {
    const { balancer, fleet } = w.model;
    const server = fleet.server;
    this.nodes = balancer.nodes;
    this.containers = fleet.containers;
    this.router = new Router(fleet.containers, balancer.routing, balancer.failOpen, balancer.nodes);
    this.nodeOf = balancer.nodes > 1 ? streams.alea('balancer/node') : null;
    this.surgeCap = balancer.surgeQueue > 0 ? balancer.surgeQueue : Infinity;
    this.idleTimeout = balancer.idleTimeout;
    this.scanPeriod = balancer.idleTimeout / 2;
    const fate = connectionFate(server);
    this.reuse = balancer.keepAlive && fate !== 'closed';
    this.closeAfter = this.reuse && fate === 'close-after';
    this.closes = this.closeAfter ? new CloseClock(w.ctxReq.length) : null;
    const random = this.reuse && balancer.reuse === 'random' ? streams.stream('balancer/reuse') : null;
    const pool = balancer.pool;
    for (let k = 0; k < balancer.nodes * fleet.containers; k++) {
      this.pools.push(new KeepAlivePool(w.procs, server.keepAlive, balancer.idleTimeout, balancer.rtt / 2, balancer.reuse, random, this.closes, pool.noticeFin));
    }
    const instant = pool.reuseDelay.kind === 'const' && pool.reuseDelay.value === 0;
    this.reuseDelay = this.reuse && !instant ? new Draw(pool.reuseDelay, streams.alea('balancer/reuse-delay')) : null;
    this.retryReused = pool.retry && balancer.kind !== 'nginx';
    this.nginx = balancer.kind === 'nginx' ? new NginxUpstream(w, this) : null;
    this.preopen = pool.preopen > 0 ? new PreopenPool(w) : null;
    this.health = new HealthChecks(w.sim, balancer.healthCheck, this.router, fleet.containers, streams.stream('balancer/health-check/phase'), (c) =>
      this.sendHealthCheck(c),
    );
  }

  start(): void {
    this.health.start();
    this.w.sim.schedule(this.scanPeriod, this.scanHandler);
    this.preopen?.start();
  }

  /** A client's request reaches the balancer. */
  route(slot: number): void {
    const w = this.w;
    const table = w.table;
    w.metrics.arrived();
    table.container[slot] = -1;
    const node = this.nodeOf === null ? 0 : Math.floor(this.nodeOf.next() * this.nodes);
    table.node[slot] = node;
    if (this.surge >= this.surgeCap) {
      this.answer(slot, Cause.SurgeQueueFull);
      return;
    }
    if (this.nginx !== null) {
      this.nginx.begin(slot);
      return;
    }
    const c = this.router.pick(node);
    if (c < 0) {
      this.answer(slot, Cause.NoHealthyTarget);
      return;
    }
    this.send(slot, c);
  }

  /** Send the request to target c: on an idle pooled connection of its node, or a new one. */
  send(slot: number, c: number): void {
    const w = this.w;
    const table = w.table;
    table.container[slot] = c;
    this.router.outstanding[table.node[slot]! * this.containers + c]++;
    if (this.reuse) {
      const got = this.pools[table.node[slot]! * this.containers + c]!.take(w.sim.now);
      if (got !== NONE) {
        if (this.nginx !== null) this.nginx.cached(slot);
        if (got >= 0) w.server.deliverKeptAlive(w.procs[got]!, slot);
        else if (this.retryReused) {
          // The write met the target's FIN or RST: once more, on a new connection.
          this.reuseRetries++;
          w.listener.connect(c, slot);
        } else this.answer(slot, got === RACE ? Cause.KeepaliveRace : Cause.CloseRace);
        return;
      }
    }
    if (this.preopen !== null) {
      const pre = this.preopen.take(slot, table.node[slot]!, c);
      if (pre !== PRE_NONE) {
        if (pre === PRE_RACE) {
          // The request met the server's close of the pre-opened connection.
          if (this.retryReused) {
            this.reuseRetries++;
            w.listener.connect(c, slot);
          } else this.answer(slot, Cause.KeepaliveRace);
        }
        return;
      }
    }
    w.listener.connect(c, slot);
  }

  /** The client's answer: a response (cause 0) or a failure. Later answers are ignored. */
  answer(slot: number, cause: number): void {
    const w = this.w;
    const table = w.table;
    if (!table.clientWaiting[slot]) return;
    const user = table.user[slot]!;
    if (user === Origin.Preopen) {
      // A pre-opened connection ended before carrying a request (or the request it carried failed with it).
      this.preopen!.ended(slot, cause);
      return;
    }
    if (user === Origin.HealthCheck) {
      this.health.result(table.container[slot]!, cause === Cause.Ok);
      table.clientDone(slot);
      return;
    }
    const c = table.container[slot]!;
    if (c >= 0) this.router.outstanding[table.node[slot]! * this.containers + c]--;
    // nginx may send a failed attempt to the next server instead of answering.
    if (this.nginx !== null && c >= 0 && this.nginx.attemptEnded(slot, c, cause)) return;
    const tArrive = table.tArrive[slot]!;
    w.metrics.ended(tArrive, cause, c);
    const sink = w.requestSink;
    if (sink !== null) {
      sink.request(tArrive, this.nginx !== null ? this.nginx.attemptStart[slot]! : tArrive, w.sim.now, table.endpoint[slot]!, c, cause);
    }
    table.clientDone(slot);
    if (user >= 0) this.users!.answered(user);
  }

  /** A response left on a connection the server keeps open, to node `node`. */
  keptAlive(node: number, c: number, proc: number, incarnation: number): void {
    if (!this.reuse) return;
    const now = this.w.sim.now;
    this.pools[node * this.containers + c]!.put(proc, incarnation, now, this.reuseDelay === null ? now : now + this.reuseDelay.draw());
  }

  /**
   * A response left on a connection the server closes after it without saying so (uWSGI
   * http-socket): the close comes when the worker has run the post-response work (gevent: when
   * its hub gets to it); the server sets closes.at then. Called only when closeAfter (the caller checks).
   */
  closing(node: number, c: number, proc: number, incarnation: number, ctx: number): void {
    const now = this.w.sim.now;
    const availableAt = this.reuseDelay === null ? now : now + this.reuseDelay.draw();
    this.pools[node * this.containers + c]!.putClosing(proc, incarnation, now, availableAt, -1, ctx, this.closes!.open(ctx));
  }

  surgeEnter(): void {
    if (++this.surge > this.surgeMax) this.surgeMax = this.surge;
  }

  surgeLeave(): void {
    this.surge--;
  }

  startWindow(): void {
    this.surgeMax = this.surge;
    this.health.startWindow();
    for (const p of this.pools) p.reuses = p.races = p.closeRaces = 0;
    this.reuseRetries = 0;
    this.nginx?.startWindow();
    this.preopen?.startWindow();
  }

  /**
   * The idle timeout, without any work per request: every half timeout, look at the requests in
   * flight and set an exact timer for each one whose deadline falls before the next look. A
   * request's deadline is its arrival + idleTimeout, so one that arrives after a look is due
   * after the next one: none is missed, and each 504 lands exactly at its deadline.
   */
  private scanDeadlines(): void {
    const w = this.w;
    const table = w.table;
    const now = w.sim.now;
    const horizon = now + this.scanPeriod;
    const start = this.nginx !== null ? this.nginx.attemptStart : null;
    for (let slot = 0; slot < table.capacity; slot++) {
      if (!table.clientWaiting[slot] || table.user[slot] === Origin.HealthCheck) continue;
      const due = (start !== null ? start[slot]! : table.tArrive[slot]!) + this.idleTimeout;
      if (due <= horizon) w.sim.at(Math.max(due, now), this.deadlineHandler, table.ref(slot));
    }
    w.sim.schedule(this.scanPeriod, this.scanHandler);
  }

  private deadline(ref: number): void {
    const slot = this.w.table.deref(ref);
    if (slot < 0 || !this.w.table.clientWaiting[slot]) return;
    // nginx: a retry started since the timer was set has its own deadline (the next scan sets it).
    if (this.nginx !== null && this.w.sim.now < this.nginx.attemptStart[slot]! + this.idleTimeout) return;
    this.answer(slot, Cause.IdleTimeout);
  }

  private sendHealthCheck(c: number): void {
    const w = this.w;
    const table = w.table;
    const slot = table.alloc(w.sim.now, Origin.HealthCheck);
    w.endpoints.drawWork(table, slot, w.endpoints.healthCheck);
    table.container[slot] = c;
    table.node[slot] = 0;
    w.sim.schedule(this.health.timeout, this.hcTimeoutHandler, table.ref(slot));
    w.listener.connect(c, slot);
  }

  private healthCheckTimeout(ref: number): void {
    const slot = this.w.table.deref(ref);
    if (slot >= 0 && this.w.table.clientWaiting[slot]) this.answer(slot, Cause.IdleTimeout);
  }
}
