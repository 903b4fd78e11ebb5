// A worker thread that runs replications for the pool (pool.ts). Bundled by esbuild into
// dist/replication-worker.js beside dist/capsim.cjs, and compiled by tsc beside pool.js, so
// `new URL('./replication-worker.js', import.meta.url)` finds it in both layouts.
import { parentPort } from 'node:worker_threads';
import '../logs/register-replay.js';
import type { Model } from '../scenario/model-types.js';
import { ExperimentInputError } from './errors.js';
import { runReplication } from './replication.js';
import { measured, type ReplicationCost } from './replication-cost.js';

export interface WorkerTask {
  id: number;
  /** The pool's id of the model; the model itself comes with the first task of it this worker gets. */
  modelId: number;
  model?: Model;
  replication: number;
}

export type WorkerReply =
  | { id: number; result: ReturnType<typeof runReplication>; cost: ReplicationCost }
  | { id: number; error: string; stack?: string; input?: boolean };

/** The models this worker was sent, by the pool's id (kept until the pool closes). */
const models = new Map<number, Model>();

parentPort!.on('message', (task: WorkerTask) => {
  let reply: WorkerReply;
  try {
    if (task.model) models.set(task.modelId, task.model);
    const model = models.get(task.modelId);
    if (!model) throw new Error(`replication worker: model ${task.modelId} was never sent`);
    const { value, cost } = measured((c) => runReplication(model, task.replication, { cost: c }));
    reply = { id: task.id, result: value, cost };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    // An input error (exit 2) must stay one when it crosses the thread boundary.
    reply = { id: task.id, error: err.message, stack: err.stack, input: err instanceof ExperimentInputError };
  }
  parentPort!.postMessage(reply);
});
