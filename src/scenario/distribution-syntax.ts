// Distribution strings -> DistSpec. Times are durations with units ("4ms") and come out in
// seconds. A tiny recursive-descent parser:
//
//   dist  := call | ATOM                      (a bare ATOM is a duration: const)
//   call  := ATOM '(' [arg (',' arg)*] ')'
//   arg   := [ATOM ('=' | ':')] (call | ATOM)
//
// ATOM is any run of characters other than ( ) , = : (trimmed; inner spaces kept, so
// "4 parsecs" reaches the unit parser whole and fails there with a precise message).
// Pure: no Node-only imports.
import type { DistSpec } from '../kernel/distribution-spec.js';
import { DURATION_FORM, UnitError, parseDuration, parseNumber, show } from './units.js';

/** z such that P(Z <= z) = 0.99 for a standard normal Z. */
export const Z99 = 2.326347874;

export const GENERIC_FORM =
  'a distribution such as 250ms, exp(4ms), lognormal(mean=6ms, sd=5ms) or mix(0.9: exp(5ms), 0.1: const(1s))';

/** A malformed distribution; `expected` is the wanted form, `problem` what is wrong. */
export class DistributionError extends UnitError {
  constructor(expected: string, problem: string) {
    super(expected, problem);
    this.name = 'DistributionError';
  }
}

// ---------------------------------------------------------------- tokens

type Token =
  | { type: 'atom'; text: string; pos: number }
  | { type: '(' | ')' | ',' | '=' | ':'; pos: number }
  | { type: 'end'; pos: number };

const PUNCT = new Set(['(', ')', ',', '=', ':']);

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (PUNCT.has(c)) {
      tokens.push({ type: c as '(' | ')' | ',' | '=' | ':', pos: i });
      i++;
    } else {
      const start = i;
      while (i < src.length && !PUNCT.has(src[i]!)) i++;
      tokens.push({ type: 'atom', text: src.slice(start, i).trim(), pos: start });
    }
  }
  tokens.push({ type: 'end', pos: src.length });
  return tokens;
}

// ---------------------------------------------------------------- syntax tree

type Expr = { type: 'atom'; text: string } | { type: 'call'; name: string; args: Arg[]; text: string };
interface Arg {
  key?: string;
  sep?: '=' | ':';
  value: Expr;
}

class Parser {
  private readonly tokens: Token[];
  private i = 0;
  constructor(private readonly src: string) {
    this.tokens = tokenize(src);
  }

  parseAll(): Expr {
    const expr = this.expr();
    const t = this.peek();
    if (t.type !== 'end') {
      const what = t.type === ')' ? 'unbalanced parentheses: unexpected ")"' : `unexpected ${describe(t)}`;
      this.fail(`${what} at position ${t.pos + 1}`);
    }
    return expr;
  }

  private peek(): Token {
    return this.tokens[this.i]!;
  }

  private next(): Token {
    return this.tokens[this.i++]!;
  }

  private fail(problem: string): never {
    throw new DistributionError(GENERIC_FORM, problem);
  }

  private expr(): Expr {
    const t = this.next();
    if (t.type !== 'atom') {
      if (t.type === 'end') this.fail('missing a value at the end');
      this.fail(`expected a value or a distribution name at position ${t.pos + 1}, found ${describe(t)}`);
    }
    if (this.peek().type !== '(') return { type: 'atom', text: t.text };
    const open = this.next();
    const args: Arg[] = [];
    if (this.peek().type !== ')') {
      for (;;) {
        args.push(this.arg());
        const sep = this.next();
        if (sep.type === ')') break;
        if (sep.type === ',') continue;
        if (sep.type === 'end') {
          this.fail(`unbalanced parentheses: "(" at position ${open.pos + 1} is never closed`);
        }
        this.fail(`expected "," or ")" at position ${sep.pos + 1}, found ${describe(sep)}`);
      }
    } else {
      this.next();
    }
    const end = this.tokens[this.i - 1]!.pos + 1;
    return { type: 'call', name: t.text, args, text: this.src.slice(t.pos, end) };
  }

  private arg(): Arg {
    const first = this.expr();
    const sep = this.peek();
    if (sep.type !== '=' && sep.type !== ':') return { value: first };
    if (first.type !== 'atom') this.fail(`a parameter name cannot be a distribution, at position ${sep.pos + 1}`);
    this.next();
    return { key: first.text, sep: sep.type, value: this.expr() };
  }
}

function describe(t: Token): string {
  if (t.type === 'atom') return show(t.text);
  if (t.type === 'end') return 'the end';
  return `"${t.type}"`;
}

// ---------------------------------------------------------------- builders

type ParamType = 'duration' | 'number';
interface Param {
  name: string;
  type: ParamType;
}
type Values = Record<string, number>;

interface Family {
  /** Expected form, for messages. */
  form: string;
  /** Alternative parameter sets; positional arguments are allowed only with one set. */
  sets: Param[][];
  build(v: Values, set: number, check: Check): DistSpec;
}

type Check = (ok: boolean, problem: string) => void;

const dur = (name: string): Param => ({ name, type: 'duration' });
const num = (name: string): Param => ({ name, type: 'number' });

/**
 * Weibull and Pareto draws are scale × U^(-1/shape)-like: below this shape the largest draws
 * overflow to Infinity (a Pareto shape of 0.05 gives 2^1000 at U = 2^-50), so no time would ever
 * be finite. No service time has a tail that heavy.
 */
const MIN_TAIL_SHAPE = 0.1;
const TAIL_SHAPE_PROBLEM = `shape must be at least ${MIN_TAIL_SHAPE} (a heavier tail draws times that overflow)`;
/** Plain numbers (shapes) above this are typos: a shape of 1000 is already a constant. */
const MAX_SHAPE = 1000;

const FAMILIES: Record<string, Family> = {
  const: {
    form: 'const(D) such as const(1s)',
    sets: [[dur('value')]],
    build: (v) => ({ kind: 'const', value: v.value! }),
  },
  exp: {
    form: 'exp(MEAN) such as exp(4ms) or exp(mean=4ms)',
    sets: [[dur('mean')]],
    build: (v, _s, check) => {
      check(v.mean! > 0, 'mean must be > 0');
      return { kind: 'exp', mean: v.mean! };
    },
  },
  uniform: {
    form: 'uniform(MIN, MAX) such as uniform(1s, 3s) or uniform(min=1s, max=3s)',
    sets: [[dur('min'), dur('max')]],
    build: (v, _s, check) => {
      check(v.min! <= v.max!, 'min must be <= max');
      return { kind: 'uniform', min: v.min!, max: v.max! };
    },
  },
  normal: {
    form: 'normal(MEAN, SD) such as normal(6ms, 2ms) or normal(mean=6ms, sd=2ms)',
    sets: [[dur('mean'), dur('sd')]],
    build: (v, _s, check) => {
      check(v.mean! > 0, 'mean must be > 0');
      return { kind: 'normal', mean: v.mean!, sd: v.sd! };
    },
  },
  lognormal: {
    form: 'lognormal(mean=M, sd=S) or lognormal(median=M, p99=P) such as lognormal(mean=6ms, sd=5ms)',
    sets: [
      [dur('mean'), dur('sd')],
      [dur('median'), dur('p99')],
    ],
    build: (v, set, check) => {
      if (set === 0) {
        const mean = v.mean!;
        const sd = v.sd!;
        check(mean > 0, 'mean must be > 0');
        const sigma2 = Math.log(1 + (sd * sd) / (mean * mean));
        return { kind: 'lognormal', mu: Math.log(mean) - sigma2 / 2, sigma: Math.sqrt(sigma2) };
      }
      const median = v.median!;
      const p99 = v.p99!;
      check(median > 0, 'median must be > 0');
      check(p99 > median, 'p99 must be > median');
      const mu = Math.log(median);
      return { kind: 'lognormal', mu, sigma: (Math.log(p99) - mu) / Z99 };
    },
  },
  gamma: {
    form: 'gamma(mean=M, sd=S) or gamma(shape=K, scale=D) such as gamma(mean=6ms, sd=3ms)',
    sets: [
      [dur('mean'), dur('sd')],
      [num('shape'), dur('scale')],
    ],
    build: (v, set, check) => {
      if (set === 0) {
        const mean = v.mean!;
        const sd = v.sd!;
        check(mean > 0, 'mean must be > 0');
        check(sd > 0, 'sd must be > 0');
        return { kind: 'gamma', shape: (mean * mean) / (sd * sd), scale: (sd * sd) / mean };
      }
      check(v.shape! > 0, 'shape must be > 0');
      check(v.scale! > 0, 'scale must be > 0');
      return { kind: 'gamma', shape: v.shape!, scale: v.scale! };
    },
  },
  weibull: {
    form: 'weibull(shape=K, scale=D) such as weibull(shape=1.5, scale=10ms), 0.1 <= K <= 1000',
    sets: [[num('shape'), dur('scale')]],
    build: (v, _s, check) => {
      check(v.shape! >= MIN_TAIL_SHAPE, TAIL_SHAPE_PROBLEM);
      check(v.scale! > 0, 'scale must be > 0');
      return { kind: 'weibull', shape: v.shape!, scale: v.scale! };
    },
  },
  pareto: {
    form: 'pareto(shape=K, scale=D) such as pareto(shape=2.5, scale=5ms), 0.1 <= K <= 1000',
    sets: [[num('shape'), dur('scale')]],
    build: (v, _s, check) => {
      check(v.shape! >= MIN_TAIL_SHAPE, TAIL_SHAPE_PROBLEM);
      check(v.scale! > 0, 'scale must be > 0');
      return { kind: 'pareto', shape: v.shape!, scale: v.scale! };
    },
  },
};

const EMPIRICAL_FORM =
  'empirical(0: D, ..., 1: D) such as empirical(0: 1ms, 0.5: 4ms, 1: 80ms), probabilities rising strictly from 0 to 1, values non-decreasing';
const MIX_FORM = 'mix(W: DIST, W: DIST, ...) such as mix(0.9: exp(5ms), 0.1: const(1s)), weights > 0 that sum to 1';

const PLAIN_NUMBER_FORM = 'a plain number (no unit) such as 2.5';

/** Every distribution name the syntax knows (the JSON Schema lists them too). */
export const NAMES = [...Object.keys(FAMILIES), 'empirical', 'mix'];

// ---------------------------------------------------------------- evaluation

function evaluate(expr: Expr): DistSpec {
  if (expr.type === 'atom') {
    try {
      return { kind: 'const', value: parseDuration(expr.text) };
    } catch (e) {
      if (e instanceof UnitError) throw new DistributionError(GENERIC_FORM, e.problem ?? `${show(expr.text)} is not a duration`);
      throw e;
    }
  }
  const name = expr.name.toLowerCase();
  if (name === 'empirical') return empirical(expr);
  if (name === 'mix' || name === 'mixture') return mixture(expr);
  const family = FAMILIES[name];
  if (!family) {
    throw new DistributionError(`one of ${NAMES.join(', ')}`, `unknown distribution ${show(expr.name)}`);
  }
  return named(name, family, expr);
}

function named(name: string, family: Family, expr: Expr & { type: 'call' }): DistSpec {
  function fail(problem: string, expected: string = family.form): never {
    throw new DistributionError(expected, `${name}(): ${problem}`);
  }
  const all = family.sets.flat();
  const given = new Map<string, string>();
  let positional = 0;
  for (const arg of expr.args) {
    if (arg.value.type !== 'atom') fail(`a parameter cannot be a distribution (${show(arg.value.text)})`);
    const text = arg.value.text;
    let key: string;
    if (arg.key === undefined) {
      if (family.sets.length > 1) fail(`name the parameters (${show(text)} has no name)`);
      if (given.size > positional) fail(`a positional parameter cannot follow a named one (${show(text)})`);
      const p = family.sets[0]![positional++];
      if (!p) fail(`too many parameters (at most ${family.sets[0]!.length})`);
      key = p.name;
    } else {
      if (arg.sep !== '=') fail(`write ${arg.key}=VALUE, not ${arg.key}${arg.sep} VALUE`);
      key = arg.key;
      if (!all.some((p) => p.name === key)) {
        const known = [...new Set(all.map((p) => p.name))].join(', ');
        fail(`unknown parameter ${show(key)} (known: ${known})`);
      }
    }
    if (given.has(key)) fail(`parameter ${show(key)} given twice`);
    given.set(key, text);
  }
  // The parameter set that fits: all its names given, no others.
  const setIndex = family.sets.findIndex(
    (set) => set.length === given.size && set.every((p) => given.has(p.name)),
  );
  if (setIndex < 0) {
    const best = family.sets.find((set) => set.some((p) => given.has(p.name))) ?? family.sets[0]!;
    const missing = best.filter((p) => !given.has(p.name)).map((p) => show(p.name));
    const extra = [...given.keys()].filter((k) => !best.some((p) => p.name === k)).map((k) => show(k));
    if (missing.length > 0 && extra.length === 0) fail(`missing parameter ${missing.join(', ')}`);
    fail(`parameters ${[...given.keys()].map((k) => show(k)).join(', ')} do not go together`);
  }
  const values: Values = {};
  for (const p of family.sets[setIndex]!) {
    const text = given.get(p.name)!;
    if (text.startsWith('-')) fail(`${p.name} must not be negative (${show(text)})`);
    try {
      values[p.name] = p.type === 'duration' ? parseDuration(text) : parseNumber(text);
      if (p.type === 'number' && values[p.name]! > MAX_SHAPE) fail(`${p.name} ${text} is above ${MAX_SHAPE}`);
    } catch (e) {
      if (!(e instanceof UnitError)) throw e;
      fail(`${p.name}: ${e.problem ?? show(text)}`, p.type === 'duration' ? DURATION_FORM : PLAIN_NUMBER_FORM);
    }
  }
  return family.build(values, setIndex, (ok, problem) => {
    if (!ok) fail(problem);
  });
}

function pairs(expr: Expr & { type: 'call' }, form: string, label: string): Array<{ key: number; value: Expr }> {
  const out: Array<{ key: number; value: Expr }> = [];
  for (const arg of expr.args) {
    if (arg.key === undefined || arg.sep !== ':') {
      const text = arg.value.text;
      throw new DistributionError(form, `${label}(): ${show(arg.key ?? text)} needs the form P: VALUE`);
    }
    let key: number;
    try {
      key = parseNumber(arg.key);
    } catch {
      throw new DistributionError(form, `${label}(): ${show(arg.key)} is not a number`);
    }
    out.push({ key, value: arg.value });
  }
  return out;
}

function empirical(expr: Expr & { type: 'call' }): DistSpec {
  function fail(problem: string, expected: string = EMPIRICAL_FORM): never {
    throw new DistributionError(expected, `empirical(): ${problem}`);
  }
  const points = pairs(expr, EMPIRICAL_FORM, 'empirical');
  if (points.length < 2) fail('needs at least two points, at probabilities 0 and 1');
  const probs: number[] = [];
  const values: number[] = [];
  for (const { key, value } of points) {
    if (value.type !== 'atom') fail(`the value at ${key} must be a duration, not ${show(value.text)}`);
    let v = 0;
    try {
      v = parseDuration(value.text);
    } catch (e) {
      if (!(e instanceof UnitError)) throw e;
      fail(`the value at ${key}: ${e.problem ?? show(value.text)}`, DURATION_FORM);
    }
    const prev = probs.length - 1;
    if (prev >= 0 && !(key > probs[prev]!)) fail(`probabilities must rise strictly (${key} after ${probs[prev]})`);
    if (prev >= 0 && v < values[prev]!) fail(`values must not decrease (at probability ${key})`);
    probs.push(key);
    values.push(v);
  }
  if (probs[0] !== 0) fail(`the first probability must be 0, not ${probs[0]}`);
  if (probs[probs.length - 1] !== 1) fail(`the last probability must be 1, not ${probs[probs.length - 1]}`);
  return { kind: 'empirical', probs, values };
}

function mixture(expr: Expr & { type: 'call' }): DistSpec {
  const items = pairs(expr, MIX_FORM, 'mix');
  if (items.length === 0) throw new DistributionError(MIX_FORM, 'mix(): needs at least one part');
  let total = 0;
  for (const { key } of items) {
    if (!(key > 0) || !Number.isFinite(key)) {
      throw new DistributionError(MIX_FORM, `mix(): weight ${key} must be > 0`);
    }
    total += key;
  }
  // Weights are probabilities: a sum other than 1 is a mistake (a part forgotten, a typo), never
  // silently rescaled. The tolerance covers decimal fractions (0.1 + 0.2 + 0.7, thirds written to 7 digits).
  if (Math.abs(total - 1) > 1e-6) {
    const sum = Number(total.toPrecision(12));
    throw new DistributionError(MIX_FORM, `mix(): the weights sum to ${sum} (${items.map(({ key }) => key).join(' + ')}), not 1`);
  }
  return {
    kind: 'mixture',
    weights: items.map(({ key }) => key / total),
    parts: items.map(({ value }) => evaluate(value)),
  };
}

/**
 * Parse a distribution such as "250ms", "exp(4ms)", "lognormal(median=4ms, p99=40ms)" or
 * "mix(0.9: exp(5ms), 0.1: const(1s))". Throws DistributionError (a UnitError) whose
 * `problem` says what is wrong and `expected` the form wanted.
 */
export function parseDistribution(text: string): DistSpec {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new DistributionError(GENERIC_FORM, 'empty distribution');
  }
  return evaluate(new Parser(text).parseAll());
}
