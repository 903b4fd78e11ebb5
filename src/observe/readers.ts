// The readers of `--observed` files, tried in order: the first whose detect() accepts a file reads
// it: the observations file (docs/calibrate.md), a CloudWatch export, an access log.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { ExperimentInputError } from '../experiment/errors.js';
import { accessLogReader } from './access-log.js';
import { cloudwatchReader } from './cloudwatch/reader.js';
import type { Observation, ObservedReader } from './observation.js';
import { DEFAULT_DISCREPANCY, observationsFileReader } from './observations-file.js';

export const OBSERVED_READERS: ObservedReader[] = [observationsFileReader, cloudwatchReader, accessLogReader];

/** The first 64 KiB of a file as text. */
function head(path: string): string {
  let fd: number;
  try {
    if (!statSync(path).isFile()) throw new ExperimentInputError(`${path}: not a file; expected an observations file, a CloudWatch export or an access log`);
    fd = openSync(path, 'r');
  } catch (e) {
    if (e instanceof ExperimentInputError) throw e;
    throw new ExperimentInputError(`${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)}); expected an observations file, a CloudWatch export or an access log`);
  }
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Read every --observed file with the reader its content calls for; at least one observation each. */
export async function readObserved(paths: readonly string[], readers: readonly ObservedReader[] = OBSERVED_READERS): Promise<Observation[]> {
  const out: Observation[] = [];
  for (const p of paths) {
    const text = head(p);
    const reader = readers.find((r) => r.detect(p, text));
    if (!reader) throw new ExperimentInputError(`${p}: not a kind of file capsim reads as observations (known: ${readers.map((r) => r.kind).join(', ')}); expected an observations file (observations: …), a CloudWatch export or an access log`);
    const found = await reader.read(p);
    if (found.length === 0) throw new ExperimentInputError(`${p}: no usable observation in it`);
    // Metrics and logs state no model discrepancy: the observations file's default (docs/calibrate.md).
    if (reader !== observationsFileReader) {
      for (const o of found) if (o.discrepancy === 0) o.discrepancy = DEFAULT_DISCREPANCY * (o.form.kind === 'value' ? o.form.value : o.form.bound);
    }
    out.push(...found);
  }
  return out;
}
