// Reading a price table from disk (the Node-only part of prices.ts), and finding the bundled one.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExperimentInputError } from './errors.js';
import { InputFileError, readInputFile } from './input-file.js';
import { parsePriceTable, type PriceTable } from './prices.js';

export const DEFAULT_PRICE_FILE = 'models/prices/fargate-us-east-1.yaml';

/** Find the bundled default table from wherever this module runs (bundle or tsc output). */
export function defaultPriceFile(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const f = path.join(dir, DEFAULT_PRICE_FILE);
    if (existsSync(f)) return f;
    dir = path.dirname(dir);
  }
  throw new ExperimentInputError(`cannot find the default price table ${DEFAULT_PRICE_FILE}; give one with --prices FILE`);
}

export function loadPriceTable(file?: string): PriceTable {
  const f = file ?? defaultPriceFile();
  let text: string;
  try {
    // A price table is a few KB of YAML: a larger file was named by mistake.
    text = readInputFile(f, { expected: 'a YAML price table', maxBytes: 1 << 20 }).toString('utf8');
  } catch (e) {
    if (e instanceof InputFileError) throw new ExperimentInputError(`${f}: ${e.reason.replace(/^cannot read file/, 'cannot read the price table')}`);
    throw e;
  }
  return parsePriceTable(text, file ?? DEFAULT_PRICE_FILE);
}

