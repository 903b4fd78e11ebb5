// The load margin: found by simulating the point at more traffic until an SLO or guard breaks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadMargin, marginText, scaleTraffic, MARGIN_RESOLUTION } from '../../src/experiment/load-margin.js';
import { ReplicationPool } from '../../src/experiment/pool.js';
import { implicitGuards, parseSlo } from '../../src/experiment/slo.js';
import { base, parse, yamlOf } from '../mechanisms/harness.js';

/** M/M/2: two sync workers, exponential 100 ms service, Poisson arrivals at `rate`/s. */
const mm2 = (rate: number) =>
  parse(
    yamlOf(
      base({
        simulation: { duration: '4000s', replications: 3 },
        traffic: { rate: `${rate}/s`, endpoints: [{ name: 'e', phases: [{ wait: 'exp(100ms)' }] }] },
        fleet: { server: { kind: 'uwsgi', workers: 2, mode: 'sync', backlog: 'unlimited' } },
      }),
    ),
  );

test('load margin of M/M/2: found by simulation, near where ρ reaches the 80% guard, and smaller at a higher load', async () => {
  const asked = [parseSlo('p99<=60s')];
  const slos = [...asked, ...implicitGuards(asked)];
  const pool = new ReplicationPool(1);
  try {
    const found: number[] = [];
    for (const rho of [0.45, 0.6]) {
      const m = await loadMargin(mm2(rho * 2 * 10), slos, { pool, replications: 3 });
      // ρ·(1 + x) = 0.8: the processes' utilization of M/M/c is λ/(cμ).
      const knee = (0.8 / rho - 1) * 100;
      assert.equal(m.scaled, 'traffic.rate');
      assert.ok(m.holds !== null && m.breaksAt !== null, marginText(m));
      assert.ok(m.holds! <= knee + 1 && m.breaksAt! >= knee - 1, `ρ ${rho}: ${marginText(m)} (knee +${knee.toFixed(1)}%)`);
      assert.ok(m.resolution! <= MARGIN_RESOLUTION, marginText(m));
      assert.match(m.breaks!, /^util<=80% \(guard\)/);
      // By simulation: every level ran its replications, the failing one among them.
      assert.ok(m.levels.length >= 3 && m.levels.every((l) => l.replications === 3));
      assert.ok(m.levels.some((l) => l.percent === m.breaksAt && !l.meets));
      found.push(m.holds!);
    }
    assert.ok(found[0]! > found[1]!, `more load, less margin: ${found.join(' vs ')}`);
  } finally {
    await pool.close();
  }
});

test('scaleTraffic scales the rate, a profile, or the closed users; not replayed traffic', () => {
  const m = mm2(10);
  assert.equal(scaleTraffic(m, 1.5)!.model.traffic.rate, 15);
  assert.equal(m.traffic.rate, 10, 'the model itself is left alone');
  const u = parse(yamlOf(base({ traffic: { users: { count: 10, think: 'exp(1s)' }, endpoints: [{ name: 'e', phases: [{ wait: '10ms' }] }] } })));
  const su = scaleTraffic(u, 1.25)!;
  assert.equal(su.scaled, 'traffic.users.count');
  assert.equal(su.model.traffic.users!.count, 13);
});
