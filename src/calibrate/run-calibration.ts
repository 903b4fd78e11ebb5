// `capsim calibrate LOG…`: read, observe, calibrate; the pieces together for the CLI and tests.
import { readLogs, type LogReadSummary, type ReadOptions } from '../logs/read-logs.js';
import { calibrate, type Calibration } from './calibration.js';
import { Observations } from './observations.js';

export interface CalibrationRun {
  read: LogReadSummary;
  cal: Calibration;
  obs: Observations;
}

export async function runCalibration(inputs: string[], opts: ReadOptions, top: number, onRecords?: (n: number) => void): Promise<CalibrationRun> {
  const obs = new Observations();
  let n = 0;
  const read = await readLogs(inputs, opts, (r) => {
    obs.add(r);
    // Every 20,000 records: a progress report costs nothing per record.
    if (onRecords && ++n % 20_000 === 0) onRecords(n);
  });
  if (obs.requests === 0) throw Object.assign(new Error(`${inputs.join(' ')}: no requests in the logs (${read.lines} lines read)`), { exitCode: 2 });
  return { read, cal: calibrate(obs, top), obs };
}
