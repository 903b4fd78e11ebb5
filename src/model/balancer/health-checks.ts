// The balancer's health checks: every `interval`, a request to each target that travels the
// same path as real ones (accept queue, a worker, its CPU). No answer within `timeout`, or a
// failure, counts against the target; `unhealthyThreshold` failures in a row take it out of
// service, `healthyThreshold` successes in a row bring it back.
import type { HealthCheck } from '../../scenario/model-types.js';
import type { Simulation } from '../../kernel/simulation.js';
import type { Uniform } from '../../kernel/random-streams.js';
import type { Router } from './routing.js';
import { F64_ZERO } from '../../kernel/f64.js';

export class HealthChecks {
  private readonly okRun: Int32Array;
  private readonly failRun: Int32Array;
  /** Seconds each target spent out of service in the measured window. */
  readonly unhealthySeconds: Float64Array;
  private readonly since: Float64Array;
  private from = F64_ZERO;
  transitions = 0;
  private readonly probeHandler = (c: number) => this.probe(c);

  constructor(
    private readonly sim: Simulation,
    private readonly hc: HealthCheck,
    private readonly router: Router,
    private readonly targets: number,
    private readonly phase: Uniform,
    /** Send one health-check request to target c. */
    private readonly send: (c: number) => void,
  ) {
    this.okRun = new Int32Array(targets);
    this.failRun = new Int32Array(targets);
    this.unhealthySeconds = new Float64Array(targets);
    this.since = new Float64Array(targets);
  }

  start(): void {
    if (!this.hc.enabled) return;
    for (let c = 0; c < this.targets; c++) this.sim.schedule(this.phase() * this.hc.interval, this.probeHandler, c);
  }

  get timeout(): number {
    return this.hc.timeout;
  }

  /** Outcome of one check of target c. */
  result(c: number, ok: boolean): void {
    const r = this.router;
    if (ok) {
      this.failRun[c] = 0;
      if (++this.okRun[c]! >= this.hc.healthyThreshold && !r.healthy[c]) {
        r.setHealthy(c, true);
        this.unhealthySeconds[c] += this.sim.now - Math.max(this.since[c]!, this.from);
        this.transitions++;
      }
    } else {
      this.okRun[c] = 0;
      if (++this.failRun[c]! >= this.hc.unhealthyThreshold && r.healthy[c]) {
        r.setHealthy(c, false);
        this.since[c] = this.sim.now;
        this.transitions++;
      }
    }
  }

  startWindow(): void {
    this.from = this.sim.now;
    this.unhealthySeconds.fill(0);
    this.transitions = 0;
  }

  /** Close the window: count the time of targets still out of service. */
  endWindow(): void {
    for (let c = 0; c < this.targets; c++) {
      if (!this.router.healthy[c]) {
        this.unhealthySeconds[c] += this.sim.now - Math.max(this.since[c]!, this.from);
        this.since[c] = this.sim.now;
      }
    }
  }

  private probe(c: number): void {
    this.sim.schedule(this.hc.interval, this.probeHandler, c);
    this.send(c);
  }
}
