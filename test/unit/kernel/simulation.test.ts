import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../../../src/kernel/simulation.js';

test('events run in time order, ties in insertion order', () => {
  const sim = new Simulation(4); // small, to exercise growth
  const log: string[] = [];
  const h = (x: number) => log.push(`${sim.now}:${x}`);
  sim.schedule(2, h, 1);
  sim.schedule(1, h, 2);
  sim.schedule(2, h, 3);
  sim.schedule(0, h, 4);
  sim.schedule(1, h, 5);
  sim.schedule(2, h, 6);
  sim.run();
  assert.deepEqual(log, ['0:4', '1:2', '1:5', '2:1', '2:3', '2:6']);
});

test('cancel removes exactly the event, and a stale id cancels nothing', () => {
  const sim = new Simulation(2);
  const ran: number[] = [];
  const h = (x: number) => ran.push(x);
  const ids = [5, 3, 8, 1, 9, 2].map((t) => sim.schedule(t, h, t));
  assert.equal(sim.cancel(ids[2]!), true);
  assert.equal(sim.cancel(ids[2]!), false);
  assert.equal(sim.pending, 5);
  sim.run(4);
  assert.deepEqual(ran, [1, 2, 3]);
  assert.equal(sim.now, 4);
  // ids[3] (t=1) ran; its slot is reused by a new event: the old id must not cancel it.
  const fresh = sim.schedule(0.5, h, 42);
  assert.equal(sim.cancel(ids[3]!), false);
  assert.equal(sim.isPending(fresh), true);
  sim.run();
  assert.deepEqual(ran, [1, 2, 3, 42, 5, 9]);
});

test('heap order survives many random schedules and cancels', () => {
  const sim = new Simulation(8);
  let seed = 1;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  let last = -1;
  let count = 0;
  const check = () => {
    assert.ok(sim.now >= last);
    last = sim.now;
    count++;
  };
  const live: number[] = [];
  for (let i = 0; i < 5000; i++) {
    live.push(sim.schedule(rnd() * 100, check));
    if (rnd() < 0.3) {
      const k = Math.floor(rnd() * live.length);
      if (sim.cancel(live[k]!)) live.splice(k, 1);
    }
  }
  const expected = sim.pending;
  sim.run();
  assert.equal(count, expected);
});

test('run(until) stops before later events and leaves them pending; stop() ends a run', () => {
  const sim = new Simulation();
  let n = 0;
  const tick = () => {
    n++;
    sim.schedule(1, tick);
    if (n === 10) sim.stop();
  };
  sim.schedule(0, tick);
  sim.run(5.5);
  assert.equal(n, 6);
  assert.equal(sim.now, 5.5);
  sim.run();
  assert.equal(n, 10);
  assert.equal(sim.now, 9);
});

test('scheduling in the past is an error', () => {
  const sim = new Simulation();
  sim.run(10);
  assert.throws(() => sim.at(5, () => {}), /past/);
});
