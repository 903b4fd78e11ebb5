// Mechanisms 2 and 3: the listen (accept) queue.
//
// refuse: textbook loss. One sync worker takes the first request, B wait in the backlog, the
//   rest are refused at once: K − 1 − B × 502 backlog-overflow.
// linux: the accept queue holds min(backlog, somaxconn) + 1; a SYN that finds it full is
//   dropped and retransmitted 1, 3, 7 s after the first; the balancer gives up at its connect
//   timeout (10 s): 504 connect-timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base, burst, failures, merge, parse, run, sojournSum, near, yamlOf, type Tree } from './harness.js';

/** K simultaneous requests at t0 = 100 s on `workers` uWSGI sync workers. */
const burstOn = (k: number, server: Tree, fleet: Tree = {}, service = 'const(30s)', extra: Tree = {}): Tree =>
  base({
    simulation: { duration: '199s' },
    // Spaced 2 ms apart (more than the 0.5 ms RTT): each handshake completes before the next
    // SYN, so every SYN sees the queue its predecessors left (a tighter burst all gets past the
    // SYN check, as in Linux, and overflows at the final ACK instead: see below).
    traffic: { ...burst(k, 100, `${2 * k}ms`), phases: [{ wait: service }] },
    balancer: { idleTimeout: '1000s' },
    fleet: { ...fleet, server: { kind: 'uwsgi', mode: 'sync', workers: 1, ...server } },
    ...extra,
  });

// ---------------------------------------------------------------- refuse

test('refuse: K simultaneous requests, 1 worker, backlog B -> exactly K − 1 − B refused', () => {
  for (const [k, b] of [
    [5, 2],
    [10, 3],
    [20, 0],
  ] as const) {
    const x = run(burstOn(k, { backlog: b }, { overflow: 'refuse' }));
    assert.equal(x.r.arrivals, k);
    assert.deepEqual(failures(x), { 'backlog-overflow': k - 1 - b }, `K=${k} B=${b}`);
    assert.equal(x.status['502'], k - 1 - b);
    // The refused end at once (latency 0); the rest are served 30 s apart: 130, 160, 190 s.
    assert.equal(x.cause.ok, Math.min(1 + b, 3));
  }
});

test('refuse: 2 workers take 2 -> K − 2 − B refused', () => {
  const x = run(burstOn(10, { backlog: 3, workers: 2 }, { overflow: 'refuse' }));
  assert.deepEqual(failures(x), { 'backlog-overflow': 5 });
});

test('refuse, negative: K ≤ 1 + B, or an unlimited backlog, refuses nothing', () => {
  assert.deepEqual(failures(run(burstOn(4, { backlog: 3 }, { overflow: 'refuse' }))), {});
  assert.deepEqual(failures(run(burstOn(50, { backlog: 'unlimited' }, { overflow: 'refuse' }))), {});
});

// ---------------------------------------------------------------- linux: SYN drops

test('linux: the queue holds backlog + 1; the other SYNs are retried at 1, 3, 7 s and end 504 connect-timeout at 10 s', () => {
  // 1 worker busy 30 s, backlog 2 -> the queue holds 3: 1 + 3 get in, 6 are dropped four
  // times each (0, 1, 3, 7 s) and time out at 110 s. Served: 130, 160, 190 s (220 s is past the window).
  const x = run(burstOn(10, { backlog: 2 }, { overflow: 'linux' }, 'const(30s)', { balancer: { kind: 'alb', idleTimeout: '1000s' } }));
  assert.deepEqual(failures(x), { 'connect-timeout': 6 });
  assert.equal(x.status['504'], 6);
  assert.equal(x.cause.ok, 3);
  assert.equal(x.r.mechanisms.synDrops, 24, '6 requests × 4 SYNs');
  assert.equal(x.r.mechanisms.backlogMax, 3);
  // Response times: 6 × 10 s (connect timeout) + 30 + 60 + 90 s.
  near(sojournSum(x), 6 * 10 + 30 + 60 + 90, 0.02, "sum of response times (the 2 ms spacing shifts it by a few ms)");
});

test('linux: connectedAtSyn counts each request\'s connection at the SYN that got in; the timed-out ones nowhere', () => {
  // As above: 4 in at their first SYN, 6 never in (4 SYNs each, then the connect timeout).
  const x = run(burstOn(10, { backlog: 2 }, { overflow: 'linux' }, 'const(30s)', { balancer: { kind: 'alb', idleTimeout: '1000s' } }));
  assert.deepEqual(x.r.connectedAtSyn, [4, 0, 0, 0, 0, 0, 0, 0]);
  // RFC 6298 SYNs at 0, 1, 3 s: #3 in at its second SYN (1 s), #4 at its third (3 s).
  const y = run(burstOn(4, { backlog: 0 }, { overflow: 'linux' }, 'const(0.6s)'));
  assert.deepEqual(y.r.connectedAtSyn, [2, 1, 1, 0, 0, 0, 0, 0]);
  // refuse: no SYNs are modelled, nothing is counted.
  const z = run(burstOn(10, { backlog: 2 }, { overflow: 'refuse' }));
  assert.deepEqual(z.r.connectedAtSyn, [0, 0, 0, 0, 0, 0, 0, 0]);
});

test('linux: SYNs retransmitted in the same jiffy reach the listen socket in no fixed order (not the order they were dropped in), the same in every run', async () => {
  const { Listener } = await import('../../src/model/listener.js');
  // A Linux balancer (nginx): 12 SYNs dropped 1 ms apart just after a 32 ms boundary (100 s)
  // come back in one wheel bucket, at 101.024 s.
  const model = merge(burstOn(14, { backlog: 0 }, { overflow: 'linux' }, 'const(30s)', { balancer: { kind: 'nginx' } }), { traffic: burst(14, 100, '14ms') });
  const trace = () => {
    const seen: [number, number, number][] = []; // (time, slot, SYN number)
    const proto = Listener.prototype as unknown as { syn(slot: number): void };
    const syn = proto.syn;
    proto.syn = function (this: { w: { sim: { now: number }; table: { attempt: Int32Array } } }, slot: number) {
      seen.push([this.w.sim.now, slot, this.w.table.attempt[slot]!]);
      syn.call(this, slot);
    };
    try {
      run(model);
    } finally {
      proto.syn = syn;
    }
    return seen;
  };
  const seen = trace();
  const dropped = seen.filter(([t, , k]) => k === 0 && t < 101).map(([, slot]) => slot).slice(2); // the first two got in
  const retried = seen.filter(([t, , k]) => k === 1 && t > 101).map(([, slot]) => slot);
  assert.equal(new Set(seen.filter(([, , k]) => k === 1).map(([t]) => t)).size, 1, 'one instant');
  assert.deepEqual([...retried].sort((a, b) => a - b), [...dropped].sort((a, b) => a - b), 'the same SYNs');
  assert.notDeepEqual(retried, dropped, 'not in the order they were dropped (first armed, first run)');
  assert.notDeepEqual(retried, [...dropped].reverse(), 'nor newest first on one wheel');
  assert.deepEqual(trace(), seen, 'the same order in every run (a seeded stream draws it)');
});

test('linux: the connect timeout is balancer.connectTimeout', () => {
  // connectTimeout 4 s: SYNs at 0, 1, 3 s; the next (7 s) is past it: 504 at 4 s.
  const x = run(burstOn(10, { backlog: 2 }, { overflow: 'linux' }, 'const(30s)', { balancer: { kind: 'alb', idleTimeout: '1000s', connectTimeout: '4s' } }));
  assert.deepEqual(failures(x), { 'connect-timeout': 6 });
  assert.equal(x.r.mechanisms.synDrops, 18, '6 requests × 3 SYNs');
  near(sojournSum(x), 6 * 4 + 30 + 60 + 90, 0.02, "sum of response times (the 2 ms spacing shifts it by a few ms)");
});

test('linux: somaxconn caps the backlog (gunicorn backlog 2048, somaxconn 2 -> queue of 3)', () => {
  const x = run(
    base({
      simulation: { duration: '199s' },
      traffic: { ...burst(10, 100, '20ms'), phases: [{ wait: 'const(30s)' }] },
      balancer: { kind: 'alb', idleTimeout: '1000s' },
      fleet: { overflow: 'linux', somaxconn: 2, server: { kind: 'gunicorn', mode: 'sync', workers: 1, harakiri: '0s' } },
    }),
  );
  assert.deepEqual(failures(x), { 'connect-timeout': 6 });
  assert.equal(x.r.mechanisms.backlogMax, 3);
});

test('uWSGI refuses to start with a listen backlog above somaxconn (no silent clamp): the model file is rejected', () => {
  const m = (backlog: number) => yamlOf(burstOn(3, { backlog }, { overflow: 'linux', somaxconn: 128 }));
  assert.throws(() => parse(m(129)), /somaxconn/);
  assert.doesNotThrow(() => parse(m(128)));
});

test('linux: a queue freed before the 3 s retransmission lets the dropped SYN in (latency 3 s + service, no failure)', () => {
  // backlog 0 -> queue of 1. Service 1.4 s. #1 served 0–1.4 s, #2 queued then served 1.4–2.8 s.
  // #3's SYN is dropped at 0 s and at 1 s (#2 still queued); at 3 s it gets in: 3–4.4 s. With
  // listen(0) the SYN queue holds no request socket, so every admitted SYN gets a cookie and
  // its connection is established by the bare ACK, one RTT (0.5 ms) after the SYN.
  const x = run(burstOn(3, { backlog: 0 }, { overflow: 'linux' }, 'const(1.4s)'));
  assert.deepEqual(failures(x), {});
  assert.equal(x.cause.ok, 3);
  assert.equal(x.r.mechanisms.synDrops, 2);
  assert.equal(x.r.mechanisms.synCookies, 3, 'every admitted SYN');
  near(x.r.latencyMs.max, 4400.5, 1e-6, 'max latency (ms)');
  near(sojournSum(x), 1.4 + 2.8 + 4.4, 0.02, "sum of latencies (the 2 ms spacing shifts it by a few ms)");
});

test('linux: retransmission at 1 s gets in when the queue has room then', () => {
  // Service 0.6 s, queue of 1, 4 requests: #1 0–0.6, #2 0.6–1.2. #3 and #4 dropped at 0 s;
  // at 1 s #3 gets in (queued, served 1.2–1.8), #4 is dropped again; at 3 s #4 gets in: 3–3.6.
  const x = run(burstOn(4, { backlog: 0 }, { overflow: 'linux' }, 'const(0.6s)'));
  assert.deepEqual(failures(x), {});
  assert.equal(x.r.mechanisms.synDrops, 3);
  near(x.r.latencyMs.max, 3600.5, 1e-6, 'max latency (ms): + the cookie handshake\'s RTT');
  near(sojournSum(x), 0.6 + 1.2 + 1.8 + 3.6, 0.02, "sum of latencies (the 2 ms spacing shifts it by a few ms)");
});

test('linux vs refuse: the same burst is refused (502) under refuse, times out (504) under linux', () => {
  const refuse = run(burstOn(10, { backlog: 2 }, { overflow: 'refuse' }));
  const linux = run(burstOn(10, { backlog: 2 }, { overflow: 'linux' }, 'const(30s)', { balancer: { kind: 'alb', idleTimeout: '1000s' } }));
  // refuse: the queue holds B = 2; linux: B + 1 = 3.
  assert.deepEqual(failures(refuse), { 'backlog-overflow': 7 });
  assert.deepEqual(failures(linux), { 'connect-timeout': 6 });
});

// ---------------------------------------------------------------- linux: the completing segment overflows

// Five requests 2 ms apart, one uWSGI sync worker busy 15 s each, backlog 2 -> an accept queue of 3
// and a SYN queue of 2 request sockets; the balancer writes its request 10 ms after its
// connection is up (sendDelay), and uWSGI's TCP_DEFER_ACCEPT queues a connection only when
// that request arrives (entry at SYN + 0.5 + 10 ms). #1 is accepted at once; #2 finds the
// queue empty and no handshake under way (queued); #3 (4 ms) and #4 (6 ms) pass the SYN check
// (queue 1 of 3) and wait for their data as request sockets; #5 (8 ms) finds the SYN queue
// full: a cookie, established by its bare ACK at 8.5 ms (queue 2). #3's data at 14.5 ms fills
// the queue; #4's at 16.5 ms overflows it:
//   tcp_abort_on_overflow = 1: the kernel resets #4: 502 backlog-overflow.
//   tcp_abort_on_overflow = 0: the data is dropped; #4 tries again with every retransmission of
//     its request (RTO 200.5 ms, doubling) and, from the request socket's timer run at 7 s on,
//     every SYN-ACK; when #1 ends at 15 s #2 is accepted and the SYN-ACK of 15 s gets #4 in.
const deferRace = (abort: boolean, server: Tree = {}): Tree =>
  burstOn(5, { backlog: 2, ...server }, { overflow: 'linux', tcpAbortOnOverflow: abort }, 'const(15s)', {
    balancer: { idleTimeout: '1000s', sendDelay: '10ms' },
  });

test('linux: tcpAbortOnOverflow resets a handshake whose request (TCP_DEFER_ACCEPT) finds the queue full: 502 backlog-overflow', () => {
  const x = run(deferRace(true));
  assert.equal(x.r.mechanisms.synDrops, 0, 'every SYN found the queue below capacity');
  assert.equal(x.r.mechanisms.synCookies, 1, '#5 found the SYN queue full');
  assert.equal(x.r.mechanisms.ackOverflows, 1);
  assert.deepEqual(failures(x), { 'backlog-overflow': 1 });
  assert.equal(x.cause.ok, 4);
});

test('linux, negative: without TCP_DEFER_ACCEPT the bare ACK queues each connection within the RTT: no overflow', () => {
  // gunicorn sets no TCP_DEFER_ACCEPT: #3 is queued at 4.5 ms, #4 at 6.5 ms (queue full), #5's
  // SYN is dropped, and so are its retransmissions (1, 3, 7 s) while #1 holds the worker (15 s):
  // 504 at the connect timeout (10 s).
  const x = run(deferRace(true, { kind: 'gunicorn', version: '20.1.0' }));
  assert.equal(x.r.mechanisms.ackOverflows, 0);
  assert.equal(x.r.mechanisms.synCookies, 0);
  assert.equal(x.r.mechanisms.synDrops, 4);
  assert.deepEqual(failures(x), { 'connect-timeout': 1 });
});

test('linux: without tcpAbortOnOverflow the overflowed request is retried until the queue has room: no failure', () => {
  const x = run(deferRace(false));
  assert.equal(x.r.mechanisms.synDrops, 0);
  // Tries: data at 16.5 ms, retransmissions at +0.2005·(2^j − 1) s (0.22, 0.62, 1.42, 3.02, 6.24,
  // 12.65 s) and the SYN-ACK at 7 s: eight overflows; the SYN-ACK of 15 s (+ RTT) finds room.
  assert.equal(x.r.mechanisms.ackOverflows, 8);
  assert.deepEqual(failures(x), {});
  assert.equal(x.cause.ok, 5);
  // #4 enters at 15.0005 s, behind #5 (8.5 ms) and #3 (14.5 ms): served 60–75 s after the burst.
  near(x.r.latencyMs.max, 75_000 - 6, 1e-6, 'max latency (ms)');
});

test('linux: a bare ACK that gets an overflowed handshake in brings no request: uWSGI waits socket-timeout (4 s) for it, then closes: 502', () => {
  // Two sync workers, backlog 2 (a queue of 3, a SYN queue of 2), TCP_DEFER_ACCEPT, 8 requests
  // of 6.5 s, 2 ms apart: #1 and #2 are served at once, three connections queue, #6's SYN gets a
  // cookie, and the requests of #4 and #5 (SYN + 0.5 ms + 10 ms) find the queue full. Their
  // tries: the request again at +0.2005·(2^j − 1) s (… 3.02, 6.24, 12.65, 25.48 s) and, once
  // the defer period's 3 SYN-ACK periods are over, the SYN-ACKs of about 7 and 15 s, whose bare
  // ACKs complete a handshake without the request (net/ipv4/tcp_minisocks.c tcp_check_req).
  // The queue has room from 6.5 s: the two SYN-ACKs of about 7 s (one wheel bucket) come
  // together, one gets in without its request (its bytes at 12.65 s, before a worker is free at
  // 13 s: served), the other overflows again and gets in with the SYN-ACK of about 15 s, also
  // without its request, whose next retransmission comes at 25.48 s. A worker takes it at
  // 19.5 s and waits for the bytes socket-timeout (4 s, core/utils.c wsgi_req_recv): at 23.5 s
  // it closes the connection unanswered, and the balancer's retransmission meets a reset: 502.
  const x = run(
    burstOn(8, { backlog: 2, workers: 2 }, { overflow: 'linux', tcpAbortOnOverflow: false }, 'const(6.5s)', {
      traffic: { ...burst(8, 100, '16ms'), phases: [{ wait: 'const(6.5s)' }] },
      balancer: { idleTimeout: '1000s', sendDelay: '10ms' },
    }),
  );
  assert.equal(x.r.mechanisms.synDrops, 3);
  assert.deepEqual(failures(x), { 'backlog-overflow': 1 });
  assert.equal(x.cause.ok, 7);
});

test('linux: a SYN cookie\'s connection that overflows is dropped silently, never reset, even with tcpAbortOnOverflow', () => {
  // Burst of 5 within 0.2 ms, backlog 2, no send delay: #3 and #4 are request sockets (queued
  // at SYN + 0.5 ms), #5 a cookie whose ACK finds the queue full: dropped (tcp_get_cookie_sock),
  // retried with the balancer's retransmissions of its request until there is room.
  const x = run(
    burstOn(5, { backlog: 2 }, { overflow: 'linux', tcpAbortOnOverflow: true }, 'const(15s)', {
      traffic: { ...burst(5, 100, '0.2ms'), phases: [{ wait: 'const(15s)' }] },
      }),
  );
  assert.equal(x.r.mechanisms.synCookies, 1);
  assert.ok(x.r.mechanisms.ackOverflows >= 1);
  assert.deepEqual(failures(x), {});
  assert.equal(x.cause.ok, 5);
});

test('linux: SYN-ACK retries exhausted while the queue stays full: the balancer times out (504 idle) before the reset', () => {
    // As above, but the worker is busy 100 s, so the queue (#2) stays full past 63 s. The
    // balancer received a SYN-ACK, so for it the connection is established and its request
    // sent: no connect timeout. Linux drops the request sock only when the timer after the
    // 5th retransmission (31 s) expires, at 63 s; the balancer's idle timeout (60 s) comes
    // first: 504 idle-timeout at 60 s.
    const x = run(
      burstOn(3, { backlog: 0 }, { overflow: 'linux', tcpAbortOnOverflow: false }, 'const(100s)', {
        traffic: { ...burst(3, 100, '0.2ms'), phases: [{ wait: 'const(100s)' }] },
        balancer: { kind: 'alb', idleTimeout: '60s' },
      }),
    );
    assert.equal(x.r.mechanisms.synDrops, 0);
    // #1 (100 s of service) and #2 also pass 60 s: all three end 504 idle-timeout; #3 never
    // ends 502 backlog-overflow.
    assert.deepEqual(failures(x), { 'idle-timeout': 3 });
  },
);

test('linux: handshakes landed without events give exactly the results of simulating every ACK', async () => {
  const { readFileSync } = await import('node:fs');
  const { loadModelFile } = await import('../../src/scenario/load-model.js');
  const { runReplication } = await import('../../src/experiment/replication.js');
  const { Listener } = await import('../../src/model/listener.js');
  const file = new URL('../../../models/incident/01-uwsgi-2-workers.yaml', import.meta.url).pathname;
  assert.ok(readFileSync(file, 'utf8').length > 0);
  // Busy containers (3 of 1 vCPU, a listen queue of 8, 0.5% of queries holding the hub 1-3 s): queues that are rarely empty, SYN drops, handshakes landing
  // both lazily and for a waiting worker; with a timeline, which reads the queues too.
  // Connection: close: without it the close race (close-race.test.ts) answers many requests at
  // once, and the queues rarely fill.
  const model = loadModelFile(file, [
    'fleet.containers=3',
    'fleet.vcpu=1',
    'fleet.server.backlog=8',
    'traffic.endpoints.0.phases.1.db=mix(0.995: lognormal(mean=4ms, sd=4ms), 0.005: uniform(1s, 3s))',
    'simulation.duration=4m',
    'simulation.warmup=1m',
    'fleet.server.connectionClose=true',
  ]);
  const once = (lazy: boolean) => {
    Listener.lazyHandshakes = lazy;
    try {
      return runReplication(model, 0, { timelineInterval: 5 });
    } finally {
      Listener.lazyHandshakes = true;
    }
  };
  const lazy = once(true);
  const simulated = once(false);
  assert.ok(lazy.events < simulated.events, `fewer events: ${lazy.events} vs ${simulated.events}`);
  assert.ok(lazy.mechanisms.synDrops > 0, 'the scenario reaches a full queue');
  assert.deepEqual({ ...lazy, events: 0 }, { ...simulated, events: 0 });
});

test('linux: the same holds with SYN cookies and bursts of SYNs that arrive at the same instant', async () => {
  const { loadModelFile } = await import('../../src/scenario/load-model.js');
  const { runReplication } = await import('../../src/experiment/replication.js');
  const { Listener } = await import('../../src/model/listener.js');
  // The real-stack overload check: nginx's SYN retransmissions come back in bursts on its timer
  // wheel (ties in time, where only the order of the handshakes decides which ones overflow), and
  // the SYN queue fills, so cookie connections appear while handshakes are landing.
  const file = new URL('../../../models/checks/overload-uwsgi-gevent.yaml', import.meta.url).pathname;
  const model = loadModelFile(file, ['simulation.duration=60s']);
  const once = (lazy: boolean) => {
    Listener.lazyHandshakes = lazy;
    try {
      return runReplication(model, 0);
    } finally {
      Listener.lazyHandshakes = true;
    }
  };
  const lazy = once(true);
  const simulated = once(false);
  assert.ok(lazy.events < simulated.events, `fewer events: ${lazy.events} vs ${simulated.events}`);
  assert.ok(lazy.mechanisms.synCookies > 0, 'the scenario gives cookies');
  assert.ok(lazy.mechanisms.ackOverflows > 0, 'and overflows at completion');
  assert.deepEqual({ ...lazy, events: 0 }, { ...simulated, events: 0 });
});
