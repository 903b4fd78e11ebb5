// The calibration as people read it: what was read, the rate, the endpoints with their fitted
// service times and how well each fit, the statuses and 5xx per 5 minutes, and what the model
// file could not be told.
import type { LogReadSummary } from '../logs/read-logs.js';
import { table } from '../report/format.js';
import { MIN_QUIET, QUIET_SHARE, type Calibration } from './calibration.js';
import { distributionText } from './model-file.js';
import { formatDecimal } from '../report/format.js';

const ms = (s: number) => (Number.isFinite(s) ? `${+(s * 1000).toPrecision(3)} ms` : '—');
const pct = (x: number) => `${+(x * 100).toPrecision(3)}%`;
const int = (x: number) => formatDecimal(Math.round(x), 3);
const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

export function readLines(s: LogReadSummary): string[] {
  const out = [
    `read: ${s.files.length} file${s.files.length === 1 ? '' : 's'}, format ${s.format} (${s.formatFrom}); ${int(s.lines)} lines: ${int(s.records)} requests, ` +
      `${int(s.malformed)} malformed${s.withoutRequest > 0 ? `, ${int(s.withoutRequest)} without an HTTP request (TCP/SSL listener)` : ''}${s.blank > 0 ? `, ${int(s.blank)} blank` : ''}`,
  ];
  for (const b of s.samples) out.push(`  malformed: ${b.file}:${b.line}: ${b.reason}: ${b.text}`);
  if (s.malformed > s.samples.length) out.push(`  … and ${int(s.malformed - s.samples.length)} more malformed lines`);
  if (s.empty) out.push(`  ${int(s.empty)} empty file${s.empty === 1 ? '' : 's'} (nothing to read in ${s.empty === 1 ? 'it' : 'them'})`);
  for (const g of s.grew ?? []) out.push(`  grew while it was read: ${g.file}: read as it was when opened (${int(g.bytesRead)} bytes; ${int(g.bytesNow)} now): later lines left out`);
  return out;
}

export function calibrationReport(read: LogReadSummary, cal: Calibration, top: number): string {
  const L = readLines(read);
  const r = cal.rate;
  L.push(`span: ${iso(cal.first)} to ${iso(cal.last)}; ${cal.minutes} whole minutes counted${cal.untimed > 0 ? `; ${int(cal.untimed)} requests without a time stamp` : ''}`);
  L.push(
    `rate: ${r.perMinute.toFixed(1)} [${r.ci95[0].toFixed(1)}, ${r.ci95[1].toFixed(1)}] requests per minute (95%); per minute min ${r.minuteMin}, median ${r.minuteP50}, max ${r.minuteMax}; variance/mean ${r.dispersion.toFixed(2)} (1 for Poisson arrivals at a constant rate)`,
  );
  if (cal.profile && cal.profile.length > 1) {
    L.push(`daily profile (hourly means from the logs' start): ${cal.profile.slice(1).map((p) => `${(p.at / 3600 - 0.5).toFixed(0)}h ${p.perMinute.toFixed(0)}/min`).join(', ')}`);
  }
  L.push(
    cal.targets.count > 0
      ? `targets: ${cal.targets.count} seen; the busiest served ${pct(cal.targets.busiestShare)} of the requests that reached one`
      : 'targets: none named in the logs (app-server logs): the model guesses 2',
  );
  L.push(
    `load: ${cal.load.meanPerTarget.toFixed(2)} requests in service per target on average, ${cal.load.busiestMinutePerTarget.toFixed(2)} in the busiest minute (Little's law on target times)`,
  );
  L.push('');
  L.push(`endpoints (path patterns, ids and hashes collapsed; the top ${top} by requests, the rest pooled as (other)):`);
  const rows = [['endpoint', 'requests', 'share', '5xx', 'fitted on', 'service time (fitted)', 'KS lognormal', 'KS gamma', 'KS limit', 'quiet mean', 'all mean', 'all p95']];
  for (const e of cal.endpoints) {
    const f = e.fit;
    rows.push([
      e.pattern,
      int(e.requests),
      pct(e.share),
      pct(e.errorShare),
      e.fittedOn === 'none' ? '—' : `${e.fittedOn} (${int(f!.n)})`,
      f ? (f.kind === 'empirical' ? `empirical: p50 ${ms(f.quantiles[25]![1])}, p99 ${ms(f.quantiles[50]![1])}` : distributionText(f)) : '— (no target times)',
      f ? f.ksLognormal.toFixed(3) : '—',
      f ? f.ksGamma.toFixed(3) : '—',
      f ? f.threshold.toFixed(3) : '—',
      ms(e.quietMean),
      ms(e.allMean),
      ms(e.allP95),
    ]);
  }
  L.push(table(rows));
  if (cal.overflowedPatterns > 0) L.push(`(${int(cal.overflowedPatterns)} path patterns beyond the first 2,000 went to (other) as they came)`);
  L.push(
    `service vs waiting: each endpoint's service time is fitted to its target times in the quietest ${pct(QUIET_SHARE)} of minutes ` +
      `(the minutes with the fewest arrivals: at most ${cal.load.quietRate} per minute; their load ${cal.load.quietPerTarget.toFixed(2)} requests in service per target), where a request rarely waits for a worker; with fewer than ${MIN_QUIET} such values, ` +
      'to all minutes. "all mean" above "quiet mean" is what busier minutes added: waiting in the accept queue or the gevent hub, or service that slows with load — the logs cannot tell which. ' +
      'The fit: the Kolmogorov-Smirnov distance D to the sample; lognormal or gamma (the smaller D) when D is at most the limit max(1.36/sqrt(n), 0.02), else the empirical quantile table.',
  );
  L.push('');
  L.push(`statuses: ${cal.statuses.map((s) => `${s.status === 0 ? 'none' : s.status} ${int(s.requests)} (${pct(s.share)})`).join(', ')}`);
  const w = cal.per5min;
  L.push(`5xx per 5 minutes: mean ${w.fiveXxMean.toFixed(2)}, max ${w.fiveXxMax} over ${w.wholeWindows} ${w.wholeWindows === w.windows.length ? '' : 'whole '}windows`);
  const worst = [...w.windows]
    .map((x) => ({ ...x, five: x.counts[3]! + x.counts[4]! + x.counts[5]! + x.counts[6]! + x.counts[7]! }))
    .filter((x) => x.five > 0)
    .sort((a, b) => b.five - a.five || a.start - b.start)
    .slice(0, 10)
    .sort((a, b) => a.start - b.start);
  if (worst.length > 0) {
    L.push(`the ${worst.length === 10 ? '10 windows with the most 5xx' : 'windows with 5xx'}:`);
    const idx = (name: string) => w.classes.indexOf(name);
    const t = [['5 minutes from', 'requests', '500', '502', '503', '504', 'other 5xx']];
    for (const x of worst) {
      const total = x.counts.reduce((a, b) => a + b, 0);
      t.push([iso(x.start), int(total), ...['500', '502', '503', '504', '5xx other'].map((c) => int(x.counts[idx(c)]!))]);
    }
    L.push(table(t));
  }
  L.push('');
  L.push('not in the logs (the model file marks each GUESS): the server and its version, the worker count, recycling (max-requests), harakiri/timeouts, memory, vCPUs, and the split of a request into CPU, database and other waiting.');
  return `${L.join('\n')}\n`;
}
