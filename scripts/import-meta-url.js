// Injected into the CommonJS bundle of the CLI: stands in for `import.meta.url`, which the ES
// modules it is built from use to find files beside them (the worker script, the price table).
export const importMetaUrl = require('node:url').pathToFileURL(__filename).href;
