// Replications in parallel on worker threads. The pool only computes: each task is a (model,
// replication) pair and its result comes back under the task's index, so callers collect by index
// and summarise in a fixed order, and the output is the same whatever --jobs is and whatever order
// the workers finish in. With one job (or one task) replications run on this thread.
import '../logs/register-replay.js';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Model } from '../scenario/model-types.js';
import { ExperimentInputError } from './errors.js';
import { runReplication, type ReplicationResult } from './replication.js';
import type { WorkerReply, WorkerTask } from './replication-worker.js';

export interface Task {
  model: Model;
  replication: number;
}

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

export class ReplicationPool {
  private readonly workers: Worker[] = [];
  private closed = false;
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
        results[i] = runReplication(tasks[i]!.model, tasks[i]!.replication);
        onResult?.(i, results[i]!);
        // Let signal handlers and timers (progress, Ctrl-C) run between replications.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      return results;
    }
    const want = Math.min(this.jobs, tasks.length);
    while (this.workers.length < want) this.workers.push(new Worker(new URL('./replication-worker.js', import.meta.url)));
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
      const give = (w: Worker) => {
        if (failed || next >= tasks.length) return;
        const id = next++;
        const t = tasks[id]!;
        const msg: WorkerTask = { id: base + id, model: t.model, replication: t.replication };
        w.postMessage(msg);
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
        w.on('message', onMessage);
        w.on('error', onError);
        w.on('exit', onExit);
        listeners.push(() => {
          w.off('message', onMessage);
          w.off('error', onError);
          w.off('exit', onExit);
        });
        give(w);
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const ws = this.workers.splice(0);
    await Promise.all(ws.map((w) => w.terminate()));
  }
}
