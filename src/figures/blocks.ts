// Figures quoted in the project's prose (README, docs) are generated, never typed: each lives in
// a block between `<!-- figures:ID -->` and `<!-- /figures -->`, computed here from runs of the
// bundled models with their own seeds. `npm run figures` rewrites the blocks; a test recomputes
// them and fails when a committed block differs, so a figure cannot drift from what the model gives.
import { readFileSync } from 'node:fs';
import { runExperimentParallel, type Figure, type RunResult } from '../experiment/run-experiment.js';
import { compareRun, comparisonLines, matchingObservations } from '../infer/run-comparison.js';
import { readObserved } from '../observe/readers.js';
import { answerLine } from '../report/answer-line.js';
import { STATUSES } from '../model/outcome.js';
import { figure, num } from '../report/format.js';
import { loadModelFile } from '../scenario/load-model.js';
import { mdTable, type FigureBlock } from './figure-block.js';
import { OVERLOAD_ALB_MODEL, OVERLOAD_ALB_RUNS, withFrameworkTime } from './overload-alb-runs.js';
import { sameJiffyCheck } from './same-jiffy-check.js';

/** One model run as its file says (plus `sets`), summarised. */
async function run(file: string, sets: string[], jobs: number): Promise<RunResult> {
  return (await runExperimentParallel(loadModelFile(file, sets), { jobs })).result;
}

const m = (f: Figure | undefined): number => f?.mean ?? 0;

/** A count's figure in other units (per hour instead of per run). */
const times = (x: number | null, k: number): number | null => (x === null ? null : x * k);
const scaled = (f: Figure, k: number): Figure => ({ mean: times(f.mean, k), ci95: [times(f.ci95[0], k), times(f.ci95[1], k)] });

/** "close-race 71%, worker-killed 29%": the 5xx causes with their shares. */
export function causeMix(r: RunResult): string {
  const all: [string, number][] = [];
  for (const s of STATUSES.slice(1)) for (const [name, f] of Object.entries(r.causes[s] ?? {})) if (m(f) > 0) all.push([`${s} ${name}`, m(f)]);
  const total = all.reduce((a, [, v]) => a + v, 0);
  if (total === 0) return 'none';
  all.sort((a, b) => b[1] - a[1]);
  return all
    .slice(0, 3)
    .map(([k, v]) => `${k} ${Math.round((100 * v) / total)}%`)
    .join(', ');
}

/** SIGKILLs per hour by reason, and mercy exits: "OOM 1.2/h; 0 mercy exits". */
export function killsPerHour(r: RunResult): string {
  const h = 3600 / r.simulatedSeconds;
  const k = r.workers.sigkills;
  const why = Object.entries(k)
    .filter(([name, f]) => name !== 'total' && m(f) > 0)
    .map(([name, f]) => `${name} ${num(m(f) * h)}/h`);
  const kills = why.length > 0 ? why.join(', ') : 'none';
  return `${kills}; ${num(m(r.workers.mercyExits) * h)} mercy exits/h`;
}

/** 5xx as a share of requests. */
export function failedShare(r: RunResult): string {
  const failed = STATUSES.slice(1).reduce((a, s) => a + m(r.status[s]), 0);
  return `${num((100 * failed) / m(r.requests), 2)}%`;
}

export const INCIDENT_MODELS = [
  ['01-uwsgi-2-workers', 'the incident as first seen'],
  ['02-uwsgi-8-workers', 'step 2: 8 workers'],
  ['03-sqlalchemy-pool', 'step 3: a SQLAlchemy pool'],
  ['04-pymysql', 'step 4: PyMySQL'],
  ['05-gunicorn', 'step 5: gunicorn'],
] as const;

const incidentTable: FigureBlock = {
  id: 'incident-table',
  files: ['README.md', 'docs/incident.md'],
  async compute(jobs) {
    const rows = [['model', 'step', '502 / 5 min', '5xx', 'p99 ms', 'causes of the 5xx', 'SIGKILLs, mercy exits']];
    let spec = '';
    for (const [name, step] of INCIDENT_MODELS) {
      const r = await run(`models/incident/${name}.yaml`, [], jobs);
      spec = `${r.replications} replications × ${r.simulatedSeconds / 3600} h each, seed ${r.seed}`;
      rows.push([`\`${name}\``, step, figure(r.per5min['502']!), failedShare(r), num(r.latencyMs.p99.mean), causeMix(r), killsPerHour(r)]);
    }
    return `Each model with its own settings (${spec}; 95% intervals over replications), \`capsim run models/incident/NAME.yaml\`:\n\n${mdTable(rows)}`;
  },
};

/** The incident's assumptions, one at a time, on model 01 (and the worker counts of step 2). */
const R = 'simulation.replications=5';
export const SENSITIVITY: { what: string; sets: string[] }[] = [
  { what: 'none (model 01 as it is)', sets: [R] },
  { what: 'uWSGI `add-header = Connection: close` (connectionClose: true)', sets: [R, 'fleet.server.connectionClose=true'] },
  { what: 'a balancer that never reuses target connections (balancer.keepAlive: false)', sets: [R, 'balancer.keepAlive=false'] },
  { what: "the ALB's reuse delay at the short end of its range, exp(4ms) (balancer.pool.reuseDelay)", sets: [R, 'balancer.pool.reuseDelay=exp(4ms)'] },
  { what: "the ALB's reuse delay at the long end of its range, exp(36ms)", sets: [R, 'balancer.pool.reuseDelay=exp(36ms)'] },
  { what: 'an ALB of 4 nodes instead of 2 (balancer.nodes)', sets: [R, 'balancer.nodes=4'] },
  { what: 'an eager client pool in front, one node (balancer.pool: eager, nodes: 1; the testbed proxy)', sets: [R, 'balancer.pool=eager', 'balancer.nodes=1'] },
  { what: 'the ALB reuses the longest-idle connection (balancer.reuse: fifo)', sets: [R, 'balancer.reuse=fifo'] },
  { what: "uWSGI's post-response work a constant 120 µs instead of the measured 340 µs mean (fleet.server.closeLag)", sets: [R, 'fleet.server.closeLag=120us'] },
  { what: "uWSGI's post-response work a constant 700 µs (fleet.server.closeLag)", sets: [R, 'fleet.server.closeLag=700us'] },
  { what: 'tasks of 1 vCPU / 2 GiB', sets: [R, 'fleet.vcpu=1', 'fleet.memory=2GiB'] },
  { what: 'each request in flight holds 32 MiB (memory.perInFlight)', sets: [R, 'fleet.server.memory.perInFlight=32MiB'] },
  { what: '0.1% of queries take 1-3 s', sets: [R, 'traffic.endpoints.0.phases.1.db=mix(0.999: lognormal(mean=4ms, sd=4ms), 0.001: uniform(1s, 3s))'] },
];

/** The write-up's steps and its "when concurrent users increase", on model 01: workers and load. */
export const STEPS: { what: string; sets: string[] }[] = [
  { what: '2 workers per task (model 01)', sets: [R] },
  { what: '4 workers', sets: [R, 'fleet.server.workers=4'] },
  { what: '6 workers', sets: [R, 'fleet.server.workers=6'] },
  { what: '8 workers', sets: [R, 'fleet.server.workers=8'] },
  { what: '16 workers', sets: [R, 'fleet.server.workers=16'] },
  { what: '2 workers at 15k requests/min', sets: [R, 'traffic.rate=15k/min'] },
  { what: '2 workers at 23k requests/min', sets: [R, 'traffic.rate=23k/min'] },
  { what: '2 workers at 27k requests/min', sets: [R, 'traffic.rate=27k/min'] },
];

const stepsTable: FigureBlock = {
  id: 'incident-steps',
  files: ['docs/incident.md'],
  async compute(jobs) {
    const rows = [['on model 01', '502 / 5 min', '5xx', 'p99 ms', 'worker processes busy (mean)', 'post-response work to the FIN, ms']];
    for (const v of STEPS) {
      const r = await run('models/incident/01-uwsgi-2-workers.yaml', v.sets, jobs);
      const close = (r.mechanisms as Record<string, Figure>).closeDelayMeanMs!;
      rows.push([v.what, figure(r.per5min['502']!), failedShare(r), num(r.latencyMs.p99.mean), `${num(100 * (r.utilization.process.mean ?? NaN))}%`, num(close.mean)]);
    }
    return `\`capsim run models/incident/01-uwsgi-2-workers.yaml --set …\` (5 replications, the model's seed, so common random numbers):\n\n${mdTable(rows)}`;
  },
};

/** `npm start`'s first lines: the answer, and the write-up's observations at its configuration. */
const npmStart: FigureBlock = {
  id: 'npm-start',
  files: ['README.md'],
  async compute(jobs) {
    const file = 'models/incident/01-uwsgi-2-workers.yaml';
    const model = loadModelFile(file, []);
    const { result, replications } = await runExperimentParallel(model, { jobs });
    const observed = await readObserved(['models/incident/observations.yaml']);
    const here = matchingObservations(observed, model, file, []);
    const lines = [answerLine(result), ...comparisonLines(compareRun(here, replications, model.simulation.duration), here)];
    return `\`\`\`\n${lines.join('\n')}\n\`\`\``;
  },
};

/** The testbed's close-race runs (docs/model.md): the eager pool against what the real proxy lost. */
export const CLOSE_RACE_CHECKS: [string, string, string[]][] = [
  ['sync, 4 workers, mysqlclient', '30, 32, 33', []],
  ['gevent ×100, 2 workers, mysqlclient', '36', ['fleet.server.mode=gevent', 'fleet.server.workers=2', 'fleet.server.concurrency=100']],
  ['gevent ×100, 2 workers, PyMySQL', '33, 36', ['fleet.server.mode=gevent', 'fleet.server.workers=2', 'fleet.server.concurrency=100', 'fleet.db.driver=pymysql']],
];

const closeRaceCheck: FigureBlock = {
  id: 'close-race-check',
  files: ['docs/model.md'],
  async compute(jobs) {
    const rows = [['configuration (60 requests/s, 60 s)', 'real stack: 502s per run', 'capsim, eager pool: 502s per run', 'capsim: post-response work to the FIN, µs']];
    let spec = '';
    for (const [what, real, sets] of CLOSE_RACE_CHECKS) {
      const r = await run('models/checks/close-race-uwsgi-alb.yaml', ['balancer.pool=eager', 'balancer.nodes=1', ...sets], jobs);
      spec = `${r.replications} replications, seed ${r.seed}`;
      rows.push([what, real, figure(r.status['502']!), num(1000 * ((r.mechanisms as Record<string, Figure>).closeDelayMeanMs!.mean ?? NaN))]);
    }
    return `\`capsim run models/checks/close-race-uwsgi-alb.yaml --set balancer.pool=eager --set balancer.nodes=1 --set …\` (${spec}; 95% intervals):\n\n${mdTable(rows)}`;
  },
};

const sensitivityTable: FigureBlock = {
  id: 'sensitivity-table',
  files: ['docs/incident.md'],
  async compute(jobs) {
    const rows = [['assumption moved (on model 01)', '502 / 5 min', '5xx', 'p99 ms', 'causes of the 5xx', 'SIGKILLs, mercy exits']];
    for (const v of SENSITIVITY) {
      const r = await run('models/incident/01-uwsgi-2-workers.yaml', v.sets, jobs);
      rows.push([v.what, figure(r.per5min['502']!), failedShare(r), num(r.latencyMs.p99.mean), causeMix(r), killsPerHour(r)]);
    }
    return `\`capsim run models/incident/01-uwsgi-2-workers.yaml --set …\`, each row one change, the same seed and replications as the model (so common random numbers):\n\n${mdTable(rows)}`;
  },
};

/** The real-stack overload checks (models/checks): capsim's side of docs/model.md's table. */
export const OVERLOAD_CHECKS: [string, string, string[]][] = [
  ['overload-uwsgi-gevent', 'uWSGI gevent ×100, 2 workers', []],
  ['overload-uwsgi-sync-harakiri', 'uWSGI sync, 2 workers, harakiri 1 s', []],
  ['overload-gunicorn-sync', 'gunicorn sync, 2 workers', []],
  ['overload-uwsgi-gevent', 'uWSGI gevent, SYNs retransmitted at exact RFC 6298 times instead (synRetransmit: rfc6298, the ALB assumption)', ['balancer.synRetransmit=rfc6298']],
  ['overload-uwsgi-gevent', 'uWSGI gevent, tcp_abort_on_overflow = 0 (fleet.tcpAbortOnOverflow: false, Linux\'s default)', ['fleet.tcpAbortOnOverflow=false']],
];

const overloadCheck: FigureBlock = {
  id: 'overload-check',
  files: ['docs/model.md'],
  async compute(jobs) {
    const rows = [['configuration', '502 reset', '502 worker-killed', '504', 'SYNs dropped', 'overflows at completion', 'SYN cookies', 'p50 ms', 'p99 ms']];
    // (overflows at completion, and the 504s, count every try of a retried handshake)
    let spec = '';
    for (const [name, what, sets] of OVERLOAD_CHECKS) {
      const r = await run(`models/checks/${name}.yaml`, sets, jobs);
      spec = `${r.replications} replications of ${r.simulatedSeconds} s, seed ${r.seed}`;
      const c502 = r.causes['502'] ?? {};
      const mech = r.mechanisms as Record<string, Figure>;
      rows.push([
        what,
        figure(c502['backlog-overflow']!),
        figure(c502['worker-killed']!),
        figure(r.status['504']!),
        figure(mech.synDrops!),
        figure(mech.ackOverflows!),
        figure(mech.synCookies!),
        num(r.latencyMs.p50.mean),
        num(r.latencyMs.p99.mean),
      ]);
    }
    return `capsim on the same configurations (\`capsim run models/checks/NAME.yaml\`, ${spec}; per run, 95% intervals over replications):\n\n${mdTable(rows)}`;
  },
};

const overloadAlbCheck: FigureBlock = {
  id: 'overload-alb-check',
  files: ['docs/model.md'],
  async compute(jobs) {
    const rows = [['configuration', 'source', '2xx', '502', '504 connect timeout', '504 idle timeout', 'p50 ms']];
    const drains = [['configuration', 'real stack (from its log)', 'capsim']];
    const syns = [['configuration', 'source', 'SYN 1 (0 s)', 'SYN 2 (1 s)', 'SYN 3 (2 s)', 'SYN 4 (3 s)', 'SYN 5 (4 s)', 'SYN 6 (5 s)', 'SYN 7 (7 s)']];
    const framework = withFrameworkTime();
    const countsOf = (r: RunResult) => {
      const c504 = r.causes['504'] ?? {};
      return [figure(r.status['2xx']!), figure(r.status['502']!), figure(c504['connect-timeout']!), figure(c504['idle-timeout']!), num(r.latencyMs.p50.mean)];
    };
    let spec = '';
    for (const real of OVERLOAD_ALB_RUNS) {
      const r = await run(OVERLOAD_ALB_MODEL, real.sets, jobs);
      spec = `${r.replications} replications, seed ${r.seed}`;
      rows.push([real.what, `real stack, ${real.runId}`, ...real.counts]);
      rows.push([real.what, 'capsim', ...countsOf(r)]);
      rows.push([real.what, 'capsim, 2.4 ms more CPU per request', ...countsOf(await run(OVERLOAD_ALB_MODEL, [...real.sets, framework], jobs))]);
      if (real.drainSeconds !== undefined) drains.push([`${real.what}; ${real.runId}`, real.drainSeconds, figure(r.mechanisms['drainSeconds']!)]);
      syns.push([real.what, `real stack, ${real.runId}`, ...real.syns]);
      syns.push([real.what, 'capsim', ...r.connectedAtSyn.slice(0, 7).map((f) => figure(f))]);
    }
    return (
      `\`capsim run ${OVERLOAD_ALB_MODEL}\` (${spec}; per run of 120 s of arrivals, 95% intervals; the real runs' counts are single runs):\n\n${mdTable(rows)}\n\n` +
      `The proxy's new connections by the SYN that got in (its connect time on the real stack; \`connectedAtSyn\` in capsim), per run; the rest of the SYNs that reached 7 s are the connect timeouts above:\n\n${mdTable(syns)}\n\n` +
      `Seconds the recycling workers spent draining, summed per run (real: from uWSGI's "the work of process is done" to "goodbye to the gevent Hub"; capsim: \`mechanisms.drainSeconds\`):\n\n${mdTable(drains)}`
    );
  },
};

/** The recycling check (docs/model.md, short overflows): capsim with the measured respawn parts. */
const recycleCheck: FigureBlock = {
  id: 'recycle-check',
  files: ['docs/model.md'],
  async compute(jobs) {
    const rows = [['configuration (60 requests/s, 120 s)', 'real stack: 502s per run', 'capsim: 502s per run', 'capsim: seconds with no live worker per run']];
    let spec = '';
    for (const [what, real, sets] of [
      ['lazy-apps (each new worker imports the app: 219 ms median, measured)', '15, 18, 43', []],
      ['prefork (the app loaded in the master)', '11, 22, 35', ['fleet.server.preload=true']],
    ] as [string, string, string[]][]) {
      const r = await run('models/checks/recycle-uwsgi-sync-listen8.yaml', sets, jobs);
      spec = `${r.replications} replications, seed ${r.seed}`;
      rows.push([what, real, figure(r.status['502']!), num(r.workers.zeroLiveSeconds.mean)]);
    }
    return `\`capsim run models/checks/recycle-uwsgi-sync-listen8.yaml\` (${spec}; 95% intervals; uWSGI's measured fork and exit are capsim's defaults):\n\n${mdTable(rows)}`;
  },
};

/** gunicorn sync behind a Classic ELB that pre-opens (docs/model.md, "The Classic ELB's pre-opened connections"). */
const preopenCheck: FigureBlock = {
  id: 'preopen-check',
  files: ['docs/model.md'],
  async compute(jobs) {
    const rows = [['configuration', 'SIGKILLs (timeout) per hour', 'pre-opened connections used per hour', 'failed requests per hour, by status', 'causes of the failures', 'p99 ms']];
    let spec = '';
    for (const [what, sets] of [
      ['1 request/min, pre-open 1 per node (the Classic ELB default)', []],
      ['1 request/min, pre-open disabled (balancer.pool.preopen 0)', ['balancer.pool.preopen=0']],
      ['1 request/min, gevent worker (fleet.server.mode gevent)', ['fleet.server.mode=gevent']],
      ['1 request/min, 4 sync workers', ['fleet.server.workers=4']],
      ['1 request/s, pre-open 1 per node', ['traffic.rate=1/s']],
    ] as [string, string[]][]) {
      const r = await run('models/checks/preopen-gunicorn-sync-elb.yaml', sets, jobs);
      spec = `${r.replications} replications of ${r.simulatedSeconds / 3600} h, seed ${r.seed}`;
      const h = 3600 / r.simulatedSeconds;
      const used = (r.mechanisms as Record<string, Figure>).preopenUsed;
      const failed = STATUSES.slice(1)
        .filter((st) => m(r.per5min[st]) > 0)
        .map((st) => `${st}: ${figure(scaled(r.per5min[st]!, 12))}`);
      rows.push([
        what,
        figure(scaled(r.workers.sigkills['timeout']!, h)),
        used === undefined ? '-' : figure(scaled(used, h)),
        failed.length > 0 ? failed.join('; ') : 'none',
        causeMix(r),
        num(r.latencyMs.p99.mean),
      ]);
    }
    return `\`capsim run models/checks/preopen-gunicorn-sync-elb.yaml --set …\` (gunicorn 20.1 sync, 2 workers, Classic ELB with 2 nodes; ${spec}; 95% intervals over replications):\n\n${mdTable(rows)}`;
  },
};

export const BLOCKS: FigureBlock[] = [npmStart, incidentTable, stepsTable, sensitivityTable, closeRaceCheck, recycleCheck, overloadCheck, overloadAlbCheck, sameJiffyCheck, preopenCheck];

const START = (id: string) => `<!-- figures:${id} -->`;
const END = '<!-- /figures -->';

/** The text between a block's markers in `text` (null when the file has no such block). */
export function blockIn(text: string, id: string): string | null {
  const a = text.indexOf(START(id));
  if (a < 0) return null;
  const from = a + START(id).length;
  const b = text.indexOf(END, from);
  if (b < 0) throw new Error(`figures block ${id}: no closing ${END}`);
  return text.slice(from, b).replace(/^\n/, '').replace(/\n$/, '');
}

/** `text` with block `id`'s content replaced by `content`. */
export function withBlock(text: string, id: string, content: string): string {
  const a = text.indexOf(START(id));
  if (a < 0) throw new Error(`no ${START(id)} marker`);
  const from = a + START(id).length;
  const b = text.indexOf(END, from);
  return `${text.slice(0, from)}\n${content}\n${text.slice(b)}`;
}

/** Every block's current content in every file that carries it. */
export function committedBlocks(root: string): { id: string; file: string; content: string | null }[] {
  return BLOCKS.flatMap((b) => b.files.map((file) => ({ id: b.id, file, content: blockIn(readFileSync(`${root}/${file}`, 'utf8'), b.id) })));
}
