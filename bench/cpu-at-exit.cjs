// Preloaded by bench.ts (node --require) into every timed process: at exit, print the process's
// CPU seconds (user + system, all threads) to stderr. On a shared machine CPU time moves less
// with the neighbours' load than wall time does.
process.on('exit', () => {
  const u = process.cpuUsage();
  process.stderr.write(`\n{"cpuSeconds":${(u.user + u.system) / 1e6}}\n`);
});
