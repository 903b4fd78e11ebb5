// How the model gets a replayed log's arrivals (traffic.replay). Reading a log file is Node-only
// (src/logs/), and the model is not: the Node entry points register the reader here
// (src/logs/register-replay.ts); the browser page has none, and a replay model there says so.
import type { ReplayArrivals } from '../../logs/replay-arrivals.js';

export type ReplayLoader = (file: string, format: string, endpointNames: string[]) => ReplayArrivals;

let loader: ReplayLoader | null = null;

export function setReplayLoader(l: ReplayLoader): void {
  loader = l;
}

export function loadReplay(file: string, format: string, endpointNames: string[]): ReplayArrivals {
  if (!loader) throw new Error(`traffic.replay (${file}) needs the capsim command line: this build cannot read log files`);
  return loader(file, format, endpointNames);
}
