// `npm run bench`: simulation speed, as whole processes the way a user runs them.
// A benchmark, not a test: it prints figures and judges nothing.
//   1. kernel: M/M/8, λ = 7.2/s, μ = 1/s, ~1,000,000 customers, one replication, through
//      `capsim run`, against the same work written by hand in plain JavaScript.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Timed {
  wall: number;
  stdout: string;
  stderr: string;
}

function timed(args: string[]): Timed {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { wall, stdout: r.stdout, stderr: r.stderr };
}

function best(runs: number, args: string[]): Timed {
  let b: Timed | undefined;
  for (let i = 0; i < runs; i++) {
    const t = timed(args);
    if (!b || t.wall < b.wall) b = t;
  }
  return b!;
}

function profileOf(stderr: string) {
  const line = stderr.split('\n').find((l) => l.startsWith('{"profile"'));
  if (!line) throw new Error(`no --profile line in: ${stderr}`);
  return JSON.parse(line).profile as {
    wallSeconds: number;
    events: number;
    eventsPerSecond: number;
    requests: number;
    requestsPerSecond: number;
    peakRssMiB: number;
  };
}

const fmt = (x: number, d = 2) => x.toLocaleString('en-US', { maximumFractionDigits: d });
const runs = Number(process.env['BENCH_RUNS'] ?? 3);

console.log(`capsim benchmark (best of ${runs} runs each, whole processes; node ${process.version})\n`);

const ref = best(runs, ['bench/hand-written-mmc.js', '1000000']);
const capsim = best(runs, ['bin/capsim.js', 'run', 'bench/mm8.yaml', '--json', '--profile']);
const p = profileOf(capsim.stderr);
console.log('1. kernel: M/M/8, λ = 7.2/s, μ = 1/s, ~1,000,000 customers, 1 replication');
console.log(`   hand-written plain JS loop: ${fmt(ref.wall)} s wall (process)`);
console.log(`   capsim run:                 ${fmt(capsim.wall)} s wall (process), ${fmt(capsim.wall / ref.wall)}x the hand-written loop (target <= 2x)`);
console.log(
  `   inside capsim: simulation ${fmt(p.wallSeconds)} s, ${fmt(p.events, 0)} events (${fmt(p.eventsPerSecond / 1e6)}M/s), ` +
    `${fmt(p.requests, 0)} customers (${fmt(p.requestsPerSecond / 1e6)}M/s), peak RSS ${fmt(p.peakRssMiB, 0)} MiB`,
);

// 2. The first incident model: one replication of 1 simulated hour at 19k requests/min.
const incident = best(runs, ['bin/capsim.js', 'run', 'models/incident/01-uwsgi-2-workers.yaml', '--replications', '1', '--json', '--profile']);
const q = profileOf(incident.stderr);
console.log('\n2. fleet: models/incident/01-uwsgi-2-workers.yaml, 1 replication (1 h at 19k/min after its warmup)');
console.log(`   capsim run: ${fmt(incident.wall)} s wall (process; target <= 1 s)`);
console.log(
  `   inside capsim: simulation ${fmt(q.wallSeconds)} s, ${fmt(q.events, 0)} events (${fmt(q.eventsPerSecond / 1e6)}M/s), ` +
    `${fmt(q.requests, 0)} requests in the measured hour (${fmt(q.requests / q.wallSeconds / 1e6)}M simulated requests/s), peak RSS ${fmt(q.peakRssMiB, 0)} MiB`,
);
