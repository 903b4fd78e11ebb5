// The documented Kubernetes example stays valid: an Indexed Job whose shards cover 1..N, running
// a sweep of a model that parses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { parseModelText } from '../../src/scenario/parse-model.js';
import { parseVary } from '../../src/experiment/grid.js';
import { root } from './cli-helper.js';

test('docs/k8s-sweep-job.yaml: an Indexed Job of N shards over a valid model', () => {
  const docs = parseAllDocuments(readFileSync(path.join(root, 'docs/k8s-sweep-job.yaml'), 'utf8')).map((d) => {
    assert.equal(d.errors.length, 0, String(d.errors[0]));
    return d.toJS();
  });
  const cm = docs.find((d) => d.kind === 'ConfigMap');
  const job = docs.find((d) => d.kind === 'Job');
  const model = parseModelText(cm.data['model.yaml'], 'model.yaml');
  assert.equal(model.name, 'incident-01-uwsgi-2-workers');
  assert.equal(job.spec.completionMode, 'Indexed');
  const n = job.spec.completions;
  const args: string = job.spec.template.spec.containers[0].args.join(' ');
  assert.ok(args.includes(`--shard "$((JOB_COMPLETION_INDEX + 1))/${n}"`), args);
  assert.match(args, /--resume/);
  for (const m of args.matchAll(/--vary (\S+)/g)) parseVary(m[1]!);
  const volume = job.spec.template.spec.volumes.find((v: { name: string }) => v.name === 'results');
  assert.equal(docs.find((d) => d.kind === 'PersistentVolumeClaim').metadata.name, volume.persistentVolumeClaim.claimName);
});
