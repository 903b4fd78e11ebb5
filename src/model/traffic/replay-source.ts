// Arrivals at the times a log recorded (traffic.replay): the log's first arrival at simulated
// time 0, each request to the endpoint its path names (or one drawn by weight when none does).
// One event at a time, so a replayed hour costs what a generated one does.
import type { Simulation } from '../../kernel/simulation.js';
import type { ReplayArrivals } from '../../logs/replay-arrivals.js';
import type { TrafficSource } from './sources.js';

export class ReplaySource implements TrafficSource {
  private next = 0;
  private readonly handler = () => this.fire();

  constructor(
    private readonly sim: Simulation,
    private readonly log: ReplayArrivals,
    /** Emit a request to endpoint e (-1: draw one by weight). */
    private readonly emit: (e: number) => void,
  ) {}

  start(): void {
    if (this.log.times.length > 0) this.sim.at(this.log.times[0]!, this.handler);
  }

  private fire(): void {
    const i = this.next++;
    if (this.next < this.log.times.length) this.sim.at(this.log.times[this.next]!, this.handler);
    this.emit(this.log.endpoints[i]!);
  }
}
