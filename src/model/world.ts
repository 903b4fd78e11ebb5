// The state every fleet component shares for one replication, and the components themselves,
// so each can reach the others without a tangle of constructor arguments.
import type { Simulation } from '../kernel/simulation.js';
import type { Model } from '../scenario/model-types.js';
import type { Balancer } from './balancer/balancer.js';
import type { Container } from './container.js';
import type { Database } from './db/database.js';
import type { Listener } from './listener.js';
import type { Metrics } from './metrics.js';
import type { RequestTable } from './request-table.js';
import type { RequestSink } from './request-sink.js';
import type { AppServer } from './server/app-server.js';
import type { RequestRunner } from './server/request-runner.js';
import type { WorkerProcess } from './server/worker-process.js';
import type { EndpointTable } from './traffic/endpoints.js';

export interface World {
  readonly sim: Simulation;
  readonly model: Model;
  readonly table: RequestTable;
  readonly metrics: Metrics;
  readonly endpoints: EndpointTable;
  readonly containers: Container[];
  readonly procs: WorkerProcess[];
  /** Contexts per process (1 for sync). */
  readonly concurrency: number;
  /** Request served by each context (global context id), or -1. */
  readonly ctxReq: Int32Array;
  /** Pending timer of each context (a wait phase), or -1. */
  readonly ctxTimer: Float64Array;
  /** Where finished requests are reported (an access log), or null. */
  readonly requestSink: RequestSink | null;
  balancer: Balancer;
  listener: Listener;
  server: AppServer;
  runner: RequestRunner;
  db: Database;
}
