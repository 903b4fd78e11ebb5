// nginx 1.22 as the front: the upstream module's choice of server and its retries. Every default
// and citation is in src/facts/nginx.ts; the logic follows src/http/ngx_http_upstream.c
// (ngx_http_upstream_next) and ngx_http_upstream_round_robin.c (get_peer, free_peer):
//
// * Round robin over the servers (equal weights) not yet tried by this request and not
//   failed: a server with max_fails failures, the last within fail_timeout, is skipped
//   (ngx_http_upstream_get_peer). None left: 502 "no live upstreams" (no fail-open).
// * An attempt that fails with an error (reset or refused connect, the connection closed before
//   the response header: worker-killed, reload-mercy, close-race, keepalive-race, a backlog
//   reset) or a connect timeout counts a failure of its server (free_peer: fails++, checked =
//   now) and goes to the next server if proxy_next_upstream names its kind and tries remain
//   (tries = the number of servers, capped by proxy_next_upstream_tries). A failure on a cached
//   keep-alive connection gives one try more ("u->peer.tries++" in ngx_http_upstream_next), but
//   still needs `error` in proxy_next_upstream.
// * With a single server nginx never counts failures and never retries (free_peer sets tries
//   to 0), except the extra try of a failed cached connection.
// * A success after fail_timeout (accessed < checked) resets the server's failures.
// * Times are ngx_time(): whole seconds.
// Not modelled: retries after proxy_read_timeout (504; nginx would retry it under "timeout", but
// the first attempt still holds its worker), non-idempotent requests (all are GETs), weights
// and effective_weight's slow recovery after a failure.
import { Cause } from '../outcome.js';
import type { World } from '../world.js';
import type { Balancer } from './balancer.js';

const FT_ERROR = 1;
const FT_TIMEOUT = 2;

export class NginxUpstream {
  private readonly n: number;
  private next = 0;
  private readonly fails: Int32Array;
  private readonly checked: Float64Array;
  private readonly accessed: Float64Array;
  private readonly mask: number;
  private readonly maxFails: number;
  private readonly failTimeout: number;
  private readonly tries0: number;
  /** Per request slot: servers tried (bit per target, modulo 32), tries left, cached connection? */
  private tried: Int32Array;
  private tries: Int32Array;
  private wasCached: Uint8Array;
  /** Per request slot: when its current attempt started (proxy_read_timeout runs from it). */
  attemptStart: Float64Array;
  /** Attempts sent to a next server, in the measured window. */
  retries = 0;
  private readonly retryHandler = (ref: number) => this.retry(ref);

  constructor(
    private readonly w: World,
    private readonly balancer: Balancer,
  ) {
    const b = w.model.balancer;
    this.n = w.model.fleet.containers;
    this.fails = new Int32Array(this.n);
    this.checked = new Float64Array(this.n);
    this.accessed = new Float64Array(this.n);
    this.mask = (b.nextUpstream.includes('error') ? FT_ERROR : 0) | (b.nextUpstream.includes('timeout') ? FT_TIMEOUT : 0);
    this.maxFails = b.maxFails;
    this.failTimeout = b.failTimeout;
    this.tries0 = b.nextUpstreamTries > 0 ? Math.min(this.n, b.nextUpstreamTries) : this.n;
    this.tried = new Int32Array(256);
    this.tries = new Int32Array(256);
    this.wasCached = new Uint8Array(256);
    this.attemptStart = new Float64Array(256);
  }

  /** A new request: its first attempt. */
  begin(slot: number): void {
    if (slot >= this.tried.length) this.grow(slot);
    this.tried[slot] = 0;
    this.tries[slot] = this.tries0;
    this.attempt(slot);
  }

  /** The attempt now sent goes on a cached (kept-alive) connection. */
  cached(slot: number): void {
    this.wasCached[slot] = 1;
  }

  private attempt(slot: number): void {
    this.wasCached[slot] = 0;
    this.attemptStart[slot] = this.w.sim.now;
    const c = this.pick(slot);
    if (c < 0) {
      this.w.table.container[slot] = -1;
      this.balancer.answer(slot, Cause.NoLiveUpstream);
      return;
    }
    this.balancer.send(slot, c);
  }

  private pick(slot: number): number {
    const n = this.n;
    const now = Math.floor(this.w.sim.now);
    // peers->single: the one server, whatever its failures.
    if (n === 1) return 0;
    const tried = this.tried[slot]!;
    for (let k = 0, t = this.next; k < n; k++, t = t + 1 === n ? 0 : t + 1) {
      const bit = 1 << (t & 31);
      if (tried & bit) continue;
      if (this.maxFails > 0 && this.fails[t]! >= this.maxFails && now - this.checked[t]! <= this.failTimeout) continue;
      this.tried[slot] = tried | bit;
      this.next = t + 1 === n ? 0 : t + 1;
      if (now - this.checked[t]! > this.failTimeout) this.checked[t] = now;
      return t;
    }
    return -1;
  }

  /**
   * An attempt at target c ended with `cause`. True when nginx sends the request to the next
   * server instead of answering (then the balancer answers nothing now).
   */
  attemptEnded(slot: number, c: number, cause: number): boolean {
    let ft = 0;
    switch (cause) {
      case Cause.BacklogOverflow:
      case Cause.WorkerKilled:
      case Cause.ReloadMercy:
      case Cause.CloseRace:
      case Cause.KeepaliveRace:
      case Cause.ConnectFailed:
        ft = FT_ERROR;
        break;
      case Cause.ConnectTimeout:
        ft = FT_TIMEOUT;
        break;
    }
    const now = Math.floor(this.w.sim.now);
    if (ft === 0) {
      // A response (or the read timeout, not retried here): free_peer without NGX_PEER_FAILED.
      if (cause !== Cause.IdleTimeout && this.n > 1 && this.accessed[c]! < this.checked[c]!) this.fails[c] = 0;
      return false;
    }
    if (this.n === 1) this.tries[slot] = 0;
    else {
      this.fails[c]++;
      this.accessed[c] = now;
      this.checked[c] = now;
      if (this.tries[slot]! > 0) this.tries[slot]--;
    }
    if (this.wasCached[slot] === 1 && ft === FT_ERROR) this.tries[slot]++;
    if (this.tries[slot] === 0 || (this.mask & ft) === 0) return false;
    this.retries++;
    // After the caller has let go of this attempt (serverDone): the next one, at once.
    this.w.table.container[slot] = -1;
    this.w.sim.schedule(0, this.retryHandler, this.w.table.ref(slot));
    return true;
  }

  private retry(ref: number): void {
    const slot = this.w.table.deref(ref);
    if (slot < 0 || !this.w.table.clientWaiting[slot]) return;
    this.attempt(slot);
  }

  private grow(slot: number): void {
    let n = this.tried.length;
    while (n <= slot) n *= 2;
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.tried = i32(this.tried);
    this.tries = i32(this.tries);
    const c = new Uint8Array(n);
    c.set(this.wasCached);
    this.wasCached = c;
    const s = new Float64Array(n);
    s.set(this.attemptStart);
    this.attemptStart = s;
  }

  startWindow(): void {
    this.retries = 0;
  }
}
