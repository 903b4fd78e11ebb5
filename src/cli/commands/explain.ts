// capsim explain MODEL: the resolved model, every value with its source, and the warnings.
import type { Command } from 'commander';
import { explainJson, explainTable } from '../../report/explain.js';
import { loadModelWithProvenance } from '../../scenario/load-model.js';
import { modelWarnings } from '../../scenario/warnings.js';
import { collect, simulationOverrides, type SimulationOptions } from '../options.js';
import { reportAndExit } from '../errors.js';

interface ExplainOptions extends SimulationOptions {
  json?: boolean;
}

export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description('show the resolved model: every value, where it came from (file line, --set, default), and warnings')
    .argument('<model>', 'model file (YAML)')
    .option('--set <key.path=value>', 'override a model value (repeatable)', collect, [])
    .option('--duration <d>', 'as for run: --set simulation.duration')
    .option('--warmup <d>', 'as for run: --set simulation.warmup')
    .option('--replications <n>', 'as for run: --set simulation.replications')
    .option('--seed <s>', 'as for run: --set simulation.seed')
    .option('--json', 'print { model, values: [{ path, value, text, source, origin }], warnings }')
    .action((file: string, opts: ExplainOptions) => {
      try {
        const { model, provenance } = loadModelWithProvenance(file, [...opts.set, ...simulationOverrides(opts)]);
        const warnings = modelWarnings(model, provenance);
        process.stdout.write(opts.json ? explainJson(model, provenance, warnings, file) : explainTable(model, provenance, warnings, file));
      } catch (err) {
        reportAndExit(err);
      }
    });
}
