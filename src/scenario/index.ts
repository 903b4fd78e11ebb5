// The scenario layer: model files (YAML) -> Model. Everything here is pure except loadModelFile.
export type * from './model-types.js';
export { UnitError, parseDuration, parseRate, parseSize, parseCount, parseNumber, show } from './units.js';
export { DistributionError, parseDistribution, Z99 } from './distribution-syntax.js';
export { ModelError, formatModelError, type ModelErrorInit } from './errors.js';
export { applyOverrides, parseSetArg, splitKeyPath, type SetOverride } from './overrides.js';
export { makeModelSchema, SERVER_DEFAULTS } from './schema.js';
export { parseModelText, parseYamlText, resolveKeyLine, modelNameFromFile, validateModel } from './parse-model.js';
export { quoteDistributionCalls } from './quote-distributions.js';
export { loadModelFile } from './load-model.js';
