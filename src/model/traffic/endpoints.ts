// Endpoints flattened for the hot path: per endpoint, its phases' kinds and work samplers.
// The balancer's health check is one more endpoint (one CPU phase) after the model's own.
import { Draw } from '../../kernel/distributions.js';
import type { DistSpec } from '../../kernel/distribution-spec.js';
import type { RandomStreams, Uniform } from '../../kernel/random-streams.js';
import type { Endpoint } from '../../scenario/model-types.js';
import type { RequestTable } from '../request-table.js';

export const enum PhaseCode {
  Cpu = 0,
  Wait = 1,
  Db = 2,
}

const CODES = { cpu: PhaseCode.Cpu, wait: PhaseCode.Wait, db: PhaseCode.Db } as const;

export class EndpointTable {
  readonly kinds: Int32Array[];
  readonly samplers: Draw[][];
  readonly phaseCount: Int32Array;
  readonly maxPhases: number;
  /** Index of the health-check endpoint. */
  readonly healthCheck: number;
  private readonly cum: Float64Array;
  private readonly total: number;
  private readonly count: number;

  constructor(endpoints: Endpoint[], healthCheckWork: DistSpec, streams: RandomStreams, private readonly pick: Uniform) {
    const all = [...endpoints, { name: '(health check)', weight: 0, phases: [{ kind: 'cpu' as const, dist: healthCheckWork }] }];
    this.kinds = all.map((e) => Int32Array.from(e.phases, (p) => CODES[p.kind]));
    this.samplers = all.map((e, k) =>
      e.phases.map((p, i) => new Draw(p.dist, streams.alea(k === endpoints.length ? 'balancer/health-check/work' : `endpoint/${e.name}/phase/${i}`))),
    );
    this.phaseCount = Int32Array.from(all, (e) => e.phases.length);
    this.maxPhases = Math.max(...all.map((e) => e.phases.length));
    this.healthCheck = endpoints.length;
    this.count = endpoints.length;
    this.cum = new Float64Array(endpoints.length);
    let acc = 0;
    endpoints.forEach((e, i) => (this.cum[i] = acc += e.weight));
    this.total = acc;
  }

  /** Choose a (model) endpoint by weight. */
  choose(): number {
    const n = this.count;
    if (n === 1) return 0;
    const x = this.pick() * this.total;
    let i = 0;
    while (i < n - 1 && x >= this.cum[i]!) i++;
    return i;
  }

  /** Draw the work of every phase of endpoint e into the request's row. */
  drawWork(table: RequestTable, slot: number, e: number): void {
    table.endpoint[slot] = e;
    const s = this.samplers[e]!;
    const base = slot * table.maxPhases;
    for (let p = 0; p < s.length; p++) s[p]!.drawInto(table.work, base + p);
  }
}
