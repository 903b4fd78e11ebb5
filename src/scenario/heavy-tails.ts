// Warnings for distributions whose tail is too heavy for averages to mean anything: a Pareto
// shape <= 1 has no mean (the average of its draws grows without bound as more are drawn), and a
// shape <= 2 no variance (averages settle so slowly that 95% intervals over replications come out
// too narrow). Not errors: each draw is finite and the simulation runs; its means do not converge.
// Pure: no Node-only imports.
import { moment, type DistSpec } from '../kernel/distribution-spec.js';
import { formatDistribution } from './format.js';
import type { Model } from './model-types.js';

/** Every distribution in a model, with its key path. */
export function modelDistributions(model: Model): { path: string; spec: DistSpec }[] {
  const out: { path: string; spec: DistSpec }[] = [];
  model.traffic.endpoints.forEach((e, i) => e.phases.forEach((p, j) => out.push({ path: `traffic.endpoints.${i}.phases.${j}.${p.kind}`, spec: p.dist })));
  if (model.traffic.users) out.push({ path: 'traffic.users.think', spec: model.traffic.users.think });
  if (model.traffic.bursts) out.push({ path: 'traffic.bursts.every', spec: model.traffic.bursts.every });
  out.push({ path: 'balancer.healthCheck.work', spec: model.balancer.healthCheck.work });
  const s = model.fleet.server;
  if (s.respawn) out.push({ path: 'fleet.server.respawn', spec: s.respawn });
  out.push({ path: 'fleet.server.fork', spec: s.fork }, { path: 'fleet.server.appImport', spec: s.appImport }, { path: 'fleet.server.exitDelay', spec: s.exitDelay });
  out.push({ path: 'fleet.db.driverCpu', spec: model.fleet.db.driverCpu }, { path: 'fleet.db.connect', spec: model.fleet.db.connect });
  return out;
}

export function heavyTailWarnings(model: Model): string[] {
  const out: string[] = [];
  for (const { path, spec } of modelDistributions(model)) {
    const what = `${path} ${formatDistribution(spec)}`;
    if (!Number.isFinite(moment(spec, 1))) {
      out.push(`${what} has no finite mean (a Pareto shape <= 1): averages of its draws grow without bound, so mean latency, utilization and their intervals never settle; give a shape above 2, or cap the tail with mix()`);
    } else if (!Number.isFinite(moment(spec, 2))) {
      out.push(`${what} has an infinite variance (a Pareto shape <= 2): averages settle very slowly and the 95% intervals over replications are too narrow to trust; give a shape above 2, or cap the tail with mix()`);
    }
  }
  return out;
}
