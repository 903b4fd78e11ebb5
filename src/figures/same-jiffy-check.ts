// The order of one jiffy's timers, checked against the real stack (docs/model.md, "The order of
// one jiffy's timers"): at how many of the instants at which retransmitted SYNs come back do
// some of them get in and others not? Counted the way the testbed's proxy log allows (its
// connections that got in, with the SYNs they had sent before), in capsim as built (random
// order) and with the order capsim had before (first armed, first run).
import { runReplication } from '../experiment/replication.js';
import { Listener } from '../model/listener.js';
import { CAUSES } from '../model/outcome.js';
import { figure } from '../report/format.js';
import { loadModelFile } from '../scenario/load-model.js';
import { quantityCI, summarizeCounts } from '../stats/intervals.js';
import { mdTable, type FigureBlock } from './figure-block.js';
import { OVERLOAD_ALB_MODEL as MODEL, OVERLOAD_ALB_RUNS } from './overload-alb-runs.js';

const REPLICATIONS = 6;

type SynSeen = { t: number; request: number; passed: boolean };

const CONNECT_TIMEOUT = CAUSES.findIndex((c) => c.name === 'connect-timeout');

/**
 * One replication: the share of the instants (with retransmitted SYNs of connections that got
 * in) at which some of those SYNs got in and some were dropped, and the connect timeouts.
 */
function oneRun(sets: string[], replication: number): { split: number; connectTimeouts: number } {
  const model = loadModelFile(MODEL, sets);
  const seen: SynSeen[] = [];
  // A measurement only: the listen socket's SYN handler, wrapped for this replication.
  const proto = Listener.prototype as unknown as { syn(slot: number): void };
  const syn = proto.syn;
  proto.syn = function (this: { w: { sim: { now: number }; table: { attempt: Int32Array; clientWaiting: Uint8Array; tArrive: Float64Array } } }, slot: number) {
    const table = this.w.table;
    const retried = table.attempt[slot]! > 0 && table.clientWaiting[slot] === 1;
    syn.call(this, slot);
    if (retried) seen.push({ t: this.w.sim.now, request: table.tArrive[slot]!, passed: table.attempt[slot] === 0 });
  };
  let connectTimeouts: number;
  try {
    connectTimeouts = runReplication(model, replication).cause[CONNECT_TIMEOUT]!;
  } finally {
    proto.syn = syn;
  }
  const gotIn = new Set(seen.filter((s) => s.passed).map((s) => s.request));
  const instants = new Map<number, [number, number]>(); // time -> [passed, dropped]
  for (const s of seen) {
    if (!gotIn.has(s.request)) continue;
    const c = instants.get(s.t) ?? [0, 0];
    c[s.passed ? 0 : 1]++;
    instants.set(s.t, c);
  }
  let split = 0;
  for (const [passed, dropped] of instants.values()) if (passed > 0 && dropped > 0) split++;
  return { split: instants.size > 0 ? split / instants.size : NaN, connectTimeouts };
}

/** The split share and the connect timeouts per run, with their intervals, in one order. */
function measure(sets: string[], ranked: boolean): [string, string] {
  Listener.sameJiffyRanks = ranked;
  try {
    const runs = Array.from({ length: REPLICATIONS }, (_, r) => oneRun(sets, r));
    const split = quantityCI(
      runs.map((x) => x.split),
      'fraction',
    );
    const timeouts = summarizeCounts(runs.map((x) => x.connectTimeouts));
    return [figure({ mean: split.mean * 100, ci95: [split.ci95[0] * 100, split.ci95[1] * 100] }, 2) + '%', figure({ mean: timeouts.mean, ci95: timeouts.ci95 })];
  } finally {
    Listener.sameJiffyRanks = true;
  }
}

export const sameJiffyCheck: FigureBlock = {
  id: 'same-jiffy-check',
  files: ['docs/model.md'],
  async compute() {
    const rows = [
      ['configuration', 'split instants: real stack (split / instants)', 'capsim, random order (as built)', 'capsim, first armed first (before)', 'connect timeouts: real', 'capsim, random order', 'capsim, first armed first'],
    ];
    for (const real of OVERLOAD_ALB_RUNS) {
      const [splitNow, timeoutsNow] = measure(real.sets, true);
      const [splitBefore, timeoutsBefore] = measure(real.sets, false);
      rows.push([`${real.what}; ${real.runId}`, real.split, splitNow, splitBefore, real.counts[2], timeoutsNow, timeoutsBefore]);
    }
    return (
      `Split instants: instants at which retransmitted SYNs came back and some got in while others were dropped, as a share of the instants with retransmitted SYNs of connections that got in; connect timeouts per run (\`${MODEL}\`, ${REPLICATIONS} replications, seed 1, 95% intervals; \`src/figures/same-jiffy-check.ts\`):\n\n` +
      mdTable(rows)
    );
  },
};
