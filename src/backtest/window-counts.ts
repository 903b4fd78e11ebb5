// A simulated run's requests counted per 5-minute window of the log's clock, by status (the
// RequestSink the backtest gives each replication). Window k of the log is [W0 + 300k,
// W0 + 300(k+1)) in epoch seconds; simulated time s is epoch first + (s - simStart), where
// simStart is 0 for a replayed log (its first arrival is at 0) and the warmup otherwise.
import { causeStatuses } from '../model/outcome.js';
import type { RequestSink } from '../model/request-sink.js';

export const WINDOW = 300;
/** Status indexes counted: 2xx, 500, 502, 503, 504 (the Status enum's order). */
export const COUNTED = ['2xx', '500', '502', '503', '504'] as const;

export class WindowCounts implements RequestSink {
  /** counts[k * 5 + status] */
  counts: Float64Array;
  private readonly status: Int32Array;

  constructor(
    balancer: 'alb' | 'elb' | 'nginx',
    private readonly shift: number,
    private readonly from: number,
    windows: number,
  ) {
    this.status = causeStatuses(balancer);
    this.counts = new Float64Array(windows * COUNTED.length);
  }

  request(tArrive: number, _attempt: number, _now: number, _endpoint: number, _container: number, cause: number): void {
    if (tArrive < this.from) return;
    const k = Math.floor((tArrive + this.shift) / WINDOW);
    const i = k * COUNTED.length + this.status[cause]!;
    if (k >= 0 && i < this.counts.length) this.counts[i]++;
  }
}
