// The inputs of the what-if page: which model keys a planner changes, as sliders or selects,
// each named by its key path and holding the text `--set PATH=TEXT` takes. Computed once, when
// `capsim page` writes the page, from the model as given (and its --vary keys). Pure.
import type { Vary } from '../experiment/grid.js';
import type { PriceTable } from '../experiment/prices.js';
import type { Model } from '../scenario/model-types.js';
import { formatDuration, formatNumber } from '../scenario/format.js';

export interface Option {
  /** The --set text ("8", "mysqlclient", "60s"). */
  text: string;
  /** What people read in the select. */
  label: string;
}

export interface Control {
  /** Key path: the input's name and the --set path ("fleet.server.workers"). */
  path: string;
  label: string;
  /** Where it is shown. */
  group: 'fleet' | 'recycling' | 'connections' | 'traffic' | 'varied' | 'simulation';
  kind: 'range' | 'select' | 'number';
  /** range and number: the bounds; the --set text is the number followed by `unit`. */
  min?: number;
  max?: number;
  step?: number;
  unit?: string;
  /** select: the choices. */
  options?: Option[];
  /** The model's value, as --set text: a control left there adds no --set. */
  initial: string;
}

const dur = (s: number) => formatDuration(s);
const nice = (x: number) => {
  const p = 10 ** Math.floor(Math.log10(x));
  const m = x / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
};

/** A select over `values` (as --set texts), with the model's own value among them. */
function select(path: string, label: string, group: Control['group'], values: readonly string[], initial: string, show: (t: string) => string = (t) => t): Control {
  const texts = values.includes(initial) ? [...values] : [initial, ...values];
  return { path, label, group, kind: 'select', options: texts.map((t) => ({ text: t, label: show(t) })), initial };
}

function range(path: string, label: string, group: Control['group'], initial: number, min: number, max: number, step: number, unit = ''): Control {
  return { path, label, group, kind: 'range', min, max: Math.max(max, initial), step, unit, initial: `${formatNumber(initial)}${unit}` };
}

const counts = (xs: number[]) => xs.map(String);
const durations = (xs: number[]) => xs.map(dur);

/**
 * The page's inputs for a model: fleet size, recycling, connections, traffic, any --vary keys
 * (a select over the listed values, replacing the default input for that key) and the
 * simulation's own settings (so a quick look can be short).
 */
export function pageControls(model: Model, varies: readonly Vary[] = [], prices?: PriceTable): Control[] {
  const f = model.fleet;
  const s = f.server;
  const out: Control[] = [];
  out.push(range('fleet.containers', 'containers (tasks)', 'fleet', f.containers, 1, Math.max(16, 2 * f.containers), 1));
  const vcpus = prices && prices.sizes.length > 0 ? prices.sizes.map((x) => x.vcpu) : [0.25, 0.5, 1, 2, 4, 8, 16];
  out.push(select('fleet.vcpu', 'vCPU per task', 'fleet', vcpus.map((v) => formatNumber(v)), formatNumber(f.vcpu)));
  out.push(range('fleet.server.workers', 'workers per task', 'fleet', s.workers, 1, Math.max(32, 2 * s.workers), 1));
  out.push(
    select('fleet.server.maxRequests', 'max requests (recycle after)', 'recycling', counts([0, 100, 250, 500, 1000, 2000, 5000, 10000, 20000, 50000]), String(s.maxRequests), (t) =>
      t === '0' ? '0 (never recycle)' : t,
    ),
  );
  if (s.kind === 'uwsgi') {
    out.push(select('fleet.server.maxRequestsDelta', 'max-requests delta (uWSGI ≥ 2.0.29)', 'recycling', counts([0, 10, 50, 100, 250, 500, 1000]), String(s.maxRequestsDelta)));
  } else {
    out.push(select('fleet.server.maxRequestsJitter', 'max-requests jitter', 'recycling', counts([0, 10, 50, 100, 250, 500, 1000]), String(s.maxRequestsJitter)));
  }
  out.push(range('fleet.server.reloadMercy', s.kind === 'uwsgi' ? 'reload mercy' : 'graceful timeout', 'recycling', s.reloadMercy, 0, 120, 1, 's'));
  out.push(select('fleet.server.backlog', 'listen backlog', 'connections', counts([16, 32, 64, 100, 128, 256, 512, 1024, 2048, 4096]), formatNumber(s.backlog)));
  out.push(select('balancer.keepAlive', 'balancer keep-alive to targets', 'connections', ['true', 'false'], String(model.balancer.keepAlive)));
  out.push(range('fleet.server.keepAlive', 'server keep-alive', 'connections', s.keepAlive, 0, 75, 1, 's'));
  out.push(select('fleet.server.connectionClose', 'Connection: close', 'connections', ['false', 'true'], String(s.connectionClose)));
  out.push(select('fleet.db.driver', 'MySQL driver', 'connections', ['mysqlclient', 'pymysql'], f.db.driver));
  const t = model.traffic;
  if (t.rate !== undefined) {
    const perMin = Math.round(t.rate * 60);
    const step = nice(Math.max(1, perMin / 40));
    out.push(range('traffic.rate', 'traffic (requests per minute)', 'traffic', perMin, step, Math.max(4 * perMin, 10 * step), step, '/min'));
  } else if (t.profile) {
    out.push(range('traffic.profile.scale', 'traffic profile scale', 'traffic', t.profile.scale, 0.1, 4, 0.05));
  } else if (t.users) {
    const step = nice(Math.max(1, t.users.count / 40));
    out.push(range('traffic.users.count', 'users', 'traffic', t.users.count, step, Math.max(4 * t.users.count, 10 * step), step));
  }
  for (const v of varies) {
    const at = out.findIndex((c) => c.path === v.path);
    const initial = at >= 0 ? out[at]!.initial : v.texts[0]!;
    const c = select(v.path, v.path, 'varied', v.texts, initial);
    if (at >= 0) out.splice(at, 1);
    out.push(c);
  }
  const sim = model.simulation;
  out.push(select('simulation.duration', 'simulated time per replication', 'simulation', durations([60, 120, 300, 600, 1800, 3600, 7200]), dur(sim.duration)));
  out.push(select('simulation.warmup', 'warmup', 'simulation', durations([0, 30, 60, 300]), dur(sim.warmup)));
  out.push(select('simulation.replications', 'replications', 'simulation', counts([2, 3, 5, 10, 20, 30]), String(sim.replications)));
  out.push({ path: 'simulation.seed', label: 'seed', group: 'simulation', kind: 'number', min: 0, step: 1, initial: String(sim.seed) });
  return out;
}

/** The --set arguments for the inputs' values: one per input moved away from the model's value, in input order. */
export function setsFor(controls: readonly Control[], values: ReadonlyMap<string, string>): string[] {
  const sets: string[] = [];
  for (const c of controls) {
    const v = values.get(c.path);
    if (v !== undefined && v !== c.initial) sets.push(`${c.path}=${v}`);
  }
  return sets;
}

/** Is `text` a value this control can hold (from a URL someone edited)? */
export function acceptsText(c: Control, text: string): boolean {
  if (c.kind === 'select') return c.options!.some((o) => o.text === text);
  const unit = c.unit ?? '';
  if (!text.endsWith(unit)) return false;
  const n = Number(text.slice(0, text.length - unit.length));
  return Number.isFinite(n) && (c.min === undefined || n >= c.min) && (c.max === undefined || n <= c.max);
}
