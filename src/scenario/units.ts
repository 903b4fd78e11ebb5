// Unit strings in model files -> plain numbers: durations in seconds, rates per second,
// sizes in bytes, counts as whole numbers. Pure: no Node-only imports.
import { formatDecimal } from '../report/format.js';

/**
 * A value that does not have the expected form. `expected` is the form that was wanted
 * ("a duration such as 250ms, 30s, 5m or 1h"); `problem`, when given, says what was wrong
 * ("unknown unit \"parsecs\""). The message reads "problem; expected ..." or "expected ...".
 */
export class UnitError extends Error {
  readonly expected: string;
  readonly problem: string | undefined;
  constructor(expected: string, problem?: string) {
    super(problem ? `${problem}; expected ${expected}` : `expected ${expected}`);
    this.name = 'UnitError';
    this.expected = expected;
    this.problem = problem;
  }
}

export const DURATION_FORM = 'a duration such as 250ms, 30s, 5m or 1h';
export const RATE_FORM = 'a rate such as 19k/min, 317/s or 100/h';
export const SIZE_FORM = 'a size such as 2GiB, 512MiB, 64KB or a whole number of bytes';
export const COUNT_FORM = 'a whole number >= 0 such as 8, 5k or 1.2M';
export const NUMBER_FORM = 'a number such as 2 or 1.5';

const NUM = String.raw`[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`;
const NUMBER_RE = new RegExp(`^${NUM}$`);
const DURATION_RE = new RegExp(`^(${NUM})\\s*([^\\s\\d.+-][^\\s]*)?$`);
const RATE_RE = new RegExp(`^(${NUM})\\s*([kM])?\\s*/\\s*(\\S+)$`);
const SIZE_RE = new RegExp(`^(${NUM})\\s*([A-Za-z]+)?$`);
const COUNT_RE = new RegExp(`^(${NUM})\\s*([kM])?$`);

const DURATION_UNITS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  'µs': 1e-6, // U+00B5 micro sign
  'μs': 1e-6, // U+03BC greek mu
  ms: 1e-3,
  s: 1,
  sec: 1,
  m: 60,
  min: 60,
  h: 3600,
  d: 86400,
};

const RATE_UNITS: Record<string, number> = { s: 1, sec: 1, m: 60, min: 60, h: 3600, d: 86400 };

const SIZE_UNITS: Record<string, number> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
};

const SUFFIX: Record<string, number> = { k: 1e3, M: 1e6 };

const DURATION_UNIT_LIST = 'ns, us, ms, s, m, min, h, d';

// Bounds far beyond any real setting, so that a typo (1e309s, 1e12/s) is an error here rather
// than a run that never ends or a number that overflows: every value capsim reads is finite.
/** The longest duration a model may give: 10,000 days (27 years; "1000d" is how models say "never"). */
export const MAX_DURATION = 10_000 * 86400;
/** The highest rate: 10 million requests per second (600 million per minute). */
export const MAX_RATE = 1e7;
/** The largest size: 1024 TiB. */
export const MAX_SIZE = 1024 ** 5;
/** The largest count: exact in a double. */
export const MAX_COUNT = Number.MAX_SAFE_INTEGER;

/** "1e309s" is not finite, "400d" is too large: say which, with the bound as the user writes it. */
function bounded(value: number, input: unknown, max: number, maxText: string, expected: string): number {
  if (!Number.isFinite(value)) throw new UnitError(expected, `${show(input)} is not a finite number`);
  if (value > max) throw new UnitError(expected, `${show(input)} is above the largest capsim accepts (${maxText})`);
  return value;
}
const RATE_UNIT_LIST = '/s, /min, /h, /d';
const SIZE_UNIT_LIST = 'B, KB, MB, GB, TB, KiB, MiB, GiB, TiB';

/** How a value looked in the input, for messages: strings quoted, the rest as JSON. */
export function show(value: unknown): string {
  // Long input (a binary file read as YAML, a pasted blob) is cut: an error message stays one line.
  if (typeof value === 'string') {
    const s = JSON.stringify(value);
    return s.length > 80 ? `${s.slice(0, 60)}..." (${formatDecimal(value.length, 3)} characters)` : s;
  }
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (value === undefined) return 'nothing';
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(value);
  }
}

/** A plain number ("2.5", "1e3"); numbers pass through if finite. */
export function parseNumber(input: string | number, expected: string = NUMBER_FORM): number {
  if (typeof input === 'number') {
    if (Number.isFinite(input)) return input;
    throw new UnitError(expected, `${show(input)} is not a finite number`);
  }
  const text = input.trim();
  if (!NUMBER_RE.test(text)) throw new UnitError(expected, `${show(input)} is not a number`);
  const n = Number(text);
  if (!Number.isFinite(n)) throw new UnitError(expected, `${show(input)} is not a finite number`);
  return n;
}

/** Duration -> seconds. `0` alone needs no unit; any other number does. Never negative. */
export function parseDuration(input: string | number): number {
  if (typeof input === 'number') {
    if (input === 0) return 0;
    throw new UnitError(DURATION_FORM, `${show(input)} has no unit`);
  }
  if (typeof input !== 'string') throw new UnitError(DURATION_FORM, `${show(input)} is not a duration`);
  const text = input.trim();
  const m = DURATION_RE.exec(text);
  if (!m) throw new UnitError(DURATION_FORM, `${show(input)} is not a duration`);
  const value = Number(m[1]);
  const unit = m[2];
  if (unit === undefined) {
    if (value === 0) return 0;
    throw new UnitError(DURATION_FORM, `${show(input)} has no unit`);
  }
  const factor = DURATION_UNITS[unit];
  if (factor === undefined) {
    throw new UnitError(DURATION_FORM, `unknown time unit ${show(unit)} (known: ${DURATION_UNIT_LIST})`);
  }
  if (value < 0) throw new UnitError(DURATION_FORM, `${show(input)} is negative`);
  return bounded(value * factor, input, MAX_DURATION, '10000d', DURATION_FORM);
}

/** Rate -> per second: "19k/min", "317/s", "2.5/sec", "1M/h". Never negative. */
export function parseRate(input: string | number): number {
  if (typeof input === 'number') throw new UnitError(RATE_FORM, `${show(input)} has no time unit`);
  if (typeof input !== 'string') throw new UnitError(RATE_FORM, `${show(input)} is not a rate`);
  const text = input.trim();
  const m = RATE_RE.exec(text);
  if (!m) {
    const problem = NUMBER_RE.test(text) ? `${show(input)} has no time unit` : `${show(input)} is not a rate`;
    throw new UnitError(RATE_FORM, problem);
  }
  const per = RATE_UNITS[m[3]!];
  if (per === undefined) {
    throw new UnitError(RATE_FORM, `unknown time unit ${show(m[3])} (known: ${RATE_UNIT_LIST})`);
  }
  const value = Number(m[1]) * (m[2] ? SUFFIX[m[2]]! : 1);
  if (value < 0) throw new UnitError(RATE_FORM, `${show(input)} is negative`);
  return bounded(value / per, input, MAX_RATE, '10M/s', RATE_FORM);
}

/** Size -> bytes: binary (KiB, MiB, GiB, TiB), decimal (KB, MB, GB, TB), B, or bare bytes. */
export function parseSize(input: string | number): number {
  let bytes: number;
  if (typeof input === 'number') {
    bytes = input;
  } else if (typeof input === 'string') {
    const m = SIZE_RE.exec(input.trim());
    if (!m) throw new UnitError(SIZE_FORM, `${show(input)} is not a size`);
    const unit = m[2] ?? 'B';
    const factor = SIZE_UNITS[unit];
    if (factor === undefined) {
      throw new UnitError(SIZE_FORM, `unknown size unit ${show(unit)} (known: ${SIZE_UNIT_LIST})`);
    }
    bytes = Number(m[1]) * factor;
  } else {
    throw new UnitError(SIZE_FORM, `${show(input)} is not a size`);
  }
  if (!Number.isFinite(bytes) || bytes < 0) throw new UnitError(SIZE_FORM, `${show(input)} is negative or not finite`);
  bounded(bytes, input, MAX_SIZE, '1024TiB', SIZE_FORM);
  if (!Number.isInteger(bytes)) throw new UnitError(SIZE_FORM, `${show(input)} is not a whole number of bytes`);
  return bytes;
}

/** Count -> a non-negative integer: 8, "8", "5k", "1.2M" (the result must be whole). */
export function parseCount(input: string | number): number {
  let n: number;
  if (typeof input === 'number') {
    n = input;
  } else if (typeof input === 'string') {
    const m = COUNT_RE.exec(input.trim());
    if (!m) throw new UnitError(COUNT_FORM, `${show(input)} is not a count`);
    // Round away float noise from the suffix (1.2 * 1e6 = 1199999.9999999998).
    n = Number(m[1]) * (m[2] ? SUFFIX[m[2]]! : 1);
    if (m[2] && Math.abs(n - Math.round(n)) < 1e-6) n = Math.round(n);
  } else {
    throw new UnitError(COUNT_FORM, `${show(input)} is not a count`);
  }
  if (!Number.isFinite(n)) throw new UnitError(COUNT_FORM, `${show(input)} is not a finite number`);
  if (!Number.isInteger(n)) throw new UnitError(COUNT_FORM, `${show(input)} is not a whole number`);
  if (n < 0) throw new UnitError(COUNT_FORM, `${show(input)} is negative`);
  if (n > MAX_COUNT) throw new UnitError(COUNT_FORM, `${show(input)} is above the largest whole number capsim counts exactly (2^53 - 1)`);
  return n;
}
