// Task memory over time: utilization.memory is its time average as a share of the limit (what
// Fargate's per-minute graph shows), mechanisms.memoryPeak its highest value (what the OOM
// killer sees).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base, burst, near, run } from './harness.js';

test('memory: the average and the peak of the task, shared memory counted once', () => {
  // 2 workers of 120 MiB + 300 MiB shared = 540 MiB of 1 GiB, all the time (no requests).
  const idle = run(base({ simulation: { duration: '100s' }, traffic: { rate: '0.001/d', phases: [{ cpu: 'const(1ms)' }] }, fleet: { memory: '1GiB', server: { workers: 2, memory: { shared: '300MiB', base: '120MiB' } } } }));
  near(idle.r.utilization.memory, 540 / 1024, 1e-12, 'average');
  near(idle.r.mechanisms.memoryPeak, 540 / 1024, 1e-12, 'peak');
  // 10 requests at 50 s, each holding 20 MiB for 10 s in a gevent worker: 740 MiB from 50 to 60 s
  // of a 100 s window: average (540·90 + 740·10) / 100 = 560 MiB; peak 740 MiB.
  const busy = run(
    base({
      simulation: { duration: '100s' },
      traffic: { ...burst(10, 50), phases: [{ wait: 'const(10s)' }] },
      balancer: { kind: 'alb' },
      fleet: { memory: '1GiB', server: { kind: 'uwsgi', mode: 'gevent', concurrency: 20, workers: 2, connectionClose: true, memory: { shared: '300MiB', base: '120MiB', perInFlight: '20MiB' } } },
    }),
  );
  near(busy.r.utilization.memory, 560 / 1024, 1e-9, 'average');
  near(busy.r.mechanisms.memoryPeak, 740 / 1024, 1e-12, 'peak');
});
