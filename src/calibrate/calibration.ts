// From one pass of observations to the figures a model needs: the arrival rate (and a daily
// profile when the logs span hours), endpoints with fitted service times, the status mix and
// 5xx per 5 minutes, the targets seen — each with what it rests on.
//
// Service versus waiting. A balancer's target time is a response time: under load it includes
// the accept queue and, with gevent, the hub's wait. Calibration takes each endpoint's service
// time from the quietest periods: the QUIET_SHARE of the log's minutes with the fewest arrivals.
// There, a request rarely finds its worker busy, so its target time is close to its service time. The fit uses those minutes' sample when it has at least MIN_QUIET values,
// otherwise all minutes (and says so). The gap between the quiet and the all-minutes means is
// reported: it is the waiting the busier minutes added (or a service time that itself grows with
// load: a database that slows, CPU shared by more busy workers; the logs cannot tell these apart).
import { poissonCI } from '../stats/intervals.js';
import { fitServiceTimes, quantileOfSorted, type Fit } from './fit.js';
import { OTHER, STATUS_CLASSES, type EndpointObs, type Observations } from './observations.js';

export const QUIET_SHARE = 0.2;
/** Minutes: a longer stretch without requests is a gap in the log. */
export const MAX_GAP = 5;
export const MIN_QUIET = 200;
/** A daily profile is written when the logs span at least this long. */
export const PROFILE_SPAN = 3 * 3600;
/** ALB logs target times in whole milliseconds: a 0.000 is below half of one. */
export const ZERO_AS = 0.0005;

export interface EndpointCalibration {
  pattern: string;
  requests: number;
  share: number;
  method: string;
  fit: Fit | null;
  /** Which minutes the fit used. */
  fittedOn: 'quiet minutes' | 'all minutes' | 'none';
  /** Target-time means (s) in the quiet minutes and in all minutes, and p95 in all; NaN when none. */
  quietMean: number;
  allMean: number;
  allP95: number;
  quietSamples: number;
  /** Share of the endpoint's requests that got a 5xx. */
  errorShare: number;
  /** Patterns pooled into this one (for "(other)"). */
  pooled: number;
}

export interface Calibration {
  requests: number;
  untimed: number;
  /** Epoch seconds of the first and last arrival, and the span between. */
  first: number;
  last: number;
  span: number;
  minutes: number;
  rate: { perMinute: number; ci95: [number, number]; minuteMin: number; minuteP50: number; minuteMax: number; dispersion: number };
  /** Points of a daily profile (from the log's start), when the logs span PROFILE_SPAN or more. */
  profile: { at: number; perMinute: number }[] | null;
  endpoints: EndpointCalibration[];
  statuses: { status: number; requests: number; share: number }[];
  /** wholeWindows: the 5-minute windows the mean and max are over (the first and last are partial). */
  per5min: { classes: readonly string[]; windows: { start: number; counts: number[] }[]; fiveXxMean: number; fiveXxMax: number; wholeWindows: number };
  targets: { count: number; busiestShare: number; names: string[] };
  /** Mean requests in service per target, by Little's law: over the log, and in the busiest minute. */
  /** quietRate: arrivals per minute at most, in the quiet minutes; quietPerTarget: their mean load per target. */
  load: { meanPerTarget: number; busiestMinutePerTarget: number; quietPerTarget: number; quietRate: number };
  overflowedPatterns: number;
}

export function calibrate(obs: Observations, top: number): Calibration {
  if (obs.requests === 0) throw new Error('the logs hold no requests');
  const span = obs.last > obs.first ? obs.last - obs.first : 0;
  const minuteKeys = [...obs.minutes.keys()].sort((a, b) => a - b);
  // The first and last minutes are partial (the log starts and ends inside them): the rate is
  // counted over whole minutes when there are at least three.
  const inner = minuteKeys.length >= 3 ? minuteKeys.slice(1, -1) : minuteKeys;
  // Minutes without a request inside short gaps are minutes of no traffic; a gap longer than
  // MAX_GAP minutes is taken as missing log (files of different days), not as zero traffic.
  const whole: number[] = [];
  for (let i = 0; i < inner.length; i++) {
    if (i > 0 && inner[i]! - inner[i - 1]! <= MAX_GAP) for (let m = inner[i - 1]! + 1; m < inner[i]!; m++) whole.push(m);
    whole.push(inner[i]!);
  }
  const countOf = (m: number) => obs.minutes.get(m)?.count ?? 0;
  const busyOf = (m: number) => obs.minutes.get(m)?.busy ?? 0;
  const counts = whole.map(countOf);
  const sortedCounts = [...counts].sort((a, b) => a - b);
  const total = counts.reduce((a, b) => a + b, 0);
  const n = Math.max(1, counts.length);
  const perMinute = total / n;
  // Poisson when few were counted; otherwise normal, widened by the minutes' over-dispersion.
  const variance0 = counts.reduce((a, c) => a + (c - perMinute) ** 2, 0) / Math.max(1, n - 1);
  const se = Math.sqrt(Math.max(variance0, perMinute) / n);
  const ci = total < 30 ? poissonCI(total).map((x) => x) : [(perMinute - 1.96 * se) * n, (perMinute + 1.96 * se) * n];
  const variance = variance0;

  // Quiet minutes: the QUIET_SHARE of minutes with the fewest arrivals. By arrivals, not by
  // load: a minute's load is the sum of its own target times, so choosing minutes of low load
  // would choose short service times (a sample biased low); arrivals do not depend on them.
  const loads = whole.map((m) => busyOf(m) / 60).sort((a, b) => a - b);
  const quietCut = sortedCounts.length >= 5 ? sortedCounts[Math.max(0, Math.ceil(sortedCounts.length * QUIET_SHARE) - 1)]! : Infinity;
  const quiet = new Set(whole.filter((m) => countOf(m) <= quietCut));
  const quietThreshold = quiet.size > 0 ? whole.filter((m) => quiet.has(m)).reduce((a, m) => a + busyOf(m) / 60, 0) / quiet.size : NaN;
  const targetCount = Math.max(1, obs.targets.size);

  const ranked = [...obs.endpoints.entries()].filter(([p]) => p !== OTHER).sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1));
  const kept = ranked.slice(0, top);
  const pooledList = ranked.slice(top).map(([, e]) => e);
  const other = obs.endpoints.get(OTHER);
  if (other) pooledList.push(other);
  const endpoints = kept.map(([p, e]) => endpointCalibration(p, [e], obs.requests, quiet, 0));
  if (pooledList.length > 0) endpoints.push(endpointCalibration(OTHER, pooledList, obs.requests, quiet, ranked.length - kept.length + obs.overflowed));

  const statuses = [...obs.statuses.entries()].sort((a, b) => a[0] - b[0]).map(([status, requests]) => ({ status, requests, share: requests / obs.requests }));
  const windows = [...obs.per5min.entries()].sort((a, b) => a[0] - b[0]).map(([w, c]) => ({ start: w * 300, counts: Array.from(c) }));
  const five = windows.map((w) => w.counts[3]! + w.counts[4]! + w.counts[5]! + w.counts[6]! + w.counts[7]!);
  const wholeWindows = five.length >= 3 ? five.slice(1, -1) : five;
  const targetsSorted = [...obs.targets.entries()].sort((a, b) => b[1] - a[1]);
  const targetTotal = targetsSorted.reduce((a, [, c]) => a + c, 0);
  const busySum = whole.reduce((a, m) => a + busyOf(m), 0);

  return {
    requests: obs.requests,
    untimed: obs.untimed,
    first: obs.first,
    last: obs.last,
    span,
    minutes: counts.length,
    rate: {
      perMinute,
      ci95: [Math.max(0, ci[0]! / n), ci[1]! / n],
      minuteMin: sortedCounts[0] ?? 0,
      minuteP50: sortedCounts[Math.floor((sortedCounts.length - 1) / 2)] ?? 0,
      minuteMax: sortedCounts[sortedCounts.length - 1] ?? 0,
      // variance / mean of per-minute counts: 1 for Poisson arrivals at a constant rate
      dispersion: perMinute > 0 ? variance / perMinute : NaN,
    },
    profile: span >= PROFILE_SPAN ? hourlyProfile(obs, minuteKeys) : null,
    endpoints,
    statuses,
    per5min: {
      classes: STATUS_CLASSES,
      windows,
      fiveXxMean: wholeWindows.length > 0 ? wholeWindows.reduce((a, b) => a + b, 0) / wholeWindows.length : 0,
      fiveXxMax: Math.max(0, ...wholeWindows),
      wholeWindows: wholeWindows.length,
    },
    targets: { count: obs.targets.size, busiestShare: targetTotal > 0 ? targetsSorted[0]![1] / targetTotal : NaN, names: targetsSorted.slice(0, 50).map(([t]) => t) },
    load: {
      meanPerTarget: busySum / (60 * n) / targetCount,
      busiestMinutePerTarget: (loads[loads.length - 1] ?? 0) / targetCount,
      quietPerTarget: quietThreshold / targetCount,
      quietRate: quietCut,
    },
    overflowedPatterns: obs.overflowed,
  };
}

function endpointCalibration(pattern: string, parts: EndpointObs[], all: number, quiet: Set<number>, pooled: number): EndpointCalibration {
  const requests = parts.reduce((a, e) => a + e.count, 0);
  const methods = new Map<string, number>();
  for (const e of parts) for (const [m, c] of e.methods) methods.set(m, (methods.get(m) ?? 0) + c);
  const method = [...methods.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  const errors = parts.reduce((a, e) => a + e.status5xx, 0);
  // Pooled endpoints: each sample contributes in proportion to its endpoint's requests.
  const pick = (keep?: (tag: number) => boolean) => {
    const values: number[] = [];
    const most = Math.max(...parts.map((e) => e.sample.seen));
    for (const e of parts) {
      const s = e.sample.sorted(keep);
      const share = parts.length === 1 ? 1 : e.sample.seen / most;
      const take = Math.round(s.length * Math.min(1, share));
      const step = s.length / Math.max(1, take);
      for (let i = 0; i < take; i++) values.push(Math.max(ZERO_AS, s[Math.floor(i * step)]!));
    }
    return Float64Array.from(values).sort();
  };
  const allSample = pick();
  const quietSample = pick((tag) => quiet.has(tag));
  const mean = (a: Float64Array) => (a.length > 0 ? a.reduce((x, y) => x + y, 0) / a.length : NaN);
  const useQuiet = quietSample.length >= MIN_QUIET;
  const fitSample = useQuiet ? quietSample : allSample;
  return {
    pattern,
    requests,
    share: requests / all,
    method,
    fit: fitSample.length >= 2 ? fitServiceTimes(fitSample) : null,
    fittedOn: fitSample.length < 2 ? 'none' : useQuiet ? 'quiet minutes' : 'all minutes',
    quietMean: mean(quietSample),
    allMean: mean(allSample),
    allP95: allSample.length > 0 ? quantileOfSorted(allSample, 0.95) : NaN,
    quietSamples: quietSample.length,
    errorShare: requests > 0 ? errors / requests : 0,
    pooled,
  };
}

/** Hourly mean rates from the first whole hour on: a point at each hour's middle, and at 0. */
function hourlyProfile(obs: Observations, minuteKeys: number[]): { at: number; perMinute: number }[] {
  const start = minuteKeys[0]!;
  const hours = new Map<number, { count: number; minutes: number }>();
  for (const m of minuteKeys) {
    const h = Math.floor((m - start) / 60);
    if (h >= 24) break; // one day: the profile repeats every 24 h
    const e = hours.get(h) ?? { count: 0, minutes: 0 };
    e.count += obs.minutes.get(m)!.count;
    e.minutes++;
    hours.set(h, e);
  }
  const pts = [...hours.entries()].sort((a, b) => a[0] - b[0]).filter(([, e]) => e.minutes >= 30).map(([h, e]) => ({ at: h * 3600 + 1800, perMinute: e.count / e.minutes }));
  if (pts.length === 0) return [];
  return [{ at: 0, perMinute: pts[0]!.perMinute }, ...pts];
}
