// Choosing a target container. Classic ELB's HTTP listeners route to the target with the fewest
// outstanding requests; ALB's default is round robin. Unhealthy targets are skipped; with none
// left, ALB fails open (routes to all of them) and Classic ELB has nothing to route to.
// Each balancer node routes on its own: its own round robin, and (Classic ELB) the outstanding
// requests it sent itself; the targets' health is shared.
import type { Routing } from '../../scenario/model-types.js';

export class Router {
  /** Requests each node routed to each target and not yet answered: node * targets + target. */
  readonly outstanding: Int32Array;
  /** Is each target in service (passing health checks)? Change it with setHealthy(). */
  readonly healthy: Uint8Array;
  private healthyCount: number;
  /** Each node's next target in rotating order. */
  private readonly next: Int32Array;

  constructor(
    private readonly targets: number,
    private readonly routing: Routing,
    private readonly failOpen: boolean,
    nodes = 1,
  ) {
    this.next = new Int32Array(nodes);
    this.outstanding = new Int32Array(nodes * targets);
    this.healthy = new Uint8Array(targets).fill(1);
    this.healthyCount = targets;
  }

  setHealthy(t: number, healthy: boolean): void {
    if ((this.healthy[t] === 1) === healthy) return;
    this.healthy[t] = healthy ? 1 : 0;
    this.healthyCount += healthy ? 1 : -1;
  }

  /** A target for node `node`'s next request, or -1 when no target may be used. */
  pick(node: number): number {
    const n = this.targets;
    const anyHealthy = this.healthyCount > 0;
    if (!anyHealthy && !this.failOpen) return -1;
    const start = this.next[node]!;
    this.next[node] = start + 1 === n ? 0 : start + 1;
    if (this.routing === 'round-robin') {
      for (let k = 0, t = start; k < n; k++, t = t + 1 === n ? 0 : t + 1) {
        if (!anyHealthy || this.healthy[t]) {
          this.next[node] = t + 1 === n ? 0 : t + 1;
          return t;
        }
      }
      return -1;
    }
    // Least outstanding requests (of this node's); ties go to the first in rotating order.
    const outstanding = this.outstanding;
    const base = node * n;
    let best = -1;
    let bestLoad = Infinity;
    for (let k = 0, t = start; k < n; k++, t = t + 1 === n ? 0 : t + 1) {
      if (anyHealthy && !this.healthy[t]) continue;
      const load = outstanding[base + t]!;
      if (load < bestLoad) {
        best = t;
        bestLoad = load;
      }
    }
    return best;
  }
}
