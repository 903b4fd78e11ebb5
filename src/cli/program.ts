// The whole command line as one commander program, built without parsing anything: main.ts runs
// it, and tests read its commands and options (the README synopsis must list every one).
import { Command } from 'commander';
import { registerBacktest } from './commands/backtest.js';
import { registerCalibrate } from './commands/calibrate.js';
import { registerExplain } from './commands/explain.js';
import { registerFit } from './commands/fit.js';
import { registerInfer } from './commands/infer.js';
import { registerInit } from './commands/init.js';
import { registerMerge } from './commands/merge.js';
import { registerNotebook } from './commands/notebook.js';
import { registerPage } from './commands/page.js';
import { registerRun } from './commands/run.js';
import { registerSchema } from './commands/schema.js';
import { registerSize } from './commands/size.js';
import { registerSweep } from './commands/sweep.js';
import { withExamples } from './examples.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('capsim')
    .description('Discrete-event capacity simulator for Python web fleets behind a load balancer')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  withExamples(program, 'capsim');
  registerRun(program);
  registerExplain(program);
  registerSweep(program);
  registerSize(program);
  registerMerge(program);
  registerNotebook(program);
  registerPage(program);
  registerCalibrate(program);
  registerBacktest(program);
  registerFit(program);
  registerInfer(program);
  registerSchema(program);
  registerInit(program);
  for (const c of program.commands) withExamples(c, c.name());
  return program;
}
