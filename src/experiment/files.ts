// Files the experiment layer writes: atomically (a temporary file in the same directory, then a
// rename, so a reader never sees half a file and an interrupted run leaves no partial output that
// looks complete), and JSON that carries NaN and ±Infinity exactly (replication results hold NaN
// where nothing could be measured; models hold Infinity for "unlimited").
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${process.hrtime.bigint()}.tmp`);
  try {
    const fd = openSync(tmp, 'w');
    try {
      if (typeof data === 'string') writeSync(fd, data);
      else writeSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

const SPECIAL: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

/** JSON.stringify that writes NaN and ±Infinity as the strings "NaN", "Infinity", "-Infinity". */
export function stringifyExact(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), indent);
}

/** The inverse of stringifyExact. (A genuine string "NaN" would come back as a number: none is stored.) */
export function parseExact<T>(text: string): T {
  return JSON.parse(text, (_k, v) => (typeof v === 'string' && v in SPECIAL ? SPECIAL[v] : v)) as T;
}
