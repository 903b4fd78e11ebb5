// The balancer's SYN retransmissions as its TCP stack sends them (src/facts/linux.ts).
//
// A Linux client (nginx's host) arms each retransmission on the 250 Hz timer wheel, which fires
// a 1 s timer on the next 32 ms boundary: SYNs dropped within the same 32 ms come back in one
// burst. When the accept queue then has one free place, every SYN of the burst passes the SYN
// check (it counts only established connections) and all but one overflow when their
// handshakes complete: with tcp_abort_on_overflow, resets (502). RFC 6298 at exact times
// spreads the same retransmissions out and nothing overflows. This is why a real kernel behind
// nginx resets far more connections under overload than independent retransmissions predict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base, burst, failures, run, sojournSum, type Tree } from './harness.js';

/**
 * Nine requests 2 ms apart at t = 100 s, one uWSGI sync worker, 1.5 s each, backlog 4 (an
 * accept queue of 5, a SYN queue of 4), tcp_abort_on_overflow. #1 is served, #2..#6 fill the
 * queue, #7..#9 are dropped (at 12, 14, 16 ms).
 */
const overload = (balancer: Tree): Tree =>
  base({
    simulation: { duration: '199s' },
    traffic: { ...burst(9, 100, '18ms'), phases: [{ wait: 'const(1.5s)' }] },
    balancer: { idleTimeout: '1000s', ...balancer },
    fleet: { tcpAbortOnOverflow: true, server: { kind: 'uwsgi', mode: 'sync', workers: 1, backlog: 4 } },
  });

test('linux client: the three dropped SYNs come back together (102.048 s) when one place is free: two resets', () => {
  // Their first retransmissions share the bucket ending at 101.024 s (queue still full: #1 runs
  // to 101.5 s); the next ones share 102.048 s, when #2 has been accepted (one place free).
  const x = run(overload({ kind: 'alb', synRetransmit: 'linux' }));
  assert.equal(x.r.mechanisms.synDrops, 6);
  assert.equal(x.r.mechanisms.ackOverflows, 2);
  assert.deepEqual(failures(x), { 'backlog-overflow': 2 });
  assert.equal(x.cause.ok, 7);
});

test('rfc6298 client, negative: the same SYNs retransmitted at exact times get in one by one: no reset', () => {
  // At 103.012 and 103.014 s #7 and #8 find two places (#3 was accepted at 103.0 s), each
  // handshake done before the next SYN; #9 (103.016 s) is dropped again and gets in at 107 s.
  const x = run(overload({ kind: 'alb', synRetransmit: 'rfc6298' }));
  assert.equal(x.r.mechanisms.ackOverflows, 0);
  assert.equal(x.r.mechanisms.synDrops, 7);
  assert.deepEqual(failures(x), {});
  assert.equal(x.cause.ok, 9);
});

test('nginx defaults to the Linux client, and its kernel gives up on the SYNs after ~11 s: 502 connect-failed, not 504 at 60 s', () => {
  // One worker busy 100 s, backlog 0 (a queue of one): #2 waits in the queue, #3's SYNs are
  // dropped at 0, 1, 2, 3, 4, 5 and 7 s; the kernel's last timeout (4 s) ends the connect at
  // ~11 s with ETIMEDOUT, long before proxy_connect_timeout (60 s). #1 and #2 outlast
  // proxy_read_timeout (60 s): 504.
  const x = run(
    base({
      simulation: { duration: '199s' },
      traffic: { ...burst(3, 100, '6ms'), phases: [{ wait: 'const(100s)' }] },
      balancer: { kind: 'nginx', healthCheck: { enabled: false } },
      fleet: { server: { kind: 'uwsgi', mode: 'sync', workers: 1, backlog: 0 } },
    }),
  );
  assert.equal(x.model.balancer.synRetransmit, 'linux');
  assert.equal(x.r.mechanisms.synDrops, 7);
  assert.deepEqual(failures(x), { 'connect-failed': 1, 'idle-timeout': 2 });
  // 60 + 60 s for the two 504s, ~11 s for #3: each 1-2 s timer fires up to 36 ms late on the
  // wheel, the last one (4 s, level 2) up to 256 ms.
  const connectFailedAfter = sojournSum(x) - 120;
  assert.ok(connectFailedAfter > 10.99 && connectFailedAfter < 11.5, `connect-failed after ${connectFailedAfter} s`);
});
