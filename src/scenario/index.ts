// The scenario layer: model files (YAML) -> Model. Everything here is pure except load-model.ts.
export type * from './model-types.js';
export { UnitError, parseDuration, parseRate, parseSize, parseCount, parseNumber, show } from './units.js';
export { DistributionError, parseDistribution, Z99 } from './distribution-syntax.js';
export { ModelError, formatModelError, type ModelErrorInit } from './errors.js';
export { applyOverrides, parseSetArg, splitKeyPath, type SetOverride } from './overrides.js';
export { makeModelSchema, SERVER_DEFAULTS } from './schema.js';
export { parseModelText, parseYamlText, resolveKeyLine, resolveModelText, modelNameFromFile, validateModel } from './parse-model.js';
export { quoteDistributionCalls } from './quote-distributions.js';
export { defaultFor, type Sourced } from './default-sources.js';
export { formatDistribution, formatDuration, formatNumber, formatRate, formatSize } from './format.js';
export {
  formatOrigin,
  modelLeaves,
  modelProvenance,
  parseModelWithProvenance,
  type Leaf,
  type ModelWithProvenance,
  type Origin,
  type Provenance,
} from './provenance.js';
export { modelWarnings } from './warnings.js';
export { loadModelFile, loadModelWithProvenance } from './load-model.js';
