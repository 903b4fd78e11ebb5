// Map failures to exit codes: 2 for the user's input (model file, options), 1 for anything
// else. A user's mistake gets one clear line, never a stack trace.
import { ModelError } from '../scenario/errors.js';

export class UsageError extends Error {
  readonly exitCode = 2;
}

/** An error that says it is about the user's input (ModelError, UsageError, experiment input errors). */
function isInputError(err: unknown): err is Error {
  return err instanceof ModelError || (err instanceof Error && (err as { exitCode?: unknown }).exitCode === 2);
}

export function reportAndExit(err: unknown): never {
  if (isInputError(err)) {
    process.stderr.write(`capsim: ${err.message}\n`);
    process.exit(2);
  }
  const e = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(`capsim: internal error: ${e.message}\n`);
  if (process.env['CAPSIM_DEBUG']) process.stderr.write(`${e.stack}\n`);
  else process.stderr.write('(set CAPSIM_DEBUG=1 for the stack trace)\n');
  process.exit(1);
}
