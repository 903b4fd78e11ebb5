// `capsim init`: a commented starting model that runs as it is, names the JSON Schema for
// editors, and never replaces an existing file without --force.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import { SCHEMA_FILE } from '../../src/scenario/json-schema.js';
import { capsim, root } from '../experiment/cli-helper.js';

const validate = new Ajv2020({ allErrors: true }).compile(JSON.parse(readFileSync(path.join(root, SCHEMA_FILE), 'utf8')));

for (const server of ['uwsgi', 'gunicorn']) {
  test(`init --server ${server}: a model with comments, no warnings, that runs as it is`, () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'capsim-init-'));
    const file = path.join(dir, 'models', 'svc.yaml');
    const r = capsim('init', '--server', server, '--out', file);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`^capsim: wrote ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(${server}\\)`));
    const text = readFileSync(file, 'utf8');
    assert.ok(text.split('\n').filter((l) => /#\s\S/.test(l)).length >= 20, 'commented');
    const ref = /^# yaml-language-server: \$schema=(\S+)\n/.exec(text)?.[1];
    assert.equal(path.resolve(path.dirname(file), ref!), path.join(root, SCHEMA_FILE));
    assert.ok(validate(parseYaml(text)), JSON.stringify(validate.errors));
    const explained = JSON.parse(capsim('explain', file, '--json').stdout);
    assert.deepEqual(explained.warnings, [], 'a starting model without warnings');
    assert.equal(explained.values.find((v: { path: string }) => v.path === 'fleet.server.kind').value, server);
    const run = capsim('run', file, '--json');
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.equal(result.replications, 10);
    assert.ok(result.status['2xx'].mean > 60_000, 'it serves its traffic');
  });
}

test('init never replaces an existing file without --force; with --force it does', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'capsim-init-'));
  const file = path.join(dir, 'mine.yaml');
  writeFileSync(file, 'precious\n');
  const r = capsim('init', '--out', file);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, `capsim: ${file} exists; capsim init does not replace it (give --force, or another --out FILE)\n`);
  assert.equal(readFileSync(file, 'utf8'), 'precious\n');
  const forced = capsim('init', '--out', file, '--server', 'gunicorn', '--force');
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(readFileSync(file, 'utf8'), /kind: gunicorn/);
});

test('init --out - prints the model; a server capsim does not know is exit 2', () => {
  const r = capsim('init', '--out', '-');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /kind: uwsgi/);
  assert.ok(validate(parseYaml(r.stdout)));
  const bad = capsim('init', '--server', 'waitress');
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, 'capsim: --server waitress: expected uwsgi or gunicorn\n');
});
