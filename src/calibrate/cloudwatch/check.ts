// How far the model calibrated from CloudWatch is from the metrics: the model file run as
// written (as for logs: 3 replications of the export's span, at most 30 minutes after a 5-minute
// warmup for a constant rate, the whole span up to 24 h for a daily profile), its 2xx latency and
// 5xx per 5 minutes set beside TargetResponseTime's statistics and the export's 5xx.
import '../../logs/register-replay.js';
import { estimate } from '../../experiment/metrics.js';
import { runReplication } from '../../experiment/replication.js';
import { parseModelText } from '../../scenario/parse-model.js';
import { meanCI } from '../../stats/intervals.js';
import { CHECK_DURATION, CHECK_REPLICATIONS } from '../check.js';
import type { CloudWatchCalibration } from './calibration.js';

export interface CloudWatchCheck {
  seconds: number;
  replications: number;
  /** TargetResponseTime's statistic (ms) beside the model's 2xx latency and its 95% interval. */
  latency: { stat: string; metricsMs: number; modelMs: number; ci95: [number, number] }[];
  /** 5xx per 5 minutes: the export's and the model's. */
  fiveXx: { metrics: number; model: number; ci95: [number, number]; what: string } | null;
}

const LATENCY: Record<string, 'mean' | 'p50' | 'p95' | 'p99'> = { Average: 'mean', p50: 'p50', p95: 'p95', p99: 'p99' };

export function checkCloudWatchModel(yaml: string, cal: CloudWatchCalibration): CloudWatchCheck | null {
  const stats = cal.latency.filter((l) => LATENCY[l.stat]);
  const five = cal.per5min.find((p) => p.metric === '5xx' || p.metric === "balancer's 5xx") ?? null;
  if (stats.length === 0 && five === null) return null;
  const profiled = /\n  profile:/.test(yaml);
  const seconds = Math.max(300, Math.min(profiled ? 24 * 3600 : CHECK_DURATION, Math.floor(cal.span / 60) * 60));
  const model = parseModelText(yaml, '(calibrated model)', [`simulation.duration=${seconds}s`, `simulation.warmup=${profiled ? 0 : 300}s`, `simulation.replications=${CHECK_REPLICATIONS}`]);
  const reps = Array.from({ length: CHECK_REPLICATIONS }, (_, r) => runReplication(model, r));
  const latency = stats.map((l) => {
    const s = meanCI(reps.map((r) => r.latencyMs[LATENCY[l.stat]!]));
    return { stat: l.stat, metricsMs: l.all * 1000, modelMs: s.mean, ci95: s.ci95 as [number, number] };
  });
  let fiveXx: CloudWatchCheck['fiveXx'] = null;
  if (five) {
    const e = estimate({ kind: 'per5min', status: '5xx' }, reps, seconds);
    fiveXx = { metrics: five.mean, model: e.mean, ci95: [e.lo, e.hi], what: five.aws };
  }
  return { seconds, replications: CHECK_REPLICATIONS, latency, fiveXx };
}

export function cloudwatchCheckLines(c: CloudWatchCheck | null): string[] {
  if (c === null) return ['model vs metrics: not checked (no TargetResponseTime and no 5xx count in the export)'];
  const f = (x: number) => `${+x.toPrecision(3)}`;
  const span = c.seconds % 3600 === 0 ? `${c.seconds / 3600} h` : `${c.seconds / 60} min`;
  const out = [
    `model vs metrics: the model file run as written, ${c.replications} replications × ${span} at the calibrated traffic; TargetResponseTime (the mean of the periods' values) beside the model's 2xx latency:`,
  ];
  for (const l of c.latency) {
    const off = l.modelMs / l.metricsMs - 1;
    out.push(`  ${l.stat === 'Average' ? 'mean' : l.stat}: metrics ${f(l.metricsMs)} ms, model ${f(l.modelMs)} ms [${f(l.ci95[0])}, ${f(l.ci95[1])}] (${off >= 0 ? '+' : ''}${f(off * 100)}%)`);
  }
  if (c.fiveXx) {
    out.push(
      `  5xx per 5 min: metrics ${f(c.fiveXx.metrics)} (${c.fiveXx.what}), model ${f(c.fiveXx.model)} [${f(c.fiveXx.ci95[0])}, ${f(c.fiveXx.ci95[1])}]${c.fiveXx.metrics > 0 ? " (the export's causes of 5xx are in the model only once the GUESSes match the deployment)" : ''}`,
    );
  }
  return out;
}
