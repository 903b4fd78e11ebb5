// Where a CPU profile's time goes: self time by function, the largest first.
// Usage: node --cpu-prof --cpu-prof-dir=out/prof dist/bench/warm-replications.js MODEL 1
//        node bench/profile-summary.mjs out/prof/CPU.*.cpuprofile [rows]
// Run on the unbundled build (dist/src, as warm-replications.js does): functions keep their file
// names. Self time includes what V8 inlined into a function, so a hot caller absorbs its callees.
import { readFileSync } from 'node:fs';

const profile = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const rows = Number(process.argv[3] ?? 30);
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const byFile = new Map();
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const n = nodes.get(profile.samples[i]);
  const dt = profile.timeDeltas[i];
  total += dt;
  const f = n.callFrame;
  const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + dt);
  const file = f.url.includes('/dist/src/') ? f.url.split('/dist/src/')[1] : f.url === '' ? f.functionName : 'node (start-up, loading)';
  byFile.set(file, (byFile.get(file) ?? 0) + dt);
}
console.log(`total ${(total / 1000).toFixed(0)} ms sampled`);
for (const [k, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, rows)) {
  console.log(`${(t / 1000).toFixed(0).padStart(7)} ms ${((100 * t) / total).toFixed(1).padStart(5)}%  ${k}`);
}
console.log('\nby file:');
for (const [k, t] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, rows)) {
  console.log(`${(t / 1000).toFixed(0).padStart(7)} ms ${((100 * t) / total).toFixed(1).padStart(5)}%  ${k}`);
}
