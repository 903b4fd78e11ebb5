// The page's engine: a Web Worker that runs replications (the same runReplication as `capsim
// run`) and posts each result back. Bundled by esbuild into dist/page-engine.js and inlined into
// the page; it touches nothing but the simulation core.
import type { ReplicationResult } from '../experiment/replication.js';
import { runReplication } from '../experiment/replication.js';
import type { Model } from '../scenario/model-types.js';

export interface EngineTask {
  model: Model;
  replication: number;
  /** Record this replication's timeline, sampled every this many seconds. */
  timelineInterval?: number;
}

export type EngineReply = { replication: number; timeline: boolean; result: ReplicationResult } | { replication: number; error: string };

interface WorkerScope {
  onmessage: ((e: { data: EngineTask }) => void) | null;
  postMessage(reply: EngineReply): void;
}

const scope = globalThis as unknown as WorkerScope;

scope.onmessage = (e) => {
  const t = e.data;
  try {
    const options = t.timelineInterval !== undefined ? { timelineInterval: t.timelineInterval } : {};
    scope.postMessage({ replication: t.replication, timeline: t.timelineInterval !== undefined, result: runReplication(t.model, t.replication, options) });
  } catch (err) {
    scope.postMessage({ replication: t.replication, error: err instanceof Error ? err.message : String(err) });
  }
};
