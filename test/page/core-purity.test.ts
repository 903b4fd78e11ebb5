// The simulation core (kernel, stats, model, the pure part of the scenario layer) and what the
// page computes with it import nothing Node-only: esbuild bundles every file of it for the
// browser, where `node:fs` and friends do not resolve.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { root } from '../experiment/cli-helper.js';

/** The files that must run in a browser. The scenario layer's one Node-only file (and its barrel, which re-exports it) are out. */
function coreFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.ts')) files.push(rel);
    }
  };
  for (const d of ['src/kernel', 'src/stats', 'src/model', 'src/scenario', 'src/page']) walk(d);
  const out = files.filter((f) => !['src/scenario/load-model.ts', 'src/scenario/index.ts'].includes(f));
  return [...out, 'src/experiment/replication.ts', 'src/experiment/summarize.ts', 'src/experiment/metrics.ts', 'src/experiment/prices.ts', 'src/experiment/analytic.ts'];
}

test('the core and the page bundle for the browser: no Node-only import anywhere in them', async () => {
  const entryPoints = coreFiles().map((f) => path.join(root, f));
  assert.ok(entryPoints.length > 40, `${entryPoints.length} files`);
  const r = await build({ entryPoints, bundle: true, platform: 'browser', format: 'esm', write: false, outdir: '/nonexistent', metafile: true, logLevel: 'silent' }).catch((e: { errors?: { text: string }[] }) => {
    assert.fail(`not bundleable for the browser: ${(e.errors ?? []).map((x) => x.text).join('; ')}`);
  });
  const inputs = Object.keys(r.metafile!.inputs);
  assert.deepEqual(inputs.filter((i) => i.startsWith('node:') || /(^|\/)node_modules\/@types\//.test(i)), []);
});

test('the check can fail: the Node-only loader does not bundle for the browser', async () => {
  await assert.rejects(build({ entryPoints: [path.join(root, 'src/scenario/load-model.ts')], bundle: true, platform: 'browser', write: false, logLevel: 'silent' }), /node:fs/);
});
