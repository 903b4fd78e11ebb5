// The testbed's overload runs behind the ALB-like proxy (docs/model.md, "Overload behind the
// ALB-like proxy"): what the real stack gave, for the figure blocks that set capsim beside it.
// Measurements, not capsim figures: "a / b" where a configuration ran with two seeds. The SYN
// counts and split instants come from scripts/testbed-syn-instants.mjs on each run's proxy log,
// the drain seconds from uWSGI's log ("the work of process is done" to "goodbye to the gevent Hub").
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';

export const OVERLOAD_ALB_MODEL = 'models/checks/overload-uwsgi-gevent-alb.yaml';

export interface TestbedRun {
  what: string;
  runId: string;
  /** `--set`s that make the check model this configuration. */
  sets: string[];
  /** 2xx, 502, 504 connect timeout, 504 idle timeout, p50 of 2xx in ms: per run. */
  counts: [string, string, string, string, string];
  /** New connections by the SYN that got in (connect time 0, 1, 2, 3, 4, 5, 7 s). */
  syns: string[];
  /** Split instants / instants with retransmitted SYNs of connections that got in. */
  split: string;
  /** Seconds the workers spent draining (runs with recycling only). */
  drainSeconds?: string;
}

export const OVERLOAD_ALB_RUNS: TestbedRun[] = [
  {
    what: '80 requests/s, max-requests 500',
    runId: 'ov_r80_m500 (seeds 1, 2)',
    sets: ['traffic.profile.scale=0.8'],
    counts: ['7,981 / 8,208', '87 / 91', '850 / 956', '808 / 388', '2,044 / 1,909'],
    syns: ['4,484 / 4,862', '1,914 / 1,459', '939 / 849', '567 / 503', '397 / 406', '265 / 251', '232 / 275'],
    split: '230 / 2,404 = 9.6%; 235 / 2,124 = 11.1%',
    drainSeconds: '34.9 / 38.6 (15 drains each; 2 over 5 s each, the longest 19 and 22 s)',
  },
  {
    what: '100 requests/s, max-requests 500',
    runId: 'ov_r100_m500 (seeds 1, 2)',
    sets: [],
    counts: ['9,419 / 8,742', '147 / 104', '934 / 1,198', '1,624 / 1,932', '2,222 / 2,578'],
    syns: ['4,794 / 4,187', '2,389 / 2,238', '1,477 / 1,556', '894 / 1,005', '634 / 659', '405 / 529', '459 / 509'],
    split: '455 / 3,206 = 14.2%; 413 / 3,183 = 13.0%',
    drainSeconds: '4.6 / 24.3 (19 and 18 drains; 0 and 2 over 5 s, the longest 4.3 and 14 s)',
  },
  {
    what: '100 requests/s, no recycling',
    runId: 'ov_r100_m0',
    sets: ['fleet.server.maxRequests=0'],
    counts: ['9,699', '123', '828', '1,474', '2,257'],
    syns: ['4,777', '2,415', '1,515', '1,004', '621', '383', '467'],
    split: '452 / 3,225 = 14.0%',
  },
  {
    what: '120 requests/s, max-requests 500',
    runId: 'ov_r120_m500',
    sets: ['traffic.profile.scale=1.2'],
    counts: ['8,198', '148', '3,362', '2,823', '2,567'],
    syns: ['4,105', '2,109', '1,542', '1,081', '825', '705', '663'],
    split: '396 / 2,996 = 13.2%',
    drainSeconds: '57.5 (15 drains; 4 over 5 s, the longest 25 s)',
  },
  // Run on 2026-12-08 after capsim's same-jiffy order was changed, to test it out of sample.
  {
    what: '90 requests/s, no recycling (new run)',
    runId: 'val_r90_m0_s3 (seed 3)',
    sets: ['traffic.profile.scale=0.9', 'fleet.server.maxRequests=0'],
    counts: ['9,079', '242', '554', '916', '2,231'],
    syns: ['4,421', '2,258', '1,389', '823', '457', '309', '347'],
    split: '385 / 3,009 = 12.8%',
  },
  {
    what: '110 requests/s, no recycling (new run)',
    runId: 'val_r110_m0_s3 (seed 3)',
    sets: ['traffic.profile.scale=1.1', 'fleet.server.maxRequests=0'],
    counts: ['9,539', '255', '1,178', '2,190', '2,507'],
    syns: ['4,607', '2,562', '1,652', '1,178', '721', '526', '492'],
    split: '422 / 3,293 = 12.8%',
  },
];

/**
 * A `--set` that gives the check model's endpoint 2.4 ms more CPU per request, ahead of its own
 * phases: the test app's framework time, which the harness's mix leaves out (estimated from the
 * real stack's throughput, docs/model.md). An input, shown beside the model as it stands. Built
 * from the model file's phases, so that it follows them.
 */
export function withFrameworkTime(): string {
  const model = parse(readFileSync(OVERLOAD_ALB_MODEL, 'utf8')) as { traffic: { endpoints: { phases: unknown[] }[] } };
  const phases = [{ cpu: '2.4ms' }, ...model.traffic.endpoints[0]!.phases];
  return `traffic.endpoints.0.phases=${stringify(phases, { collectionStyle: 'flow', lineWidth: 0 }).trim()}`;
}
