// A child process of `npm run bench`: calibrate one log file and print what it took, as one
// JSON line: lines, seconds of reading and calibrating, lines per second, peak RSS.
import { runCalibration } from '../src/calibrate/run-calibration.js';

const file = process.argv[2]!;
const t0 = performance.now();
const c0 = process.cpuUsage();
const { read, cal } = await runCalibration([file], { format: 'alb' }, 8);
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(c0);
// CPU seconds as well as wall: on a shared machine the wall time says more about the neighbours.
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
console.log(
  JSON.stringify({ lines: read.lines, requests: cal.requests, endpoints: cal.endpoints.length, seconds, cpuSeconds, linesPerSecond: read.lines / seconds, linesPerCpuSecond: read.lines / cpuSeconds, peakRssMiB: process.resourceUsage().maxRSS / 1024 }),
);
