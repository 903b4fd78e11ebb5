// `npm run figures`: recompute every generated figure block and rewrite it in place in the files
// that carry it (each file written atomically). Run from the repository root after changing a
// bundled model or a mechanism; test/figures/figures.test.ts fails until you do.
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../experiment/files.js';
import { defaultJobs } from '../experiment/pool.js';
import { BLOCKS, withBlock } from './blocks.js';

const jobs = defaultJobs();
for (const block of BLOCKS) {
  const t0 = Date.now();
  const content = await block.compute(jobs);
  for (const file of block.files) writeFileAtomic(file, withBlock(readFileSync(file, 'utf8'), block.id, content));
  process.stderr.write(`figures: ${block.id} -> ${block.files.join(', ')} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
}
