// The experiment layer's one error for bad input (an option's value, a price file, a shard
// argument, an output directory holding something else). The CLI maps it to exit code 2 with its
// one-line message, like ModelError.
export class ExperimentInputError extends Error {
  /** Process exit code for bad input (README, "Exit codes"). */
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'ExperimentInputError';
  }
}
