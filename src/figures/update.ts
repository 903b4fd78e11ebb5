// `npm run figures`: recompute every generated figure block and rewrite it in place in the files
// that carry it (each file written atomically). Run from the repository root after changing a
// bundled model or a mechanism; test/figures/figures.test.ts fails until you do.
// `npm run figures -- ID…` recomputes only the named blocks.
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../experiment/files.js';
import { defaultJobs } from '../experiment/pool.js';
import { BLOCKS, withBlock } from './blocks.js';

const jobs = defaultJobs();
const only = process.argv.slice(2);
const unknown = only.filter((id) => !BLOCKS.some((b) => b.id === id));
if (unknown.length > 0) {
  process.stderr.write(`figures: no block ${unknown.join(', ')} (blocks: ${BLOCKS.map((b) => b.id).join(', ')})\n`);
  process.exit(2);
}
for (const block of BLOCKS.filter((b) => only.length === 0 || only.includes(b.id))) {
  const t0 = Date.now();
  const content = await block.compute(jobs);
  for (const file of block.files) writeFileAtomic(file, withBlock(readFileSync(file, 'utf8'), block.id, content));
  process.stderr.write(`figures: ${block.id} -> ${block.files.join(', ')} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
}
