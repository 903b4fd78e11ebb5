// Model A of bench/reference/mmc_spec.md (M/M/8, λ = 7.2/s, μ = 1/s, until the Nth departure) on
// capsim's kernel alone: its event list (kernel/simulation.ts: handlers as bound closures with an
// integer argument, two heaps, cancellable ids) and its random numbers (kernel/alea.ts), with the
// plain loop's algorithm around them (bench/reference/mmc.js). `npm run bench` runs it against
// that loop: the ratio is the cost of capsim's event loop itself; the rest of `capsim run
// bench/mm8.yaml`'s time is the fleet's mechanisms (docs/performance.md).
// Usage: node dist/bench/kernel-mmc.js [customers=1000000]
import { Alea } from '../src/kernel/alea.js';
import { Simulation } from '../src/kernel/simulation.js';

const N = Number(process.argv[2] ?? 1_000_000);
const C = 8;
const MEAN_GAP = 1 / 7.2;
const MEAN_SERVICE = 1;

const t0 = process.hrtime.bigint();
const sim = new Simulation();
const gaps = new Alea('bench/arrivals');
const services = new Alea('bench/services');
// Arrival times of the waiting customers (a ring) and of each server's customer.
let queue = new Float64Array(1024);
let head = 0;
let waiting = 0;
const arrivedAt = new Float64Array(C);
const freeServers = Int32Array.from({ length: C }, (_, i) => C - 1 - i);
let nFree = C;
let served = 0;
let sumWq = 0;
let sumT = 0;

const exp = (g: Alea, mean: number) => -mean * Math.log(1 - g.next());

function serve(server: number, arrival: number): void {
  arrivedAt[server] = arrival;
  sumWq += sim.now - arrival;
  sim.schedule(exp(services, MEAN_SERVICE), departure, server);
}

function arrival(): void {
  sim.schedule(exp(gaps, MEAN_GAP), arrival, 0);
  if (nFree > 0) serve(freeServers[--nFree]!, sim.now);
  else {
    if (waiting === queue.length) {
      const grown = new Float64Array(queue.length * 2);
      for (let i = 0; i < waiting; i++) grown[i] = queue[(head + i) % queue.length]!;
      queue = grown;
      head = 0;
    }
    queue[(head + waiting++) % queue.length] = sim.now;
  }
}

function departure(server: number): void {
  served++;
  sumT += sim.now - arrivedAt[server]!;
  if (served === N) {
    sim.stop();
    return;
  }
  if (waiting > 0) {
    const a = queue[head]!;
    head = (head + 1) % queue.length;
    waiting--;
    serve(server, a);
  } else freeServers[nFree++] = server;
}

sim.schedule(exp(gaps, MEAN_GAP), arrival, 0);
sim.run();
const wall = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(
  JSON.stringify({
    impl: 'capsim-kernel',
    model: 'A',
    customers_served: served,
    mean_wq: sumWq / served,
    mean_time_in_system: sumT / served,
    sim_time: sim.now,
    events: sim.executed,
    wall_s: wall,
    customers_per_s: served / wall,
  }),
);
