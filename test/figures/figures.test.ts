// Figures quoted in README and docs are generated (src/figures/blocks.ts): recompute each block and
// compare it with what the files carry. A model or mechanism change that moves a figure fails
// here until `npm run figures` rewrites the prose.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultJobs } from '../../src/experiment/pool.js';
import { BLOCKS, blockIn, committedBlocks, withBlock } from '../../src/figures/blocks.js';

test('figure blocks: every file carries every block it is listed for', () => {
  for (const b of committedBlocks('.')) assert.notEqual(b.content, null, `${b.file} has no figures:${b.id} block`);
});

test('figure blocks: markers round-trip', () => {
  const text = 'a\n<!-- figures:x -->\nold\n<!-- /figures -->\nb\n';
  const next = withBlock(text, 'x', 'new | 1');
  assert.equal(blockIn(next, 'x'), 'new | 1');
  assert.equal(next.replace('new | 1', 'old'), text);
});

for (const block of BLOCKS) {
  test(`figure block ${block.id}: the committed text is what the models give (else: npm run figures)`, async () => {
    const fresh = await block.compute(defaultJobs());
    for (const c of committedBlocks('.').filter((x) => x.id === block.id)) assert.equal(c.content, fresh, `${c.file}: figures:${block.id} is stale`);
  });
}
