// Each reader on the example lines its format's documentation publishes (AWS's access-log
// pages; the combined format as nginx defines it, with the Apache example line it mirrors),
// and on lines in the form the servers' source writes (gunicorn's glogging.py atoms, uWSGI's
// uwsgi_logit_simple), then malformed lines, files, gzip and --format auto.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseAlb } from '../../../src/logs/alb.js';
import { parseElb } from '../../../src/logs/elb.js';
import { detectFormat, parserFor } from '../../../src/logs/formats.js';
import { gunicornParser } from '../../../src/logs/gunicorn.js';
import { nginxParser, nginxTimedParser } from '../../../src/logs/nginx.js';
import { LogRecord, pathOf } from '../../../src/logs/record.js';
import { readLogs } from '../../../src/logs/read-logs.js';
import { parseUwsgi } from '../../../src/logs/uwsgi.js';

// docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html, "Example log entries"
export const ALB_DOC = {
  http: 'http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" 0 2018-07-02T22:22:48.364000Z "forward" "-" "-" "10.0.0.1:80" "200" "-" "-" TID_1234abcd5678ef90',
  https: 'https 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.086 0.048 0.037 200 200 0 57 "GET https://www.example.com:443/ HTTP/1.1" "curl/7.46.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337281-1d84f3d73c47ec4e58577259" "www.example.com" "arn:aws:acm:us-east-2:123456789012:certificate/12345678-1234-1234-1234-123456789012" 1 2018-07-02T22:22:48.364000Z "authenticate,forward" "-" "-" "10.0.0.1:80" "200" "-" "-" TID_1234abcd5678ef90',
  lambdaFailed: 'http 2018-11-30T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 - 0.000 0.001 0.000 502 - 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337364-23a8c76965a2ef7629b185e3" "-" "-" 0 2018-11-30T22:22:48.364000Z "forward" "-" "LambdaInvalidResponse" "-" "-" "-" "-"',
};
// docs.aws.amazon.com/elasticloadbalancing/latest/classic/access-log-collection.html, "Examples"
export const ELB_DOC = {
  http: '2015-05-13T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 10.0.0.1:80 0.000073 0.001048 0.000057 200 200 0 29 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.38.0" - -',
  https: '2015-05-13T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 10.0.0.1:80 0.000086 0.001048 0.001337 200 200 0 57 "GET https://www.example.com:443/ HTTP/1.1" "curl/7.38.0" DHE-RSA-AES128-SHA TLSv1.2',
  tcp: '2015-05-13T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 10.0.0.1:80 0.001069 0.000028 0.000041 - - 82 305 "- - - " "-" - -',
  ssl: '2015-05-13T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 10.0.0.1:80 0.001065 0.000015 0.000023 - - 57 502 "- - - " "-" ECDHE-ECDSA-AES128-GCM-SHA256 TLSv1.2',
};
// The combined layout's canonical example (Apache's log docs; nginx's combined is the same fields).
const COMBINED = '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"';
// uwsgi_logit_simple's line, with and without " via sendfile() ".
const UWSGI = '[pid: 5702|app: 0|req: 1/1] ::ffff:10.210.20.240 () {44 vars in 713 bytes} [Wed Jul 29 12:25:20 2015] GET /sir/?a=1 => generated 699 bytes in 45 msecs (HTTP/1.1 200) 2 headers in 80 bytes (1 switches on core 0)';
const UWSGI_SENDFILE = '[pid: 5702|app: 0|req: 2/2] ::ffff:10.210.20.240 () {44 vars in 695 bytes} [Wed Jul 29 12:25:20 2015] GET /sir/static/style.css => generated 1862 bytes in 7 msecs via sendfile() (HTTP/1.1 200) 7 headers in 284 bytes (0 switches on core 0)';

function parse(p: (l: string, r: LogRecord) => string | null, line: string): LogRecord {
  const r = new LogRecord();
  const why = p(line, r);
  assert.equal(why, null, `${why}: ${line}`);
  return r;
}

test('ALB: the documentation examples, including a failed request with no target', () => {
  const a = parse(parseAlb, ALB_DOC.http);
  assert.equal(a.end, Date.UTC(2018, 6, 2, 22, 23, 0) / 1000 + 0.186641);
  assert.equal(a.start, Date.UTC(2018, 6, 2, 22, 22, 48) / 1000 + 0.364);
  assert.deepEqual([a.method, a.path, a.status, a.targetStatus, a.target, a.targetTime], ['GET', '/', 200, 200, '10.0.0.1:80', 0.001]);
  const b = parse(parseAlb, ALB_DOC.https);
  assert.ok(Math.abs(b.total - (0.086 + 0.048 + 0.037)) < 1e-12);
  const c = parse(parseAlb, ALB_DOC.lambdaFailed);
  assert.deepEqual([c.status, c.targetStatus, c.target], [502, 0, '']);
  // target_processing_time -1: the target did not answer
  const d = parse(parseAlb, ALB_DOC.http.replace('0.000 0.001 0.000 200 200', '-1 -1 -1 504 -').replace('10.0.0.1:80 -1', '- -1'));
  assert.ok(Number.isNaN(d.targetTime));
  assert.equal(d.status, 504);
  // an old log that ends at trace_id: the arrival is the response time less the three times
  const old = ALB_DOC.https.slice(0, ALB_DOC.https.indexOf(' "www.example.com"'));
  const e = parse(parseAlb, old);
  assert.ok(Math.abs(e.end - e.start - 0.171) < 1e-6);
});

test('Classic ELB: the documentation examples; TCP and SSL listener lines carry no request', () => {
  const a = parse(parseElb, ELB_DOC.http);
  assert.equal(a.start, Date.UTC(2015, 4, 13, 23, 39, 43) / 1000 + 0.945958);
  assert.deepEqual([a.method, a.path, a.status, a.targetStatus, a.targetTime], ['GET', '/', 200, 200, 0.001048]);
  parse(parseElb, ELB_DOC.https);
  for (const l of [ELB_DOC.tcp, ELB_DOC.ssl]) {
    const r = parse(parseElb, l);
    assert.equal(r.path, '');
  }
});

test('nginx: combined, combined plus timing fields, and a log_format of the user', () => {
  const p = nginxTimedParser();
  const a = parse(p, COMBINED);
  assert.equal(a.end, Date.UTC(2000, 9, 10, 20, 55, 36) / 1000);
  assert.deepEqual([a.method, a.path, a.status], ['GET', '/apache_pb.gif', 200]);
  assert.ok(Number.isNaN(a.total));
  const b = parse(p, `${COMBINED} 0.012 0.010 10.0.0.7:8000`);
  assert.deepEqual([b.total, b.targetTime, b.target, b.targetStatus], [0.012, 0.01, '10.0.0.7:8000', 200]);
  assert.ok(Math.abs(b.end - b.start - 0.012) < 1e-6);
  // two upstreams tried: the last answered
  const c = parse(p, `${COMBINED.replace(' 200 ', ' 502 ')} 3.002 1.000, 2.001 10.0.0.7:8000, 10.0.0.8:8000`);
  assert.deepEqual([c.targetTime, c.target, c.status], [2.001, '10.0.0.8:8000', 502]);
  // no upstream reached
  const d = parse(p, `${COMBINED.replace(' 200 ', ' 503 ')} 0.000 - -`);
  assert.deepEqual([d.target, d.targetStatus], ['', 0]);
  const custom = nginxParser('$msec $status $request_method $request_uri $upstream_status $request_time $upstream_response_time');
  const e = parse(custom, '1700000000.123 504 POST /orders/77?x=1 504 60.001 60.000');
  assert.deepEqual([e.end, e.status, e.method, e.path, e.targetStatus, e.total], [1700000000.123, 504, 'POST', '/orders/77', 504, 60.001]);
  assert.throws(() => nginxParser('$remote_addr $body_bytes_sent'), /needs a time/);
});

test('gunicorn: the default access_log_format plus %(D)s, and %(L)s', () => {
  const p = gunicornParser('%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)s');
  const a = parse(p, '10.0.0.9 - - [02/Dec/2026:10:00:01 +0000] "GET /users/12?full=1 HTTP/1.1" 200 512 "-" "curl/8.4.0" 23456');
  assert.deepEqual([a.method, a.path, a.status, a.total, a.targetTime], ['GET', '/users/12', 200, 0.023456, 0.023456]);
  assert.equal(a.end, Date.UTC(2026, 11, 2, 10, 0, 1) / 1000);
  const q = gunicornParser('%(t)s %(s)s %(m)s %(U)s %(L)s');
  const b = parse(q, '[02/Dec/2026:10:00:01 +0100] 500 POST /pay 1.250000');
  assert.deepEqual([b.status, b.path, b.total], [500, '/pay', 1.25]);
  assert.throws(() => gunicornParser('%(h)s %(t)s "%(r)s" %(s)s'), /no duration/);
});

test("uWSGI: its default request line, with and without 'via sendfile()'; the time is the request's start", () => {
  const a = parse(parseUwsgi, UWSGI);
  assert.deepEqual([a.method, a.path, a.status, a.total], ['GET', '/sir/', 200, 0.045]);
  assert.equal(a.start, Date.UTC(2015, 6, 29, 12, 25, 20) / 1000);
  const b = parse(parseUwsgi, UWSGI_SENDFILE);
  assert.equal(b.total, 0.007);
  const c = parse(parseUwsgi, UWSGI.replace('45 msecs', '45123 micros').replace('[Wed Jul 29', '[Wed Jul  9'));
  assert.equal(c.total, 0.045123);
});

test('malformed lines: each parser says why, never throws', () => {
  const rec = new LogRecord();
  for (const f of ['alb', 'elb', 'nginx', 'gunicorn', 'uwsgi'] as const) {
    const p = parserFor(f);
    for (const bad of ['', 'garbage', '"unclosed', ALB_DOC.http.slice(0, 60), ELB_DOC.http.replace('200 200', '2x0 200')]) {
      if (f === 'elb' && bad === ELB_DOC.http) continue;
      const why = p(bad, rec);
      assert.equal(typeof why, 'string', `${f} accepted ${JSON.stringify(bad)}`);
    }
  }
});

test('paths: URLs of any form to a path without its query', () => {
  assert.equal(pathOf('http://www.example.com:80/a/b?x=1'), '/a/b');
  assert.equal(pathOf('https://h'), '/');
  assert.equal(pathOf('/x#frag'), '/x');
  assert.equal(pathOf('/plain'), '/plain');
});

test('--format auto tells each format from its first lines', () => {
  assert.equal(detectFormat([ALB_DOC.http, ALB_DOC.https]), 'alb');
  assert.equal(detectFormat([ELB_DOC.http, ELB_DOC.tcp]), 'elb');
  assert.equal(detectFormat([COMBINED, `${COMBINED} 0.012 0.010 10.0.0.7:8000`]), 'nginx');
  assert.equal(detectFormat(['10.0.0.9 - - [02/Dec/2026:10:00:01 +0000] "GET / HTTP/1.1" 200 5 "-" "c" 1234']), 'gunicorn');
  assert.equal(detectFormat([UWSGI, UWSGI_SENDFILE]), 'uwsgi');
  assert.equal(detectFormat(['hello', 'world']), null);
});

function tmp(): string {
  return mkdtempSync(path.join(tmpdir(), 'capsim-logs-'));
}

test('files: plain and gzip, a directory, a glob; malformed lines counted with their line numbers', async () => {
  const dir = tmp();
  const lines = Array.from({ length: 50 }, (_, i) => ALB_DOC.http.replace('GET http://www.example.com:80/ ', `GET http://www.example.com:80/users/${i} `));
  lines[6] = 'this is not a log line';
  lines[29] = ALB_DOC.http.slice(0, 100);
  mkdirSync(path.join(dir, '2026/12/02'), { recursive: true });
  writeFileSync(path.join(dir, '2026/12/02/a.log'), `${lines.join('\n')}\n`);
  writeFileSync(path.join(dir, '2026/12/02/b.log.gz'), gzipSync(`${lines.slice(0, 10).join('\r\n')}\r\n\n`));
  const paths: string[] = [];
  const s = await readLogs([dir], { format: 'auto' }, (r) => paths.push(r.path));
  assert.equal(s.format, 'alb');
  assert.equal(s.formatFrom, 'detected');
  assert.equal(s.files.length, 2);
  assert.equal(s.records, 48 + 9);
  assert.equal(s.malformed, 3);
  assert.deepEqual(
    s.samples.map((b) => [path.basename(b.file), b.line]),
    [
      ['a.log', 7],
      ['a.log', 30],
      ['b.log.gz', 7],
    ],
  );
  assert.equal(paths[0], '/users/0');
  const g = await readLogs([path.join(dir, '2026/*/*/*.gz')], { format: 'alb' }, () => {});
  assert.equal(g.records, 9);
});

test('a file that is mostly not the format: exit 2, naming the format and the first bad line', async () => {
  const dir = tmp();
  const f = path.join(dir, 'x.log');
  writeFileSync(f, `${ELB_DOC.http}\n${ELB_DOC.http}\n${ALB_DOC.http}\n`);
  await assert.rejects(
    readLogs([f], { format: 'alb' }, () => {}),
    (e: Error & { exitCode?: number }) => e.exitCode === 2 && /x\.log: 2 of 3 lines are not an AWS Application Load Balancer access log \(--format alb\); first bad line 1: field 1 \(type\)/.test(e.message),
  );
  writeFileSync(f, 'hello\nworld\n');
  await assert.rejects(readLogs([f], { format: 'auto' }, () => {}), /cannot tell the log format/);
  await assert.rejects(readLogs([path.join(dir, 'none.log')], { format: 'alb' }, () => {}), /no such file/);
  await assert.rejects(readLogs([path.join(dir, '*.gz')], { format: 'alb' }, () => {}), /no file matches/);
});


test('line source: lines across 1 MiB chunks, multi-byte characters split between chunks, an overlong line', async () => {
  const { forEachLine, MAX_LINE } = await import('../../../src/logs/line-source.js');
  const dir = tmp();
  const f = path.join(dir, 'big.log');
  // 3-byte characters so chunk boundaries fall inside one; lines of varied length
  const lines = Array.from({ length: 40_000 }, (_, i) => `${i} ${'€'.repeat(i % 37)} x`);
  lines[20_000] = 'y'.repeat(MAX_LINE + 10);
  writeFileSync(f, `${lines.join('\n')}\n`);
  const got: string[] = [];
  const n = await forEachLine(f, (l) => got.push(l));
  assert.equal(n, lines.length);
  assert.equal(got[20_000]!.length, MAX_LINE, 'an overlong line is handed over cut');
  got[20_000] = lines[20_000]!;
  assert.deepEqual(got, lines);
  writeFileSync(f, gzipSync(`${lines.slice(0, 100).join('\n')}`));
  const gz: string[] = [];
  await forEachLine(f, (l) => gz.push(l));
  assert.deepEqual(gz, lines.slice(0, 100), 'gzip, and a last line without a newline');
});
