// How far the calibrated model is from the logs: the model file run as written, at the
// observed rate, for (at most) 30 simulated minutes × 3 replications, and its latency
// percentiles and 5xx share set beside the logs' own. A model whose service times came from the
// quiet minutes and whose worker count is a guess will differ where the logs' busy minutes
// waited more or less than the guessed fleet would: this says by how much.
import '../logs/register-replay.js';
import { runReplication } from '../experiment/replication.js';
import { parseModelText } from '../scenario/parse-model.js';
import { meanCI } from '../stats/intervals.js';
import { quantileOfSorted } from './fit.js';
import type { Observations } from './observations.js';

export const CHECK_REPLICATIONS = 3;
export const CHECK_DURATION = 1800;

export interface ModelCheck {
  seconds: number;
  replications: number;
  /** p50, p95, p99 of 2xx latency, ms: the logs' (client-side total), and the model's with its 95% interval. */
  latency: { p: number; logMs: number; modelMs: number; ci95: [number, number] }[];
  fiveXxShare: { log: number; model: number; ci95: [number, number] };
  /** Which time the logs' latency is: the balancer's total, or the app server's own. */
  logLatency: string;
}

export function checkModel(yaml: string, obs: Observations, span: number, balancerLog: boolean, onReplication?: (done: number, total: number) => void): ModelCheck | null {
  const sorted = obs.latency.sorted();
  if (sorted.length < 100) return null;
  // A constant rate: 30 minutes say what it does. A daily profile: the whole span, so that the
  // model's latency covers the same hours as the logs'.
  const profiled = /\n  profile:/.test(yaml);
  const seconds = Math.max(300, Math.min(profiled ? 24 * 3600 : CHECK_DURATION, Math.floor(span / 60) * 60));
  const model = parseModelText(yaml, '(calibrated model)', [`simulation.duration=${seconds}s`, `simulation.warmup=${profiled ? 0 : 300}s`, `simulation.replications=${CHECK_REPLICATIONS}`]);
  const ps = [0.5, 0.95, 0.99];
  const reps = Array.from({ length: CHECK_REPLICATIONS }, (_, r) => {
    const rep = runReplication(model, r);
    onReplication?.(r + 1, CHECK_REPLICATIONS);
    return rep;
  });
  const latency = ps.map((p, i) => {
    const values = reps.map((r) => [r.latencyMs.p50, r.latencyMs.p95, r.latencyMs.p99][i]!);
    const s = meanCI(values);
    return { p, logMs: quantileOfSorted(sorted, p) * 1000, modelMs: s.mean, ci95: s.ci95 as [number, number] };
  });
  const shares = reps.map((r) => (r.finished > 0 ? (r.status[1]! + r.status[2]! + r.status[3]! + r.status[4]!) / r.finished : 0));
  const s5 = meanCI(shares);
  let five = 0;
  for (const [status, n] of obs.statuses) if (status >= 500) five += n;
  return {
    seconds,
    replications: CHECK_REPLICATIONS,
    latency,
    fiveXxShare: { log: five / obs.requests, model: s5.mean, ci95: [Math.max(0, s5.ci95[0]), s5.ci95[1]] },
    logLatency: balancerLog ? "the balancer's total time" : "the app server's own time (the model's includes the balancer's network)",
  };
}

export function checkLines(c: ModelCheck | null): string[] {
  if (c === null) return ['model vs logs: not checked (fewer than 100 timed 2xx responses in the logs)'];
  const f = (x: number) => `${+x.toPrecision(3)}`;
  const span = c.seconds % 3600 === 0 ? `${c.seconds / 3600} h` : `${c.seconds / 60} min`;
  const out = [`model vs logs: the model file run as written, ${CHECK_REPLICATIONS} replications × ${span} at the calibrated traffic; the logs' latency is ${c.logLatency}:`];
  for (const l of c.latency) {
    const off = l.modelMs / l.logMs - 1;
    out.push(`  2xx p${l.p * 100}: logs ${f(l.logMs)} ms, model ${f(l.modelMs)} ms [${f(l.ci95[0])}, ${f(l.ci95[1])}] (${off >= 0 ? '+' : ''}${f(off * 100)}%)`);
  }
  const pc = (x: number) => `${+(x * 100).toPrecision(3)}%`;
  out.push(`  5xx share: logs ${pc(c.fiveXxShare.log)}, model ${pc(c.fiveXxShare.model)} [${pc(c.fiveXxShare.ci95[0])}, ${pc(c.fiveXxShare.ci95[1])}]${c.fiveXxShare.log > 0 ? " (the logs' causes of 5xx are in the model only once the GUESSes match the deployment)" : ''}`);
  return out;
}
