'use strict';
// Source: the benchmark baselines of issue 20 (shared/bench/mmc.js in the project's shared folder),
// copied unchanged but for these two lines; mmc_spec.md beside it specifies the work.
// Model A (M/M/c) -- plain JavaScript baseline, event-scheduling style, no library.
// usage: node mmc.js [customers=1000000] [seed=12345]
const { Rng, EventHeap, FloatFifo } = require('./des_core');

const N = +(process.argv[2] || 1000000);
const SEED = +(process.argv[3] || 12345);
const C = 8, LAMBDA = 7.2, MU = 1.0;
const ARRIVAL = 0, DEPARTURE = 1;

const t0 = process.hrtime.bigint();
const rng = new Rng(SEED);
const heap = new EventHeap(64);
const queue = new FloatFifo(1024); // arrival times of waiting customers
const meanIa = 1 / LAMBDA, meanSvc = 1 / MU;
let now = 0, busy = 0, served = 0, events = 0, sumWq = 0, sumT = 0;

heap.push(rng.exponential(meanIa), ARRIVAL, 0, 0, 0);
while (heap.n > 0) {
  heap.pop();
  now = heap.topTime;
  events++;
  if (heap.topKind === ARRIVAL) {
    heap.push(now + rng.exponential(meanIa), ARRIVAL, 0, 0, 0);
    if (busy < C) {
      busy++;
      heap.push(now + rng.exponential(meanSvc), DEPARTURE, 0, now, 0); // f0 = arrival, f1 = wait
    } else {
      queue.push(now);
    }
  } else {
    served++;
    sumWq += heap.topF1;
    sumT += now - heap.topF0;
    if (served === N) break;
    if (queue.len > 0) {
      const a = queue.shift();
      heap.push(now + rng.exponential(meanSvc), DEPARTURE, 0, a, now - a);
    } else {
      busy--;
    }
  }
}
const wall = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(JSON.stringify({
  impl: 'plain-js', model: 'A', customers_served: served, mean_wq: sumWq / served,
  mean_time_in_system: sumT / served, sim_time: now, events, wall_s: wall,
  events_per_s: events / wall, customers_per_s: served / wall,
}));
