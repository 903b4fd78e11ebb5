// Model text -> Model: YAML, --set overrides, validation with defaults, every problem turned
// into one ModelError naming the file, line, key path, value and expected form.
// Pure: no Node-only imports.
import * as YAML from 'yaml';
import type { Document, LineCounter as LineCounterType } from 'yaml';
import type * as z from 'zod';
import { ModelError } from './errors.js';
import type { Model } from './model-types.js';
import { applyOverride, joinKeyPath, parseSetArg, type PathSegment, type SetOverride } from './overrides.js';
import { quoteDistributionCalls } from './quote-distributions.js';
import { KNOWN_KEYS_MARK, TOP_LEVEL_KEYS, makeModelSchema, type IssueParams } from './schema.js';
import { show } from './units.js';

/** Keys whose values are text even when YAML reads a number (version: 2.0 -> "2.0"). */
const TEXT_PATHS: PathSegment[][] = [['fleet', 'server', 'version']];

/** "models/incident/01-uwsgi.yaml" -> "01-uwsgi". */
export function modelNameFromFile(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** A parsed YAML document with what is needed to find the line of a key path. */
export interface ParsedYaml {
  doc: Document.Parsed;
  lineCounter: LineCounterType;
  raw: unknown;
}

/** Parse YAML text; syntax errors become a ModelError with the line. */
export function parseYamlText(text: string, file: string): ParsedYaml {
  // A binary file (an image, an archive, a compiled program) named by mistake: say so, without
  // echoing its bytes. YAML never holds a NUL.
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const line = text.slice(0, nul).split('\n').length;
    throw new ModelError({ file, line, expected: 'a YAML model file', reason: `not a text file: binary data (a NUL byte at character ${nul + 1}); expected a YAML model file` });
  }
  const lineCounter = new YAML.LineCounter();
  const doc = YAML.parseDocument(quoteDistributionCalls(text), { lineCounter, prettyErrors: false });
  const err = doc.errors[0];
  if (err) {
    const line = lineCounter.linePos(err.pos[0]).line;
    const reason = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new ModelError({ file, line, expected: 'valid YAML', reason: `YAML syntax error: ${reason}` });
  }
  return { doc, lineCounter, raw: doc.toJS({ maxAliasCount: 1000 }) };
}

/**
 * The 1-based line of a key path in the document: the line of the deepest key (or list item)
 * on the path that exists. Undefined when not even the first segment is there.
 */
export function resolveKeyLine(parsed: Pick<ParsedYaml, 'doc' | 'lineCounter'>, path: readonly PropertyKey[]): number | undefined {
  let node: unknown = parsed.doc.contents;
  let line: number | undefined;
  for (const seg of path) {
    if (YAML.isMap(node)) {
      const pair = node.items.find((p) => YAML.isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      const range = (pair.key as YAML.Scalar).range;
      if (range) line = parsed.lineCounter.linePos(range[0]).line;
      node = pair.value;
    } else if (YAML.isSeq(node)) {
      const item = node.items[Number(seg)];
      if (!YAML.isNode(item)) break;
      if (item.range) line = parsed.lineCounter.linePos(item.range[0]).line;
      node = item;
    } else {
      break;
    }
  }
  return line;
}

export function getAt(raw: unknown, path: readonly PropertyKey[]): { found: boolean; value: unknown } {
  let node = raw;
  for (const seg of path) {
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, seg)) {
      return { found: false, value: undefined };
    }
    node = (node as Record<PropertyKey, unknown>)[seg];
  }
  return { found: true, value: node };
}

export const isPrefix = (a: readonly PropertyKey[], b: readonly PropertyKey[]): boolean =>
  a.length <= b.length && a.every((s, i) => String(s) === String(b[i]));

/** A mapping value left empty in YAML (`balancer:`) counts as absent. */
function dropNulls(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(dropNulls);
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) if (v !== null) out[k] = dropNulls(v);
    return out;
  }
  return node;
}

/** Keep numbers that are really text (version: 2.0) as they were written. */
function restoreText(raw: unknown, parsed: ParsedYaml, overrides: SetOverride[]): unknown {
  let out = raw;
  for (const path of TEXT_PATHS) {
    const { found, value } = getAt(out, path);
    if (!found || typeof value !== 'number') continue;
    const keyPath = joinKeyPath(path);
    const set = [...overrides].reverse().find((o) => isPrefix(o.path, path));
    let text: string | undefined;
    if (set) {
      if (set.keyPath === keyPath) text = set.text;
    } else {
      const node = parsed.doc.getIn(path, true);
      if (YAML.isScalar(node) && typeof node.source === 'string') text = node.source;
    }
    if (text !== undefined) {
      out = applyOverride(out, { arg: '', path, keyPath, text, value: text });
    }
  }
  return out;
}

/** The most useful zod issue: an unknown key first (a typo explains the rest), else the first. */
function pickIssue(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue {
  return issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0]!;
}

function issueToError(
  issue: z.core.$ZodIssue,
  raw: unknown,
  file: string,
  parsed: ParsedYaml,
  overrides: SetOverride[],
): ModelError {
  const path: PropertyKey[] = [...issue.path];
  if (issue.code === 'unrecognized_keys') path.push(issue.keys[0]!);
  const keyPath = joinKeyPath(path);
  const set = [...overrides].reverse().find((o) => isPrefix(o.path, path) || isPrefix(path, o.path));
  const line = set ? undefined : resolveKeyLine(parsed, path);
  const where = { file, keyPath, ...(line !== undefined ? { line } : {}), ...(set ? { setArg: set.arg } : {}) };
  if (issue.code === 'unrecognized_keys') {
    const i = issue.message.indexOf(KNOWN_KEYS_MARK);
    const known = i >= 0 ? issue.message.slice(i + KNOWN_KEYS_MARK.length).replace(/\)$/, '') : '';
    return new ModelError({
      ...where,
      value: issue.keys[0],
      expected: `one of the known keys: ${known}`,
      reason: issue.message,
    });
  }
  const params = (issue.code === 'custom' ? issue.params : undefined) as Partial<IssueParams> | undefined;
  const { found, value } = getAt(raw, path);
  return new ModelError({
    ...where,
    value,
    hasValue: found,
    expected: params?.expected ?? issue.message,
    ...(params?.problem !== undefined ? { problem: params.problem } : {}),
  });
}

/** Messages for zod's built-in issues that no schema-level message covers. */
const fallbackError = (iss: z.core.$ZodRawIssue): string | undefined => {
  if (iss.code === 'invalid_type') return `a ${iss.expected}`;
  if (iss.code === 'too_small') return `at least ${String(iss.minimum)}`;
  return undefined;
};

/** Validate a raw model object (after YAML and overrides) against the schema. */
export function validateModel(raw: unknown, file: string, parsed: ParsedYaml, overrides: SetOverride[] = []): Model {
  const result = makeModelSchema(modelNameFromFile(file)).safeParse(raw, { error: fallbackError });
  if (result.success) return result.data;
  throw issueToError(pickIssue(result.error.issues), raw, file, parsed, overrides);
}

/** A model file's text resolved: the model, and what is needed to tell where each value came from. */
export interface ResolvedModelText {
  model: Model;
  parsed: ParsedYaml;
  /** The raw object after the --set overrides, before empty values are dropped. */
  raw: unknown;
  overrides: SetOverride[];
}

/** parseModelText, keeping the YAML document, the raw object and the overrides. */
export function resolveModelText(text: string, file: string, sets: readonly string[] = []): ResolvedModelText {
  const parsed = parseYamlText(text, file);
  let raw: unknown = parsed.raw ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ModelError({
      file,
      value: raw,
      expected: `a YAML mapping with keys ${TOP_LEVEL_KEYS.join(', ')}`,
      reason: `the model must be a YAML mapping with keys ${TOP_LEVEL_KEYS.join(', ')}, not ${show(raw)}`,
    });
  }
  const overrides = sets.map((arg) => parseSetArg(arg, file));
  for (const o of overrides) raw = applyOverride(raw, o, file);
  const model = validateModel(restoreText(dropNulls(raw), parsed, overrides), file, parsed, overrides);
  return { model, parsed, raw, overrides };
}

/**
 * Parse a model file's text. `file` names it in messages and gives the default model name;
 * `sets` are --set arguments ("fleet.server.workers=8"), applied in order.
 */
export function parseModelText(text: string, file: string, sets: readonly string[] = []): Model {
  return resolveModelText(text, file, sets).model;
}
