import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../../../src/kernel/simulation.js';
import { Fifo } from '../../../src/kernel/fifo.js';
import { CountingPool } from '../../../src/kernel/counting-pool.js';
import { PsCpu } from '../../../src/kernel/ps-cpu.js';

test('Fifo: order, capacity, growth, stack pop and remove', () => {
  const q = new Fifo(Infinity, 2);
  for (let i = 0; i < 100; i++) q.push(i);
  for (let i = 0; i < 50; i++) assert.equal(q.shift(), i);
  for (let i = 100; i < 200; i++) q.push(i);
  assert.equal(q.length, 150);
  assert.equal(q.peek(), 50);
  assert.equal(q.pop(), 199);
  assert.equal(q.remove(120), true);
  assert.equal(q.remove(120), false);
  const out: number[] = [];
  while (q.length) out.push(q.shift());
  assert.deepEqual(out, [...Array.from({ length: 50 }, (_, i) => 50 + i), ...Array.from({ length: 99 }, (_, i) => 100 + i).filter((x) => x !== 120)]);
  const bounded = new Fifo(2);
  assert.equal(bounded.push(1), true);
  assert.equal(bounded.push(2), true);
  assert.equal(bounded.push(3), false);
  assert.equal(bounded.full, true);
  const zero = new Fifo(0);
  assert.equal(zero.push(1), false);
});

test('CountingPool: FIFO grants, timeouts after exactly the wait limit, withdraw', () => {
  const sim = new Simulation();
  const log: string[] = [];
  const pool = new CountingPool(
    sim,
    2,
    (id) => log.push(`grant ${id} @${sim.now}`),
    (id) => log.push(`timeout ${id} @${sim.now}`),
  );
  assert.equal(pool.acquire(1, 30), true);
  assert.equal(pool.acquire(2, 30), true);
  assert.equal(pool.acquire(3, 30), false); // waits from t=0
  sim.schedule(5, () => assert.equal(pool.acquire(4, 30), false)); // waits from t=5
  sim.schedule(6, () => assert.equal(pool.acquire(5, 30), false));
  sim.schedule(7, () => assert.equal(pool.withdraw(5), true));
  sim.schedule(10, () => pool.release()); // 3 gets it
  sim.run();
  assert.deepEqual(log, ['grant 3 @10', 'timeout 4 @35']);
  assert.equal(pool.inUse, 2);
  assert.equal(pool.timeouts, 1);
  pool.release();
  pool.release();
  assert.equal(pool.inUse, 0);
});

test('PsCpu on 1 core: two jobs share the core (exact finish times)', () => {
  const sim = new Simulation();
  const done: string[] = [];
  const cpu = new PsCpu(sim, 1, 4, (job) => done.push(`${job}@${sim.now.toFixed(6)}`));
  cpu.start(0, 1); // alone until t=0.5, then shares
  sim.schedule(0.5, () => cpu.start(1, 2));
  sim.run();
  // t=0.5: job0 has 0.5 left, both at rate 1/2 -> job0 ends at 1.5; job1 has 2-0.5=1.5 left at 1.5 -> alone -> 3.0
  assert.deepEqual(done, ['0@1.500000', '1@3.000000']);
  assert.ok(Math.abs(cpu.busyCoreSeconds() - 3) < 1e-9);
});

test('PsCpu.startAt gives, to the bit, what start() at that time gives: alone, sharing, several ahead, aborted', () => {
  // The same random workload twice: each job's next burst started ahead, or by an event that
  // starts it then. Now and then a job is killed (its burst aborted, or its start cancelled: the
  // burst's whole work is left) and comes back later. Every end time, every abort's work left and
  // the busy time must match.
  const trace = (ahead: boolean, cores: number) => {
    const sim = new Simulation();
    let seed = 5;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const log: number[] = [];
    const startEvent = [-1, -1, -1];
    const nextWork = [0, 0, 0];
    const dead = [false, false, false];
    const kill = (job: number) => {
      if (dead[job]) return;
      dead[job] = true;
      log.push(-1, !ahead && sim.cancel(startEvent[job]!) ? nextWork[job]! : cpu.abort(job));
      sim.at(sim.now + 0.02, () => ((dead[job] = false), cpu.start(job, 0.002)), 0);
    };
    const cpu = new PsCpu(sim, cores, 3, (job) => {
      log.push(job, sim.now);
      if (sim.now > 50) return;
      const t = sim.now + rnd() * 0.01;
      const work = (nextWork[job] = rnd() * 0.006);
      if (ahead) cpu.startAt(job, t, work);
      else startEvent[job] = sim.at(t, () => cpu.start(job, work), 0);
      if (rnd() < 0.05) sim.at(sim.now + rnd() * 0.015, () => kill(job), 0);
    });
    for (let j = 0; j < 3; j++) cpu.start(j, 0.001 * (j + 1));
    sim.run();
    log.push(cpu.busyCoreSeconds());
    return log;
  };
  // 1 core: every start ahead changes rates (an event); 2: some do; 3: none (no event for any).
  for (const cores of [1, 2, 3]) {
    const evented = trace(false, cores);
    assert.ok(evented.length > 20000, `a real workload (${evented.length})`);
    assert.ok(evented.includes(-1), 'with kills');
    assert.deepEqual(trace(true, cores), evented);
  }
});

test('PsCpu: a burst started from a completion callback ends exactly as one started just after it', () => {
  // The CPU reschedules once after the callback; starting inside it must not change any time
  // (an idle CPU restarts its virtual clock first, as it does when a job ends with none left).
  const endOf = (inside: boolean) => {
    const sim = new Simulation();
    let end = NaN;
    const cpu = new PsCpu(sim, 1, 2, (job) => {
      if (job === 1) end = sim.now;
      else if (inside) cpu.start(1, 0.07);
      else sim.at(sim.now, () => cpu.start(1, 0.07), 0);
    });
    sim.at(0.1, () => cpu.start(0, 0.77), 0);
    sim.run();
    return end;
  };
  // Values chosen so that a virtual clock left at 0.77 would round the end differently.
  assert.equal(endOf(false), 0.1 + 0.77 + 0.07);
  assert.equal(endOf(true), endOf(false));
});

test('PsCpu on 2 cores: rate min(1, c/n) and abort', () => {
  const sim = new Simulation();
  const done: string[] = [];
  const cpu = new PsCpu(sim, 2, 4, (job) => done.push(`${job}@${sim.now.toFixed(6)}`));
  cpu.start(0, 1);
  cpu.start(1, 1);
  cpu.start(2, 1); // three jobs on two cores: each at 2/3 -> all done at 1.5
  sim.run();
  assert.deepEqual(done, ['0@1.500000', '1@1.500000', '2@1.500000']);
  done.length = 0;
  cpu.start(0, 2);
  cpu.start(1, 2);
  cpu.start(2, 2); // rate 2/3
  sim.schedule(0.75, () => assert.ok(Math.abs(cpu.abort(1) - 1.5) < 1e-12)); // 0.5 done, 1.5 left
  sim.run();
  // after 0.75 two jobs at rate 1: 1.5 left each -> done at 1.5 + 0.75 + 1.5 = 3.75
  assert.deepEqual(done, ['0@3.750000', '2@3.750000']);
  assert.equal(cpu.active, 0);
});
