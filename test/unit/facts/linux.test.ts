// The Linux rules capsim's listener uses (src/facts/linux.ts), checked against hand computations
// from the kernel source they cite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deferAcceptRetrans, linuxSynRto, overflowRetriesAt, requestBytesAfter, wheelExpiry } from '../../../src/facts/linux.js';

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);

test('SYN RTOs of a Linux 6.6+ client: 1, 1, 1, 1, 1, 2, 4 s (tcp_syn_linear_timeouts 4)', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map(linuxSynRto), [1, 1, 1, 1, 1, 2, 4]);
});

test('timer wheel at 250 Hz: a 1 s timer fires on the next 32 ms boundary; timers armed within one bucket fire together', () => {
  // 100.004 s = jiffy 25001; + 250 = 25251 -> level 1 (granularity 8): (25251 >> 3) + 1 = 3157 -> jiffy 25256.
  close(wheelExpiry(100.004, 1), 25256 / 250, '1 s from 100.004 s');
  assert.equal(wheelExpiry(100.004, 1), wheelExpiry(100.0159, 1), 'same bucket');
  assert.notEqual(wheelExpiry(100.004, 1), wheelExpiry(100.040, 1), 'next bucket');
  // Never early, at most one granularity late.
  for (const t of [0, 0.001, 3.3, 17.77, 1234.5678]) {
    const f = wheelExpiry(t, 1);
    assert.ok(f >= t + 1 && f <= t + 1 + 0.032 + 0.004 + 1e-9, `1 s timer at ${t} fired at ${f}`);
  }
  // A 4 s timer (1000 jiffies) is on level 2: 256 ms granularity.
  const f4 = wheelExpiry(10, 4);
  assert.ok(f4 > 14 && f4 <= 14.256 + 1e-9 && Math.abs((f4 * 250) % 64) < 1e-6, `4 s timer fired at ${f4}`);
  // 200 ms (50 jiffies) is on level 0: the next jiffy.
  close(wheelExpiry(10, 0.2), 10.204, '200 ms timer');
});

test('TCP_DEFER_ACCEPT of 4 s (uWSGI socket-timeout) is kept as 3 SYN-ACK timer periods (secs_to_retrans)', () => {
  assert.equal(deferAcceptRetrans(4), 3);
  assert.equal(deferAcceptRetrans(1), 1);
  assert.equal(deferAcceptRetrans(3), 2);
  assert.equal(deferAcceptRetrans(0), 0);
});

/**
 * The SYN-ACK tries among a handshake's tries, as whole seconds after its SYN (at t0 = 0): what
 * is not the request's exact retransmission chain (clientWheel off) is a SYN-ACK's duplicate ACK.
 */
function synackSeconds(tries: number[], dataAt: number, rtt: number): number[] {
  const rto = rtt + 0.2;
  const data = (t: number) => {
    const j = Math.log2((t - dataAt) / rto + 1);
    return Math.abs(j - Math.round(j)) < 1e-9;
  };
  const out = tries.filter((t) => !data(t));
  return out.map((t) => {
    // On the server's timer wheel a SYN-ACK comes no earlier than its nominal time + rtt, and late
    // by at most the wheel's slack: one granularity per timer run, under 12.5% of the time.
    const nominal = [31, 15, 7, 3, 1].find((n) => t >= n + rtt - 1e-9);
    assert.ok(nominal !== undefined && t - nominal - rtt <= 0.125 * nominal + 0.01, `a SYN-ACK try at ${t} s`);
    return nominal;
  });
}

test('an overflowed handshake tries again with each retransmission of the request and each SYN-ACK, until 63 s', () => {
  const rtt = 0.0005;
  // Without TCP_DEFER_ACCEPT, ACK at rtt, data 10 ms later: SYN-ACK tries at 1, 3, 7, 15, 31 s (+ rtt).
  const plain = overflowRetriesAt(0, rtt, rtt + 0.01, rtt, 5, 0, false, false);
  assert.deepEqual(synackSeconds(plain.tries, rtt + 0.01, rtt), [1, 3, 7, 15, 31]);
  close(plain.tries[0]!, rtt + 0.01, 'the data segment is a try of its own');
  close(plain.tries[1]!, rtt + 0.01 + (rtt + 0.2), 'first retransmission: RTO = rtt + 200 ms');
  assert.ok(plain.reset >= 63, 'the reset follows the request socket expiry (63 s)');
  for (let i = 1; i < plain.tries.length; i++) assert.ok(plain.tries[i]! > plain.tries[i - 1]!, 'in time order');
  // Under TCP_DEFER_ACCEPT (3 periods) the SYN-ACK is resent only from the timer run of 7 s on.
  const deferred = overflowRetriesAt(0, rtt + 0.01, rtt + 0.01, rtt, 5, 3, false, false);
  assert.deepEqual(synackSeconds(deferred.tries, rtt + 0.01, rtt), [7, 15, 31]);
});

test('a SYN cookie connection retries only with the request retransmissions, for the cookie lifetime (120 s)', () => {
  const r = overflowRetriesAt(0, 0.0005, 0.0005, 0.0005, 5, 0, true, false);
  const tries = r.tries;
  assert.deepEqual(synackSeconds(tries, 0.0005, 0.0005), [], 'no SYN-ACK: a cookie keeps no request socket');
  assert.ok(tries.every((t) => t < 120));
  assert.ok(tries.length >= 8 && tries.length <= 10, `${tries.length} tries`);
  close(tries[0]!, 0.0005 + 0.2005, 'first retry after one RTO');
  assert.ok(r.reset >= 120, 'after the cookie expired');
});

test('on the timer wheel, handshakes that overflowed within one bucket retry together; at exact times they do not', () => {
  const rtt = 0.00005;
  const a = overflowRetriesAt(100.0001, rtt, rtt, rtt, 5, 3, false, true).tries;
  const b = overflowRetriesAt(100.0051, rtt, rtt, rtt, 5, 3, false, true).tries;
  // Past the first (200 ms, level 0: one jiffy) the retransmissions share 32 ms buckets.
  const shared = a.filter((t) => b.some((u) => Math.abs(u - t) < 1e-9));
  assert.ok(shared.length >= 5, `${shared.length} shared tries of ${a.length}`);
  const exactA = overflowRetriesAt(100.0001, rtt, rtt, rtt, 5, 3, false, false).tries;
  const exactB = overflowRetriesAt(100.0051, rtt, rtt, rtt, 5, 3, false, false).tries;
  const sharedExact = exactA.filter((t) => exactB.some((u) => Math.abs(u - t) < 1e-9));
  assert.ok(sharedExact.length <= 3, `at exact times only the server's SYN-ACKs (on its wheel) coincide: ${sharedExact.length}`);
  // Every try is later than the one before, and the reset comes after the request socket's expiry (~63 s after the SYN).
  for (let i = 1; i < a.length; i++) assert.ok(a[i]! > a[i - 1]!);
  const r = overflowRetriesAt(100, rtt, rtt, rtt, 5, 3, false, true).reset;
  assert.ok(r > 163, `reset at ${r}`);
});

test('uWSGI under --gevent (socket-timeout 30 s): TCP_DEFER_ACCEPT of 5 SYN-ACK periods; only the SYN-ACK of about 31 s is a bare ACK that can complete the handshake', () => {
  assert.equal(deferAcceptRetrans(30), 5);
  const rtt = 0.00005;
  const dataAt = rtt + 0.001;
  const r = overflowRetriesAt(0, dataAt, dataAt, rtt, 5, 5, false, false);
  const bare = r.tries.filter((_, k) => r.bare[k]);
  assert.equal(bare.length, 1, `bare ACK tries: ${bare}`);
  assert.ok(bare[0]! > 31 && bare[0]! < 31 + 0.125 * 31, `the bare ACK at ${bare[0]}`);
  // The request's next retransmission after it: 0.20005 · (2^8 − 1) s after the first send.
  close(requestBytesAfter(0, dataAt, rtt, bare[0]!, false), dataAt + 0.20005 * 255, 'bytes after the bare ACK');
  // Every other try is a retransmission of the request (it brings the bytes).
  for (let k = 0; k < r.tries.length; k++) if (!r.bare[k]) assert.ok(Math.abs(Math.log2((r.tries[k]! - dataAt) / 0.20005 + 1) % 1) < 1e-9 || Math.abs((Math.log2((r.tries[k]! - dataAt) / 0.20005 + 1) % 1) - 1) < 1e-9);
});
