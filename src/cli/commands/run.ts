// capsim run MODEL: replications of one model, a table for people or JSON for tools.
import type { Command } from 'commander';
import { runExperiment } from '../../experiment/run-experiment.js';
import { runTable } from '../../report/run-table.js';
import { loadModelFile } from '../../scenario/load-model.js';
import type { ReplicationResult } from '../../experiment/replication.js';
import { collect, simulationOverrides, type SimulationOptions } from '../options.js';

interface RunOptions extends SimulationOptions {
  json?: boolean;
  profile?: boolean;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('simulate a model: 502s and other failures by cause, latency, with 95% intervals')
    .argument('<model>', 'model file (YAML)')
    .option('--set <key.path=value>', 'override a model value (repeatable)', collect, [])
    .option('--duration <d>', 'measured simulated time per replication, e.g. 1h')
    .option('--warmup <d>', 'simulated time discarded at the start of each replication, e.g. 5m')
    .option('--replications <n>', 'number of independent replications')
    .option('--seed <s>', 'run seed (same model and seed: same output)')
    .option('--json', 'print one JSON object (the contract in DESIGN.md) instead of a table')
    .option('--profile', 'print wall time, kernel events/s, requests/s and peak memory to stderr (one JSON line)')
    .action((file: string, opts: RunOptions) => {
      const started = performance.now();
      const model = loadModelFile(file, [...opts.set, ...simulationOverrides(opts)]);
      const { result, replications } = runExperiment(model);
      if (opts.profile) process.stderr.write(`${JSON.stringify({ profile: profile(started, replications) })}\n`);
      process.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : `${runTable(result, model.simulation.warmup)}\n`);
    });
}

/** Simulation speed figures: wall time of the whole command so far, events and requests per second. */
function profile(started: number, reps: ReplicationResult[]) {
  const wallSeconds = (performance.now() - started) / 1000;
  const events = reps.reduce((a, r) => a + r.events, 0);
  const requests = reps.reduce((a, r) => a + r.arrivals, 0);
  return {
    wallSeconds,
    events,
    eventsPerSecond: events / wallSeconds,
    requests,
    requestsPerSecond: requests / wallSeconds,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}
