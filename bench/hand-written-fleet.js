// A floor for the fleet benchmark: the incident model's request path written by hand in plain
// JavaScript, with nothing but what every request needs. Poisson arrivals at 19k/min; least
// outstanding requests over 4 containers; per container 2 gevent worker processes sharing
// 1 vCPU (processor sharing); per request a CPU burst, a mysqlclient query that holds the
// process's hub, a CPU burst (0.4% of requests: CPU, an external wait that yields, CPU). Each
// process's hub serves its greenlets first come first served. The same 4 events per request as
// capsim, on a typed-array heap (each container's next burst end kept beside it, a scan of 4),
// with an inline generator and no statistics beyond a latency sum.
// Left out: recycling, kills, respawns, health checks, keep-alive, timeouts, the accept queue's
// rules, memory, metrics. Usage: node bench/hand-written-fleet.js [simulated seconds]
const T_END = Number(process.argv[2] ?? 3900);
const RATE = 19000 / 60, C = 4, P = 2; // containers, processes per container
let seed = 12345;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648;
let spare = NaN;
const normal = () => {
  if (spare === spare) { const z = spare; spare = NaN; return z; }
  const r = Math.sqrt(-2 * Math.log(rand())), a = 2 * Math.PI * rand();
  spare = r * Math.sin(a);
  return r * Math.cos(a);
};
const lognormal = (mean, sd) => { const s2 = Math.log(1 + (sd * sd) / (mean * mean)); const mu = Math.log(mean) - s2 / 2, s = Math.sqrt(s2); return () => Math.exp(mu + s * normal()); };
const cpu1 = lognormal(0.006, 0.005), query = lognormal(0.004, 0.004);
const exportWait = () => Math.exp(Math.log(10) + (Math.log(50 / 10) / 2.3263) * normal());

// Event heap: time, kind, argument, second argument.
const CAP = 1 << 16;
const hT = new Float64Array(CAP), hK = new Int32Array(CAP), hA = new Int32Array(CAP), hS = new Int32Array(CAP);
let hN = 0;
function push(t, k, a, s) {
  let i = hN++;
  while (i > 0) { const p = (i - 1) >> 1; if (hT[p] <= t) break; hT[i] = hT[p]; hK[i] = hK[p]; hA[i] = hA[p]; hS[i] = hS[p]; i = p; }
  hT[i] = t; hK[i] = k; hA[i] = a; hS[i] = s;
}
function pop() {
  const t = hT[--hN], k = hK[hN], a = hA[hN], s = hS[hN];
  let i = 0;
  for (;;) {
    let c = 2 * i + 1; if (c >= hN) break;
    if (c + 1 < hN && hT[c + 1] < hT[c]) c++;
    if (hT[c] >= t) break;
    hT[i] = hT[c]; hK[i] = hK[c]; hA[i] = hA[c]; hS[i] = hS[c]; i = c;
  }
  hT[i] = t; hK[i] = k; hA[i] = a; hS[i] = s;
}
const ARRIVE = 0, BLOCK_DONE = 2, WAIT_DONE = 3;

// Requests: a slot table with a free list.
const RCAP = 1 << 16;
const rArrive = new Float64Array(RCAP), rStep = new Int32Array(RCAP), rExport = new Uint8Array(RCAP), rCont = new Int32Array(RCAP), rWork = new Float64Array(RCAP * 3);
const free = new Int32Array(RCAP); let freeTop = RCAP; for (let i = 0; i < RCAP; i++) free[i] = RCAP - 1 - i;
// Processes: the request on the hub (-1: none), its FIFO of waiting requests, CPU work left.
const NP = C * P;
const hubReq = new Int32Array(NP).fill(-1), onCpu = new Uint8Array(NP), left = new Float64Array(NP);
const qBuf = new Int32Array(NP * 1024), qHead = new Int32Array(NP), qLen = new Int32Array(NP);
const outstanding = new Int32Array(C), lastT = new Float64Array(C), active = new Int32Array(C);
const cpuT = new Float64Array(C).fill(Infinity); // each container's next burst end
let rr = 0, now = 0, events = 0, done = 0, latencySum = 0;

// Processor sharing on one core: bring the running bursts' work left up to now.
function advance(c) {
  const n = active[c];
  if (n > 0) { const d = (now - lastT[c]) / n; for (let p = c * P; p < c * P + P; p++) if (onCpu[p]) left[p] -= d; }
  lastT[c] = now;
}
// Schedule the container's next burst end (the smallest work left, at rate 1/n).
function reschedule(c) {
  const n = active[c];
  if (n === 0) { cpuT[c] = Infinity; return; }
  let best = -1;
  for (let p = c * P; p < c * P + P; p++) if (onCpu[p] && (best < 0 || left[p] < left[best])) best = p;
  cpuT[c] = now + Math.max(0, left[best]) * n;
}
function startCpu(p, work) { const c = (p / P) | 0; advance(c); onCpu[p] = 1; left[p] = work; active[c]++; reschedule(c); }
// The hub of process p runs the next step of request r.
function run(p, r) {
  hubReq[p] = r;
  const s = rStep[r];
  if (s === 0 || s === 2) startCpu(p, rWork[r * 3 + s]);
  else if (rExport[r]) { hubReq[p] = -1; push(now + rWork[r * 3 + 1], WAIT_DONE, r, p); nextOnHub(p); }
  else push(now + rWork[r * 3 + 1], BLOCK_DONE, p, r); // mysqlclient: the hub stays held
}
function nextOnHub(p) {
  if (qLen[p] === 0) return;
  const r = qBuf[p * 1024 + qHead[p]]; qHead[p] = (qHead[p] + 1) & 1023; qLen[p]--;
  run(p, r);
}
function wantHub(p, r) {
  if (hubReq[p] < 0) run(p, r);
  else { qBuf[p * 1024 + ((qHead[p] + qLen[p]) & 1023)] = r; qLen[p]++; }
}
function stepDone(p, r) {
  hubReq[p] = -1;
  if (++rStep[r] === 3) {
    done++; latencySum += now - rArrive[r]; outstanding[rCont[r]]--; free[freeTop++] = r;
    nextOnHub(p);
  } else run(p, r);
}

const t0 = performance.now();
push(-Math.log(rand()) / RATE, ARRIVE, 0, 0);
for (;;) {
  let cc = 0;
  for (let c = 1; c < C; c++) if (cpuT[c] < cpuT[cc]) cc = c;
  if (cpuT[cc] < hT[0]) {
    if (cpuT[cc] > T_END) break;
    now = cpuT[cc];
    events++;
    advance(cc);
    let p = -1;
    for (let q = cc * P; q < cc * P + P; q++) if (onCpu[q] && (p < 0 || left[q] < left[p])) p = q;
    onCpu[p] = 0; active[cc]--; reschedule(cc);
    stepDone(p, hubReq[p]);
    continue;
  }
  const t = hT[0], k = hK[0], a = hA[0], s = hS[0];
  if (t > T_END) break;
  pop();
  now = t;
  events++;
  if (k === ARRIVE) {
    push(now - Math.log(rand()) / RATE, ARRIVE, 0, 0);
    const r = free[--freeTop];
    rArrive[r] = now; rStep[r] = 0;
    const ex = rand() < 0.004; rExport[r] = ex ? 1 : 0;
    if (ex) { rWork[r * 3] = 0.02; rWork[r * 3 + 1] = exportWait(); rWork[r * 3 + 2] = 0.01; }
    else { rWork[r * 3] = cpu1() + 0.0002; rWork[r * 3 + 1] = query() + 0.002; rWork[r * 3 + 2] = -0.001 * Math.log(rand()); }
    let best = rr; rr = (rr + 1) % C;
    for (let j = 1; j < C; j++) { const c = (best + j) % C; if (outstanding[c] < outstanding[best]) best = c; }
    outstanding[best]++; rCont[r] = best;
    // The less busy of the container's processes takes it (a greenlet queues on its hub).
    const p0 = best * P;
    wantHub(qLen[p0 + 1] + (hubReq[p0 + 1] >= 0) < qLen[p0] + (hubReq[p0] >= 0) ? p0 + 1 : p0, r);
  } else if (k === BLOCK_DONE) stepDone(a, s);
  else { rStep[a] = 2; wantHub(s, a); } // WAIT_DONE: the export's greenlet wants its hub back
}
const wall = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ simulatedSeconds: T_END, requests: done, events, meanLatencyMs: (latencySum / done) * 1000, wallSeconds: wall }));
