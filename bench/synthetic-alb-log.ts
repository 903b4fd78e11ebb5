// A large synthetic ALB access log for the log-reading benchmark, written in chunks (never held
// in memory): realistic lines (the layout of AWS's documentation example, all fields up to
// conn_trace_id) with varied paths (ids and UUIDs to collapse), targets, statuses and times.
import { closeSync, openSync, writeSync } from 'node:fs';

const PATHS = ['/users/{n}', '/orders/{uuid}', '/api/v1/items', '/api/v1/items/{n}/reviews', '/health', '/static/app.{hex}.js', '/search', '/cart/{n}'];

export function writeSyntheticAlbLog(file: string, lines: number, seed = 1): number {
  let x = seed >>> 0 || 1;
  const rnd = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16)).join('');
  const fd = openSync(file, 'w');
  let bytes = 0;
  let buf = '';
  const t0 = Date.UTC(2026, 11, 1) / 1000;
  for (let i = 0; i < lines; i++) {
    const t = t0 + i * 0.003; // ~20k requests per minute
    const p = PATHS[Math.floor(rnd() * PATHS.length)]!.replace('{n}', String(Math.floor(rnd() * 1e6))).replace('{uuid}', `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`).replace('{hex}', hex(16));
    const svc = -Math.log(1 - rnd()) * 0.03;
    const failed = rnd() < 0.001;
    const target = `10.0.${Math.floor(rnd() * 4)}.${10 + Math.floor(rnd() * 8)}:8000`;
    const created = new Date((t - svc) * 1000).toISOString().replace('Z', '000Z');
    const end = new Date(t * 1000).toISOString().replace('Z', '000Z');
    const times = failed ? '0.000 -1 -1' : `0.000 ${svc.toFixed(3)} 0.000`;
    const status = failed ? '502 -' : '200 200';
    buf +=
      `https ${end} app/my-loadbalancer/50dc6c495c0c9188 203.0.113.${i % 250}:${2000 + (i % 60000)} ${target} ${times} ${status} 34 366 ` +
      `"GET https://www.example.com:443${p}?page=${i % 7} HTTP/1.1" "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 ` +
      `arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337262-36d228ad5d99923122bbe354" "www.example.com" ` +
      `"arn:aws:acm:us-east-2:123456789012:certificate/12345678-1234-1234-1234-123456789012" 1 ${created} "forward" "-" "-" "${target}" "${failed ? '-' : '200'}" "-" "-" TID_1234abcd5678ef90\n`;
    if (buf.length > 1 << 20) {
      bytes += writeSync(fd, buf);
      buf = '';
    }
  }
  bytes += writeSync(fd, buf);
  closeSync(fd);
  return bytes;
}
