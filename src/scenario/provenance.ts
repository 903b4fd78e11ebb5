// Where each value of a resolved model came from: a line of the model file, a --set argument,
// or a default (with the default's source, from default-sources.ts). `capsim explain` prints
// this beside every value; modelWarnings uses it to tell settings the user chose from defaults.
// Pure: no Node-only imports.
import type { DistSpec } from '../kernel/distribution-spec.js';
import { defaultFor } from './default-sources.js';
import type { Model } from './model-types.js';
import { joinKeyPath, type PathSegment, type SetOverride } from './overrides.js';
import { getAt, isPrefix, resolveKeyLine, resolveModelText, type ParsedYaml } from './parse-model.js';

export type Origin =
  | { kind: 'file'; line: number }
  | { kind: 'set'; arg: string }
  | { kind: 'default'; source: string };

/** Leaf key path ("fleet.server.reloadMercy") -> origin, in the order of `modelLeaves`. */
export type Provenance = Map<string, Origin>;

export interface ModelWithProvenance {
  model: Model;
  provenance: Provenance;
}

/** One value of the resolved model, named by the key path that sets it in a model file. */
export interface Leaf {
  path: PathSegment[];
  keyPath: string;
  value: unknown;
}

const DIST_KINDS = new Set<string>(['const', 'exp', 'uniform', 'normal', 'lognormal', 'gamma', 'weibull', 'pareto', 'empirical', 'mixture']);

export function isDistSpec(v: unknown): v is DistSpec {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && DIST_KINDS.has(String((v as { kind?: unknown }).kind));
}

/**
 * Every leaf of the resolved model, in model order. A leaf is a number, string, boolean, null
 * or distribution; a phase `{ kind: 'cpu', dist }` is the leaf `…phases.N.cpu`, as it is written
 * in a model file, so every key path shown is one that `--set` accepts.
 */
export function modelLeaves(model: Model): Leaf[] {
  const out: Leaf[] = [];
  const walk = (v: unknown, path: PathSegment[]): void => {
    if (v === null || typeof v !== 'object' || isDistSpec(v)) {
      out.push({ path, keyPath: joinKeyPath(path), value: v });
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, [...path, i]));
    } else if (path[path.length - 2] === 'phases') {
      const p = v as { kind: string; dist: DistSpec };
      walk(p.dist, [...path, p.kind]);
    } else {
      for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
    }
  };
  walk(model, []);
  return out;
}

/** Where a leaf of the model sits in the raw model object (null: it has no place there). */
function rawPath(raw: unknown, path: readonly PathSegment[]): PathSegment[] | null {
  // traffic.phases is the one endpoint "default": its phases are under traffic.phases.
  if (path[0] === 'traffic' && path[1] === 'endpoints' && !getAt(raw, ['traffic', 'endpoints']).found && getAt(raw, ['traffic', 'phases']).found) {
    return path[3] === 'phases' ? ['traffic', ...path.slice(3)] : null;
  }
  // traffic.replay: FILE is the short form of { file: FILE, format: auto }.
  if (path[0] === 'traffic' && path[1] === 'replay' && typeof getAt(raw, ['traffic', 'replay']).value === 'string') {
    return path[2] === 'file' ? ['traffic', 'replay'] : null;
  }
  // balancer.pool: NAME is the short form of { profile: NAME }.
  if (path[0] === 'balancer' && path[1] === 'pool' && typeof getAt(raw, ['balancer', 'pool']).value === 'string') {
    return path[2] === 'profile' ? ['balancer', 'pool'] : null;
  }
  return [...path];
}

/**
 * The origin of every leaf. `raw` is the model object after the overrides (before empty values
 * are dropped), `parsed` the file's YAML document, `overrides` the --set arguments in order.
 */
export function modelProvenance(model: Model, raw: unknown, parsed: Pick<ParsedYaml, 'doc' | 'lineCounter'>, overrides: readonly SetOverride[]): Provenance {
  const out: Provenance = new Map();
  for (const leaf of modelLeaves(model)) {
    const at = rawPath(raw, leaf.path);
    const given = at !== null && getAt(raw, at).found;
    let origin: Origin;
    if (!given) {
      origin = { kind: 'default', source: defaultFor(model, leaf.path)?.source ?? 'capsim default' };
    } else {
      const set = [...overrides].reverse().find((o) => isPrefix(o.path, at));
      origin = set ? { kind: 'set', arg: set.arg } : { kind: 'file', line: resolveKeyLine(parsed, at) ?? 1 };
    }
    out.set(leaf.keyPath, origin);
  }
  return out;
}

/** parseModelText, also telling where every value came from. */
export function parseModelWithProvenance(text: string, file: string, sets: readonly string[] = []): ModelWithProvenance {
  const r = resolveModelText(text, file, sets);
  return { model: r.model, provenance: modelProvenance(r.model, r.raw, r.parsed, r.overrides) };
}

/** "models/x.yaml:12", "--set fleet.server.workers=8", or the default's source. */
export function formatOrigin(origin: Origin, file: string): string {
  switch (origin.kind) {
    case 'file':
      return `${file}:${origin.line}`;
    case 'set':
      return `--set ${origin.arg}`;
    case 'default':
      return origin.source;
  }
}

/** Did the user give this value (in the file or with --set)? False when unknown. */
export function userSet(provenance: Provenance | undefined, keyPath: string): boolean {
  const o = provenance?.get(keyPath);
  return o !== undefined && o.kind !== 'default';
}
