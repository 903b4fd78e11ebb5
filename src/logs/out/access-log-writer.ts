// `capsim run --access-log FORMAT FILE`: the measured window's requests of one replication as
// an access log, written while the simulation runs (streamed, atomically). Simulated time 0 is
// LOG_EPOCH, so a model's daily profile lines up with the log's time of day.
import { STATUSES, causeStatuses } from '../../model/outcome.js';
import type { RequestSink } from '../../model/request-sink.js';
import type { Model } from '../../scenario/model-types.js';
import { AtomicTextFile } from './atomic-text-file.js';
import { albLine, elbLine, nginxLine, type SimRequest } from './log-lines.js';

export const LOG_OUT_FORMATS = ['alb', 'elb', 'nginx'] as const;
export type LogOutFormat = (typeof LOG_OUT_FORMATS)[number];

/** 2026-01-01T00:00:00Z, a Thursday: where simulated time 0 falls in a written log. */
export const LOG_EPOCH = Date.UTC(2026, 0, 1) / 1000;

const HTTP = STATUSES.map((s) => (s === '2xx' ? 200 : Number(s)));
const LINES = { alb: albLine, elb: elbLine, nginx: nginxLine };

export class AccessLogWriter implements RequestSink {
  private readonly out: AtomicTextFile;
  private readonly line: (r: SimRequest) => string;
  private readonly status: Int32Array;
  private readonly paths: string[];
  private readonly targets: string[];
  private readonly from: number;
  private readonly r: SimRequest = { arrive: 0, attempt: 0, end: 0, path: '', target: '', status: 0, answered: false, n: 0 };
  lines = 0;

  constructor(format: LogOutFormat, file: string, model: Model) {
    this.out = new AtomicTextFile(file);
    this.line = LINES[format];
    this.status = causeStatuses(model.balancer.kind);
    // An endpoint named like a path ("/users/:id", as calibrate names them) is logged as that path.
    this.paths = model.traffic.endpoints.map((e) => (e.name.startsWith('/') ? encodeURI(e.name) : `/${encodeURIComponent(e.name)}`));
    this.targets = Array.from({ length: model.fleet.containers }, (_, c) => `10.1.${(c + 1) >> 8}.${(c + 1) & 255}:8000`);
    this.from = model.simulation.warmup;
  }

  request(tArrive: number, attemptStart: number, now: number, endpoint: number, container: number, cause: number): void {
    if (tArrive < this.from) return; // the warmup is not part of the measured window
    const r = this.r;
    const status = HTTP[this.status[cause]!]!;
    r.arrive = LOG_EPOCH + tArrive;
    r.attempt = LOG_EPOCH + attemptStart;
    r.end = LOG_EPOCH + now;
    r.path = this.paths[endpoint]!;
    r.target = container >= 0 ? this.targets[container]! : '';
    r.status = status;
    // A 2xx, or the app's own 500 (pool timeout, max_connections): the target answered.
    r.answered = cause === 0 || status === 500;
    r.n = this.lines++;
    this.out.write(this.line(r));
  }

  commit(): void {
    this.out.commit();
  }

  abort(): void {
    this.out.abort();
  }
}
