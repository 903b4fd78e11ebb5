// capsim's command line: commander parses, the experiment and report layers do the work.
import '../logs/register-replay.js';
import { Command, CommanderError } from 'commander';
import { registerBacktest } from './commands/backtest.js';
import { registerCalibrate } from './commands/calibrate.js';
import { registerFit } from './commands/fit.js';
import { registerExplain } from './commands/explain.js';
import { registerMerge } from './commands/merge.js';
import { registerNotebook } from './commands/notebook.js';
import { registerPage } from './commands/page.js';
import { registerRun } from './commands/run.js';
import { registerSize } from './commands/size.js';
import { registerSweep } from './commands/sweep.js';
import { reportAndExit } from './errors.js';

const program = new Command();
program
  .name('capsim')
  .description('Discrete-event capacity simulator for Python web fleets behind a load balancer')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride();

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

// No top-level await: the CLI is bundled as CommonJS (see bin/load-bundle.js).
async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, with code 0; a bad option is the user's input: 2.
      process.exit(err.exitCode === 0 ? 0 : 2);
    }
    reportAndExit(err);
  }
}

void main();
