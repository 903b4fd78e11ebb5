// `capsim explain`: the resolved model, every value with its unit written back and where it
// came from (file line, --set, or the default's source), then the warnings.
import {
  formatDistribution,
  formatDuration,
  formatNumber,
  formatRate,
  formatSize,
} from '../scenario/format.js';
import type { Model } from '../scenario/model-types.js';
import type { PathSegment } from '../scenario/overrides.js';
import { formatOrigin, isDistSpec, modelLeaves, type Origin, type Provenance } from '../scenario/provenance.js';

export { formatDistribution } from '../scenario/format.js';

export interface ExplainValue {
  /** Key path as --set takes it: "fleet.server.reloadMercy". */
  path: string;
  /** The resolved value (seconds, bytes, per second, DistSpec; "unlimited" for no limit). */
  value: unknown;
  /** The value for people: "60s", "120MiB", "lognormal(mean=6ms, sd=5ms)". */
  text: string;
  /** "models/x.yaml:12", "--set fleet.server.version=2.0.29" or the default's source. */
  source: string;
  origin: Origin;
}

const DURATION_KEYS = new Set([
  'duration',
  'warmup',
  'period',
  'at',
  'over',
  'idleTimeout',
  'connectTimeout',
  'rtt',
  'sendDelay',
  'closeLag',
  'interval',
  'timeout',
  'minWorkerLifetime',
  'reloadMercy',
  'harakiri',
  'keepAlive',
  'masterCycle',
  'forkbombDelay',
]);
const SIZE_KEYS = new Set(['reloadOnRss', 'evilReloadOnRss', 'base', 'perRequest', 'perInFlight', 'shared']);

/** One resolved value as people write it in a model file, chosen by its key. */
export function formatModelValue(path: readonly PathSegment[], value: unknown): string {
  const key = String(path[path.length - 1]);
  if (value === null) return key === 'pool' ? 'none' : 'null';
  if (isDistSpec(value)) return formatDistribution(value);
  if (typeof value === 'number') {
    if (path[0] === 'fleet' && path.length === 2 && key === 'memory') return formatSize(value);
    if (SIZE_KEYS.has(key)) return formatSize(value);
    if (DURATION_KEYS.has(key)) return formatDuration(value);
    if (key === 'rate') return formatRate(value);
    return formatNumber(value);
  }
  if (typeof value === 'string' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

const jsonValue = (v: unknown): unknown => (typeof v === 'number' && !Number.isFinite(v) ? 'unlimited' : v);

/** Every leaf of the model with its text and source, in model order. */
export function explainValues(model: Model, provenance: Provenance, file: string): ExplainValue[] {
  return modelLeaves(model).map((leaf) => {
    const origin = provenance.get(leaf.keyPath) ?? { kind: 'default' as const, source: 'capsim default' };
    return {
      path: leaf.keyPath,
      value: jsonValue(leaf.value),
      text: formatModelValue(leaf.path, leaf.value),
      source: formatOrigin(origin, file),
      origin,
    };
  });
}

/** The section a key path is shown under: fleet.server and fleet.db have their own. */
function sectionOf(path: string): string {
  const [a, b] = path.split('.');
  if (a === 'name') return 'model';
  if (a === 'fleet' && (b === 'server' || b === 'db')) return `fleet.${b}`;
  if (a === 'balancer' && b === 'healthCheck') return 'balancer.healthCheck';
  return a!;
}

/** "warning: …" lines, one per warning (empty string for none). */
export function formatWarnings(warnings: readonly string[]): string {
  return warnings.map((w) => `warning: ${w}\n`).join('');
}

/** The aligned table: sections, then path, value and source per line; then the warnings. */
export function explainTable(model: Model, provenance: Provenance, warnings: readonly string[], file: string): string {
  const values = explainValues(model, provenance, file);
  const pathWidth = Math.max(...values.map((v) => v.path.length));
  const textWidth = Math.max(...values.map((v) => v.text.length));
  // Sections in the order they first appear (balancer.failOpen follows balancer.healthCheck).
  const sections = new Map<string, ExplainValue[]>();
  for (const v of values) {
    const s = sectionOf(v.path);
    const list = sections.get(s) ?? [];
    list.push(v);
    sections.set(s, list);
  }
  const blocks = [...sections].map(
    ([s, list]) => `${s}\n${list.map((v) => `  ${v.path.padEnd(pathWidth)}  ${v.text.padEnd(textWidth)}  ${v.source}`.trimEnd()).join('\n')}`,
  );
  let out = `${blocks.join('\n\n')}\n`;
  if (warnings.length > 0) out += `\n${formatWarnings(warnings)}`;
  return out;
}

/** `--json`: { model, values: [{ path, value, text, source, origin }], warnings }. */
export function explainJson(model: Model, provenance: Provenance, warnings: readonly string[], file: string): string {
  const doc = { model, values: explainValues(model, provenance, file), warnings };
  return `${JSON.stringify(doc, (_k, v: unknown) => jsonValue(v), 2)}\n`;
}

/**
 * For `capsim run`: print the model's warnings to stderr, one "capsim: warning: …" line each.
 * Get them with `modelWarnings(model, provenance)` from src/scenario/warnings.ts, the model
 * and provenance from `loadModelWithProvenance(file, sets)`.
 */
export function printModelWarnings(warnings: readonly string[], write: (text: string) => void = (t) => process.stderr.write(t)): void {
  for (const w of warnings) write(`capsim: warning: ${w}\n`);
}
