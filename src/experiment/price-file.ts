// Reading a price table from disk (the Node-only part of prices.ts), and finding the bundled one.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExperimentInputError } from './errors.js';
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
    text = readFileSync(f, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ExperimentInputError(`${f}: cannot read the price table (${code === 'ENOENT' ? 'no such file' : code ?? String(e)})`);
  }
  return parsePriceTable(text, file ?? DEFAULT_PRICE_FILE);
}

