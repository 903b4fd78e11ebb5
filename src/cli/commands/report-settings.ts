// The settings a sweep's or sizing's report lists: the base model (file and --set) as resolved
// before any --vary, with where each value came from.
import type { SweepSpec } from '../../experiment/sweep.js';
import { explainValues, type ExplainValue } from '../../report/explain.js';
import { loadModelWithProvenance } from '../../scenario/load-model.js';

export function reportSettings(spec: SweepSpec): ExplainValue[] {
  const { model, provenance } = loadModelWithProvenance(spec.file, spec.sets);
  const varied = new Set(spec.vary.map((v) => v.path));
  return explainValues(model, provenance, spec.file).map((v) =>
    varied.has(v.path) ? { ...v, text: `varied: ${spec.vary.find((x) => x.path === v.path)!.texts.join(', ')}`, source: '--vary', origin: { kind: 'set' as const, arg: '--vary' } } : v,
  );
}
