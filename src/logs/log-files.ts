// The files a LOG argument names: a file, a directory (every file under it, in name order: an
// ALB's S3 layout is yyyy/mm/dd folders), or a glob ('logs/*.log.gz', for shells that did not
// expand it), through tinyglobby.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { LogFormatError } from './formats.js';

const GLOB = /[*?[\]{}]/;

export function logFiles(inputs: string[]): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    if (GLOB.test(input) && !exists(input)) {
      const found = globSync(input, { onlyFiles: true, absolute: false, expandDirectories: false }).sort();
      if (found.length === 0) throw new LogFormatError(`${input}: no file matches this pattern`);
      files.push(...found);
      continue;
    }
    let st;
    try {
      st = statSync(input);
    } catch {
      throw new LogFormatError(`${input}: no such file or directory`);
    }
    if (st.isDirectory()) {
      const under = walk(input);
      if (under.length === 0) throw new LogFormatError(`${input}: the directory holds no files`);
      files.push(...under);
    } else files.push(input);
  }
  return files;
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}
