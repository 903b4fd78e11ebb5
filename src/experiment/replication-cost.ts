// What a replication cost to compute: wall seconds on its thread, kernel events, simulated
// requests (warmup included) and heap bytes allocated. `--profile` reports the sums per request
// and per core (pool.ts keeps them). Bytes allocated are not a counter V8 exposes; they are the
// heap's growth plus what every garbage collection in between freed (v8.GCProfiler, Node >= 18.15:
// the used heap before and after each collection), so collections cannot hide allocation.
import v8 from 'node:v8';

export interface ReplicationCost {
  /** Replications summed (1 for one). */
  replications: number;
  /** Wall seconds on the thread that ran them. */
  seconds: number;
  /** Kernel events run, warmup included. */
  events: number;
  /** Requests simulated (arrivals), warmup included. */
  requests: number;
  /** JavaScript heap bytes allocated while they ran. */
  heapBytes: number;
}

export function noCost(): ReplicationCost {
  return { replications: 0, seconds: 0, events: 0, requests: 0, heapBytes: 0 };
}

export function addCost(into: ReplicationCost, c: ReplicationCost): void {
  into.replications += c.replications;
  into.seconds += c.seconds;
  into.events += c.events;
  into.requests += c.requests;
  into.heapBytes += c.heapBytes;
}

/**
 * Run `work` (one replication, which fills in `events` and `requests` of the cost it is given)
 * and measure its time and allocation.
 */
export function measured<T>(work: (cost: ReplicationCost) => T): { value: T; cost: ReplicationCost } {
  const cost = noCost();
  cost.replications = 1;
  const profiler = new v8.GCProfiler();
  const before = v8.getHeapStatistics().used_heap_size;
  profiler.start();
  const t0 = performance.now();
  const value = work(cost);
  cost.seconds = (performance.now() - t0) / 1000;
  const gcs = profiler.stop();
  let freed = 0;
  for (const g of gcs.statistics) freed += g.beforeGC.heapStatistics.usedHeapSize - g.afterGC.heapStatistics.usedHeapSize;
  cost.heapBytes = Math.max(0, v8.getHeapStatistics().used_heap_size - before + freed);
  return { value, cost };
}

/** The `--profile` figures of a command that ran replications for `wallSeconds`. */
export function profileFigures(c: ReplicationCost, wallSeconds: number, jobs: number) {
  return {
    wallSeconds,
    replications: c.replications,
    jobs,
    events: c.events,
    requests: c.requests,
    eventsPerRequest: c.events / c.requests,
    heapBytesPerRequest: c.heapBytes / c.requests,
    /** Simulated requests per wall second of the command. */
    requestsPerSecond: c.requests / wallSeconds,
    /** Simulated requests per second of a thread running a replication: the speed of one core. */
    requestsPerSecondPerCore: c.requests / c.seconds,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}
