import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelError } from '../../../src/scenario/errors.js';
import { loadModelFile } from '../../../src/scenario/load-model.js';
import { TEXTBOOK } from './fixtures.js';

test('loadModelFile reads, overrides and validates a file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'capsim-scenario-'));
  try {
    const file = join(dir, 'textbook.yaml');
    writeFileSync(file, TEXTBOOK.replace('name: textbook-mmc\n', ''));
    const model = loadModelFile(file, ['fleet.server.workers=7']);
    assert.equal(model.name, 'textbook');
    assert.equal(model.fleet.server.workers, 7);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, TEXTBOOK.replace('workers: 5', 'workers: -2'));
    assert.throws(() => loadModelFile(bad), (e: unknown) => e instanceof ModelError && e.message === `${bad}:19: fleet.server.workers: got -2, expected a whole number >= 1`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing file is a ModelError with exit code 2', () => {
  const path = join(tmpdir(), 'capsim-no-such-model-file.yaml');
  assert.throws(
    () => loadModelFile(path),
    (e: unknown) => e instanceof ModelError && e.exitCode === 2 && e.message === `${path}: cannot read file (no such file)` && e.file === path,
  );
  assert.throws(
    () => loadModelFile(tmpdir()),
    (e: unknown) => e instanceof ModelError && /: cannot read file \(is a directory\)$/.test(e.message),
  );
});
