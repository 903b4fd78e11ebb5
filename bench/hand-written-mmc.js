// The reference the kernel benchmark is measured against: M/M/c written by hand in plain
// JavaScript (a binary heap of [time, kind] events, a FIFO queue), the same work capsim does
// for the bench model. Usage: node bench/hand-written-mmc.js [customers]
const N = Number(process.argv[2] ?? 1_000_000);
const lambda = 7.2, mu = 1, c = 8;
let seed = 12345;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648;
const heap = [];
const push = (e) => {
  heap.push(e);
  let i = heap.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (heap[p][0] <= e[0]) break;
    heap[i] = heap[p];
    i = p;
  }
  heap[i] = e;
};
const pop = () => {
  const top = heap[0];
  const last = heap.pop();
  if (heap.length > 0) {
    let i = 0;
    for (;;) {
      let k = 2 * i + 1;
      if (k >= heap.length) break;
      if (k + 1 < heap.length && heap[k + 1][0] < heap[k][0]) k++;
      if (heap[k][0] >= last[0]) break;
      heap[i] = heap[k];
      i = k;
    }
    heap[i] = last;
  }
  return top;
};
const t0 = performance.now();
const queue = [];
let busy = 0, served = 0, arrivals = 0, waitSum = 0, events = 0;
push([-Math.log(1 - rand()) / lambda, 0, 0]);
while (served < N) {
  const [t, kind, arrivedAt] = pop();
  events++;
  if (kind === 0) {
    arrivals++;
    push([t - Math.log(1 - rand()) / lambda, 0, 0]);
    if (busy < c) {
      busy++;
      push([t - Math.log(1 - rand()) / mu, 1, t]);
    } else queue.push(t);
  } else {
    served++;
    if (queue.length > 0) {
      const a = queue.shift();
      waitSum += t - a;
      push([t - Math.log(1 - rand()) / mu, 1, a]);
    } else busy--;
  }
}
const wall = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ customers: served, events, wallSeconds: wall, meanWait: waitSum / served }));
