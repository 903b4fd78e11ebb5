// Reading a model file from disk (the one Node-only part of the scenario layer).
import { readFileSync } from 'node:fs';
import { ModelError } from './errors.js';
import type { Model } from './model-types.js';
import { parseModelText } from './parse-model.js';
import { parseModelWithProvenance, type ModelWithProvenance } from './provenance.js';

function readModelFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code ?? String(e);
    throw new ModelError({ file: path, expected: 'a readable YAML model file', reason: `cannot read file (${why})` });
  }
}

/** Read, parse and validate a model file; every problem is a ModelError (exit code 2). */
export function loadModelFile(path: string, sets: readonly string[] = []): Model {
  return parseModelText(readModelFile(path), path, sets);
}

/** loadModelFile, also telling where every value came from (see provenance.ts). */
export function loadModelWithProvenance(path: string, sets: readonly string[] = []): ModelWithProvenance {
  return parseModelWithProvenance(readModelFile(path), path, sets);
}
