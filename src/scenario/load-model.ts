// Reading a model file from disk (the one Node-only part of the scenario layer).
import { existsSync } from 'node:fs';
import nodePath from 'node:path';
import { InputFileError, readInputFile } from '../experiment/input-file.js';
import { ModelError } from './errors.js';
import type { Model } from './model-types.js';
import { parseModelText } from './parse-model.js';
import { parseModelWithProvenance, type ModelWithProvenance } from './provenance.js';

/** Model files are a few KB; anything this large was named by mistake (a log, an archive). */
const MAX_MODEL_BYTES = 1024 * 1024;

/**
 * A model file's text; every problem (missing, a directory, empty, too large, changed while it was
 * read, not UTF-8) is a ModelError.
 */
export function readModelFile(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readInputFile(path, { expected: 'a YAML model file', maxBytes: MAX_MODEL_BYTES });
  } catch (e) {
    if (e instanceof InputFileError) throw new ModelError({ file: path, expected: 'a YAML model file', reason: e.reason });
    throw e;
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
