// capsim's command line: commander parses, the experiment and report layers do the work.
import '../logs/register-replay.js';
import { CommanderError } from 'commander';
import { reportAndExit } from './errors.js';
import { buildProgram } from './program.js';

const program = buildProgram();

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
