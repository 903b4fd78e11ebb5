// A worker thread that runs replications for the pool (pool.ts). Bundled by esbuild into
// dist/replication-worker.js beside dist/capsim.cjs, and compiled by tsc beside pool.js, so
// `new URL('./replication-worker.js', import.meta.url)` finds it in both layouts.
import { parentPort } from 'node:worker_threads';
import '../logs/register-replay.js';
import type { Model } from '../scenario/model-types.js';
import { ExperimentInputError } from './errors.js';
import { runReplication } from './replication.js';

export interface WorkerTask {
  id: number;
  model: Model;
  replication: number;
}

export type WorkerReply = { id: number; result: ReturnType<typeof runReplication> } | { id: number; error: string; stack?: string; input?: boolean };

parentPort!.on('message', (task: WorkerTask) => {
  let reply: WorkerReply;
  try {
    reply = { id: task.id, result: runReplication(task.model, task.replication) };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    // An input error (exit 2) must stay one when it crosses the thread boundary.
    reply = { id: task.id, error: err.message, stack: err.stack, input: err instanceof ExperimentInputError };
  }
  parentPort!.postMessage(reply);
});
