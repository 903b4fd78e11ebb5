// `npm run bench`: simulation speed, as whole processes the way a user runs them.
// A benchmark, not a test: it prints figures and judges nothing.
//   1. kernel: M/M/8, λ = 7.2/s, μ = 1/s, ~1,000,000 customers, one replication, through
//      `capsim run`, against the same work written by hand in plain JavaScript.
//   2. fleet: one replication of the first incident model, against a hand-written floor, and
//      replications in one process (the steady speed, once V8 has compiled the request path).
//   3. sweep: 240 replications of that model on every core.
//   4. log reading: capsim calibrate over a synthetic ~1 GB ALB log (lines per second, memory).
//   5. inference: one wave of capsim infer (100 points) on the incident model and its observations.
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

// 2. The first incident model: one replication of 1 simulated hour at 19k requests/min, against
//    a floor: the same request path written by hand without the mechanisms (recycling, kills,
//    health checks, keep-alive, accept-queue rules, statistics), bench/hand-written-fleet.js.
const incident = best(runs, ['bin/capsim.js', 'run', 'models/incident/01-uwsgi-2-workers.yaml', '--replications', '1', '--json', '--profile']);
const q = profileOf(incident.stderr);
const floor = best(runs, ['bench/hand-written-fleet.js', '3900']);
const f = JSON.parse(floor.stdout) as { events: number; requests: number; wallSeconds: number };
console.log('\n2. fleet: models/incident/01-uwsgi-2-workers.yaml, 1 replication (1 h at 19k/min after its warmup)');
console.log(`   capsim run: ${fmt(incident.wall)} s wall (process; target <= 1 s)`);
console.log(
  `   inside capsim: simulation ${fmt(q.wallSeconds)} s, ${fmt(q.events, 0)} events (${fmt(q.eventsPerSecond / 1e6)}M/s), ` +
    `${fmt(q.requests, 0)} requests in the measured hour (${fmt(q.requests / q.wallSeconds / 1e6)}M simulated requests/s), peak RSS ${fmt(q.peakRssMiB, 0)} MiB`,
);
console.log(
  `   floor, the request path by hand without the mechanisms: ${fmt(floor.wall)} s wall (process), simulation ${fmt(f.wallSeconds)} s, ` +
    `${fmt(f.events, 0)} events; capsim is ${fmt(incident.wall / floor.wall)}x the floor`,
);
// The same replication again and again in one process: without process start and JIT warm-up.
const warm = JSON.parse(timed(['dist/bench/warm-replications.js', 'models/incident/01-uwsgi-2-workers.yaml', '4']).stdout) as { seconds: number[]; requests: number };
const steady = Math.min(...warm.seconds.slice(1));
console.log(
  `   in one process, replication after replication: ${warm.seconds.map((x) => fmt(x)).join(', ')} s; ` +
    `JIT warm: ${fmt(warm.requests / steady / 1e6)}M simulated requests/s`,
);

// 3. A sweep: the first incident model over workers 2,4,6,8,12,16 × containers 1..4, 10
//    replications of 1 simulated hour each (24 points, 240 replications), on every core.
//    One run (it takes minutes); BENCH_SWEEP=0 skips it.
if (process.env['BENCH_SWEEP'] !== '0') {
  const { availableParallelism } = await import('node:os');
  const { readFileSync } = await import('node:fs');
  const out = path.join(root, 'out', 'bench-sweep');
  const sweep = timed([
    'bin/capsim.js', 'sweep', 'models/incident/01-uwsgi-2-workers.yaml',
    '--vary', 'fleet.server.workers=2,4,6,8,12,16', '--vary', 'fleet.containers=1..4',
    '--replications', '10', '--duration', '1h', '--out', out, '--quiet',
  ]);
  const j = JSON.parse(readFileSync(path.join(out, 'sweep.json'), 'utf8')) as {
    points: { replications: number; result: { requests: { mean: number } } }[];
  };
  const requests = j.points.reduce((a, p) => a + p.result.requests.mean * p.replications, 0);
  const reps = j.points.reduce((a, p) => a + p.replications, 0);
  console.log(`\n3. sweep: models/incident/01-uwsgi-2-workers.yaml, workers 2,4,6,8,12,16 × containers 1..4, 10 replications × 1 h`);
  console.log(`   capsim sweep: ${fmt(sweep.wall)} s wall (process, ${availableParallelism()} cores; target < 180 s)`);
  console.log(
    `   ${j.points.length} points, ${reps} replications, ${fmt(requests, 0)} simulated requests in the measured hours ` +
      `(${fmt(requests / sweep.wall / 1e6)}M/s, ${fmt(sweep.wall / reps)} s per replication per process)`,
  );
}

// 4. Log reading: `capsim calibrate` over a synthetic ALB log of ~1 GB (1.5 million lines of the
//    documentation's layout, generated here into the system's temporary directory and deleted
//    after; BENCH_LOG_LINES to change the size, BENCH_LOG=0 to skip). Target: 300,000 lines/s on
//    one core, in bounded memory. CPU seconds are given too: on a shared machine the wall time
//    also measures the neighbours.
if (process.env['BENCH_LOG'] !== '0') {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { writeSyntheticAlbLog } = await import('./synthetic-alb-log.js');
  const lines = Number(process.env['BENCH_LOG_LINES'] ?? 1_500_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'capsim-bench-log-'));
  try {
    const file = path.join(dir, 'alb.log');
    const bytes = writeSyntheticAlbLog(file, lines);
    let bestRun: { seconds: number; cpuSeconds: number; linesPerSecond: number; linesPerCpuSecond: number; peakRssMiB: number; endpoints: number } | undefined;
    for (let i = 0; i < runs; i++) {
      const r = JSON.parse(timed(['dist/bench/log-throughput.js', file]).stdout);
      if (!bestRun || r.seconds < bestRun.seconds) bestRun = r;
    }
    const b = bestRun!;
    console.log(`\n4. log reading: capsim calibrate on a synthetic ALB log, ${fmt(lines, 0)} lines, ${fmt(bytes / 1e9)} GB uncompressed`);
    console.log(
      `   ${fmt(b.seconds)} s wall, ${fmt(b.cpuSeconds)} s CPU: ${fmt(b.linesPerSecond, 0)} lines/s wall, ${fmt(b.linesPerCpuSecond, 0)} lines per CPU second ` +
        `(target 300,000 lines/s on one core); peak RSS ${fmt(b.peakRssMiB, 0)} MiB; ${b.endpoints} endpoints`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// 5. Inference: one wave of `capsim infer` (100 points, two unknowns) on the first incident model
//    against the write-up's observations (models/incident/observations.yaml: 8 statements at 6
//    configurations), on every core: what a wave costs in points, replications, simulated time
//    and wall time. Target: minutes on 2 cores. BENCH_INFER=0 skips it.
if (process.env['BENCH_INFER'] !== '0') {
  const { availableParallelism } = await import('node:os');
  const r = timed([
    'bin/capsim.js', 'infer', 'models/incident/01-uwsgi-2-workers.yaml',
    '--observed', 'models/incident/observations.yaml',
    '--vary', 'fleet.server.closeLag=20us..2ms', '--vary', 'fleet.server.memory.perRequest=0KiB..256KiB',
    '--points', '100', '--waves', '1', '--json', '--quiet',
  ]);
  const j = JSON.parse(r.stdout) as { waves: { points: number; replications: number; simulatedSeconds: number }[]; simulatedSeconds: number; warmupSeconds: number; observations: unknown[] };
  const w = j.waves[0]!;
  const each = j.simulatedSeconds + j.warmupSeconds;
  console.log(`\n5. inference: one wave of capsim infer on models/incident/01-uwsgi-2-workers.yaml, ${j.observations.length} observations (models/incident/observations.yaml), 2 unknowns`);
  console.log(`   ${fmt(r.wall)} s wall (process, ${availableParallelism()} cores; target: minutes on 2 cores)`);
  console.log(
    `   ${w.points} points, ${w.replications} replications of ${fmt(each / 60)} simulated minutes each (warmup included), ` +
      `${fmt(w.simulatedSeconds / 3600)} simulated hours: ${fmt(w.replications / w.points)} replications per point, ${fmt(r.wall / w.points)} s per point`,
  );
}
