// The files a LOG argument names: a file, a directory (every file under it, in name order: an
// ALB's S3 layout is yyyy/mm/dd folders), or a glob ('logs/*.log.gz', for shells that did not
// expand it), through tinyglobby.
//
// Symbolic links in a directory are followed; one that leads back to a folder above it (a loop)
// or to nothing is exit 2 naming it, and a file or folder reached twice (two links to it, or named
// twice) is exit 2 too: its requests would count twice. Only names are gathered here (a few MB
// for 100,000 files); the files are opened one at a time as they are read.
import { readdirSync, readlinkSync, realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type * as Tinyglobby from 'tinyglobby';
import { LogFormatError } from './formats.js';

const GLOB = /[*?[\]{}]/;

// Loaded on first use, not with the CLI: tinyglobby requires picomatch from node_modules, outside
// the bundle and its code cache (~6 ms of every command's start, measured 2026-12-08).
let tinyglobby: typeof Tinyglobby | undefined;
const glob = (): typeof Tinyglobby => (tinyglobby ??= createRequire(import.meta.url)('tinyglobby') as typeof Tinyglobby);

export function logFiles(inputs: string[]): string[] {
  const files: string[] = [];
  // The real path of every file and folder taken, and the name it was taken under.
  const seenFiles = new Map<string, string>();
  const seenDirs = new Map<string, string>();
  const addFile = (p: string, real: string) => {
    const before = seenFiles.get(real);
    if (before !== undefined) throw new LogFormatError(`${p}: the same file as ${before} (a symbolic link, or named twice); name it once, or its requests count twice`);
    seenFiles.set(real, p);
    files.push(p);
  };
  const walk = (dir: string, real: string, above: Set<string>) => {
    const before = seenDirs.get(real);
    if (before !== undefined) throw new LogFormatError(`${dir}: the same folder as ${before} (a symbolic link, or named twice); name it once, or its requests count twice`);
    seenDirs.set(real, dir);
    const inside = new Set(above).add(real);
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = path.join(dir, e.name);
      if (e.isSymbolicLink()) {
        const st = follow(p);
        const to = realpathSync(p);
        if (st.isDirectory()) {
          if (inside.has(to)) throw new LogFormatError(`${p}: a symbolic link loop: it leads back to ${to}, a folder it is in; remove the link or name the folders you mean`);
          walk(p, to, inside);
        } else if (st.isFile()) addFile(p, to);
      } else if (e.isDirectory()) walk(p, path.join(real, e.name), inside);
      else if (e.isFile()) addFile(p, path.join(real, e.name));
    }
  };
  for (const input of inputs) {
    if (GLOB.test(input) && !exists(input)) {
      const found = glob().globSync(input, { onlyFiles: true, absolute: false, expandDirectories: false }).sort();
      if (found.length === 0) throw new LogFormatError(`${input}: no file matches this pattern`);
      for (const f of found) addFile(f, realpathSync(f));
      continue;
    }
    const st = follow(input);
    if (st.isDirectory()) {
      const n = files.length;
      walk(input, realpathSync(input), new Set());
      if (files.length === n) throw new LogFormatError(`${input}: the directory holds no files`);
    } else addFile(input, realpathSync(input));
  }
  return files;
}

/** stat through links, naming what is wrong: missing, a loop, a link to nothing. */
function follow(p: string): Stats {
  try {
    return statSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new LogFormatError(`${p}: a symbolic link loop (links that lead to each other); remove it or name the files you mean`);
    let target: string | null = null;
    try {
      target = readlinkSync(p);
    } catch {
      // not a link
    }
    if (target !== null) throw new LogFormatError(`${p}: a symbolic link to nothing (${target})`);
    throw new LogFormatError(`${p}: ${code === 'EACCES' ? 'permission denied' : code === 'ENOTDIR' ? 'a path through a file' : 'no such file or directory'}`);
  }
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}
