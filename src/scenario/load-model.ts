// Reading a model file from disk (the one Node-only part of the scenario layer).
import { existsSync, readFileSync, statSync } from 'node:fs';
import nodePath from 'node:path';
import { ModelError } from './errors.js';
import type { Model } from './model-types.js';
import { parseModelText } from './parse-model.js';
import { parseModelWithProvenance, type ModelWithProvenance } from './provenance.js';

/** Model files are a few KB; anything this large was named by mistake (a log, an archive). */
const MAX_MODEL_BYTES = 1024 * 1024;

/** A model file's text; every problem (missing, a directory, too large, not UTF-8) is a ModelError. */
export function readModelFile(path: string): string {
  let bytes: Buffer;
  try {
    if (statSync(path).size > MAX_MODEL_BYTES) {
      throw new ModelError({ file: path, expected: 'a YAML model file', reason: `${statSync(path).size.toLocaleString('en-US')} bytes: not a model file (expected a YAML model file of at most 1 MiB)` });
    }
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof ModelError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code ?? String(e);
    throw new ModelError({ file: path, expected: 'a readable YAML model file', reason: `cannot read file (${why})` });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ModelError({ file: path, expected: 'a YAML model file', reason: 'not a text file: bytes that are not UTF-8 (binary data?); expected a YAML model file' });
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
