// The textbook beside the simulation: closed-form queueing estimates for a model, where one
// applies, so a user can see when the simulation and the textbook agree and when the mechanisms
// (recycling, kills, the Linux accept queue, the balancer) take over.
//
// Each container is taken as its own queue fed by an equal share of the Poisson traffic.
//   erlang-c       sync workers, no recycling, unlimited (or Linux) accept queue: M/M/c with
//                  c = workers. Service S = the request's phases end to end. When S is not
//                  exponential, the wait is scaled by (1 + Cs²)/2 (Allen-Cunneen's correction,
//                  1 for exponential service).
//   mmck           the same with a finite backlog and `overflow: refuse`: M/M/c/K with
//                  K = c + backlog; its loss probability is the 502 backlog-overflow rate.
//   allen-cunneen  anything else (gevent/threads, recycling): G/G/c with
//                  Wq ≈ C(c, a) / (cμ − λ) × (Ca² + Cs²)/2, Ca² = 1 (Poisson). Under gevent or
//                  threads the servers are the worker processes and S is the part of a request
//                  that holds its process's one Python thread (CPU, and DB time with mysqlclient
//                  under gevent); the rest overlaps.
// None of these knows about CPU contention between workers (more workers than vCPUs), recycling
// drains, kills or the balancer: the note says which of those the model has.
import { mean, moment, type DistSpec } from '../kernel/distribution-spec.js';
import type { Model } from '../scenario/model-types.js';

export type AnalyticMethod = 'erlang-c' | 'mmck' | 'allen-cunneen';

export interface Analytic {
  /** null when no closed form applies (see note). */
  method: AnalyticMethod | null;
  note: string;
  /** Arrivals per second at one container. */
  lambdaPerContainer: number | null;
  servers: number | null;
  /** Mean service time of one server, ms, and its squared coefficient of variation. */
  serviceMs: number | null;
  serviceScv: number | null;
  /** Offered load per server, λS/c (>= 1: no steady state without losses). */
  utilization: number | null;
  /** CPU demand as a fraction of the container's vCPUs. */
  cpuUtilization: number | null;
  stable: boolean;
  /** Probability that an accepted request waits for a worker. */
  waitProbability: number | null;
  queueWaitMs: number | null;
  /** Mean time from reaching the container to the response (queue wait + every phase), ms. */
  latencyMs: number | null;
  /** mmck: probability that an arrival finds the queue full, and the fleet's 502s per 5 minutes. */
  lossProbability: number | null;
  per5min502: number | null;
}

const none = (note: string): Analytic => ({
  method: null,
  note,
  lambdaPerContainer: null,
  servers: null,
  serviceMs: null,
  serviceScv: null,
  utilization: null,
  cpuUtilization: null,
  stable: false,
  waitProbability: null,
  queueWaitMs: null,
  latencyMs: null,
  lossProbability: null,
  per5min502: null,
});

/** Erlang B by the stable recurrence. */
export function erlangB(c: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b;
}

/** Erlang C: probability of waiting in M/M/c with offered load a < c. */
export function erlangC(c: number, a: number): number {
  const b = erlangB(c, a);
  return (c * b) / (c - a * (1 - b));
}

/** M/M/c/K: loss probability, probability that an accepted arrival waits, mean queue wait (s). */
export function mmck(c: number, K: number, lambda: number, s: number): { loss: number; wait: number; wq: number } {
  const a = lambda * s;
  // Unnormalised p_n, scaled as we go to stay finite.
  const p: number[] = [1];
  for (let n = 1; n <= K; n++) p[n] = (p[n - 1]! * a) / Math.min(n, c);
  let total = 0;
  for (const x of p) total += x;
  const pn = p.map((x) => x / total);
  const loss = pn[K]!;
  let waitMass = 0;
  let lq = 0;
  for (let n = c; n < K; n++) waitMass += pn[n]!;
  for (let n = c + 1; n <= K; n++) lq += (n - c) * pn[n]!;
  const accepted = 1 - loss;
  return { loss, wait: accepted > 0 ? waitMass / accepted : 1, wq: accepted > 0 ? lq / (lambda * accepted) : Infinity };
}

interface Moments {
  m1: number;
  m2: number;
}

const add = (a: Moments, d: DistSpec): Moments => {
  const m1 = mean(d);
  const v = moment(d, 2) - m1 * m1;
  const nm1 = a.m1 + m1;
  return { m1: nm1, m2: a.m2 - a.m1 * a.m1 + v + nm1 * nm1 };
};
const addConst = (a: Moments, c: number): Moments => ({ m1: a.m1 + c, m2: a.m2 + 2 * a.m1 * c + c * c });

export function analytic(model: Model): Analytic {
  const t = model.traffic;
  if (t.rate === undefined) return none('traffic is not a constant Poisson rate (a profile, closed users or a replayed log)');
  if (t.bursts) return none('traffic has bursts on top of its Poisson rate');
  const f = model.fleet;
  const sv = f.server;
  const lambda = t.rate / f.containers;
  const sync = sv.mode === 'sync';
  const driverCpu = mean(f.db.driverCpu) * (f.db.driver === 'pymysql' ? f.db.pymysqlCpuFactor : 1);
  const dbHoldsProcess = sv.mode === 'gevent' && f.db.driver === 'mysqlclient';
  // Mixture over endpoints of (serial part, whole request, CPU).
  const totalWeight = t.endpoints.reduce((a, e) => a + e.weight, 0);
  let serial: Moments = { m1: 0, m2: 0 };
  let whole = 0;
  let cpu = 0;
  for (const e of t.endpoints) {
    const w = e.weight / totalWeight;
    let ser: Moments = { m1: 0, m2: 0 };
    let all = 0;
    let c = 0;
    for (const ph of e.phases) {
      const m = mean(ph.dist);
      all += m;
      if (ph.kind === 'cpu') {
        c += m;
        ser = add(ser, ph.dist);
      } else if (ph.kind === 'db') {
        c += driverCpu;
        all += driverCpu;
        if (sync || dbHoldsProcess) ser = addConst(add(ser, ph.dist), driverCpu);
        else ser = addConst(ser, driverCpu);
      } else if (sync) {
        ser = add(ser, ph.dist);
      }
    }
    serial = { m1: serial.m1 + w * ser.m1, m2: serial.m2 + w * ser.m2 };
    whole += w * all;
    cpu += w * c;
  }
  const S = serial.m1;
  if (!(S > 0)) return none('requests hold no worker for any time');
  const scv = serial.m2 / (S * S) - 1;
  const c = sv.workers;
  const a = lambda * S;
  const rho = a / c;
  const cpuUtilization = (lambda * cpu) / f.vcpu;
  const recycling = sv.maxRequests > 0;
  const finite = f.overflow === 'refuse' && Number.isFinite(sv.backlog);
  const notes: string[] = [];
  let method: AnalyticMethod;
  if (sync && !recycling) method = finite ? 'mmck' : 'erlang-c';
  else method = 'allen-cunneen';
  if (method === 'mmck') notes.push(`M/M/c/K per container, c = ${c}, K = ${c + sv.backlog}; exact for exponential service`);
  else if (method === 'erlang-c') notes.push(`Erlang C, M/M/c per container, c = ${c}` + (Math.abs(scv - 1) > 1e-9 ? `; wait scaled by (1 + Cs²)/2 for Cs² = ${scv.toPrecision(3)}` : ''));
  else notes.push(`Allen-Cunneen, G/G/c per container, c = ${c} worker processes${sync ? '' : ` (${sv.mode}: the part of a request that holds its process)`}`);
  if (recycling) notes.push('recycling not in the formula');
  if (finite && method !== 'mmck') notes.push('finite backlog not in the formula');
  if (f.overflow === 'linux' && Number.isFinite(sv.backlog)) notes.push('Linux accept-queue overflow not in the formula');
  if (cpu > 0 && c > f.vcpu) notes.push(`CPU contention not in the formula (${c} workers on ${f.vcpu} vCPU)`);

  const base = {
    method,
    lambdaPerContainer: lambda,
    servers: c,
    serviceMs: S * 1000,
    serviceScv: scv,
    utilization: rho,
    cpuUtilization,
  };
  if (method === 'mmck') {
    const r = mmck(c, c + sv.backlog, lambda, S);
    return {
      ...base,
      note: notes.join('; '),
      stable: true,
      waitProbability: r.wait,
      queueWaitMs: r.wq * 1000,
      latencyMs: (r.wq + whole) * 1000,
      lossProbability: r.loss,
      per5min502: r.loss * t.rate * 300,
    };
  }
  if (rho >= 1 || cpuUtilization >= 1) {
    notes.push(rho >= 1 ? `offered load ${rho.toPrecision(3)} per worker >= 1: the queue grows without bound` : `CPU demand ${cpuUtilization.toPrecision(3)} of the vCPUs >= 1: the queue grows without bound`);
    return { ...none(notes.join('; ')), ...base, stable: false };
  }
  const C = erlangC(c, a);
  const factor = method === 'erlang-c' && Math.abs(scv - 1) <= 1e-9 ? 1 : (1 + scv) / 2;
  const wq = (C / (c / S - lambda)) * factor;
  return {
    ...base,
    note: notes.join('; '),
    stable: true,
    waitProbability: C,
    queueWaitMs: wq * 1000,
    latencyMs: (wq + whole) * 1000,
    lossProbability: null,
    per5min502: null,
  };
}
