// Loads the bundled CLI (dist/capsim.cjs) through a V8 code cache (dist/capsim.cjs.cache) that
// `npm run build` makes: start-up then skips parsing and compiling 600 KB of JavaScript, and the
// functions a run needs come precompiled (~40 ms of a ~250 ms start). Node's own loader keeps no
// such cache before Node 22. A cache that does not fit (another Node version, other V8 flags) is
// rejected by V8 and the file is compiled as usual.
//
// Code compiled from a cache cannot run import() in Node 20 (the script loses its dynamic-import
// callback), so this module lends its own import() to the bundle, under Symbol.for('capsim.import'),
// for the ES modules it loads on first use (vega, vega-lite, resvg: src/report/charts/render.ts).
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const file = fileURLToPath(new URL('../dist/capsim.cjs', import.meta.url));
const cacheFile = `${file}.cache`;

/**
 * Run the CLI. With CAPSIM_CODE_CACHE=write, write the code cache when the process exits; with
 * CAPSIM_CODE_CACHE=check, say on stderr whether V8 took the cache (a test holds the build to it).
 */
export function loadBundle() {
  const require = createRequire(file);
  globalThis[Symbol.for('capsim.import')] = (specifier) => import(specifier);
  // V8 checks a cache against its source's length only: a cache older than the bundle (rebuilt
  // since, perhaps to the same length) could run stale code, so it is not used.
  let cachedData;
  try {
    if (statSync(cacheFile).mtimeMs > statSync(file).mtimeMs) cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined; // not built yet: compile from source
  }
  const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  if (process.env.CAPSIM_CODE_CACHE === 'check') {
    process.stderr.write(`code cache: ${cachedData === undefined ? 'missing or stale' : script.cachedDataRejected ? 'rejected' : 'accepted'}\n`);
  }
  if (process.env.CAPSIM_CODE_CACHE === 'write') {
    // At exit, so the cache holds every function the run compiled, not just the top level.
    process.on('exit', () => {
      writeFileSync(`${cacheFile}.tmp`, script.createCachedData());
      renameSync(`${cacheFile}.tmp`, cacheFile);
    });
  }
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, require, module, file, path.dirname(file));
}
