// Reading a model file from disk (the one Node-only part of the scenario layer).
import { readFileSync } from 'node:fs';
import { ModelError } from './errors.js';
import type { Model } from './model-types.js';
import { parseModelText } from './parse-model.js';

/** Read, parse and validate a model file; every problem is a ModelError (exit code 2). */
export function loadModelFile(path: string, sets: readonly string[] = []): Model {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code ?? String(e);
    throw new ModelError({ file: path, expected: 'a readable YAML model file', reason: `cannot read file (${why})` });
  }
  return parseModelText(text, path, sets);
}
