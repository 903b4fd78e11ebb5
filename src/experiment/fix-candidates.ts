// The fixes a model's own warnings name (scenario/warnings.ts: a warning's `fix`), as extra
// candidates for `capsim size`: each becomes one more varied key, over [today's value, the fix],
// so the grid holds every point with and without it. A key the user varies already is left to them.
import type { Model } from '../scenario/model-types.js';
import { warningFixes } from '../scenario/warnings.js';

export interface FixCandidate {
  path: string;
  /** The model's value today, as --set takes it. */
  today: string;
  value: string;
  warning: string;
}

/** The value at a key path of the resolved model, as --set would take it; undefined if none. */
function valueAt(model: Model, path: string): string | undefined {
  let v: unknown = model;
  for (const k of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v === undefined || (typeof v === 'object' && v !== null) ? undefined : String(v);
}

export function fixCandidates(model: Model, varied: readonly string[]): FixCandidate[] {
  const out: FixCandidate[] = [];
  for (const { fix, warning } of warningFixes(model)) {
    if (varied.includes(fix.path) || out.some((c) => c.path === fix.path)) continue;
    const today = valueAt(model, fix.path);
    if (today === undefined || today === fix.value) continue;
    out.push({ path: fix.path, today, value: fix.value, warning });
  }
  return out;
}
