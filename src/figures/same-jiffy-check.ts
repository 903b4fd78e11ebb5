// The order of one jiffy's timers, checked against the real stack (docs/model.md, "The order of
// one jiffy's timers"): at how many of the instants at which retransmitted SYNs come back do
// some of them get in and others not? Counted the way the testbed's proxy log allows (its
// connections that got in, with the SYNs they had sent before), in capsim as built (random
// order) and with the order capsim had before (first armed, first run).
import { runReplication } from '../experiment/replication.js';
import { Listener } from '../model/listener.js';
import { figure } from '../report/format.js';
import { loadModelFile } from '../scenario/load-model.js';
import { quantityCI } from '../stats/intervals.js';
import { mdTable, type FigureBlock } from './figure-block.js';

const MODEL = 'models/checks/overload-uwsgi-gevent-alb.yaml';
const REPLICATIONS = 6;

/** The testbed's runs (2026-12-07): split instants / instants, by scripts/testbed-syn-instants.mjs from the proxy's log. */
const REAL: [string, string, string[], string][] = [
  ['80 requests/s, max-requests 500', 'ov_r80_m500 (seeds 1, 2)', ['traffic.profile.scale=0.8'], '230 / 2,404 = 9.6%; 235 / 2,124 = 11.1%'],
  ['100 requests/s, max-requests 500', 'ov_r100_m500 (seeds 1, 2)', [], '455 / 3,206 = 14.2%; 413 / 3,183 = 13.0%'],
  ['100 requests/s, no recycling', 'ov_r100_m0', ['fleet.server.maxRequests=0'], '452 / 3,225 = 14.0%'],
  ['120 requests/s, max-requests 500', 'ov_r120_m500', ['traffic.profile.scale=1.2'], '396 / 2,996 = 13.2%'],
];

type SynSeen = { t: number; request: number; passed: boolean };

/**
 * Share of the instants (with retransmitted SYNs of connections that got in) at which some of
 * those SYNs got in and some were dropped, in one replication.
 */
function splitShare(sets: string[], replication: number): number {
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
  try {
    runReplication(model, replication);
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
  return instants.size > 0 ? split / instants.size : NaN;
}

function share(sets: string[], ranked: boolean): string {
  Listener.sameJiffyRanks = ranked;
  try {
    const values = Array.from({ length: REPLICATIONS }, (_, r) => splitShare(sets, r));
    const ci = quantityCI(values, 'fraction');
    return figure({ mean: ci.mean * 100, ci95: [ci.ci95[0] * 100, ci.ci95[1] * 100] }, 2) + '%';
  } finally {
    Listener.sameJiffyRanks = true;
  }
}

export const sameJiffyCheck: FigureBlock = {
  id: 'same-jiffy-check',
  files: ['docs/model.md'],
  async compute() {
    const rows = [['configuration', 'real stack (split / instants)', 'capsim: random order (as built)', 'capsim: first armed, first run (before)']];
    for (const [what, runId, sets, real] of REAL) rows.push([`${what}; ${runId}`, real, share(sets, true), share(sets, false)]);
    return (
      `Instants at which retransmitted SYNs came back and some got in while others were dropped, as a share of the instants with retransmitted SYNs of connections that got in (\`${MODEL}\`, ${REPLICATIONS} replications, seed 1, 95% intervals; \`src/figures/same-jiffy-check.ts\`):\n\n` +
      mdTable(rows)
    );
  },
};
