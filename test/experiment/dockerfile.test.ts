// The Dockerfile that builds the image docs/k8s-sweep-job.yaml runs. No Docker daemon is needed
// here: the file is linted by dockerfile-utils (the Docker language server's validator), and what
// the example relies on is checked against it: the dependencies come from the lockfile (npm ci),
// the entry point is capsim (on PATH, for the Job's shell too), every COPY source is in the
// build context, and the image tag is the one the example and the docs name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validate } from 'dockerfile-utils';
import { parseAllDocuments } from 'yaml';
import { root } from './cli-helper.js';

const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
const version = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version as string;
const image = `registry.example.com/capsim:${version}`;

/** Instructions (continuations joined, comments dropped) as [KEYWORD, arguments]. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'))
  .map((l) => {
    const [k, ...rest] = l.split(/\s+/);
    return [k!.toUpperCase(), rest.join(' ')] as const;
  });
const stages = instructions.reduce<(typeof instructions)[]>((acc, ins) => (ins[0] === 'FROM' ? [...acc, [ins]] : (acc[acc.length - 1]!.push(ins), acc)), []);

test('the Dockerfile lints clean', () => {
  const problems = validate(dockerfile).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
  assert.deepEqual(problems, []);
});

test('built from the lockfile in a first stage; the image runs capsim as its entry point', () => {
  assert.equal(stages.length, 2);
  const [build, run] = stages as [typeof instructions, typeof instructions];
  assert.match(build[0]![1], /^node:20[\w.-]* AS build$/);
  const steps = build.map(([k, a]) => `${k} ${a}`);
  const copyLock = steps.findIndex((s) => /^COPY package\.json package-lock\.json /.test(s));
  const ci = steps.findIndex((s) => /^RUN npm ci\b/.test(s));
  assert.ok(copyLock >= 0 && ci > copyLock, 'the lockfile is copied, then npm ci');
  assert.ok(!steps.some((s) => /npm (install|i) /.test(s)), 'never npm install: it may move versions off the lockfile');
  assert.ok(steps.some((s) => /^RUN npm run build\b/.test(s)), 'the build runs in the first stage');
  assert.ok(steps.some((s) => /npm prune --omit=dev/.test(s)), 'dev dependencies stay out of the image');
  for (const [k, a] of [...build, ...run]) {
    if (k !== 'COPY' || a.startsWith('--from=')) continue;
    for (const src of a.split(/\s+/).slice(0, -1)) assert.ok(src === '.' || existsSync(path.join(root, src)), `COPY ${src}`);
  }
  assert.match(run[0]![1], /^node:20[\w.-]*$/, 'the same Node as the build (the V8 code cache is per Node version)');
  assert.deepEqual(run.find(([k]) => k === 'ENTRYPOINT')?.[1], '["capsim"]');
  assert.ok(run.some(([k, a]) => k === 'RUN' && a.includes('/app/bin/capsim.js /usr/local/bin/capsim')), 'capsim on PATH');
  assert.ok(run.some(([k, a]) => k === 'USER' && a !== 'root'), 'not root');
  // What the build context leaves out: installed and built files, which the image makes itself.
  const ignored = readFileSync(path.join(root, '.dockerignore'), 'utf8').split('\n');
  for (const p of ['node_modules', 'dist', 'out', '.git']) assert.ok(ignored.includes(p), `.dockerignore: ${p}`);
});

test(`the Kubernetes example and the docs name the image the Dockerfile builds (${image})`, () => {
  assert.match(dockerfile, new RegExp(`docker build -t ${image.replace(/[.]/g, '\\.')} \\.`));
  const text = readFileSync(path.join(root, 'docs/k8s-sweep-job.yaml'), 'utf8');
  const job = parseAllDocuments(text)
    .map((d) => d.toJS())
    .find((d) => d.kind === 'Job');
  const container = job.spec.template.spec.containers[0];
  assert.equal(container.image, image);
  assert.match(text, new RegExp(`docker build -t ${image.replace(/[.]/g, '\\.')} \\.`), 'the example says how to build it');
  // Through a shell only for the shard arithmetic, and exec capsim from PATH (exit codes reach Kubernetes).
  assert.match(container.args.join(' '), /^exec capsim sweep /);
  assert.equal(job.spec.template.spec.securityContext.runAsUser, 1000, "the image's user node");
  const docs = readFileSync(path.join(root, 'docs/experiments.md'), 'utf8');
  assert.match(docs, /Dockerfile/);
  assert.ok(docs.includes(image), 'docs/experiments.md names the image');
});
