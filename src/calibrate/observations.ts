// What one pass over the logs keeps, in memory bounded by the log's span (one entry per minute)
// and by the number of endpoints (at most MAX_PATTERNS, each with a fixed-size sample), never
// by its number of lines.
import type { LogRecord } from '../logs/record.js';
import { pathPattern } from './path-patterns.js';
import { Reservoir } from './reservoir.js';

/** Distinct path patterns tracked one by one; later new ones are pooled as "(other)" as they come. */
export const MAX_PATTERNS = 500;
/** Target times kept per endpoint (a uniform sample). */
export const SAMPLE = 8192;
export const OTHER = '(other)';

export class EndpointObs {
  count = 0;
  /** Requests with a target time (the target answered). */
  timed = 0;
  status5xx = 0;
  readonly methods = new Map<string, number>();
  /** Target times (s), tagged with the arrival minute. */
  readonly sample: Reservoir;

  constructor(seed: number) {
    this.sample = new Reservoir(SAMPLE, seed);
  }
}

export interface MinuteObs {
  count: number;
  /** Seconds of target time of the requests that arrived in the minute (the load, by Little's law). */
  busy: number;
  /** Requests in the minute with a target time (busy covers them). */
  timed: number;
}

/** Status classes counted per 5 minutes. */
export const STATUS_CLASSES = ['2xx', '3xx', '4xx', '500', '502', '503', '504', '5xx other', 'none'] as const;

function statusClass(s: number): number {
  if (s >= 200 && s < 300) return 0;
  if (s >= 300 && s < 400) return 1;
  if (s >= 400 && s < 500) return 2;
  if (s === 500) return 3;
  if (s === 502) return 4;
  if (s === 503) return 5;
  if (s === 504) return 6;
  if (s > 500) return 7;
  return 8;
}

export class Observations {
  requests = 0;
  /** Records with no usable time stamp (not placed in minutes). */
  untimed = 0;
  first = Infinity;
  last = -Infinity;
  readonly minutes = new Map<number, MinuteObs>();
  readonly per5min = new Map<number, Float64Array>();
  readonly statuses = new Map<number, number>();
  readonly targets = new Map<string, number>();
  readonly endpoints = new Map<string, EndpointObs>();
  /** Client-side times (s) of 2xx responses, where the log has them: what the model is checked against. */
  readonly latency = new Reservoir(SAMPLE, 0x5bd1e995);
  /** Distinct patterns that arrived after MAX_PATTERNS and went to (other) directly. */
  overflowed = 0;
  private readonly overflowSeen = new Set<string>();
  private seed = 1;

  add(r: LogRecord): void {
    this.requests++;
    const t = r.start === r.start ? r.start : r.end;
    const timed = r.targetTime === r.targetTime;
    let minute = -1;
    if (t === t) {
      if (t < this.first) this.first = t;
      if (t > this.last) this.last = t;
      minute = Math.floor(t / 60);
      let m = this.minutes.get(minute);
      if (m === undefined) this.minutes.set(minute, (m = { count: 0, busy: 0, timed: 0 }));
      m.count++;
      if (timed) {
        m.busy += r.targetTime;
        m.timed++;
      }
      const w = Math.floor(t / 300);
      let s = this.per5min.get(w);
      if (s === undefined) this.per5min.set(w, (s = new Float64Array(STATUS_CLASSES.length)));
      s[statusClass(r.status)]++;
    } else this.untimed++;
    this.statuses.set(r.status, (this.statuses.get(r.status) ?? 0) + 1);
    if (r.target !== '') this.targets.set(r.target, (this.targets.get(r.target) ?? 0) + 1);
    const e = this.endpoint(pathPattern(r.path));
    e.count++;
    e.methods.set(r.method, (e.methods.get(r.method) ?? 0) + 1);
    if (r.status >= 500) e.status5xx++;
    // A target answered with a status the app chose: its time is service (and waiting). 502-504
    // are left out even with a target time: mostly the balancer's or proxy's failures (an nginx
    // 504 carries proxy_read_timeout as its upstream time), not the app's work.
    if (timed && r.targetStatus > 0 && (r.status < 502 || r.status > 504)) {
      e.timed++;
      e.sample.add(r.targetTime, minute);
    }
    if (r.total === r.total && r.status >= 200 && r.status < 300) this.latency.add(r.total, minute);
  }

  private endpoint(pattern: string): EndpointObs {
    let e = this.endpoints.get(pattern);
    if (e !== undefined) return e;
    if (this.endpoints.size >= MAX_PATTERNS) {
      if (!this.overflowSeen.has(pattern) && this.overflowSeen.size < 100_000) {
        this.overflowSeen.add(pattern);
        this.overflowed++;
      }
      e = this.endpoints.get(OTHER);
      if (e === undefined) this.endpoints.set(OTHER, (e = new EndpointObs(this.seed++)));
      return e;
    }
    e = new EndpointObs(this.seed++);
    this.endpoints.set(pattern, e);
    return e;
  }
}
