// Sweep grids: `--vary PATH=LIST`, where LIST is `2,4,8`, `2..16` (integers), `2..16:2`, or a
// mix (`1,2,4..16:4`). Several --vary make the full grid; the first varies slowest. A point is the
// base model plus one `--set PATH=VALUE` per varied path, so a path or value the model rejects
// gives the scenario layer's own error (ModelError, exit 2) before anything runs.
import { parseSetArg } from '../scenario/overrides.js';
import { ExperimentInputError } from './errors.js';
import { formatDecimal } from '../report/format.js';

export interface Vary {
  /** Key path as typed: "fleet.server.workers". */
  path: string;
  /** The values as typed, one per grid step ("8", "gevent", "2GiB"). */
  texts: string[];
  /** The values read as YAML (8, "gevent", "2GiB"), for JSON output. */
  values: unknown[];
}

export interface GridPoint {
  index: number;
  /** Varied path -> value (read as YAML), in --vary order. */
  values: Record<string, unknown>;
  /** Varied path -> value as typed. */
  texts: Record<string, string>;
  /** The point's overrides, `PATH=VALUE`, applied after the base --set arguments. */
  sets: string[];
}

const LIST_FORM = 'PATH=LIST with LIST such as 2,4,8 or 2..16 or 2..16:2';
const RANGE = /^(-?\d+)\s*\.\.\s*(-?\d+)(?:\s*:\s*(\d+))?$/;
const MAX_RANGE = 100_000;

/** Parse one `--vary PATH=LIST` argument. */
export function parseVary(arg: string): Vary {
  const bad = (problem: string): never => {
    throw new ExperimentInputError(`--vary ${arg}: ${problem}; expected ${LIST_FORM}`);
  };
  const eq = arg.indexOf('=');
  if (eq < 0) bad('no "=" between the key path and the list');
  const path = arg.slice(0, eq).trim();
  if (path === '' || path.split('.').some((s) => s.trim() === '')) bad(`bad key path "${path}"`);
  const list = arg.slice(eq + 1).trim();
  if (list === '') bad('empty list');
  const texts: string[] = [];
  for (const raw of list.split(',')) {
    const item = raw.trim();
    if (item === '') bad('empty item in the list');
    if (item.includes('..')) {
      const m = RANGE.exec(item);
      if (!m) bad(`"${item}" is not a range of whole numbers (LO..HI or LO..HI:STEP)`);
      const lo = Number(m![1]);
      const hi = Number(m![2]);
      const step = m![3] === undefined ? 1 : Number(m![3]);
      if (step < 1) bad(`the step in "${item}" must be a whole number >= 1`);
      if (hi < lo) bad(`the range "${item}" is empty (LO must not exceed HI)`);
      if ((hi - lo) / step >= MAX_RANGE) bad(`the range "${item}" has more than ${MAX_RANGE} values`);
      for (let v = lo; v <= hi; v += step) texts.push(String(v));
    } else {
      texts.push(item);
    }
  }
  const seen = new Set<string>();
  for (const t of texts) {
    if (seen.has(t)) bad(`the value ${t} appears twice`);
    seen.add(t);
  }
  const values = texts.map((t) => parseSetArg(`${path}=${t}`).value);
  return { path, texts, values };
}

/** Points a grid may have: each is a model resolved up front and a row of every output. */
export const MAX_POINTS = 10_000;

/** The full grid over the varies, the first varying slowest. */
export function makeGrid(varies: readonly Vary[]): GridPoint[] {
  const paths = new Set<string>();
  for (const v of varies) {
    if (paths.has(v.path)) throw new ExperimentInputError(`--vary ${v.path} is given twice; give one --vary per key path with all its values`);
    paths.add(v.path);
  }
  const size = varies.reduce((a, v) => a * v.texts.length, 1);
  if (size > MAX_POINTS) {
    throw new ExperimentInputError(
      `--vary: the grid has ${formatDecimal(size, 3)} points (${varies.map((v) => v.texts.length).join(' × ')}); expected at most ${formatDecimal(MAX_POINTS, 3)}: give fewer values, or split the grid into several sweeps`,
    );
  }
  let points: { values: Record<string, unknown>; texts: Record<string, string> }[] = [{ values: {}, texts: {} }];
  for (const v of varies) {
    const next: typeof points = [];
    for (const p of points) {
      v.texts.forEach((t, i) => next.push({ values: { ...p.values, [v.path]: v.values[i] }, texts: { ...p.texts, [v.path]: t } }));
    }
    points = next;
  }
  return points.map((p, index) => ({
    index,
    values: p.values,
    texts: p.texts,
    sets: Object.entries(p.texts).map(([k, t]) => `${k}=${t}`),
  }));
}

/** A Vary from its path and the values as typed (as stored in a sweep manifest). */
export function varyFromTexts(path: string, texts: readonly string[]): Vary {
  return { path, texts: [...texts], values: texts.map((t) => parseSetArg(`${path}=${t}`).value) };
}
