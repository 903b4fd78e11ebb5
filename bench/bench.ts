// `npm run bench`: simulation speed, as whole processes the way a user runs them, against the
// plain JavaScript event loops of bench/reference/ (the baselines of issue 20: the same work and
// algorithm with no simulator around it). A benchmark, not a test: it prints figures, judges nothing.
//   1. M/M/8, 1,000,000 customers: bench/reference/mmc.js against `capsim run bench/mm8.yaml`;
//   1b. the same M/M/8 on capsim's kernel alone (bench/kernel-mmc.ts: its event list and random
//      numbers, the plain loop's algorithm): what the event loop costs, apart from the fleet;
//   2. a fleet per request: bench/reference/modelB.js (2 containers x 4 workers, 1 h at 300/s)
//      against one replication of models/incident/01-uwsgi-2-workers.yaml (1 h at 19k/min);
//   2b. model B's own work in capsim (bench/modelB.yaml) against the same plain loop;
//   3. (BENCH_SWEEP=1) a sweep of 240 replications on every core;
//   4. (BENCH_LOG=1) log reading: capsim calibrate over a synthetic ~1 GB ALB log;
//   5. (BENCH_INFER=0 skips it) inference: one wave of capsim infer (100 points) on the incident
//      model and its observations.
// 1 and 2 run in interleaved pairs (plain, capsim, plain, capsim, ...; BENCH_PAIRS, default 5) and
// report medians: on a shared machine the load drifts over minutes, and a pair sees the same load.
// The ratio is of wall time (the measure), and again of CPU time (less moved by the load).
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Timed {
  wall: number;
  /** CPU seconds of the process, every thread (bench/cpu-at-exit.cjs). */
  cpu: number;
  stdout: string;
  stderr: string;
}

function timed(args: string[]): Timed {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--require', path.join(root, 'bench/cpu-at-exit.cjs'), ...args], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  // The last such line: the main thread's exit (worker threads inherit the preload).
  const line = r.stderr.split('\n').filter((l) => l.startsWith('{"cpuSeconds"')).pop();
  return { wall, cpu: line ? (JSON.parse(line).cpuSeconds as number) : NaN, stdout: r.stdout, stderr: r.stderr };
}


function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

interface Profile {
  wallSeconds: number;
  events: number;
  requests: number;
  eventsPerRequest: number;
  heapBytesPerRequest: number;
  requestsPerSecondPerCore: number;
  peakRssMiB: number;
}

function profileOf(stderr: string): Profile {
  const line = stderr.split('\n').find((l) => l.startsWith('{"profile"'));
  if (!line) throw new Error(`no --profile line in: ${stderr}`);
  return JSON.parse(line).profile as Profile;
}

const fmt = (x: number, d = 2) => x.toLocaleString('en-US', { maximumFractionDigits: d });
const pairs = Number(process.env['BENCH_PAIRS'] ?? 5);
const runs = Number(process.env['BENCH_RUNS'] ?? 3);
const load = () => loadavg().map((x) => x.toFixed(2)).join(', ');

/**
 * Plain loop and capsim, `pairs` times in turn; `work(t)` is what a run did (customers or
 * requests), so the ratio is of wall time per unit of work.
 */
function interleaved(plainArgs: string[], plainWork: (t: Timed) => number, capsimArgs: string[], capsimWork: (t: Timed) => number) {
  const plain: number[] = [];
  const capsim: number[] = [];
  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  let last: Timed | undefined;
  let plainUnits = 0;
  let capsimUnits = 0;
  for (let i = 0; i < pairs; i++) {
    const a = timed(plainArgs);
    const b = timed(capsimArgs);
    plainUnits = plainWork(a);
    capsimUnits = capsimWork(b);
    plain.push(a.wall);
    capsim.push(b.wall);
    ratios.push(b.wall / capsimUnits / (a.wall / plainUnits));
    cpuRatios.push(b.cpu / capsimUnits / (a.cpu / plainUnits));
    last = b;
  }
  return { plain: median(plain), capsim: median(capsim), ratio: median(ratios), ratios, cpuRatio: median(cpuRatios), cpuRatios, plainUnits, capsimUnits, last: last! };
}

const perRequest = (p: Profile) =>
  `${fmt(p.eventsPerRequest)} events and ${fmt(p.heapBytesPerRequest, 0)} heap bytes per request, ${fmt(p.requestsPerSecondPerCore / 1e6)} M simulated requests/s per core, peak RSS ${fmt(p.peakRssMiB, 0)} MiB`;

console.log(`capsim benchmark: whole processes, ${pairs} interleaved pairs (plain JS, capsim), medians; node ${process.version}`);
console.log(`load average before: ${load()} (1, 5, 15 min)\n`);

// 1. Model A of bench/reference/mmc_spec.md: the reference stops at the 1,000,000th departure,
//    capsim at a simulated time that holds about as many arrivals; the ratio is per customer.
const a = interleaved(
  ['bench/reference/mmc.js', '1000000', '12345'],
  (t) => JSON.parse(t.stdout).customers_served as number,
  ['bin/capsim.js', 'run', 'bench/mm8.yaml', '--json', '--profile'],
  (t) => profileOf(t.stderr).requests,
);
console.log('1. M/M/8, λ = 7.2/s, μ = 1/s, 1,000,000 customers, 1 replication');
console.log(`   plain JS (bench/reference/mmc.js):  ${fmt(a.plain)} s`);
console.log(`   capsim run bench/mm8.yaml:          ${fmt(a.capsim)} s (${fmt(a.capsimUnits, 0)} customers)`);
console.log(`   capsim / plain JS, per customer:    ${fmt(a.ratio)}x (pairs: ${a.ratios.map((r) => fmt(r)).join(', ')}; target <= 1.5x)`);
console.log(`   the same in CPU seconds:            ${fmt(a.cpuRatio)}x (pairs: ${a.cpuRatios.map((r) => fmt(r)).join(', ')})`);
console.log(`   inside capsim: ${perRequest(profileOf(a.last.stderr))}`);

// 1b. The same loop on capsim's kernel: the plain algorithm with capsim's event list and Alea.
const k = interleaved(
  ['bench/reference/mmc.js', '1000000', '12345'],
  (t) => JSON.parse(t.stdout).customers_served as number,
  ['dist/bench/kernel-mmc.js', '1000000'],
  (t) => JSON.parse(t.stdout).customers_served as number,
);
console.log('\n1b. the same M/M/8 on capsim\'s kernel alone (its event list and random numbers, the plain loop\'s algorithm)');
console.log(`   node dist/bench/kernel-mmc.js:      ${fmt(k.capsim)} s`);
console.log(`   kernel / plain JS, per customer:    ${fmt(k.ratio)}x (pairs: ${k.ratios.map((r) => fmt(r)).join(', ')}); CPU ${fmt(k.cpuRatio)}x`);
console.log(`   so capsim's start, its statistics and the fleet's mechanisms are ${fmt(Math.max(0, a.ratio - k.ratio))}x of plain JS per customer in 1.`);

// 2. Model B against the first incident model, per request: the definition, the
//    measured hour's requests over the whole process (capsim also simulates a 5-minute warmup).
const b = interleaved(
  ['bench/reference/modelB.js', '300', '12345', '3600'],
  (t) => JSON.parse(t.stdout).arrivals as number,
  ['bin/capsim.js', 'run', 'models/incident/01-uwsgi-2-workers.yaml', '--replications', '1', '--json', '--profile'],
  (t) => (JSON.parse(t.stdout) as { requests: { mean: number } }).requests.mean,
);
console.log('\n2. a fleet per request, 1 replication of 1 h');
console.log(`   plain JS (bench/reference/modelB.js, 2 x 4 workers at 300/s): ${fmt(b.plain)} s, ${fmt(b.plainUnits / b.plain / 1e6)} M requests/s`);
console.log(`   capsim run models/incident/01-uwsgi-2-workers.yaml:           ${fmt(b.capsim)} s, ${fmt(b.capsimUnits / b.capsim / 1e6)} M requests/s (${fmt(b.capsimUnits, 0)} requests in the measured hour; ${fmt(profileOf(b.last.stderr).requests, 0)} with the warmup)`);
console.log(`   capsim / plain JS, per request:                               ${fmt(b.ratio)}x (pairs: ${b.ratios.map((r) => fmt(r)).join(', ')}; target <= 1.5x)`);
console.log(`   the same in CPU seconds:                                      ${fmt(b.cpuRatio)}x (pairs: ${b.cpuRatios.map((r) => fmt(r)).join(', ')})`);
console.log(`   inside capsim: ${perRequest(profileOf(b.last.stderr))}`);

// 2b. Model B itself in capsim (bench/modelB.yaml: the same fleet, phases, pool, backlog and
//     recycling, as near as capsim's mechanisms allow): the same work per request as the plain loop.
const bb = interleaved(
  ['bench/reference/modelB.js', '300', '12345', '3600'],
  (t) => JSON.parse(t.stdout).arrivals as number,
  ['bin/capsim.js', 'run', 'bench/modelB.yaml', '--json', '--profile'],
  (t) => (JSON.parse(t.stdout) as { requests: { mean: number } }).requests.mean,
);
console.log('\n2b. model B itself in capsim (bench/modelB.yaml), 1 replication of 1 h at 300/s');
console.log(`   capsim run bench/modelB.yaml:       ${fmt(bb.capsim)} s (${fmt(bb.capsimUnits, 0)} requests)`);
console.log(`   capsim / plain JS, per request:     ${fmt(bb.ratio)}x (pairs: ${bb.ratios.map((r) => fmt(r)).join(', ')}); CPU ${fmt(bb.cpuRatio)}x`);
console.log(`   inside capsim: ${perRequest(profileOf(bb.last.stderr))}`);
console.log(`\nload average after: ${load()}`);

// 3. A sweep: the first incident model over workers 2,4,6,8,12,16 × containers 1..4, 10
//    replications of 1 simulated hour each (24 points, 240 replications), on every core.
//    One run (it takes minutes), with BENCH_SWEEP=1.
if (process.env['BENCH_SWEEP'] === '1') {
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
//    after; BENCH_LOG_LINES to change the size; with BENCH_LOG=1). Target: 300,000 lines/s on
//    one core, in bounded memory. CPU seconds are given too: on a shared machine the wall time
//    also measures the neighbours.
if (process.env['BENCH_LOG'] === '1') {
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
