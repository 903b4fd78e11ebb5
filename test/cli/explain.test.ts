// `capsim explain` as a user runs it: the resolved model with sources, warnings, exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(path.join(tmpdir(), 'capsim-explain-'));

function capsim(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/capsim.js'), ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function modelFile(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

const UWSGI = modelFile(
  'uwsgi.yaml',
  `name: incident
traffic:
  rate: 19k/min
  phases: [ { cpu: lognormal(mean=6ms, sd=5ms) } ]
fleet:
  containers: 4
  server:
    kind: uwsgi
    version: "2.0.15"
    workers: 2
    maxRequests: 5000
    maxRequestsDelta: 50
    connectionClose: true
`,
);

const GUNICORN = modelFile(
  'gunicorn.yaml',
  `traffic:
  rate: 300/s
  phases: [ { cpu: exp(5ms) } ]
balancer: { kind: alb, idleTimeout: 60s }
fleet:
  server: { kind: gunicorn, mode: gevent, workers: 4, keepAlive: 2s }
`,
);

const DELTA_WARNING = 'warning: uWSGI 2.0.15 ignores maxRequestsDelta (max-requests-delta arrived in 2.0.29): every worker recycles after exactly maxRequests';

test('explain prints every value with its source, then the warnings', () => {
  const r = capsim('explain', UWSGI);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const out = r.stdout;
  assert.match(out, /^ {2}fleet\.server\.reloadMercy\s+60s\s+uWSGI 2\.0\.15 default worker-reload-mercy$/m);
  // A value from the file names the file and its line.
  assert.match(out, new RegExp(`^ {2}fleet\\.server\\.workers\\s+2\\s+${escape(UWSGI)}:10$`, 'm'));
  assert.match(out, new RegExp(`^ {2}traffic\\.rate\\s+316\\.667/s \\(19000/min\\)\\s+${escape(UWSGI)}:3$`, 'm'));
  assert.match(out, new RegExp(`^ {2}traffic\\.endpoints\\.0\\.phases\\.0\\.cpu\\s+lognormal\\(mean=6ms, sd=5ms\\)\\s+${escape(UWSGI)}:4$`, 'm'));
  // Units written back for people.
  assert.match(out, /^ {2}fleet\.memory\s+2GiB\s+capsim default: 2 GiB/m);
  assert.match(out, /^ {2}fleet\.server\.memory\.base\s+120MiB\s/m);
  assert.match(out, /^ {2}simulation\.duration\s+1h\s/m);
  // Sections, and the warning after the table.
  assert.match(out, /^fleet\.server$/m);
  assert.match(out, /^balancer$/m);
  assert.ok(out.trimEnd().endsWith(DELTA_WARNING), out);
});

test('--set shows as the source and can remove a warning', () => {
  const r = capsim('explain', UWSGI, '--set', 'fleet.server.version=2.0.29', '--set', 'fleet.server.workers=8');
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /warning:/);
  assert.match(r.stdout, /^ {2}fleet\.server\.version\s+2\.0\.29\s+--set fleet\.server\.version=2\.0\.29$/m);
  assert.match(r.stdout, /^ {2}fleet\.server\.workers\s+8\s+--set fleet\.server\.workers=8$/m);
  assert.match(r.stdout, /^ {2}fleet\.server\.reloadMercy\s+60s\s+uWSGI 2\.0\.29 default worker-reload-mercy$/m);
});

test('gunicorn gevent with keepAlive 2s behind an ALB with idle 60s: the keep-alive race', () => {
  const r = capsim('explain', GUNICORN);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /^warning: fleet\.server\.keepAlive 2s is shorter than balancer\.idleTimeout 60s: the balancer may reuse a connection the server is closing: 502 keepalive-race; set keepAlive above idleTimeout$/m,
  );
  assert.match(r.stdout, /^ {2}fleet\.server\.concurrency\s+1000\s+gunicorn 20\.1\.0 default worker_connections$/m);
  assert.match(r.stdout, /^ {2}balancer\.routing\s+round-robin\s+ALB default routing: round robin$/m);
  const fixed = capsim('explain', GUNICORN, '--set', 'fleet.server.keepAlive=75s');
  assert.doesNotMatch(fixed.stdout, /keepalive-race/);
});

test('--json: the model, every value with its source, and the warnings', () => {
  const r = capsim('explain', UWSGI, '--json', '--set', 'fleet.server.workers=3');
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as {
    model: { fleet: { server: { workers: number; reloadMercy: number } } };
    values: Array<{ path: string; value: unknown; text: string; source: string; origin: { kind: string } }>;
    warnings: string[];
  };
  assert.equal(j.model.fleet.server.workers, 3);
  assert.equal(j.model.fleet.server.reloadMercy, 60);
  const byPath = new Map(j.values.map((v) => [v.path, v]));
  assert.deepEqual(byPath.get('fleet.server.reloadMercy'), {
    path: 'fleet.server.reloadMercy',
    value: 60,
    text: '60s',
    source: 'uWSGI 2.0.15 default worker-reload-mercy',
    origin: { kind: 'default', source: 'uWSGI 2.0.15 default worker-reload-mercy' },
  });
  assert.equal(byPath.get('fleet.server.workers')?.source, '--set fleet.server.workers=3');
  assert.equal(byPath.get('fleet.containers')?.source, `${UWSGI}:6`);
  assert.deepEqual(j.warnings, [DELTA_WARNING.replace('warning: ', '')]);
});

test('bad input exits 2 with one line, as for run', () => {
  const cases: [string[], RegExp][] = [
    [['explain', 'nope.yaml'], /^capsim: nope\.yaml: cannot read file \(no such file\)\n$/],
    [['explain', UWSGI, '--set', 'fleet.server.workers=-1'], /fleet\.server\.workers: got -1, expected a whole number >= 1\n$/],
    [['explain', UWSGI, '--set', 'fleet.server.backlog=8192'], /fleet\.server\.backlog: got 8192, expected a backlog <= fleet\.somaxconn \(4096\): uWSGI refuses to start otherwise\n$/],
  ];
  for (const [args, re] of cases) {
    const r = capsim(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.equal(r.stdout, '');
  }
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
