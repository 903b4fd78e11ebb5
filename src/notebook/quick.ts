// --quick: shorter simulations so CI can execute every notebook in a minute or two. The
// options are appended, so they win over the block's own (commander keeps the last value).
export const QUICK = { duration: '2m', warmup: '30s', replications: '2' };

export function quickArgs(command: string, args: readonly string[]): string[] {
  // backtest and fit run over the logs' period: only their replications are cut.
  if (command === 'backtest' || command === 'fit') return [...args, '--replications', QUICK.replications];
  // infer: short runs, a few points, one wave.
  if (command === 'infer') return [...args, '--duration', QUICK.duration, '--warmup', QUICK.warmup, '--replications', QUICK.replications, '--points', '6', '--waves', '1'];
  if (command !== 'run' && command !== 'sweep' && command !== 'size') return [...args];
  const extra = ['--duration', QUICK.duration, '--warmup', QUICK.warmup, '--replications', QUICK.replications];
  if (command === 'size' || args.includes('--precision')) extra.push('--max-replications', QUICK.replications);
  return [...args, ...extra];
}
