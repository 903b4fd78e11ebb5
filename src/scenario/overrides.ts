// `--set key.path=value` overrides, applied to the raw YAML object before validation.
// Path segments split on "."; numeric segments index lists; missing mappings are created;
// the value is read as a YAML scalar or flow value (8 -> number, unlimited -> string,
// [1,2] -> list, "2.0" -> string). The input is never mutated. Pure: no Node-only imports.
import { parse as parseYaml } from 'yaml';
import { ModelError } from './errors.js';
import { quoteDistributionCalls } from './quote-distributions.js';
import { show } from './units.js';

export type PathSegment = string | number;

export interface SetOverride {
  /** The argument as typed, "fleet.server.workers=8". */
  arg: string;
  path: PathSegment[];
  keyPath: string;
  /** The value text after "=", trimmed. */
  text: string;
  value: unknown;
}

const SET_FORM = '--set key.path=value, such as --set fleet.server.workers=8';

/** Split "a.b.0.c" into ["a", "b", 0, "c"]. */
export function splitKeyPath(keyPath: string): PathSegment[] {
  return keyPath.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function joinKeyPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** Parse one --set argument; `file` is used in error messages. */
export function parseSetArg(arg: string, file = '<command line>'): SetOverride {
  const bad = (problem: string): never => {
    throw new ModelError({ file, setArg: arg, expected: SET_FORM, reason: `${problem}; expected ${SET_FORM}` });
  };
  const eq = arg.indexOf('=');
  if (eq < 0) bad('no "=" between the key path and the value');
  const keyPath = arg.slice(0, eq).trim();
  if (keyPath === '') bad('empty key path');
  const segments = keyPath.split('.');
  if (segments.some((s) => s.trim() === '')) bad(`empty segment in key path ${show(keyPath)}`);
  const text = arg.slice(eq + 1).trim();
  let value: unknown = '';
  if (text !== '') {
    try {
      value = parseYaml(quoteDistributionCalls(text, true), { prettyErrors: false });
    } catch (e) {
      const reason = e instanceof Error ? e.message.split('\n')[0] : String(e);
      bad(`the value ${show(text)} is not a YAML value (${reason})`);
    }
  }
  return { arg, path: splitKeyPath(keyPath), keyPath, text, value };
}

function setAt(node: unknown, o: SetOverride, i: number, file: string): unknown {
  if (i === o.path.length) return o.value;
  const seg = o.path[i]!;
  const here = i === 0 ? 'the model' : joinKeyPath(o.path.slice(0, i));
  const bad = (problem: string, expected: string): never => {
    throw new ModelError({ file, setArg: o.arg, keyPath: o.keyPath, expected, reason: `${problem}; expected ${expected}` });
  };
  if (node === undefined || node === null) node = typeof seg === 'number' ? [] : {};
  if (Array.isArray(node)) {
    if (typeof seg !== 'number') bad(`${here} is a list, so ${show(seg)} must be an index`, 'a number such as 0');
    const index = seg as number;
    if (index > node.length) {
      bad(`index ${index} is past the end of ${here} (${node.length} items)`, `an index from 0 to ${node.length}`);
    }
    const copy = node.slice();
    copy[index] = setAt(node[index], o, i + 1, file);
    return copy;
  }
  if (typeof node === 'object') {
    const copy: Record<string, unknown> = { ...(node as Record<string, unknown>) };
    copy[String(seg)] = setAt(copy[String(seg)], o, i + 1, file);
    return copy;
  }
  return bad(`${here} is ${show(node)}, not a mapping or a list, so nothing can be set inside it`, 'a key path that ends at a value');
}

/** Apply one parsed override; returns a new object (the input is not changed). */
export function applyOverride(raw: unknown, o: SetOverride, file = '<command line>'): unknown {
  return setAt(raw, o, 0, file);
}

/** Apply `--set key.path=value` arguments in order; returns a new object. */
export function applyOverrides(raw: unknown, sets: readonly string[], file = '<command line>'): unknown {
  let out = raw;
  for (const arg of sets) out = applyOverride(out, parseSetArg(arg, file), file);
  return out;
}
