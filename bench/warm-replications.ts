// Replications of one model in one process, timed one by one: the first pays for V8's JIT
// warm-up, the later ones show the simulation's steady speed. Prints one JSON line.
// Usage: node dist/bench/warm-replications.js MODEL [replications]
import { runReplication } from '../src/experiment/replication.js';
import { loadModelFile } from '../src/scenario/load-model.js';

const model = loadModelFile(process.argv[2] ?? 'models/incident/01-uwsgi-2-workers.yaml');
const n = Number(process.argv[3] ?? 3);
const seconds: number[] = [];
let requests = 0;
for (let r = 0; r < n; r++) {
  const t0 = performance.now();
  const result = runReplication(model, r);
  seconds.push((performance.now() - t0) / 1000);
  requests = result.arrivals;
}
console.log(JSON.stringify({ seconds, requests }));
