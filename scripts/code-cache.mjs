// `npm run build`'s last step: run one short simulation through bin/capsim.js so that it writes
// the V8 code cache of the bundle (see bin/load-bundle.js) with the functions a run compiles.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = ['bin/capsim.js', 'run', 'models/incident/01-uwsgi-2-workers.yaml', '--replications', '1', '--set', 'simulation.warmup=0s', '--set', 'simulation.duration=20s'];
// From source, never from a cache of an older bundle.
rmSync(path.join(root, 'dist/capsim.cjs.cache'), { force: true });
const r = spawnSync(process.execPath, args, { cwd: root, env: { ...process.env, CAPSIM_CODE_CACHE: 'write' }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
if (r.status !== 0) {
  console.error(`code cache: the sample run failed (${r.status}):\n${r.stderr}`);
  process.exit(1);
}
if (!existsSync(path.join(root, 'dist/capsim.cjs.cache'))) {
  console.error('code cache: the sample run wrote no dist/capsim.cjs.cache');
  process.exit(1);
}
