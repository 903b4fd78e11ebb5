// Replications in parallel on worker threads: the one pool that `run`, `sweep`, `size` (and any
// command built on the experiment machinery) compute with.
//
// Use: `const pool = new ReplicationPool(jobs)`, then `await pool.run(tasks, onResult)` as many
// times as needed (each task a parsed model and a replication number), then `await pool.close()`.
// - Results come back under the task's index, so callers collect by index and summarise in a fixed
//   order: the output is the same whatever `jobs` is and whatever order the workers finish in.
// - The workers stay alive from one run() to the next until close(), with V8's compiled code warm;
//   each model object crosses to a worker once (the worker keeps it by id), so a sweep point's
//   later replications, or a later run() with the same model objects, send only numbers.
// - `pool.cost` sums what every replication cost (thread seconds, events, simulated requests,
//   heap bytes): `profileFigures(pool.cost, wall, pool.jobs)` is the `--profile` line.
// With one job (or one task) replications run on this thread.
import '../logs/register-replay.js';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Model } from '../scenario/model-types.js';
import { ExperimentInputError } from './errors.js';
import { runReplication, type ReplicationResult } from './replication.js';
import { addCost, measured, noCost, type ReplicationCost } from './replication-cost.js';
import type { WorkerReply, WorkerTask } from './replication-worker.js';

export interface Task {
  model: Model;
  replication: number;
}

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

interface PoolWorker {
  thread: Worker;
  /** Ids of the models this worker holds. */
  models: Set<number>;
}

export class ReplicationPool {
  private readonly workers: PoolWorker[] = [];
  private readonly modelIds = new WeakMap<Model, number>();
  private nextModelId = 0;
  private closed = false;
  /** What the replications run so far cost, summed (see replication-cost.ts). */
  readonly cost: ReplicationCost = noCost();
  /** Task ids sent so far: each run numbers its tasks from here, so that a reply still on its way from a run that failed is told apart and dropped. */
  private sent = 0;

  constructor(readonly jobs: number) {}

  /**
   * Run the tasks; `onResult(i, result)` is called as each finishes (in any order). Resolves with
   * the results in task order. A failure in any replication rejects (and the other tasks stop being
   * handed out).
   */
  async run(tasks: readonly Task[], onResult?: (index: number, result: ReplicationResult) => void): Promise<ReplicationResult[]> {
    if (this.closed) throw new Error('ReplicationPool: run after close');
    const results: ReplicationResult[] = new Array(tasks.length);
    if (tasks.length === 0) return results;
    if (this.jobs <= 1 || tasks.length === 1) {
      for (let i = 0; i < tasks.length; i++) {
        const t = tasks[i]!;
        const { value, cost } = measured((c) => runReplication(t.model, t.replication, { cost: c }));
        addCost(this.cost, cost);
        results[i] = value;
        onResult?.(i, value);
        // Let signal handlers and timers (progress, Ctrl-C) run between replications.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      return results;
    }
    const want = Math.min(this.jobs, tasks.length);
    while (this.workers.length < want) {
      this.workers.push({ thread: new Worker(new URL('./replication-worker.js', import.meta.url)), models: new Set() });
    }
    const base = this.sent;
    this.sent += tasks.length;
    return new Promise<ReplicationResult[]>((resolve, reject) => {
      let next = 0;
      let done = 0;
      let failed = false;
      const listeners: (() => void)[] = [];
      const finish = (err?: Error) => {
        for (const off of listeners) off();
        if (err) reject(err);
        else resolve(results);
      };
      const give = (w: PoolWorker) => {
        if (failed || next >= tasks.length) return;
        const id = next++;
        const t = tasks[id]!;
        const modelId = this.idOf(t.model);
        const msg: WorkerTask = { id: base + id, modelId, replication: t.replication };
        if (!w.models.has(modelId)) {
          msg.model = t.model;
          w.models.add(modelId);
        }
        w.thread.postMessage(msg);
      };
      for (const w of this.workers.slice(0, want)) {
        const onMessage = (raw: WorkerReply) => {
          if (failed) return;
          const i = raw.id - base;
          // A task of an earlier run that failed (a worker finishes what it had): not ours.
          if (i < 0 || i >= tasks.length) return;
          const reply = { ...raw, id: i };
          if ('error' in reply) {
            failed = true;
            const e = reply.input ? new ExperimentInputError(reply.error) : new Error(reply.error);
            if (reply.stack) e.stack = reply.stack;
            finish(e);
            return;
          }
          results[reply.id] = reply.result;
          addCost(this.cost, reply.cost);
          done++;
          try {
            onResult?.(reply.id, reply.result);
          } catch (e) {
            failed = true;
            finish(e instanceof Error ? e : new Error(String(e)));
            return;
          }
          if (done === tasks.length) finish();
          else give(w);
        };
        const onError = (e: Error) => {
          if (failed) return;
          failed = true;
          finish(e);
        };
        const onExit = (code: number) => onError(new Error(`replication worker exited with code ${code}`));
        w.thread.on('message', onMessage);
        w.thread.on('error', onError);
        w.thread.on('exit', onExit);
        listeners.push(() => {
          w.thread.off('message', onMessage);
          w.thread.off('error', onError);
          w.thread.off('exit', onExit);
        });
        give(w);
      }
    });
  }

  private idOf(model: Model): number {
    let id = this.modelIds.get(model);
    if (id === undefined) {
      id = this.nextModelId++;
      this.modelIds.set(model, id);
    }
    return id;
  }

  async close(): Promise<void> {
    this.closed = true;
    const ws = this.workers.splice(0);
    await Promise.all(ws.map((w) => w.thread.terminate()));
  }
}
