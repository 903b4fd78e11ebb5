// The unknowns `capsim infer --vary` explores: a numeric range (LO..HI, in the units the model
// reads the key in: 50us..500us, 1MiB..40MiB, 2..16) or a list of levels (lifo,fifo,random;
// true,false). A range of two whole numbers without a unit is whole-valued (workers, counts);
// any other range is continuous. A point is a value per unknown, turned into --set overrides.
import { ExperimentInputError } from '../experiment/errors.js';
import { parseSetArg } from '../scenario/overrides.js';
import { parseDuration, parseSize } from '../scenario/units.js';

export type Unknown =
  | {
      key: string;
      kind: 'range';
      /** As typed: "50us..500us". */
      text: string;
      /** Bounds in the base unit (seconds, bytes, or the plain number). */
      lo: number;
      hi: number;
      /** 'duration' | 'size' | 'number'; a number range of two whole numbers is `integer`. */
      quantity: 'duration' | 'size' | 'number';
      integer: boolean;
      /** The unit LO was written in ("us", "MiB", ""), and its factor to the base unit. */
      unit: string;
      factor: number;
    }
  | { key: string; kind: 'list'; text: string; levels: (string | number | boolean)[] };

/** A point: key -> value (a number in the range's unit, or a level). */
export type PointValue = string | number | boolean;
export type Point = Record<string, PointValue>;

const FORM = 'KEY=LO..HI (such as fleet.server.closeLag=50us..500us or fleet.server.workers=2..16) or KEY=LIST (such as balancer.reuse=lifo,fifo,random)';
const NUM = String.raw`[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`;
const WITH_UNIT = new RegExp(`^(${NUM})\\s*([A-Za-zµμ]*)$`);

const DURATION_FACTORS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, μs: 1e-6, ms: 1e-3, s: 1, sec: 1, m: 60, min: 60, h: 3600, d: 86400 };
const SIZE_FACTORS: Record<string, number> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4 };

export function parseUnknown(arg: string): Unknown {
  const bad = (problem: string): never => {
    throw new ExperimentInputError(`--vary ${arg}: ${problem}; expected ${FORM}`);
  };
  const eq = arg.indexOf('=');
  if (eq < 0) bad('no "=" between the key path and the range');
  const key = arg.slice(0, eq).trim();
  if (key === '' || key.split('.').some((s) => s.trim() === '')) bad(`bad key path "${key}"`);
  const text = arg.slice(eq + 1).trim();
  if (text === '') bad('empty range');
  const dots = text.indexOf('..');
  if (dots < 0) {
    const items = text.split(',').map((s) => s.trim());
    if (items.some((s) => s === '')) bad('empty item in the list');
    if (new Set(items).size !== items.length) bad('a value appears twice in the list');
    const levels = items.map((t) => {
      const v = parseSetArg(`${key}=${t}`).value;
      return typeof v === 'number' || typeof v === 'boolean' ? v : t;
    });
    return { key, kind: 'list', text, levels };
  }
  const loText = text.slice(0, dots).trim();
  const hiText = text.slice(dots + 2).trim();
  const lo = WITH_UNIT.exec(loText);
  const hi = WITH_UNIT.exec(hiText);
  if (!lo || !hi) bad(`"${text}" is not a range LO..HI`);
  const loUnit = lo![2]!;
  const hiUnit = hi![2]!;
  let quantity: 'duration' | 'size' | 'number';
  let lov: number;
  let hiv: number;
  let factor = 1;
  if (loUnit === '' && hiUnit === '') {
    quantity = 'number';
    lov = Number(lo![1]);
    hiv = Number(hi![1]);
  } else if (loUnit in DURATION_FACTORS || hiUnit in DURATION_FACTORS) {
    quantity = 'duration';
    try {
      lov = parseDuration(loText);
      hiv = parseDuration(hiText);
    } catch (e) {
      return bad(e instanceof Error ? e.message : String(e));
    }
    factor = DURATION_FACTORS[loUnit || hiUnit]!;
  } else if (loUnit in SIZE_FACTORS || hiUnit in SIZE_FACTORS) {
    quantity = 'size';
    try {
      lov = parseSize(loText);
      hiv = parseSize(hiText);
    } catch (e) {
      return bad(e instanceof Error ? e.message : String(e));
    }
    factor = SIZE_FACTORS[loUnit || hiUnit]!;
  } else {
    return bad(`unknown unit "${loUnit || hiUnit}" (a range is of plain numbers, durations such as 50us..500us, or sizes such as 1MiB..40MiB)`);
  }
  if (!(hiv! > lov!)) bad(`the range "${text}" is empty (LO must be below HI)`);
  const integer = quantity === 'number' && Number.isInteger(lov!) && Number.isInteger(hiv!) && !/[.eE]/.test(loText + hiText);
  return { key, kind: 'range', text, lo: lov!, hi: hiv!, quantity, integer, unit: loUnit || hiUnit, factor };
}

/** The value at u in [0, 1) of an unknown: a range's point (rounded), or a list's level. */
export function valueAt(u: Unknown, x: number): PointValue {
  if (u.kind === 'list') return u.levels[Math.min(u.levels.length - 1, Math.floor(x * u.levels.length))]!;
  const v = u.lo + x * (u.hi - u.lo);
  return fromBase(u, v);
}

/** A base-unit number as the point's value (in LO's unit, 4 significant digits; whole for integers and bytes). */
export function fromBase(u: Extract<Unknown, { kind: 'range' }>, v: number): PointValue {
  if (u.integer) return Math.min(u.hi, Math.max(u.lo, Math.round(v)));
  if (u.quantity === 'number') return Number(v.toPrecision(4));
  if (u.quantity === 'size') return Math.round(v);
  return `${Number((v / u.factor).toPrecision(4))}${u.unit}`;
}

/** A point value back in the range's base unit (seconds, bytes, the number). */
export function toBase(u: Extract<Unknown, { kind: 'range' }>, v: PointValue): number {
  if (typeof v === 'number') return v;
  return u.quantity === 'duration' ? parseDuration(String(v)) : u.quantity === 'size' ? parseSize(String(v)) : Number(v);
}

/** The position in [0, 1] of a value within its unknown (a level: its index's centre). */
export function unitPosition(u: Unknown, v: PointValue): number {
  if (u.kind === 'list') return (u.levels.indexOf(v) + 0.5) / u.levels.length;
  return (toBase(u, v) - u.lo) / (u.hi - u.lo);
}

/** The value shown to people and on axes, in the range's unit: "120us", "24MiB", 8. */
export function display(u: Unknown, v: PointValue): string {
  if (u.kind === 'range' && u.quantity === 'size') return `${Number((Number(v) / u.factor).toPrecision(4))}${u.unit}`;
  return String(v);
}

/** The --set overrides of a point. */
export function pointSets(p: Point): string[] {
  return Object.entries(p).map(([k, v]) => `${k}=${String(v)}`);
}

/** Axis label of a range: "fleet.server.closeLag (us)". */
export function axisTitle(u: Unknown): string {
  return u.kind === 'range' && u.unit !== '' ? `${u.key} (${u.unit})` : u.key;
}

/** A range's value on its axis (in the unit of LO). */
export function axisValue(u: Extract<Unknown, { kind: 'range' }>, v: PointValue): number {
  return Number((toBase(u, v) / u.factor).toPrecision(6));
}
