// Reading a model file from disk (the one Node-only part of the scenario layer).
import { existsSync, readFileSync } from 'node:fs';
import nodePath from 'node:path';
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
  return resolveReplayFile(parseModelText(readModelFile(path), path, sets), path);
}

/** loadModelFile, also telling where every value came from (see provenance.ts). */
export function loadModelWithProvenance(path: string, sets: readonly string[] = []): ModelWithProvenance {
  const m = parseModelWithProvenance(readModelFile(path), path, sets);
  resolveReplayFile(m.model, path);
  return m;
}

/** traffic.replay's file is relative to the model file's folder, and must exist. */
function resolveReplayFile(model: Model, path: string): Model {
  const replay = model.traffic.replay;
  if (!replay) return model;
  const resolved = nodePath.resolve(nodePath.dirname(path), replay.file);
  if (!existsSync(resolved)) {
    throw new ModelError({ file: path, keyPath: 'traffic.replay', value: replay.file, expected: `an access log file, relative to the model's folder (${resolved} does not exist)` });
  }
  replay.file = resolved;
  return model;
}
