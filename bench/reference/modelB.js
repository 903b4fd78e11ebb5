'use strict';
// Source: the benchmark baselines of issue 20 (shared/bench/modelB.js in the project's shared folder),
// copied unchanged but for these two lines; mmc_spec.md beside it specifies the work.
// Model B (2 containers x 4 workers, DB pool, backlog, worker recycling) -- plain JS baseline.
// usage: node modelB.js [arrival_rate=300] [seed=12345] [sim_seconds=3600]
const { Rng, EventHeap, FloatFifo } = require('./des_core');

const RATE = +(process.argv[2] || 300);
const SEED = +(process.argv[3] || 12345);
const T_END = +(process.argv[4] || 3600);
const CONTAINERS = 2, WORKERS = 4, POOL = 5, BACKLOG = 100, RECYCLE_AFTER = 500, RESPAWN_GAP = 1.0;
const CPU1_MEAN = 0.003, CPU2_MEAN = 0.001, DB_MEAN = 0.005, DB_SIGMA = 0.5;
const DB_MU = Math.log(DB_MEAN) - DB_SIGMA * DB_SIGMA / 2; // lognormal with mean DB_MEAN
const ARRIVAL = 0, CPU1_END = 1, DB_END = 2, CPU2_END = 3, RESPAWN = 4;

const t0 = process.hrtime.bigint();
const rng = new Rng(SEED);
const heap = new EventHeap(64);
const NW = CONTAINERS * WORKERS;
const workerContainer = new Int32Array(NW);
const workerCount = new Int32Array(NW);            // requests done since (re)spawn
const idle = [];                                    // per container: FIFO of idle worker ids (longest-idle first)
const backlog = [];                                 // per container: FIFO of arrival times
const poolFree = new Int32Array(CONTAINERS);
const poolWaitW = [], poolWaitA = [];               // per container: FIFO of (worker, arrival) waiting for a connection
for (let k = 0; k < CONTAINERS; k++) {
  idle.push(new FloatFifo(16)); backlog.push(new FloatFifo(128)); poolFree[k] = POOL;
  poolWaitW.push(new FloatFifo(16)); poolWaitA.push(new FloatFifo(16));
}
for (let w = 0; w < NW; w++) { workerContainer[w] = (w / WORKERS) | 0; }
for (let w = 0; w < NW; w++) idle[workerContainer[w]].push(w); // worker 0 of each container is taken first

let now = 0, events = 0, arrivals = 0, rejected = 0, completed = 0, recycles = 0, sumLat = 0, rr = 0;

function startRequest(w, arr) { heap.push(now + rng.exponential(CPU1_MEAN), CPU1_END, w, arr, 0); }
function workerFree(w) {
  const k = workerContainer[w];
  const q = backlog[k];
  if (q.len > 0) startRequest(w, q.shift()); else idle[k].push(w);
}

heap.push(rng.exponential(1 / RATE), ARRIVAL, 0, 0, 0);
while (heap.n > 0) {
  if (heap.time[0] > T_END) break;
  heap.pop();
  now = heap.topTime;
  events++;
  const w = heap.topI0, arr = heap.topF0;
  switch (heap.topKind) {
    case ARRIVAL: {
      heap.push(now + rng.exponential(1 / RATE), ARRIVAL, 0, 0, 0);
      arrivals++;
      const k = rr; rr = (rr + 1) % CONTAINERS;
      if (idle[k].len > 0) startRequest(idle[k].shift(), now);
      else if (backlog[k].len < BACKLOG) backlog[k].push(now);
      else rejected++;
      break;
    }
    case CPU1_END: {
      const k = workerContainer[w];
      if (poolFree[k] > 0) { poolFree[k]--; heap.push(now + rng.lognormal(DB_MU, DB_SIGMA), DB_END, w, arr, 0); }
      else { poolWaitW[k].push(w); poolWaitA[k].push(arr); }
      break;
    }
    case DB_END: {
      const k = workerContainer[w];
      if (poolWaitW[k].len > 0) { // hand the connection straight to the next waiter
        const w2 = poolWaitW[k].shift(), a2 = poolWaitA[k].shift();
        heap.push(now + rng.lognormal(DB_MU, DB_SIGMA), DB_END, w2, a2, 0);
      } else poolFree[k]++;
      heap.push(now + rng.exponential(CPU2_MEAN), CPU2_END, w, arr, 0);
      break;
    }
    case CPU2_END: {
      completed++; sumLat += now - arr;
      if (++workerCount[w] === RECYCLE_AFTER) {
        workerCount[w] = 0; recycles++;
        heap.push(now + RESPAWN_GAP, RESPAWN, w, 0, 0);
      } else workerFree(w);
      break;
    }
    case RESPAWN: workerFree(w); break;
  }
}
const wall = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(JSON.stringify({
  impl: 'plain-js', model: 'B', arrival_rate: RATE, sim_time: T_END, arrivals, rejected, completed, recycles,
  mean_latency: sumLat / completed, events, wall_s: wall, events_per_s: events / wall, requests_per_s: arrivals / wall,
}));
