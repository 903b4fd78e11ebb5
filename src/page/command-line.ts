// "Copy as command": the `capsim run` that computes what the page shows. Simulation settings
// become their options (--duration 2m), every other change a --set, after the --set arguments
// the page was made with. Pure.

const SIMULATION_OPTIONS: Record<string, string> = {
  'simulation.duration': '--duration',
  'simulation.warmup': '--warmup',
  'simulation.replications': '--replications',
  'simulation.seed': '--seed',
};

/** A word for sh: as it is when it is plain, else in single quotes. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function runCommand(file: string, sets: readonly string[]): string {
  const words = ['capsim', 'run', shellWord(file)];
  for (const arg of sets) {
    const eq = arg.indexOf('=');
    const option = SIMULATION_OPTIONS[arg.slice(0, eq)];
    if (option) words.push(option, shellWord(arg.slice(eq + 1)));
    else words.push('--set', shellWord(arg));
  }
  return words.join(' ');
}
