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

test('atRanked: events at one time with ranks run in rank order, before those scheduled with at(); the rest by time', () => {
  const sim = new Simulation(4, 1);
  const log: string[] = [];
  const h = (x: number) => log.push(`${sim.now}:${x}`);
  sim.at(2, h, 1);
  sim.atRanked(2, h, 2, 0.9);
  sim.atRanked(2, h, 3, 0.1);
  sim.atRanked(1, h, 4, 0.99);
  sim.at(2, h, 5);
  sim.atRanked(2, h, 6, 0.5);
  sim.atRanked(5, h, 7, 0); // in the far heap (farAfter 1 s): the same order
  sim.at(5, h, 8);
  sim.atRanked(5, h, 9, 0.3);
  sim.run();
  assert.deepEqual(log, ['1:4', '2:3', '2:6', '2:2', '2:1', '2:5', '5:7', '5:9', '5:8']);
  assert.throws(() => sim.atRanked(1, h, 0, 0.5), /past/);
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

test('moveTo reschedules in place, as cancel + schedule would: it queues behind events already at the new time', () => {
  const sim = new Simulation(2);
  const log: string[] = [];
  const h = (x: number) => log.push(`${sim.now}:${x}`);
  const a = sim.schedule(1, h, 1);
  sim.schedule(3, h, 2);
  const c = sim.schedule(5, h, 3);
  sim.schedule(2, h, 4);
  assert.equal(sim.moveTo(a, 3), true); // later, and tied with 2 (scheduled first): runs after it
  assert.equal(sim.moveTo(c, 0.5), true); // earlier: first
  assert.equal(sim.isPending(a), true, 'the id stays valid');
  sim.run(0.5);
  assert.equal(sim.moveTo(c, 4), false, 'an event that ran cannot move');
  assert.throws(() => sim.moveTo(a, 0.1), /past/);
  sim.run();
  assert.deepEqual(log, ['0.5:3', '2:4', '3:2', '3:1']);
});

test('moveTo keeps heap order under many random moves', () => {
  const sim = new Simulation(8);
  let seed = 7;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const when = new Map<number, number>();
  const ran: number[] = [];
  const h = (k: number) => ran.push(k);
  const ids: number[] = [];
  for (let k = 0; k < 2000; k++) {
    const t = rnd() * 100;
    ids.push(sim.schedule(t, h, k));
    when.set(k, t);
  }
  for (let i = 0; i < 5000; i++) {
    const k = Math.floor(rnd() * ids.length);
    const t = rnd() * 100;
    sim.moveTo(ids[k]!, t);
    when.set(k, t);
  }
  sim.run();
  assert.equal(ran.length, 2000);
  for (let i = 1; i < ran.length; i++) assert.ok(when.get(ran[i - 1]!)! <= when.get(ran[i]!)!, `event ${i} out of order`);
});

test('near and far heaps: the order of events is exactly that of one heap, ties included', () => {
  // The same workload (handlers that schedule, cancel and move events, with delays on a coarse
  // grid so that many fall at equal times) with everything in the near heap, everything in the
  // far heap, and split at 1 s: the three runs must agree event for event.
  const trace = (farAfter: number): string[] => {
    const sim = new Simulation(4, farAfter);
    let seed = 11;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const delays = [0, 0.25, 0.5, 1, 1, 2, 3.5];
    const ids: number[] = [];
    const log: string[] = [];
    let k = 0;
    const h = (x: number) => {
      log.push(`${sim.now}:${x}`);
      if (k >= 3000) return;
      for (let j = 0; j < 2; j++) ids.push(sim.schedule(delays[Math.floor(rnd() * delays.length)]!, h, k++));
      const r = rnd();
      const victim = ids[Math.floor(rnd() * ids.length)]!;
      if (r < 0.2) sim.cancel(victim);
      else if (r < 0.5) sim.moveTo(victim, sim.now + delays[Math.floor(rnd() * delays.length)]!);
    };
    for (let j = 0; j < 5; j++) ids.push(sim.schedule(delays[j]!, h, k++));
    sim.run();
    return log;
  };
  const near = trace(Infinity);
  assert.ok(near.length > 2000, `a real workload (${near.length} events)`);
  assert.deepEqual(trace(0), near);
  assert.deepEqual(trace(1), near);
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
