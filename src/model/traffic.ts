// Poisson arrivals at a constant rate, each request assigned an endpoint by weight and its
// phases' work drawn at arrival (see RequestTable for why at arrival).
import { makeSampler, type Sampler } from '../kernel/distributions.js';
import type { RandomStreams, Uniform } from '../kernel/random-streams.js';
import type { Simulation } from '../kernel/simulation.js';
import type { Endpoint, Traffic } from '../scenario/model-types.js';
import type { RequestTable } from './request-table.js';

export const enum PhaseCode {
  Cpu = 0,
  Wait = 1,
}

/** Endpoints flattened for the hot path: phase kinds and samplers by endpoint. */
export class EndpointTable {
  readonly kinds: Int32Array[]; // per endpoint, per phase: PhaseCode
  readonly samplers: Sampler[][];
  readonly phaseCount: Int32Array;
  readonly maxPhases: number;
  private readonly cum: Float64Array;
  private readonly total: number;

  constructor(endpoints: Endpoint[], streams: RandomStreams, private readonly pick: Uniform) {
    this.kinds = endpoints.map((e) => Int32Array.from(e.phases, (p) => (p.kind === 'cpu' ? PhaseCode.Cpu : PhaseCode.Wait)));
    this.samplers = endpoints.map((e) =>
      e.phases.map((p, i) => makeSampler(p.dist, streams.stream(`endpoint/${e.name}/phase/${i}`))),
    );
    this.phaseCount = Int32Array.from(endpoints, (e) => e.phases.length);
    this.maxPhases = Math.max(...endpoints.map((e) => e.phases.length));
    this.cum = new Float64Array(endpoints.length);
    let acc = 0;
    endpoints.forEach((e, i) => (this.cum[i] = acc += e.weight));
    this.total = acc;
  }

  /** Choose an endpoint by weight. */
  choose(): number {
    const n = this.cum.length;
    if (n === 1) return 0;
    const x = this.pick() * this.total;
    let i = 0;
    while (i < n - 1 && x >= this.cum[i]!) i++;
    return i;
  }

  /** Draw the work of every phase of endpoint e into the request's row. */
  drawWork(table: RequestTable, slot: number, e: number): void {
    const s = this.samplers[e]!;
    const base = slot * table.maxPhases;
    for (let p = 0; p < s.length; p++) table.work[base + p] = s[p]!();
  }
}

/** Constant-rate Poisson source: calls `onArrival(slot)` for each new request. */
export class PoissonSource {
  private readonly handler = () => this.fire();
  private readonly meanGap: number;

  constructor(
    private readonly sim: Simulation,
    traffic: Traffic,
    private readonly gaps: Uniform,
    private readonly endpoints: EndpointTable,
    private readonly table: RequestTable,
    private readonly onArrival: (slot: number) => void,
  ) {
    this.meanGap = 1 / traffic.rate;
  }

  start(): void {
    this.sim.schedule(-this.meanGap * Math.log(1 - this.gaps()), this.handler);
  }

  private fire(): void {
    this.sim.schedule(-this.meanGap * Math.log(1 - this.gaps()), this.handler);
    const table = this.table;
    const slot = table.alloc();
    table.tArrive[slot] = this.sim.now;
    const e = this.endpoints.choose();
    table.endpoint[slot] = e;
    table.phase[slot] = 0;
    this.endpoints.drawWork(table, slot, e);
    this.onArrival(slot);
  }
}
