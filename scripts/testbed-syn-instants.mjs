// The real-stack figures of docs/model.md's SYN tables, from a testbed run's proxy log
// (RUN/alb_requests.csv.gz: one row per request; epoch_ms is its arrival at the proxy, connect_ms
// the time its new connection took to connect, reason connect_timeout when it never did).
//   node scripts/testbed-syn-instants.mjs RUN_DIR…
// Prints, per run: new connections by the SYN that got in (a connect time of about 0, 1, 2, 3,
// 4, 5 or 7 s), the connect timeouts, and the instants at which retransmitted SYNs came back:
// all got in, none did, or some did and some not (split).
//
// How the instants are found: a Linux client retransmits SYNs on its timer wheel, so every
// retransmitted SYN of a run leaves on one 32 ms lattice (250 Hz, level 1). The lattice's phase is
// the most common connect instant (arrival + connect time) modulo 32 ms among the connections that
// needed a retransmission. A connection that got in at SYN k had sent its SYNs 2…k at lattice
// steps of 1,024 ms (each 1 s timer is re-armed on a lattice instant and fires 32 steps on), the
// one at 7 s 2,016 ms after the one at 5 s; so its pass places its earlier SYNs exactly. Only
// connections that got in are placed (a timed-out one's first retransmission cannot be placed to
// the instant), and capsim's side of the table counts the same way (src/figures/same-jiffy-check.ts).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';

const STEP = 32; // ms between lattice instants
// Lattice steps from SYN 2 (the first retransmission) to SYNs 2…7.
const OFFSETS = [0, 32, 64, 96, 128, 128 + 63];

for (const dir of process.argv.slice(2)) {
  const lines = gunzipSync(readFileSync(path.join(dir, 'alb_requests.csv.gz'))).toString('utf8').trim().split('\n');
  const head = lines[0].split(',');
  const col = (name) => head.indexOf(name);
  const [E, C, R] = [col('epoch_ms'), col('connect_ms'), col('reason')];
  const rows = lines.slice(1).map((l) => l.split(','));
  const bySyn = new Array(7).fill(0);
  let timeouts = 0;
  const phases = new Map();
  const passes = [];
  for (const r of rows) {
    if (r[R] === 'connect_timeout') timeouts++;
    if (r[C] === '') continue;
    const c = Number(r[C]);
    const k = Math.min(Math.round(c / 1000), 6); // 0…5, and 7 s -> SYN 7 (index 6)
    bySyn[k]++;
    if (k === 0) continue;
    const t = Number(r[E]) + c;
    const ph = Math.floor(t) % STEP;
    phases.set(ph, (phases.get(ph) ?? 0) + 1);
    passes.push([t, k]);
  }
  if (passes.length === 0) {
    console.log(`${path.basename(dir)}: connections in at SYN 1…7: ${bySyn.join(' / ')}; connect timeouts ${timeouts}; no SYN was retransmitted`);
    continue;
  }
  const phase = [...phases].sort((a, b) => b[1] - a[1])[0][0];
  const instant = (t) => Math.floor((t - phase + 8) / STEP); // ±8 ms of processing around the phase
  const seen = new Map(); // instant -> [got in, dropped]
  for (const [t, k] of passes) {
    const at = instant(t);
    const first = at - OFFSETS[k - 1];
    for (let j = 1; j <= k; j++) {
      const i = first + OFFSETS[j - 1];
      const c = seen.get(i) ?? [0, 0];
      c[j === k ? 0 : 1]++;
      seen.set(i, c);
    }
  }
  let all = 0;
  let none = 0;
  let split = 0;
  for (const [inn, out] of seen.values()) {
    if (out === 0) all++;
    else if (inn === 0) none++;
    else split++;
  }
  const n = all + none + split;
  console.log(
    `${path.basename(dir)}: connections in at SYN 1…7 (0, 1, 2, 3, 4, 5, 7 s): ${bySyn.join(' / ')}; connect timeouts ${timeouts}; ` +
      `instants with retransmitted SYNs: ${n} (all in ${all}, none ${none}, split ${split} = ${((100 * split) / n).toFixed(1)}%)`,
  );
}
