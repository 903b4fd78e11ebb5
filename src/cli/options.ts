// Options shared by the commands that simulate.

export interface SimulationOptions {
  set: string[];
  duration?: string;
  warmup?: string;
  replications?: string;
  seed?: string;
}

/** commander helper for repeatable options. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** --duration and friends are shorthands for --set simulation.*; validated by the schema. */
export function simulationOverrides(opts: SimulationOptions): string[] {
  const sets: string[] = [];
  if (opts.duration !== undefined) sets.push(`simulation.duration=${opts.duration}`);
  if (opts.warmup !== undefined) sets.push(`simulation.warmup=${opts.warmup}`);
  if (opts.replications !== undefined) sets.push(`simulation.replications=${opts.replications}`);
  if (opts.seed !== undefined) sets.push(`simulation.seed=${opts.seed}`);
  return sets;
}
