// The calibrated model as a YAML file that runs as it is: every figure from the logs says in a
// comment what it rests on; what the logs cannot tell is written as a GUESS, for the user to set.
import type { FormatName } from '../logs/formats.js';
import type { Calibration, EndpointCalibration } from './calibration.js';
import type { Fit } from './fit.js';
import { formatDecimal } from '../report/format.js';

export interface ModelFileInput {
  name: string;
  format: FormatName;
  files: number;
  cal: Calibration;
}

const ms = (s: number) => `${+(s * 1000).toPrecision(4)}ms`;
const pct = (x: number) => `${+(x * 100).toPrecision(3)}%`;
const int = (x: number) => formatDecimal(Math.round(x), 3);
const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

/** The distribution in capsim's syntax. */
export function distributionText(f: Fit): string {
  if (f.kind === 'lognormal') return `lognormal(mean=${ms(f.mean)}, sd=${ms(f.sd)})`;
  if (f.kind === 'gamma') return `gamma(shape=${+f.params.shape!.toPrecision(4)}, scale=${ms(f.params.scale!)})`;
  return `empirical(${f.quantiles.map(([p, x]) => `${p}: ${ms(x)}`).join(', ')})`;
}

/** "lognormal: KS distance 0.011 (gamma 0.034); kept at <= 0.02" */
export function fitNote(f: Fit): string {
  const d = (x: number) => x.toFixed(3);
  const why = f.kind === 'empirical' ? `neither within ${d(f.threshold)}: the quantile table` : `within ${d(f.threshold)}`;
  return `KS distance lognormal ${d(f.ksLognormal)}, gamma ${d(f.ksGamma)}; ${why}`;
}

export function durationText(seconds: number): string {
  const m = Math.min(24 * 60, Math.max(10, Math.ceil(seconds / 60)));
  return m % 60 === 0 ? `${m / 60}h` : `${m}m`;
}

const BALANCER: Record<FormatName, { kind: string; note: string }> = {
  alb: { kind: 'alb', note: 'the logs are an ALB\'s' },
  elb: { kind: 'elb', note: 'the logs are a Classic ELB\'s' },
  nginx: { kind: 'nginx', note: 'the logs are nginx\'s' },
  gunicorn: { kind: 'alb', note: 'GUESS: app-server logs do not say what is in front' },
  uwsgi: { kind: 'alb', note: 'GUESS: app-server logs do not say what is in front' },
};

/** The model's traffic rate: a daily profile (with what it is, as comments) or one rate. */
export function rateLines(L: string[], profile: readonly { at: number; perMinute: number }[] | null | undefined, perMinute: number, rateNote: string, profileNotes: readonly string[]): void {
  if (profile && profile.length > 1) {
    for (const n of profileNotes) L.push(`  # ${n}`);
    L.push(`  # overall: ${rateNote}`);
    L.push('  profile:');
    L.push('    period: 24h');
    L.push('    points:');
    for (const p of profile) L.push(`      - { at: ${Math.round(p.at / 60)}m, rate: ${p.perMinute.toFixed(1)}/min }`);
  } else {
    L.push(`  rate: ${perMinute.toFixed(1)}/min   # ${rateNote}`);
  }
}

export function modelFile({ name, format, files, cal }: ModelFileInput): string {
  const L: string[] = [];
  const targets = cal.targets.count;
  L.push(`# Calibrated by \`capsim calibrate\` from ${files} ${format} log file${files === 1 ? '' : 's'}: ${int(cal.requests)} requests,`);
  L.push(`# ${iso(cal.first)} to ${iso(cal.last)} (${durationText(cal.span)} of arrivals).`);
  L.push('# Every figure from the logs says below what it rests on. GUESS marks what logs cannot tell:');
  L.push('# the server, its worker count and recycling, CPU versus I/O inside a request, the task size.');
  L.push('# Set those from your deployment before trusting an answer that depends on them.');
  L.push(`name: ${JSON.stringify(name)}`);
  L.push(`simulation: { duration: ${durationText(cal.span)}, warmup: 5m, replications: 10, seed: 1 }   # the duration: the logs' span`);
  L.push('traffic:');
  const r = cal.rate;
  const rateNote = `${r.perMinute.toFixed(1)} [${r.ci95[0].toFixed(1)}, ${r.ci95[1].toFixed(1)}] per minute (95%) over ${cal.minutes} whole minutes; minutes ranged ${r.minuteMin}-${r.minuteMax}, variance/mean ${r.dispersion.toFixed(2)} (1 for Poisson arrivals)`;
  rateLines(L, cal.profile, r.perMinute, rateNote, [
    `the logs span ${durationText(cal.span)}: a daily profile of hourly mean rates, hour 0 = ${iso(cal.first)};`,
    'after the last logged hour the rate returns linearly to the first (not in the logs).',
  ]);
  L.push('  endpoints:');
  for (const e of cal.endpoints) endpointLines(e, L);
  const b = BALANCER[format];
  L.push('balancer:');
  L.push(`  kind: ${b.kind}   # ${b.note}; its timeouts and reuse are the defaults (capsim explain shows them)`);
  L.push('fleet:');
  if (targets > 0) L.push(`  containers: ${targets}   # targets seen in the logs${cal.targets.count > 1 ? ` (the busiest served ${pct(cal.targets.busiestShare)} of requests)` : ''}`);
  else L.push('  containers: 2   # GUESS: app-server logs do not name targets');
  L.push('  vcpu: 2          # GUESS: not in the logs');
  L.push('  memory: 4GiB     # GUESS: not in the logs (a Fargate size for 2 vCPU)');
  L.push('  server:');
  const kind = format === 'uwsgi' ? 'uwsgi' : 'gunicorn';
  L.push(`    kind: ${kind}   # ${format === 'uwsgi' || format === 'gunicorn' ? `the logs are ${kind}'s` : 'GUESS: balancer logs do not say which server'}; version: its default`);
  L.push('    mode: sync');
  const perTarget = cal.load.busiestMinutePerTarget;
  const workers = Math.max(2, Math.ceil(2 * perTarget));
  L.push(
    `    workers: ${workers}   # GUESS: the busiest minute had ${perTarget.toFixed(2)} requests in service per target on average (Little's law on target times; ${cal.load.meanPerTarget.toFixed(2)} over the logs): twice that, at least 2`,
  );
  L.push('    # recycling (maxRequests), harakiri / timeout, memory: not in the logs; the defaults apply');
  return `${L.join('\n')}\n`;
}

function endpointLines(e: EndpointCalibration, L: string[]): void {
  L.push(`    - name: ${JSON.stringify(e.pattern)}`);
  const pooled = e.pooled > 0 ? `; ${int(e.pooled)} smaller path patterns pooled` : '';
  L.push(`      weight: ${+e.share.toPrecision(4)}   # ${pct(e.share)} of requests (${int(e.requests)}${e.method ? `, mostly ${e.method}` : ''})${pooled}`);
  L.push('      phases:');
  if (!e.fit) {
    L.push('        - wait: 10ms   # GUESS: no target time in the logs for this endpoint');
    return;
  }
  const f = e.fit;
  L.push(`        # service: target times of ${e.fittedOn} (n = ${int(f.n)}), ${fitNote(f)};`);
  L.push(
    `        # mean ${ms(f.mean)}; over all minutes the mean was ${ms(e.allMean)}${e.fittedOn === 'quiet minutes' ? ` (${pct(e.allMean / e.quietMean - 1)} above the quiet minutes: waiting, or service slowed by load)` : ''}, p95 ${ms(e.allP95)}`,
  );
  L.push('        # all of it as wait: (holds the worker, no CPU): the split into cpu:, db: and wait: is not in the logs');
  L.push(`        - wait: ${distributionText(f)}`);
}
